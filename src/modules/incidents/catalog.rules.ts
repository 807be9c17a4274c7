/**
 * Time limits per stage. A category version states the handling limit and may state the others; missing stages
 * take the defaults below. Urgent and critical matters use the `urgent` limits, in natural (round-the-clock)
 * hours: "emergencies or possible loss of life or property: feedback within 2 h" (Beijing 12345 draft standard,
 * ../shared/reference/domain.md §3.2), against working hours and days for ordinary matters (数字城管, §2.5).
 */
import type { Limit, Limits, Stage, Urgency } from './incident.js';

export const DEFAULT_LIMITS: Readonly<Record<Stage, Limit>> = {
  accept: { amount: 2, unit: 'hours' }, // web reports accepted within 2 h (§3.2)
  file: { amount: 2, unit: 'hours' },
  dispatch: { amount: 1, unit: 'hours' },
  sign: { amount: 2, unit: 'hours' },
  handle: { amount: 5, unit: 'days' },
  verify: { amount: 1, unit: 'days' },
  close: { amount: 4, unit: 'hours' },
};

export const DEFAULT_URGENT_LIMITS: Readonly<Record<Stage, Limit>> = {
  accept: { amount: 0.25, unit: 'natural_hours' },
  file: { amount: 0.25, unit: 'natural_hours' },
  dispatch: { amount: 0.25, unit: 'natural_hours' },
  sign: { amount: 0.5, unit: 'natural_hours' },
  handle: { amount: 2, unit: 'natural_hours' },
  verify: { amount: 4, unit: 'natural_hours' },
  close: { amount: 2, unit: 'natural_hours' },
};

/** The limit of `stage` for an incident of `urgency` under `limits`. */
export function limitFor(limits: Limits, stage: Stage, urgency: Urgency): Limit {
  if (urgency !== 'normal') return limits.urgent?.[stage] ?? DEFAULT_URGENT_LIMITS[stage];
  return limits[stage] ?? DEFAULT_LIMITS[stage];
}

const UNITS = ['hours', 'days', 'natural_hours', 'natural_days'] as const;

/** Problems with a limits object, as field paths and reasons; empty when it is fine. */
export function limitProblems(limits: unknown): { path: string; reason: string }[] {
  const problems: { path: string; reason: string }[] = [];
  if (!limits || typeof limits !== 'object') return [{ path: 'limits', reason: 'must be an object' }];
  const check = (obj: Record<string, unknown>, prefix: string) => {
    for (const [stage, value] of Object.entries(obj)) {
      if (stage === 'urgent' && prefix === 'limits') continue;
      const path = `${prefix}.${stage}`;
      if (!(['accept', 'file', 'dispatch', 'sign', 'handle', 'verify', 'close'] as string[]).includes(stage)) problems.push({ path, reason: 'unknown stage' });
      const v = value as { amount?: unknown; unit?: unknown } | null;
      if (!v || typeof v.amount !== 'number' || !(v.amount > 0) || v.amount > 365) problems.push({ path: `${path}.amount`, reason: 'must be a number above 0 and at most 365' });
      if (!UNITS.includes(v?.unit as never)) problems.push({ path: `${path}.unit`, reason: 'must be hours, days, natural_hours or natural_days' });
    }
  };
  check(limits as Record<string, unknown>, 'limits');
  const urgent = (limits as { urgent?: unknown }).urgent;
  if (urgent !== undefined) {
    if (!urgent || typeof urgent !== 'object') problems.push({ path: 'limits.urgent', reason: 'must be an object' });
    else check(urgent as Record<string, unknown>, 'limits.urgent');
  }
  return problems;
}

/** From the routes of a category, the one for the most specific area containing `areaPath` (null area = district). */
export function pickRoute<R extends { areaPath: string | null }>(routes: readonly R[], areaPath: string): R | undefined {
  let best: R | undefined;
  for (const r of routes) {
    if (r.areaPath !== null && !areaPath.startsWith(r.areaPath)) continue;
    if (!best || (r.areaPath?.length ?? 0) > (best.areaPath?.length ?? 0)) best = r;
  }
  return best;
}
