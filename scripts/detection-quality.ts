/**
 * Detection quality of the shipped alarm rules on labelled data: the SKAB water-circulation rig (../shared/data/skab,
 * valve1: a valve closed at the pump inlet, 16 runs at 1 Hz, labelled). Read in place, never copied.
 *
 * The rules are the shipped `water-flow` profile unchanged (flow below its baseline by 3 % Ⅳ / 6 % Ⅲ / 15 % Ⅱ, held
 * 10 s, hysteresis 1 point, clear after 30 s), run by the same pure engine as ingest. The rig's flow (about 32 m³/h
 * in valve1, 125 in the anomaly-free run) is no city main's, so — as for any new sensor — its baseline is set at
 * commissioning: the median flow of the first 300 s of each run (the labels put the first anomaly after 500 s).
 *
 * Scoring, per anomaly (a run of consecutive labelled rows): detected when an alarm is raised inside it (or within
 * `--tolerance` seconds after it ends); detection delay = first such alarm − the anomaly's start. Precision =
 * alarms raised inside an anomaly (+ tolerance) ÷ all alarms raised; recall = anomalies detected ÷ anomalies.
 * The anomaly-free run is scored too: every alarm there is false.
 *
 *   npm run detection-quality [-- --dir ../shared/data/skab --tolerance 30 --profile water-flow]
 * Ends with one JSON line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateReadings, parseRules, REFERENCE_PROFILES, type Transition } from '../src/modules/lifeline/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: path.resolve(ROOT, '../shared/data/skab') },
    tolerance: { type: 'string', default: '30' },
    profile: { type: 'string', default: 'water-flow' },
    commissioning: { type: 'string', default: '300' },
  },
});
const TOLERANCE_MS = Number(values.tolerance) * 1000;
const COMMISSIONING = Number(values.commissioning);
const spec = REFERENCE_PROFILES.find((p) => p.code === values.profile);
if (!spec) throw new Error(`No shipped profile ${values.profile}`);
const parsed = parseRules(spec.rules);
if (!parsed.ok) throw new Error(parsed.problems.join('; '));
const rules = parsed.rules.filter((r) => r.kind !== 'silence');

interface Row {
  ts: number;
  flow: number;
  anomaly: boolean;
}

function read(file: string): Row[] {
  const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(';');
  const col = (name: string) => header.indexOf(name);
  const [iTime, iFlow, iAnomaly] = [col('datetime'), col('Volume Flow RateRMS'), col('anomaly')];
  return lines.slice(1).map((l) => {
    const f = l.split(';');
    return { ts: Date.parse(`${f[iTime]!.replace(' ', 'T')}Z`), flow: Number(f[iFlow]), anomaly: iAnomaly >= 0 && Number(f[iAnomaly]) === 1 };
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Score {
  file: string;
  anomalies: number;
  detected: number;
  alarms: number;
  trueAlarms: number;
  delaysS: number[];
}

function score(file: string): Score {
  const rows = read(file);
  const baseline = median(rows.slice(0, COMMISSIONING).map((r) => r.flow));
  const { transitions } = evaluateReadings({ rules, baseline }, { rules: {} }, rows.map((r) => ({ ts: r.ts, value: r.flow })));
  const raises = transitions.filter((t: Transition) => t.kind === 'raise');
  const runs: { start: number; end: number }[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (rows[i]!.anomaly && (i === 0 || !rows[i - 1]!.anomaly)) runs.push({ start: rows[i]!.ts, end: rows[i]!.ts });
    if (rows[i]!.anomaly) runs[runs.length - 1]!.end = rows[i]!.ts;
  }
  const inside = (t: number) => runs.find((r) => t >= r.start && t <= r.end + TOLERANCE_MS);
  const delays: number[] = [];
  for (const run of runs) {
    const first = raises.find((t) => t.at >= run.start && t.at <= run.end + TOLERANCE_MS);
    if (first) delays.push((first.at - run.start) / 1000);
  }
  return { file: path.relative(values.dir!, file), anomalies: runs.length, detected: delays.length, alarms: raises.length, trueAlarms: raises.filter((t) => inside(t.at)).length, delaysS: delays };
}

const files = [
  ...fs
    .readdirSync(path.join(values.dir!, 'valve1'))
    .filter((f) => f.endsWith('.csv'))
    .sort((a, b) => Number.parseInt(a) - Number.parseInt(b))
    .map((f) => path.join(values.dir!, 'valve1', f)),
  path.join(values.dir!, 'anomaly-free', 'anomaly-free.csv'),
];
console.log(`Detection quality of the shipped "${spec.code}" rules on SKAB (${values.dir}); baseline = median flow of each run's first ${COMMISSIONING} s; tolerance ${values.tolerance} s`);
console.log('file                         anomalies detected alarms true  delays (s)');
const scores = files.map(score);
for (const s of scores) {
  console.log(`${s.file.padEnd(28)} ${String(s.anomalies).padStart(9)} ${String(s.detected).padStart(8)} ${String(s.alarms).padStart(6)} ${String(s.trueAlarms).padStart(4)}  ${s.delaysS.join(', ')}`);
}
const sum = (f: (s: Score) => number) => scores.reduce((a, s) => a + f(s), 0);
const anomalies = sum((s) => s.anomalies);
const detected = sum((s) => s.detected);
const alarms = sum((s) => s.alarms);
const trueAlarms = sum((s) => s.trueAlarms);
const delays = scores.flatMap((s) => s.delaysS);
const precision = alarms ? trueAlarms / alarms : 0;
const recall = anomalies ? detected / anomalies : 0;
const delayMedian = delays.length ? median(delays) : null;
const delayMean = delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length : null;
console.log(`\nprecision ${precision.toFixed(3)} (${trueAlarms} of ${alarms} alarms inside an anomaly), recall ${recall.toFixed(3)} (${detected} of ${anomalies} anomalies), detection delay median ${delayMedian?.toFixed(0)} s, mean ${delayMean?.toFixed(1)} s`);
console.log(
  JSON.stringify({ script: 'detection-quality', data: 'skab/valve1+anomaly-free', profile: spec.code, precision: Number(precision.toFixed(3)), recall: Number(recall.toFixed(3)), delay_median_s: delayMedian, delay_mean_s: delayMean === null ? null : Number(delayMean.toFixed(1)), alarms, anomalies }),
);
