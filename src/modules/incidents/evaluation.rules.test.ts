import { describe, expect, it } from 'vitest';
import { rank, score, type UnitCounts } from './evaluation.rules.js';

const base: UnitCounts = { unitId: 1, received: 0, receivedClosed: 0, closed: 0, closedOnTime: 0, openOverdue: 0, reworked: 0, dispatched: 0, returned: 0, rated: 0, satisfied: 0, medianHandleSeconds: null };

describe('evaluation indicators', () => {
  it('computes each rate from a hand-counted fixture', () => {
    // 20 received, 15 of them closed; 16 closed in the period, 12 on time; 4 open and overdue; 2 reworked;
    // 18 dispatched, 3 returned; 10 rated, 9 satisfied or basically satisfied.
    const s = score({ ...base, received: 20, receivedClosed: 15, closed: 16, closedOnTime: 12, openOverdue: 4, reworked: 2, dispatched: 18, returned: 3, rated: 10, satisfied: 9, medianHandleSeconds: 5400 });
    expect(s.onTimeRate).toBeCloseTo(12 / 20);
    expect(s.closureRate).toBeCloseTo(15 / 20);
    expect(s.reworkRate).toBeCloseTo(2 / 16);
    expect(s.returnRate).toBeCloseTo(3 / 18);
    expect(s.satisfactionRate).toBeCloseTo(0.9);
  });

  it('says "no figure" instead of 0 or 100 % when there is nothing to divide by', () => {
    expect(score(base)).toMatchObject({ onTimeRate: null, closureRate: null, reworkRate: null, returnRate: null, satisfactionRate: null });
  });

  it('ranks by on-time rate, then satisfaction, sharing ranks on ties and leaving units without figures unranked', () => {
    const rows: UnitCounts[] = [
      { ...base, unitId: 10, closed: 10, closedOnTime: 9, rated: 10, satisfied: 9 },
      { ...base, unitId: 11, closed: 10, closedOnTime: 9, rated: 10, satisfied: 10 },
      { ...base, unitId: 12, closed: 10, closedOnTime: 9, rated: 10, satisfied: 9 },
      { ...base, unitId: 13, closed: 10, closedOnTime: 10 },
      { ...base, unitId: 14 },
    ];
    expect(rank(rows).map((r) => [r.unitId, r.rank])).toEqual([
      [13, 1],
      [11, 2],
      [10, 3],
      [12, 3],
      [14, null],
    ]);
  });
});
