import { describe, expect, it } from 'vitest';
import { computeStatistics, quantile, type StatisticsRow } from './alarm-statistics.rules.js';

const T = (min: number) => new Date(Date.parse('2026-03-02T01:00:00Z') + min * 60_000);
const row = (o: Partial<StatisticsRow>): StatisticsRow => ({
  status: 'cleared',
  highest_grade: 3,
  judgement: null,
  raised_at: T(0),
  acknowledged_at: null,
  judged_at: null,
  owner_unit_id: 1,
  owner_name: '燃气公司',
  ...o,
});

describe('alarm statistics', () => {
  it('matches a hand-computed fixture', () => {
    const s = computeStatistics([
      row({ highest_grade: 1, judgement: 'confirmed', acknowledged_at: T(2), judged_at: T(5) }),
      row({ highest_grade: 3, judgement: 'false_alarm', acknowledged_at: T(4), judged_at: T(10) }),
      row({ highest_grade: 3, judgement: 'false_alarm', acknowledged_at: T(6), judged_at: T(20), owner_unit_id: 2, owner_name: '自来水公司' }),
      row({ highest_grade: 4, status: 'active' }),
    ]);
    expect(s).toMatchObject({ total: 4, active: 1, byGrade: { 1: 1, 2: 0, 3: 2, 4: 1 }, judged: 3, confirmed: 1, falseAlarms: 2 });
    expect(s.falseAlarmRate).toBeCloseTo(2 / 3, 10);
    // Acknowledged after 2, 4 and 6 minutes: median 4 min, p90 6 min; judged after 5, 10, 20 minutes.
    expect(s.ackSeconds).toEqual({ p50: 240, p90: 360 });
    expect(s.judgeSeconds).toEqual({ p50: 600, p90: 1200 });
    expect(s.byOwner).toEqual([
      { unitId: 1, unitName: '燃气公司', total: 3, falseAlarms: 1, judged: 2 },
      { unitId: 2, unitName: '自来水公司', total: 1, falseAlarms: 1, judged: 1 },
    ]);
  });

  it('has no rate and no times when nothing was judged or acknowledged', () => {
    const s = computeStatistics([row({})]);
    expect(s.falseAlarmRate).toBeNull();
    expect(s.ackSeconds).toEqual({ p50: null, p90: null });
  });

  it.each([
    [[], 0.5, null],
    [[7], 0.9, 7],
    [[1, 2, 3, 4], 0.5, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
  ] as [number[], number, number | null][])('quantile of %j at %d is %s', (xs, q, expected) => {
    expect(quantile(xs, q)).toBe(expected);
  });
});
