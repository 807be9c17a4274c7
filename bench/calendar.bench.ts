/**
 * bench/calendar — what a deadline computation costs. Every incident stage computes a deadline and a warning
 * instant, and sweeps may recompute them for up to 1,000,000 open incidents, so the work calendar's answers must
 * cost well under a microsecond.
 *
 * Measures, on the official 2025–2026 calendar with the default hours: building a calendar; then addWorkingDays,
 * addWorkingHours, workingMillisBetween and warningAt over 1,000,000 random starts each, against a baseline that
 * only adds milliseconds to the same Date values (the floor: creating the result Date). Median of 7 rounds.
 *
 *   npx tsx bench/calendar.bench.ts [--n 1000000] [--rounds 7]
 * Ends with one JSON line.
 */
import { parseArgs } from 'node:util';
import { officialCalendar } from '../test/calendar.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '7' } } });
const N = Number(values.n);
const ROUNDS = Number(values.rounds);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

// Build cost: a fresh calendar (a unit with overrides gets one the first time it is asked for).
const builds: number[] = [];
for (let r = 0; r < 50; r++) builds.push(time(() => officialCalendar()));
const buildMs = median(builds);

const cal = officialCalendar();
// Random starts, minute-aligned, from 2025-01-01 to 2026-10-31 (so that +20 working days stays inside 2026).
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const first = Date.parse('2025-01-01T00:00:00+08:00');
const span = Date.parse('2026-10-31T00:00:00+08:00') - first;
const starts = Array.from({ length: N }, () => new Date(first + Math.floor((random() * span) / 60_000) * 60_000));
const days = Array.from({ length: N }, () => 1 + Math.floor(random() * 20));
const hours = Array.from({ length: N }, () => Math.round(random() * 112) / 2); // 0–56 h in half hours
const deadlines = starts.map((s, i) => cal.addWorkingDays(s, days[i]!));

let sink = 0;
const cases: Record<string, () => void> = {
  'baseline: new Date(t + ms)': () => {
    for (let i = 0; i < N; i++) sink += new Date(starts[i]!.getTime() + hours[i]! * 3_600_000).getTime();
  },
  addWorkingDays: () => {
    for (let i = 0; i < N; i++) sink += cal.addWorkingDays(starts[i]!, days[i]!).getTime();
  },
  addWorkingHours: () => {
    for (let i = 0; i < N; i++) sink += cal.addWorkingHours(starts[i]!, hours[i]!).getTime();
  },
  workingMillisBetween: () => {
    for (let i = 0; i < N; i++) sink += cal.workingMillisBetween(starts[i]!, deadlines[i]!);
  },
  'warningAt (0.8)': () => {
    for (let i = 0; i < N; i++) sink += cal.warningAt(starts[i]!, deadlines[i]!, 0.8).getTime();
  },
};

const results: Record<string, number> = {};
for (const fn of Object.values(cases)) fn(); // warm-up
for (const [name, fn] of Object.entries(cases)) {
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(time(fn));
  results[name] = median(rounds);
}

const base = results['baseline: new Date(t + ms)']!;
console.log(`work calendar, official 2025–2026 data, default hours; ${N.toLocaleString('en')} calls per round, median of ${ROUNDS} rounds`);
console.log(`  build one calendar (730 days): ${(buildMs * 1000).toFixed(0)} µs`);
for (const [name, ms] of Object.entries(results)) {
  console.log(`  ${name.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms per ${N.toLocaleString('en')}  = ${((ms * 1e6) / N).toFixed(0).padStart(4)} ns/call  (${(ms / base).toFixed(1)}× baseline)`);
}
if (sink === 0.5) console.log(''); // keeps the loops from being optimised away
console.log(
  JSON.stringify({
    bench: 'calendar',
    calls: N,
    buildUs: Math.round(buildMs * 1000),
    nsPerCall: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Math.round((v * 1e6) / N)])),
  }),
);
