import { describe, expect, it } from 'vitest';
import {
  EMPTY_STATE,
  checkSilence,
  evaluateReadings,
  parseRules,
  resetRule,
  sameRuleState,
  silenceDueAt,
  type AlarmRule,
  type SensorRuleState,
} from './alarm-rule.rules.js';

const rules = (input: unknown[]): AlarmRule[] => {
  const r = parseRules(input);
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.rules;
};
const METHANE = rules([
  {
    key: 'high',
    kind: 'threshold',
    direction: 'above',
    levels: [
      { grade: 4, value: 5 },
      { grade: 3, value: 10 },
      { grade: 2, value: 25 },
      { grade: 1, value: 50 },
    ],
    hysteresis: 2,
  },
]);
const T0 = Date.parse('2026-03-02T01:00:00Z');
const s = (n: number) => T0 + n * 1000;

/** Feeds values one second apart (or at given seconds) and returns the transitions as compact strings. */
function run(rs: AlarmRule[], values: readonly (number | [number, number])[], baseline: number | null = null, start: SensorRuleState = EMPTY_STATE) {
  const readings = values.map((v, i) => (Array.isArray(v) ? { ts: s(v[0]), value: v[1] } : { ts: s(i), value: v }));
  const r = evaluateReadings({ rules: rs, baseline }, start, readings);
  return { ...r, log: r.transitions.map((t) => `${t.kind} ${t.key} ${t.grade}@${(t.at - T0) / 1000}`) };
}

describe('threshold grades with hysteresis', () => {
  it.each([
    ['nothing below the lowest level', [1, 2, 4.9], []],
    ['raises 蓝 Ⅳ at the Ⅳ level', [1, 5], ['raise high 4@1']],
    ['raises straight to 橙 Ⅱ when the first reading is that high', [30], ['raise high 2@0']],
    ['climbs through the grades, one change per grade reached', [6, 12, 30, 60], ['raise high 4@0', 'change high 3@1', 'change high 2@2', 'change high 1@3']],
    ['keeps Ⅲ within the hysteresis below its level', [12, 9, 8.1], ['raise high 3@0']],
    ['steps down from Ⅲ to Ⅳ past the hysteresis', [12, 7.9], ['raise high 3@0', 'change high 4@1']],
    ['clears only below the Ⅳ level minus the hysteresis', [6, 4, 3.1, 2.9], ['raise high 4@0', 'clear high 4@3']],
    ['raises again after clearing', [6, 1, 6], ['raise high 4@0', 'clear high 4@1', 'raise high 4@2']],
  ])('%s', (_, values, expected) => {
    expect(run(METHANE, values).log).toEqual(expected);
  });

  it('works downwards for a low-pressure rule', () => {
    const low = rules([{ key: 'low', kind: 'threshold', direction: 'below', levels: [{ grade: 4, value: 200 }, { grade: 2, value: 100 }], hysteresis: 10 }]);
    expect(run(low, [300, 199, 150, 95, 105, 111, 205, 211]).log).toEqual(['raise low 4@1', 'change low 2@3', 'change low 4@5', 'clear low 4@7']);
  });
});

describe('duration and repetition', () => {
  const sustained = rules([{ key: 'high', kind: 'threshold', direction: 'above', levels: [{ grade: 3, value: 10 }], forSeconds: 60 }]);
  const repeated = rules([{ key: 'high', kind: 'threshold', direction: 'above', levels: [{ grade: 3, value: 10 }], count: 3 }]);

  it.each([
    ['raises once the level has held for 60 s', [[0, 11], [30, 12], [60, 11]] as [number, number][], ['raise high 3@60']],
    ['does not raise when a dip restarts the clock', [[0, 11], [30, 9], [60, 11], [100, 11]] as [number, number][], []],
    ['raises at 60 s after the dip', [[0, 11], [30, 9], [60, 11], [120, 11]] as [number, number][], ['raise high 3@120']],
  ])('duration: %s', (_, values, expected) => {
    expect(run(sustained, values).log).toEqual(expected);
  });

  it.each([
    ['raises on the third reading in a row', [11, 11, 11], ['raise high 3@2']],
    ['needs three in a row again after a break', [11, 11, 9, 11, 11], []],
  ])('repetition: %s', (_, values, expected) => {
    expect(run(repeated, values).log).toEqual(expected);
  });

  it('clears only after the clear condition has held for its duration and count', () => {
    const r = rules([{ key: 'high', kind: 'threshold', direction: 'above', levels: [{ grade: 3, value: 10 }], clearForSeconds: 30, clearCount: 2 }]);
    expect(run(r, [[0, 11], [10, 5], [20, 5], [35, 11], [40, 5], [50, 5], [70, 5]]).log).toEqual(['raise high 3@0', 'clear high 3@70']);
  });
});

describe('deviation from the baseline', () => {
  const flow = rules([{ key: 'drop', kind: 'deviation', direction: 'below', levels: [{ grade: 4, value: -3 }, { grade: 3, value: -8 }] }]);
  it('raises in percent of the baseline', () => {
    expect(run(flow, [100, 98, 96.9, 91], 100).log).toEqual(['raise drop 4@2', 'change drop 3@3']);
  });
  it('does nothing without a baseline', () => {
    expect(run(flow, [100, 50], null).log).toEqual([]);
  });
});

