/** All SQL of the audit module. */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../kernel/db.js';
import type { Initiator } from '../../kernel/initiator.js';
import { GENESIS_HASH, type AuditEntryInput, type AuditRecord } from './audit.js';
import { hashRecord } from './audit-chain.rules.js';

export interface AuditLogTable {
  seq: number;
  at: Date;
  actor_user_id: number | null;
  actor_label: string;
  ip: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

type Db = Executor<{ audit_log: AuditLogTable }>;

// pg_advisory_xact_lock key for appending to the chain; the same in every Zhizhi process.
const CHAIN_LOCK_KEY = 7_262_141_010;

const toRecord = (r: Selectable<AuditLogTable>): AuditRecord => ({
  seq: r.seq,
  at: r.at,
  actorUserId: r.actor_user_id,
  actorLabel: r.actor_label,
  ip: r.ip,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  details: r.details ?? {},
  prevHash: r.prev_hash,
  hash: r.hash,
});

/**
 * Appends one entry to the chain. Must run inside a (read committed) transaction: the advisory lock is held until
 * that transaction ends, so the next writer reads this row as the head. Call it last in the transaction.
 */
export async function appendEntry(tx: Db, entry: AuditEntryInput, by: Initiator, at: Date): Promise<AuditRecord> {
  return (await appendEntries(tx, [{ entry, by }], at))[0]!;
}

/**
 * Appends several entries under one acquisition of the chain lock, in one statement: a transaction that records
 * several steps holds the lock only for this tail, not for its whole length.
 */
export async function appendEntries(tx: Db, items: readonly { entry: AuditEntryInput; by: Initiator }[], at: Date): Promise<AuditRecord[]> {
  if (items.length === 0) return [];
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`.execute(tx);
  const head = await tx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const records: AuditRecord[] = items.map(({ entry, by }) => {
    const unhashed = {
      seq: ++seq,
      at,
      actorUserId: by.userId,
      actorLabel: by.label,
      ip: by.ip,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target ? String(entry.target.id) : null,
      details: JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>,
      prevHash,
    };
    const record = { ...unhashed, hash: hashRecord(unhashed) };
    prevHash = record.hash;
    return record;
  });
  await tx
    .insertInto('audit_log')
    .values(
      records.map((record) => ({
        seq: record.seq,
        at: record.at,
        actor_user_id: record.actorUserId,
        actor_label: record.actorLabel,
        ip: record.ip,
        action: record.action,
        target_type: record.targetType,
        target_id: record.targetId,
        details: JSON.stringify(record.details) as never,
        prev_hash: record.prevHash,
        hash: record.hash,
      })),
    )
    .execute();
  return records;
}

export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly from?: Date;
  readonly to?: Date;
}

function filtered(db: Db, f: AuditFilter) {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.actor) q = q.where('actor_label', '=', f.actor);
  if (f.action) q = q.where('action', 'like', `${f.action.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  if (f.targetType) q = q.where('target_type', '=', f.targetType);
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  return q;
}

/** Newest first, `limit` rows older than `beforeSeq` (keyset paging). */
export async function searchEntries(db: Db, f: AuditFilter, page: { beforeSeq?: number; limit: number }): Promise<AuditRecord[]> {
  let q = filtered(db, f);
  if (page.beforeSeq) q = q.where('seq', '<', page.beforeSeq);
  return (await q.orderBy('seq', 'desc').limit(page.limit).execute()).map(toRecord);
}

/** Oldest first, rows after `afterSeq`, for export and verification. */
export async function entriesAfter(db: Db, f: AuditFilter, afterSeq: number, limit: number): Promise<AuditRecord[]> {
  return (await filtered(db, f).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute()).map(toRecord);
}
