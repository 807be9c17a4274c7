/**
 * Alarm rules as pure functions over a state object. A sensor profile holds a list of rules; each rule, keyed in
 * its profile ('high', 'fall', 'silence', …), raises at most one alarm at a time on a sensor and moves it between
 * the grades 1 红 Ⅰ (most severe) … 4 蓝 Ⅳ, the national emergency convention (domain.md §4.3).
 *
 * Kinds, after ThingsBoard's device-profile alarm rules (anchors.md §4.1) plus rate and silence:
 * - threshold: the value above (or below) a level per grade;
 * - deviation: the value's departure from the sensor's baseline, in percent of the baseline, per grade;
 * - rate:      the change per minute over a sliding window, rising or falling, per grade;
 * - silence:   no reading for `factor` × the sensor's reporting interval (evaluated by a job, see checkSilence).
 * Threshold, deviation and rate share the conditions: a grade is entered once its level has been exceeded for
 * `forSeconds` (duration) and in `count` readings in a row (repetition); a grade already reached is kept until the
 * value falls back past its level by `hysteresis`; the alarm steps down or clears only after the lower state has
 * held for `clearForSeconds` and `clearCount` readings. Readings older than the last one evaluated are stored but
 * not evaluated: rule time only moves forward.
 */
import { z } from 'zod';

export const GRADES = [1, 2, 3, 4] as const;
export type Grade = (typeof GRADES)[number];

const grade = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const key = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'a lower-case key such as high or fall');
const levels = z
  .array(z.object({ grade, value: z.number().finite() }))
  .min(1)
  .max(4)
  .refine((ls) => new Set(ls.map((l) => l.grade)).size === ls.length, 'one level per grade');
const conditions = {
  forSeconds: z.number().int().min(0).max(86_400).default(0),
  count: z.number().int().min(1).max(1000).default(1),
  hysteresis: z.number().min(0).default(0),
  clearForSeconds: z.number().int().min(0).max(86_400).default(0),
  clearCount: z.number().int().min(1).max(1000).default(1),
};

export const ruleSchema = z.discriminatedUnion('kind', [
  z.object({ key, kind: z.literal('threshold'), direction: z.enum(['above', 'below']), levels, ...conditions }),
  z.object({ key, kind: z.literal('deviation'), direction: z.enum(['above', 'below']), levels, ...conditions }),
  z.object({
    key,
    kind: z.literal('rate'),
    direction: z.enum(['rise', 'fall']),
    windowSeconds: z.number().int().min(2).max(86_400),
    levels,
    ...conditions,
  }),
  z.object({ key, kind: z.literal('silence'), factor: z.number().min(1).max(100), grade }),
]);
export const rulesSchema = z
  .array(ruleSchema)
  .max(16)
  .refine((rs) => new Set(rs.map((r) => r.key)).size === rs.length, 'rule keys must be unique in a profile');

export type AlarmRule = z.infer<typeof ruleSchema>;
export type GradedRule = Exclude<AlarmRule, { kind: 'silence' }>;
export type SilenceRule = Extract<AlarmRule, { kind: 'silence' }>;
export type RuleKind = AlarmRule['kind'];
export const RULE_KINDS: readonly RuleKind[] = ['threshold', 'deviation', 'rate', 'silence'];

/** Validates a profile's rules (as stored or edited), filling in the defaults of the optional conditions. */
export function parseRules(input: unknown): { ok: true; rules: AlarmRule[] } | { ok: false; problems: string[] } {
  const r = rulesSchema.safeParse(input);
  if (r.success) return { ok: true, rules: r.data };
  return { ok: false, problems: r.error.issues.map((i) => `${i.path.join('.') || 'rules'}: ${i.message}`) };
}

/** [since (epoch ms), readings in a row]. */
type Held = [number, number];

