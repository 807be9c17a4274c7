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

export interface AuditChainHeadsTable {
  chain: number;
  chain_seq: number;
  hash: string;
}

type Db = Executor<{ audit_log: AuditLogTable; audit_chain_heads: AuditChainHeadsTable }>;

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
 * Appends one entry. Must run inside a (read committed) transaction: the chain's head row stays locked until
 * that transaction ends, so the next writer of the chain reads this entry as the head. Call it last.
 */
export async function appendEntry(tx: Db, entry: AuditEntryInput, by: Initiator, at: Date): Promise<AuditRecord> {
  return (await appendEntries(tx, [{ entry, by }], at))[0]!;
}

/**
 * Appends several entries, locking only the chains they belong to: two statements whatever the number of
 * entries and chains (lock and read the heads; insert the entries and move the heads).
 */
export async function appendEntries(tx: Db, items: readonly { entry: AuditEntryInput; by: Initiator }[], at: Date): Promise<AuditRecord[]> {
  if (items.length === 0) return [];
  const rows = await lockAndHash(tx, items, at);
  const { rows: inserted } = await appendStatement(rows).execute(tx);
  return rows.map((r) => ({ ...r, seq: inserted.find((i) => i.chain === r.chain && Number(i.chain_seq) === r.chainSeq)!.seq }));
}

/**
 * The first half of an append: locks the heads of the entries' chains (in ascending order, so two writers never
 * wait on each other in a cycle; each head is read as the previous writer left it once that writer committed)
 * and chains the entries onto them. The second half is appendStatement, which may ride in another statement.
 */
export async function lockAndHash(tx: Db, items: readonly { entry: AuditEntryInput; by: Initiator }[], at: Date): Promise<Omit<AuditRecord, 'seq'>[]> {
  const byChain = new Map<number, { entry: AuditEntryInput; by: Initiator }[]>();
  for (const item of items) {
    const chain = chainOf(item.entry, item.by.label);
    byChain.set(chain, [...(byChain.get(chain) ?? []), item]);
  }
  const chains = [...byChain.keys()].sort((a, b) => a - b);
  // Static SQL text (an array parameter, rows as one JSON parameter): compiled once, prepared once per connection.
  const { rows: heads } = await sql<{ chain: number; chain_seq: number | string; hash: string }>`
    select chain, chain_seq, hash from audit_chain_heads where chain = any(${`{${chains.join(',')}}`}::smallint[]) order by chain for update`.execute(tx);
  return chains.flatMap((chain) => {
    const head = heads.find((h) => h.chain === chain);
    let chainSeq = Number(head?.chain_seq ?? 0);
    let prevHash = head?.hash ?? GENESIS_HASH;
    return byChain.get(chain)!.map(({ entry, by }) => {
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
  });
}

/**
 * The two writes that store chained entries (from lockAndHash, in the same transaction): move the chains' heads,
 * and insert the entries. Data-modifying statements are only allowed at the top of a WITH list, so a caller that
 * embeds them in its own statement gets them apart; appendStatement joins them into one statement.
 */
export function appendParts(rows: readonly Omit<AuditRecord, 'seq'>[]) {
  const chains = [...new Set(rows.map((r) => r.chain))];
  const newHeads = JSON.stringify(chains.map((chain) => rows.filter((r) => r.chain === chain).at(-1)!).map((r) => ({ chain: r.chain, chain_seq: r.chainSeq, hash: r.hash })));
  const entries = JSON.stringify(
    rows.map((r) => ({
      chain: r.chain,
      chain_seq: r.chainSeq,
      at: r.at.toISOString(),
      actor_user_id: r.actorUserId,
      actor_label: r.actorLabel,
      ip: r.ip,
      action: r.action,
      target_type: r.targetType,
      target_id: r.targetId,
      details: r.details,
      prev_hash: r.prevHash,
      hash: r.hash,
    })),
  );
  return {
    moveHeads: sql`
      update audit_chain_heads h set chain_seq = v.chain_seq, hash = v.hash
      from jsonb_to_recordset(${newHeads}::jsonb) as v(chain smallint, chain_seq bigint, hash text)
      where h.chain = v.chain`,
    insertEntries: sql<{ seq: number; chain: number; chain_seq: number | string }>`
      insert into audit_log (chain, chain_seq, at, actor_user_id, actor_label, ip, action, target_type, target_id, details, prev_hash, hash)
      select v.chain, v.chain_seq, v.at, v.actor_user_id, v.actor_label, v.ip, v.action, v.target_type, v.target_id, v.details, v.prev_hash, v.hash
      from jsonb_to_recordset(${entries}::jsonb) as v(chain smallint, chain_seq bigint, at timestamptz, actor_user_id bigint, actor_label text, ip text,
        action text, target_type text, target_id text, details jsonb, prev_hash text, hash text)
      returning seq, chain, chain_seq`,
  };
}

/** Stores chained entries and moves their heads in one statement. */
export function appendStatement(rows: readonly Omit<AuditRecord, 'seq'>[]) {
  const { moveHeads, insertEntries } = appendParts(rows);
  return sql<{ seq: number; chain: number; chain_seq: number | string }>`with moved as (${moveHeads}) ${insertEntries}`;
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

/** Every chain's recorded head (position and hash). */
export async function chainHeads(db: Db): Promise<Map<number, { chainSeq: number; hash: string }>> {
  const rows = await db.selectFrom('audit_chain_heads').select(['chain', 'chain_seq', 'hash']).execute();
  return new Map(rows.map((r) => [r.chain, { chainSeq: Number(r.chain_seq), hash: r.hash }]));
}