describe('rate of change', () => {
  const fall = rules([{ key: 'fall', kind: 'rate', direction: 'fall', windowSeconds: 60, levels: [{ grade: 3, value: -30 }, { grade: 2, value: -60 }] }]);
  it('needs half a window of history before it measures a rate', () => {
    expect(run(fall, [[0, 300], [10, 200]]).log).toEqual([]);
  });
  it('raises on a leak’s pressure drop and grades it by its speed', () => {
    const values: [number, number][] = [];
    for (let i = 0; i <= 60; i += 5) values.push([i, 300]);
    for (let i = 65; i <= 120; i += 5) values.push([i, 300 - (i - 60) * 1.2]); // 72 kPa per minute
    const { log } = run(fall, values);
    expect(log[0]).toMatch(/^raise fall 3@/);
    expect(log).toContain(log.find((l) => l.startsWith('change fall 2')));
  });
  it('ignores a steady value and a slow drift', () => {
    const values: [number, number][] = [];
    for (let i = 0; i <= 600; i += 10) values.push([i, 300 - i * 0.1]); // 6 kPa per minute
    expect(run(fall, values).log).toEqual([]);
  });
  it('keeps the window small however many readings arrive', () => {
    const values: [number, number][] = [];
    for (let i = 0; i < 1000; i++) values.push([i, 300]);
    expect(run(fall, values).state.rules.fall!.window!.length).toBeLessThanOrEqual(10);
  });
});

describe('silence', () => {
  const silent = rules([{ key: 'silence', kind: 'silence', factor: 3, grade: 4 }]);
  it('is due after factor × interval and raised then, once', () => {
    const last = s(0);
    expect(silenceDueAt(silent, last, 60)).toBe(s(180));
    expect(checkSilence(silent, EMPTY_STATE, last, 60, s(179)).transitions).toEqual([]);
    const raised = checkSilence(silent, EMPTY_STATE, last, 60, s(180));
    expect(raised.transitions.map((t) => `${t.kind} ${t.grade}`)).toEqual(['raise 4']);
    expect(checkSilence(silent, raised.state, last, 60, s(240)).transitions).toEqual([]);
  });
  it('is cleared by the next reading', () => {
    const raised = checkSilence(silent, EMPTY_STATE, s(0), 60, s(200)).state;
    expect(run(silent, [[300, 1]], null, raised).log).toEqual(['clear silence 4@300']);
  });
  it('has no due time without a silence rule', () => {
    expect(silenceDueAt(METHANE, s(0), 60)).toBeNull();
  });
});

describe('state handling', () => {
  it('skips readings older than the last evaluated one and does not change its input', () => {
    const first = run(METHANE, [[10, 6]]);
    const again = run(METHANE, [[5, 60], [10, 60]], null, first.state);
    expect(again.log).toEqual([]);
    expect(first.state.rules.high!.grade).toBe(4);
  });
  it('evaluates readings of one batch in time order whatever order they came in', () => {
    expect(run(METHANE, [[2, 1], [0, 6], [1, 12]]).log).toEqual(['raise high 4@0', 'change high 3@1', 'clear high 3@2']);
  });
  it('survives a round trip through JSON with the same outcome (persisted state)', () => {
    const half = run(rules([{ key: 'high', kind: 'threshold', direction: 'above', levels: [{ grade: 3, value: 10 }], count: 3 }]), [11, 11]);
    const restored = JSON.parse(JSON.stringify(half.state)) as SensorRuleState;
    const rest = evaluateReadings({ rules: rules([{ key: 'high', kind: 'threshold', direction: 'above', levels: [{ grade: 3, value: 10 }], count: 3 }]), baseline: null }, restored, [{ ts: s(2), value: 11 }]);
    expect(rest.transitions.map((t) => t.kind)).toEqual(['raise']);
  });
  it('starts a rule afresh after a manual clear', () => {
    const raised = run(METHANE, [12]).state;
    const reset = resetRule(raised, 'high');
    expect(reset.rules.high!.grade).toBeNull();
    expect(run(METHANE, [[1, 12]], null, reset).log).toEqual(['raise high 3@1']);
  });
  it('tells an unchanged state apart from a changed one, ignoring the reading time', () => {
    const a = run(METHANE, [1]).state;
    const b = run(METHANE, [[5, 2]], null, a).state;
    expect(sameRuleState(a, b)).toBe(true);
    expect(sameRuleState(a, run(METHANE, [[5, 6]], null, a).state)).toBe(false);
  });
  it('drops the state of rules no longer in the profile', () => {
    const st: SensorRuleState = { t: s(0), rules: { gone: { grade: 2 } } };
    expect(run(METHANE, [[1, 1]], null, st).state.rules).toEqual({});
  });
});

describe('rule validation', () => {
  it.each([
    ['duplicate keys', [{ key: 'a', kind: 'silence', factor: 3, grade: 4 }, { key: 'a', kind: 'silence', factor: 3, grade: 4 }]],
    ['two levels for one grade', [{ key: 'a', kind: 'threshold', direction: 'above', levels: [{ grade: 4, value: 1 }, { grade: 4, value: 2 }] }]],
    ['an unknown kind', [{ key: 'a', kind: 'magic' }]],
    ['a grade of 5', [{ key: 'a', kind: 'silence', factor: 3, grade: 5 }]],
    ['a key with spaces', [{ key: 'a b', kind: 'silence', factor: 3, grade: 4 }]],
  ])('refuses %s', (_, input) => {
    expect(parseRules(input).ok).toBe(false);
  });
});