/** The state of one rule on one sensor; plain JSON, persisted with the sensor. */
export interface RuleState {
  /** The grade the rule's alarm stands at, or null when it has none. */
  grade: Grade | null;
  /** Per grade, since when and in how many readings in a row its level has been exceeded. */
  held?: Partial<Record<Grade, Held>>;
  /** Since when the condition has stood below the current grade (stepping down or clearing). */
  clearing?: Held;
  /** Rate rules: a thinned window of [time, value] points. */
  window?: [number, number][];
}

export interface SensorRuleState {
  /** The time of the last evaluated reading (epoch ms). */
  t?: number;
  rules: Record<string, RuleState>;
}

export const EMPTY_STATE: SensorRuleState = Object.freeze({ rules: {} }) as SensorRuleState;

export type TransitionKind = 'raise' | 'change' | 'clear';

export interface Transition {
  readonly kind: TransitionKind;
  readonly key: string;
  readonly ruleKind: RuleKind;
  /** The new grade; for a clear, the grade it stood at. */
  readonly grade: Grade;
  readonly previousGrade: Grade | null;
  /** The reading that caused it (null for silence). */
  readonly value: number | null;
  readonly at: number;
}

export interface EvaluationInput {
  readonly rules: readonly AlarmRule[];
  readonly baseline: number | null;
}

/** Points kept in a rate window: at most about this many, evenly thinned. */
const WINDOW_POINTS = 8;

function measureOf(rule: GradedRule, st: RuleState, t: number, v: number, baseline: number | null): number | undefined {
  switch (rule.kind) {
    case 'threshold':
      return v;
    case 'deviation':
      return baseline === null || baseline === 0 ? undefined : ((v - baseline) / Math.abs(baseline)) * 100;
    case 'rate': {
      const span = rule.windowSeconds * 1000;
      const w = (st.window ??= []);
      const last = w[w.length - 1];
      if (!last || t - last[0] >= span / WINDOW_POINTS) w.push([t, v]);
      // Keep the newest point that is at least a window old as the reference, and nothing older.
      while (w.length >= 2 && t - w[1]![0] >= span) w.shift();
      const ref = w[0]!;
      const dt = t - ref[0];
      // Half a window of history at least, so one jittery pair of readings is not a rate.
      return dt >= span / 2 ? ((v - ref[1]) / dt) * 60_000 : undefined;
    }
  }
}

/** Whether `m` exceeds `level` in the rule's direction, with the level eased by `ease` (hysteresis). */
function exceeds(rule: GradedRule, m: number, level: number, ease: number): boolean {
  const up = rule.direction === 'above' || rule.direction === 'rise';
  return up ? m >= level - ease : m <= level + ease;
}

function stepGraded(rule: GradedRule, st: RuleState, t: number, v: number, baseline: number | null): Transition | null {
  const m = measureOf(rule, st, t, v, baseline);
  if (m === undefined) return null;
  const held = (st.held ??= {});
  for (const level of rule.levels) {
    // A grade at or below the alarm's current severity is kept with hysteresis; a more severe one needs its full level.
    const ease = st.grade !== null && level.grade >= st.grade ? rule.hysteresis : 0;
    if (exceeds(rule, m, level.value, ease)) {
      const h = held[level.grade];
      held[level.grade] = h ? [h[0], h[1] + 1] : [t, 1];
    } else delete held[level.grade];
  }
  let target: Grade | null = null;
  for (const g of GRADES) {
    const h = held[g];
    if (h && t - h[0] >= rule.forSeconds * 1000 && h[1] >= rule.count) {
      target = g;
      break;
    }
  }
  if (Object.keys(held).length === 0) delete st.held;
  const base = { key: rule.key, ruleKind: rule.kind, value: v, at: t, previousGrade: st.grade } as const;
  if (st.grade === null) {
    if (target === null) return null;
    st.grade = target;
    delete st.clearing;
    return { ...base, kind: 'raise', grade: target };
  }
  if (target !== null && target <= st.grade) {
    delete st.clearing;
    if (target === st.grade) return null;
    st.grade = target;
    return { ...base, kind: 'change', grade: target };
  }
  // Below the current grade: step down or clear once that has held long enough.
  const c = st.clearing;
  st.clearing = c ? [c[0], c[1] + 1] : [t, 1];
  if (t - st.clearing[0] < rule.clearForSeconds * 1000 || st.clearing[1] < rule.clearCount) return null;
  delete st.clearing;
  const from = st.grade;
  if (target === null) {
    st.grade = null;
    return { ...base, kind: 'clear', grade: from };
  }
  st.grade = target;
  return { ...base, kind: 'change', grade: target };
}

