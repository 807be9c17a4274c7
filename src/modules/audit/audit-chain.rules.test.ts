import { describe, expect, it } from 'vitest';
import { CHAIN_COUNT, GENESIS_HASH, type AuditRecord } from './audit.js';
import { EMPTY_CHAIN, canonicalJson, chainOf, checkTail, hashRecord, verifyBatch } from './audit-chain.rules.js';

function chain(n: number, which = 3): AuditRecord[] {
  const rows: AuditRecord[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const r = {
      chain: which,
      chainSeq: i,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      actorUserId: i,
      actorLabel: `u${i}`,
      ip: '10.0.0.1',
      action: 'unit.rename',
      targetType: 'unit',
      targetId: `U${i}`,
      details: { from: '甲', to: '乙', n: i },
      prevHash: prev,
    };
    const row = { ...r, seq: 100 + i * 7, hash: hashRecord(r) };
    rows.push(row);
    prev = row.hash;
  }
  return rows;
}

describe('audit chains', () => {
  it('writes the same canonical form whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 2, y: 3 }], c: '汉' } })).toBe(canonicalJson({ a: { c: '汉', d: [1, { y: 3, z: 2 }] }, b: 1 }));
    expect(canonicalJson({ a: undefined, b: new Date(0) })).toBe('{"b":"1970-01-01T00:00:00.000Z"}');
  });

  it('puts every entry about one thing on one chain, and spreads different things over the chains', () => {
    const a = chainOf({ action: 'incident.accept', target: { type: 'incident', id: 'KZ20260302000001' } }, 'x');
    expect(chainOf({ action: 'incident.close', target: { type: 'incident', id: 'KZ20260302000001' } }, 'y')).toBe(a);
    const used = new Set(Array.from({ length: 200 }, (_, i) => chainOf({ action: 'incident.report', target: { type: 'incident', id: `KZ${i}` } }, 'x')));
    expect(used.size).toBe(CHAIN_COUNT);
  });

  it('accepts an intact chain, also checked in batches', () => {
    const rows = chain(6);
    expect(verifyBatch(EMPTY_CHAIN, rows)).toEqual({ state: { lastChainSeq: 6, lastHash: rows[5]!.hash } });
    const first = verifyBatch(EMPTY_CHAIN, rows.slice(0, 3));
    expect(verifyBatch(first.state, rows.slice(3)).broken).toBeUndefined();
  });

  it('finds an edited row, a deleted row and a re-linked row', () => {
    const rows = chain(5);
    const edited = rows.map((r) => (r.chainSeq === 3 ? { ...r, details: { from: '甲', to: '丙', n: 3 } } : r));
    expect(verifyBatch(EMPTY_CHAIN, edited).broken).toEqual({ chain: 3, chainSeq: 3, seq: 121, reason: 'hash_mismatch' });
    const deleted = rows.filter((r) => r.chainSeq !== 2);
    expect(verifyBatch(EMPTY_CHAIN, deleted).broken).toMatchObject({ chainSeq: 3, reason: 'missing_rows', expectedChainSeq: 2 });
    // Deleting a row and renumbering the rest still breaks the links.
    const renumbered = deleted.map((r) => (r.chainSeq > 2 ? { ...r, chainSeq: r.chainSeq - 1 } : r));
    expect(verifyBatch(EMPTY_CHAIN, renumbered).broken).toMatchObject({ chainSeq: 2, reason: 'prev_hash_mismatch' });
    // Rehashing an edited row without rewriting every later row breaks the next link.
    const rehashed = edited.map((r) => (r.chainSeq === 3 ? { ...r, hash: hashRecord(r) } : r));
    expect(verifyBatch(EMPTY_CHAIN, rehashed).broken).toMatchObject({ chainSeq: 4, reason: 'prev_hash_mismatch' });
  });

  it('checks a walked chain against its recorded head', () => {
    const head = { chainSeq: 3, hash: 'c' };
    expect(checkTail(2, { lastChainSeq: 3, lastSeq: 30, hashAtHead: 'c' }, head)).toBeUndefined();
    // Appended after the head was read: still whole.
    expect(checkTail(2, { lastChainSeq: 5, lastSeq: 50, hashAtHead: 'c' }, head)).toBeUndefined();
    expect(checkTail(2, { lastChainSeq: 2, lastSeq: 20, hashAtHead: undefined }, head)).toEqual({ chain: 2, chainSeq: 2, seq: 20, reason: 'tail_missing', headChainSeq: 3 });
    expect(checkTail(2, { lastChainSeq: 3, lastSeq: 30, hashAtHead: 'x' }, head)).toMatchObject({ reason: 'tail_missing' });
    expect(checkTail(2, { lastChainSeq: 0, lastSeq: 0, hashAtHead: undefined }, { chainSeq: 0, hash: '0' })).toBeUndefined();
  });
});
