/**
 * Alarm statistics from plain rows: counts by grade, the false-alarm rate (false alarms ÷ judged alarms, the
 * "true/false rates" of the district center's lifeline board, domain.md "District center") and response times
 * (raise → acknowledgement, raise → judgement) as median and 90th percentile.
 */
import type { Grade } from './alarm-rule.rules.js';
import type { AlarmStatistics, AlarmStatus, Judgement } from './alarm.js';

export interface StatisticsRow {
  readonly status: AlarmStatus;
  readonly highest_grade: Grade;
  readonly judgement: Judgement | null;
  readonly raised_at: Date;
  readonly acknowledged_at: Date | null;
  readonly judged_at: Date | null;
  readonly owner_unit_id: number;
  readonly owner_name: string;
}

/** The q-quantile (0..1) of sorted numbers, by the nearest-rank method; null for none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const seconds = (a: Date, b: Date | null) => (b ? Math.max(0, (b.getTime() - a.getTime()) / 1000) : null);

export function computeStatistics(rows: readonly StatisticsRow[]): AlarmStatistics {
  const byGrade: Record<Grade, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  const ack: number[] = [];
  const judge: number[] = [];
  const owners = new Map<number, { unitId: number; unitName: string; total: number; falseAlarms: number; judged: number }>();
  let active = 0;
  let confirmed = 0;
  let falseAlarms = 0;
  for (const r of rows) {
    byGrade[r.highest_grade]++;
    if (r.status === 'active') active++;
    if (r.judgement === 'confirmed') confirmed++;
    if (r.judgement === 'false_alarm') falseAlarms++;
    const a = seconds(r.raised_at, r.acknowledged_at);
    if (a !== null) ack.push(a);
    const j = seconds(r.raised_at, r.judged_at);
    if (j !== null) judge.push(j);
    const o = owners.get(r.owner_unit_id) ?? { unitId: r.owner_unit_id, unitName: r.owner_name, total: 0, falseAlarms: 0, judged: 0 };
    o.total++;
    if (r.judgement) o.judged++;
    if (r.judgement === 'false_alarm') o.falseAlarms++;
    owners.set(r.owner_unit_id, o);
  }
  ack.sort((x, y) => x - y);
  judge.sort((x, y) => x - y);
  const judged = confirmed + falseAlarms;
  return {
    total: rows.length,
    active,
    byGrade,
    judged,
    confirmed,
    falseAlarms,
    falseAlarmRate: judged ? falseAlarms / judged : null,
    ackSeconds: { p50: quantile(ack, 0.5), p90: quantile(ack, 0.9) },
    judgeSeconds: { p50: quantile(judge, 0.5), p90: quantile(judge, 0.9) },
    byOwner: [...owners.values()].sort((x, y) => y.total - x.total),
  };
}
