/** The shape of audit entries. */
export interface AuditEntryInput {
  /** What happened, as `area.verb`: `auth.sign_in`, `unit.rename`, `incident.dispatch`, … */
  readonly action: string;
  readonly target?: { readonly type: string; readonly id: string | number };
  /** Facts worth keeping (old and new values, reasons); plain JSON, never secrets. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditRecord {
  /** A global, increasing locator (order of insertion, not of commit). */
  readonly seq: number;
  /** Which chain the entry belongs to, and its gapless position there. */
  readonly chain: number;
  readonly chainSeq: number;
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

/** The hash that precedes the first row of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** How many chains entries are spread over: writers about different things lock different chains. */
export const CHAIN_COUNT = 16;