const clone = (s: SensorRuleState): SensorRuleState => structuredClone(s);

/**
 * Runs readings (any order; older than the state's last reading are skipped) through a sensor's rules. Returns
 * the new state (the input is not changed) and the alarm transitions, oldest first.
 */
export function evaluateReadings(
  input: EvaluationInput,
  state: SensorRuleState,
  readings: readonly { readonly ts: number; readonly value: number }[],
): { state: SensorRuleState; transitions: Transition[] } {
  const next = clone(state);
  const transitions: Transition[] = [];
  const sorted = [...readings].sort((a, b) => a.ts - b.ts);
  for (const { ts, value } of sorted) {
    if (next.t !== undefined && ts <= next.t) continue;
    next.t = ts;
    for (const rule of input.rules) {
      const st = (next.rules[rule.key] ??= { grade: null });
      if (rule.kind === 'silence') {
        // Any reading ends a silence.
        if (st.grade !== null) {
          transitions.push({ kind: 'clear', key: rule.key, ruleKind: 'silence', grade: st.grade, previousGrade: st.grade, value, at: ts });
          st.grade = null;
        }
        continue;
      }
      const tr = stepGraded(rule, st, ts, value, input.baseline);
      if (tr) transitions.push(tr);
    }
  }
  for (const [k, st] of Object.entries(next.rules)) {
    if (!input.rules.some((r) => r.key === k)) delete next.rules[k];
    else if (st.grade === null && !st.held && !st.clearing && !st.window) delete next.rules[k];
  }
  return { state: next, transitions };
}

/** When silence is due for a sensor whose last reading was at `lastTs` (epoch ms), or null without a silence rule. */
export function silenceDueAt(rules: readonly AlarmRule[], lastTs: number, intervalSeconds: number): number | null {
  const factors = rules.filter((r): r is SilenceRule => r.kind === 'silence').map((r) => r.factor);
  return factors.length ? lastTs + Math.min(...factors) * intervalSeconds * 1000 : null;
}

/**
 * Silence: raises each silence rule whose time has come (no reading since `lastTs`, or since `sinceTs` for a
 * sensor that never reported). Returns the new state and the raises.
 */
export function checkSilence(
  rules: readonly AlarmRule[],
  state: SensorRuleState,
  lastTs: number,
  intervalSeconds: number,
  now: number,
): { state: SensorRuleState; transitions: Transition[] } {
  const next = clone(state);
  const transitions: Transition[] = [];
  for (const rule of rules) {
    if (rule.kind !== 'silence') continue;
    const st = (next.rules[rule.key] ??= { grade: null });
    if (st.grade === null && now - lastTs >= rule.factor * intervalSeconds * 1000) {
      st.grade = rule.grade;
      transitions.push({ kind: 'raise', key: rule.key, ruleKind: 'silence', grade: rule.grade, previousGrade: null, value: null, at: now });
    }
  }
  return { state: next, transitions };
}

/** After a person clears an alarm by hand: the rule starts afresh, so a condition that persists raises anew only after its duration. */
export function resetRule(state: SensorRuleState, ruleKey: string): SensorRuleState {
  const next = clone(state);
  const st = next.rules[ruleKey];
  if (st) {
    st.grade = null;
    delete st.held;
    delete st.clearing;
  }
  return next;
}

/** Whether two states are the same apart from the time of the last reading (so an unchanged state need not be written). */
export function sameRuleState(a: SensorRuleState, b: SensorRuleState): boolean {
  return JSON.stringify(a.rules) === JSON.stringify(b.rules);
}
