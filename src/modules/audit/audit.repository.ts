/** All SQL of the audit module. */
import { sql, type GeneratedAlways, type Selectable } from 'kysely';
import type { Executor } from '../../kernel/db.js';
import type { Initiator } from '../../kernel/initiator.js';
import { GENESIS_HASH, type AuditEntryInput, type AuditRecord } from './audit.js';
import { chainOf, hashRecord } from './audit-chain.rules.js';

export interface AuditLogTable {
  seq: GeneratedAlways<number>;
  chain: number;
  chain_seq: number;
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

// pg_advisory_xact_lock keys for appending to the chains: base + chain number; the same in every Zhizhi process.
const CHAIN_LOCK_BASE = 7_262_141_100;

const toRecord = (r: Selectable<AuditLogTable>): AuditRecord => ({
  seq: r.seq,
  chain: r.chain,
  chainSeq: r.chain_seq,
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
 * Appends one entry. Must run inside a (read committed) transaction: the chain's advisory lock is held until that
 * transaction ends, so the next writer of the chain reads this row as the head. Call it last in the transaction.
 */
export async function appendEntry(tx: Db, entry: AuditEntryInput, by: Initiator, at: Date): Promise<AuditRecord> {
  return (await appendEntries(tx, [{ entry, by }], at))[0]!;
}

/**
 * Appends several entries, locking only the chains they belong to (in ascending order, so two writers can never
 * wait on each other in a cycle) and inserting each chain's rows in one statement.
 */
export async function appendEntries(tx: Db, items: readonly { entry: AuditEntryInput; by: Initiator }[], at: Date): Promise<AuditRecord[]> {
  if (items.length === 0) return [];
  const byChain = new Map<number, { entry: AuditEntryInput; by: Initiator }[]>();
  for (const item of items) {
    const chain = chainOf(item.entry, item.by.label);
    byChain.set(chain, [...(byChain.get(chain) ?? []), item]);
  }
  const records: AuditRecord[] = [];
  for (const chain of [...byChain.keys()].sort((a, b) => a - b)) {
    await sql`select pg_advisory_xact_lock(${CHAIN_LOCK_BASE + chain})`.execute(tx);
    const head = await tx.selectFrom('audit_log').select(['chain_seq', 'hash']).where('chain', '=', chain).orderBy('chain_seq', 'desc').limit(1).executeTakeFirst();
    let chainSeq = head?.chain_seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const rows = byChain.get(chain)!.map(({ entry, by }) => {
      const unhashed = {
        chain,
        chainSeq: ++chainSeq,
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
      const hash = hashRecord(unhashed);
      prevHash = hash;
      return { ...unhashed, hash };
    });
    const inserted = await tx
      .insertInto('audit_log')
      .values(
        rows.map((r) => ({
          chain: r.chain,
          chain_seq: r.chainSeq,
          at: r.at,
          actor_user_id: r.actorUserId,
          actor_label: r.actorLabel,
          ip: r.ip,
          action: r.action,
          target_type: r.targetType,
          target_id: r.targetId,
          details: JSON.stringify(r.details) as never,
          prev_hash: r.prevHash,
          hash: r.hash,
        })),
      )
      .returning(['seq', 'chain_seq'])
      .execute();
    for (const r of rows) records.push({ ...r, seq: inserted.find((i) => i.chain_seq === r.chainSeq)!.seq });
  }
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

/** Oldest first, rows after `afterSeq`, for export. */
export async function entriesAfter(db: Db, f: AuditFilter, afterSeq: number, limit: number): Promise<AuditRecord[]> {
  return (await filtered(db, f).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute()).map(toRecord);
}

/** One chain's rows after a position, in chain order, for verification. */
export async function chainAfter(db: Db, chain: number, afterChainSeq: number, limit: number): Promise<AuditRecord[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('chain', '=', chain).where('chain_seq', '>', afterChainSeq).orderBy('chain_seq').limit(limit).execute();
  return rows.map(toRecord);
}
