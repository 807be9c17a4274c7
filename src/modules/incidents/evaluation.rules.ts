/**
 * Evaluation indicators per unit and period, as pure arithmetic over counts (../shared/reference/domain.md §2.6
 * and §3.3; issue 4 §8):
 * - on-time closure rate (按期结案率) = closed on time ÷ (closed + open overdue);
 * - closure rate (结案率) = of the matters received in the period, the share closed;
 * - rework rate (返工率) = of those closed in the period, the share that failed a verification at least once;
 * - return rate (退单率) = of those dispatched in the period, the share returned at least once;
 * - satisfaction rate (满意率) = (满意 + 基本满意) ÷ ratings given in the period;
 * - median handling time = the median, over matters reported back in the period, of dispatch → report-back.
 * A rate with nothing to divide by is null ("—"), never 0 % or 100 %.
 */
export interface UnitCounts {
  readonly unitId: number;
  readonly received: number;
  readonly receivedClosed: number;
  readonly closed: number;
  readonly closedOnTime: number;
  readonly openOverdue: number;
  readonly reworked: number;
  readonly dispatched: number;
  readonly returned: number;
  readonly rated: number;
  readonly satisfied: number;
  readonly medianHandleSeconds: number | null;
}

export interface UnitScore extends UnitCounts {
  readonly onTimeRate: number | null;
  readonly closureRate: number | null;
  readonly reworkRate: number | null;
  readonly returnRate: number | null;
  readonly satisfactionRate: number | null;
  readonly rank: number | null;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function score(c: UnitCounts): Omit<UnitScore, 'rank'> {
  return {
    ...c,
    onTimeRate: ratio(c.closedOnTime, c.closed + c.openOverdue),
    closureRate: ratio(c.receivedClosed, c.received),
    reworkRate: ratio(c.reworked, c.closed),
    returnRate: ratio(c.returned, c.dispatched),
    satisfactionRate: ratio(c.satisfied, c.rated),
  };
}

/**
 * Ranks units by on-time closure rate, then satisfaction, then closure rate (higher is better); units without an
 * on-time rate are not ranked. Equal figures share a rank (1, 2, 2, 4).
 */
export function rank(rows: readonly UnitCounts[]): UnitScore[] {
  const scored = rows.map(score);
  const key = (s: Omit<UnitScore, 'rank'>) => [s.onTimeRate ?? -1, s.satisfactionRate ?? -1, s.closureRate ?? -1];
  const ranked = scored.filter((s) => s.onTimeRate !== null).sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i]! - ka[i]!;
    return a.unitId - b.unitId;
  });
  const ranks = new Map<number, number>();
  ranked.forEach((s, i) => {
    const prev = ranked[i - 1];
    ranks.set(s.unitId, prev && key(prev).every((v, j) => v === key(s)[j]) ? ranks.get(prev.unitId)! : i + 1);
  });
  return [...ranked, ...scored.filter((s) => s.onTimeRate === null)].map((s) => ({ ...s, rank: ranks.get(s.unitId) ?? null }));
}
