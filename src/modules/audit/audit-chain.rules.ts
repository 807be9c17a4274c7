/**
 * The hash chain, as pure functions: a canonical form of a row (keys sorted at every depth, dates as ISO text,
 * as JSON round-trips them) and SHA-256 over the previous hash and that form. Verification walks rows in seq
 * order and reports the first break: an edited row (its hash no longer matches), a deleted row (a gap in seq)
 * or a re-linked row (its prev_hash is not its predecessor's hash).
 */
import { createHash } from 'node:crypto';
import { GENESIS_HASH, type AuditRecord } from './audit.js';

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

export type HashedFields = Omit<AuditRecord, 'hash'>;

export function hashRecord(r: HashedFields): string {
  const body = canonicalJson({
    seq: r.seq,
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
  | { readonly seq: number; readonly reason: 'hash_mismatch' }
  | { readonly seq: number; readonly reason: 'prev_hash_mismatch' }
  | { readonly seq: number; readonly reason: 'missing_rows'; readonly expectedSeq: number };

export interface ChainState {
  readonly lastSeq: number;
  readonly lastHash: string;
}

export const EMPTY_CHAIN: ChainState = { lastSeq: 0, lastHash: GENESIS_HASH };

/** Checks a batch of rows (in seq order) that continues `state`; returns the new state or the first break. */
export function verifyBatch(state: ChainState, rows: readonly AuditRecord[]): { state: ChainState; broken?: ChainBreak } {
  let { lastSeq, lastHash } = state;
  for (const row of rows) {
    if (row.seq !== lastSeq + 1) return { state: { lastSeq, lastHash }, broken: { seq: row.seq, reason: 'missing_rows', expectedSeq: lastSeq + 1 } };
    if (row.prevHash !== lastHash) return { state: { lastSeq, lastHash }, broken: { seq: row.seq, reason: 'prev_hash_mismatch' } };
    if (hashRecord(row) !== row.hash) return { state: { lastSeq, lastHash }, broken: { seq: row.seq, reason: 'hash_mismatch' } };
    lastSeq = row.seq;
    lastHash = row.hash;
  }
  return { state: { lastSeq, lastHash } };
}
