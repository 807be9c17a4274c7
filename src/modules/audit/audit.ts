/** The shape of audit entries. */
export interface AuditEntryInput {
  /** What happened, as `area.verb`: `auth.sign_in`, `unit.rename`, `incident.dispatch`, … */
  readonly action: string;
  readonly target?: { readonly type: string; readonly id: string | number };
  /** Facts worth keeping (old and new values, reasons); plain JSON, never secrets. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditRecord {
  readonly seq: number;
  readonly at: Date;
  readonly actorUserId: number | null;
  readonly actorLabel: string;
  readonly ip: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly details: Record<string, unknown>;
  readonly prevHash: string;
  readonly hash: string;
}

/** The hash that precedes the first row. */
export const GENESIS_HASH = '0'.repeat(64);
