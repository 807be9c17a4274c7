import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, type AuditRecord } from './audit.js';
import { EMPTY_CHAIN, canonicalJson, hashRecord, verifyBatch } from './audit-chain.rules.js';

function chain(n: number): AuditRecord[] {
  const rows: AuditRecord[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const r = { seq, at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)), actorUserId: seq, actorLabel: `u${seq}`, ip: '10.0.0.1', action: 'unit.rename', targetType: 'unit', targetId: `U${seq}`, details: { from: '甲', to: '乙', n: seq }, prevHash: prev };
    const row = { ...r, hash: hashRecord(r) };
    rows.push(row);
    prev = row.hash;
  }
  return rows;
}

describe('audit chain', () => {
  it('writes the same canonical form whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 2, y: 3 }], c: '汉' } })).toBe(canonicalJson({ a: { c: '汉', d: [1, { y: 3, z: 2 }] }, b: 1 }));
    expect(canonicalJson({ a: undefined, b: new Date(0) })).toBe('{"b":"1970-01-01T00:00:00.000Z"}');
  });

  it('accepts an intact chain, also checked in batches', () => {
    const rows = chain(6);
    expect(verifyBatch(EMPTY_CHAIN, rows)).toEqual({ state: { lastSeq: 6, lastHash: rows[5]!.hash } });
    const first = verifyBatch(EMPTY_CHAIN, rows.slice(0, 3));
    expect(verifyBatch(first.state, rows.slice(3)).broken).toBeUndefined();
  });

  it('finds an edited row, a deleted row and a re-linked row', () => {
    const rows = chain(5);
    const edited = rows.map((r) => (r.seq === 3 ? { ...r, details: { from: '甲', to: '丙', n: 3 } } : r));
    expect(verifyBatch(EMPTY_CHAIN, edited).broken).toEqual({ seq: 3, reason: 'hash_mismatch' });
    const deleted = rows.filter((r) => r.seq !== 2);
    expect(verifyBatch(EMPTY_CHAIN, deleted).broken).toEqual({ seq: 3, reason: 'missing_rows', expectedSeq: 2 });
    // Deleting a row and renumbering the rest still breaks the links.
    const renumbered = deleted.map((r) => (r.seq > 2 ? { ...r, seq: r.seq - 1 } : r));
    expect(verifyBatch(EMPTY_CHAIN, renumbered).broken).toEqual({ seq: 2, reason: 'prev_hash_mismatch' });
    // Rehashing an edited row without rewriting every later row breaks the next link.
    const rehashed = edited.map((r) => (r.seq === 3 ? { ...r, hash: hashRecord(r) } : r));
    expect(verifyBatch(EMPTY_CHAIN, rehashed).broken).toEqual({ seq: 4, reason: 'prev_hash_mismatch' });
  });
});
