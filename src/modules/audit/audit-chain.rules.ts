/**
 * The hash chains, as pure functions: which chain an entry belongs to (a stable hash of what it is about, so all
 * entries of one incident or unit share a chain), a canonical form of a row (keys sorted at every depth, dates as
 * ISO text, as JSON round-trips them), SHA-256 over the previous hash and that form, and verification of one chain
 * walked in order, reporting the first break: an edited row (its hash no longer matches), a deleted row (a gap in
 * the chain's sequence) or a re-linked row (its prev_hash is not its predecessor's hash).
 */
import { createHash } from 'node:crypto';
import { CHAIN_COUNT, GENESIS_HASH, type AuditEntryInput, type AuditRecord } from './audit.js';

/** FNV-1a over the entry's target (or, without one, its action and actor) → 0 … CHAIN_COUNT-1. */
export function chainOf(entry: AuditEntryInput, actorLabel: string): number {
  const key = entry.target ? `${entry.target.type}:${entry.target.id}` : `${entry.action}:${actorLabel}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % CHAIN_COUNT;
}

export function canonicalJson(value: unknown): string {
  const normal = JSON.parse(JSON.stringify(value ?? null)) as unknown;
  const walk = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(walk).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      return `{${Object.keys(obj)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${walk(obj[k])}`)
        .join(',')}}`;
    }
    return JSON.stringify(v);
  };
  return walk(normal);
}

export type HashedFields = Omit<AuditRecord, 'hash' | 'seq'>;

export function hashRecord(r: HashedFields): string {
  const body = canonicalJson({
    chain: r.chain,
    chainSeq: r.chainSeq,
    at: r.at.toISOString(),
    actorUserId: r.actorUserId,
    actorLabel: r.actorLabel,
    ip: r.ip,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    details: r.details,
  });
  return createHash('sha256').update(r.prevHash).update('\n').update(body).digest('hex');
}

export type ChainBreak =
  | { readonly chain: number; readonly chainSeq: number; readonly seq: number; readonly reason: 'hash_mismatch' }
  | { readonly chain: number; readonly chainSeq: number; readonly seq: number; readonly reason: 'prev_hash_mismatch' }
  | { readonly chain: number; readonly chainSeq: number; readonly seq: number; readonly reason: 'missing_rows'; readonly expectedChainSeq: number }
  /** The chain ends before its recorded head: its last entries were deleted (or the head was edited). */
  | { readonly chain: number; readonly chainSeq: number; readonly seq: number; readonly reason: 'tail_missing'; readonly headChainSeq: number };

export interface ChainState {
  readonly lastChainSeq: number;
  readonly lastHash: string;
}

export const EMPTY_CHAIN: ChainState = { lastChainSeq: 0, lastHash: GENESIS_HASH };

/** Checks a batch of one chain's rows (in chain order) that continues `state`; returns the new state or the first break. */
export function verifyBatch(state: ChainState, rows: readonly AuditRecord[]): { state: ChainState; broken?: ChainBreak } {
  let { lastChainSeq, lastHash } = state;
  for (const row of rows) {
    const at = { chain: row.chain, chainSeq: row.chainSeq, seq: row.seq };
    if (row.chainSeq !== lastChainSeq + 1) return { state: { lastChainSeq, lastHash }, broken: { ...at, reason: 'missing_rows', expectedChainSeq: lastChainSeq + 1 } };
    if (row.prevHash !== lastHash) return { state: { lastChainSeq, lastHash }, broken: { ...at, reason: 'prev_hash_mismatch' } };
    if (hashRecord(row) !== row.hash) return { state: { lastChainSeq, lastHash }, broken: { ...at, reason: 'hash_mismatch' } };
    lastChainSeq = row.chainSeq;
    lastHash = row.hash;
  }
  return { state: { lastChainSeq, lastHash } };
}

/**
 * Checks a fully walked chain against the head read before the walk began: the walk must reach the head's
 * position, and the entry there must carry the head's hash (entries appended after the head was read only extend
 * the chain). A chain whose last entries were deleted ends short of its head.
 */
export function checkTail(
  chain: number,
  walked: { readonly lastChainSeq: number; readonly lastSeq: number; readonly hashAtHead: string | undefined },
  head: { readonly chainSeq: number; readonly hash: string },
): ChainBreak | undefined {
  if (head.chainSeq === 0) return undefined;
  if (walked.lastChainSeq < head.chainSeq || walked.hashAtHead !== head.hash) {
    return { chain, chainSeq: walked.lastChainSeq, seq: walked.lastSeq, reason: 'tail_missing', headChainSeq: head.chainSeq };
  }
  return undefined;
}
