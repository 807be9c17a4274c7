/**
 * The sensor simulator: publishes realistic readings for the demo district's sensors (or N generated ones) over MQTT
 * as a gateway would — QoS 1, one message per tick with every reading due — with injected events, and replays the
 * labelled water-rig and bridge-strain series from ../shared/data (read in place, never copied).
 *
 *   npm run simulate -- [options]
 *     --url mqtt://127.0.0.1:1883      the broker (the embedded one on MQTT_PORT, or an external one)
 *     --key demo-gateway --secret …     the gateway credential (default: the demo gateway)
 *     --duration 600                    seconds to run (0 = until Ctrl-C)
 *     --sensors N                       N generated sensors SIM-0001… instead of the demo ones (--print-csv prints
 *                                       the CSV to import them first, on asset SIM-ASSET of unit U-GAS)
 *     --event leak@30                   a burst water main: pressure falls on WAT-HF-001-P-01 from t = 30 s
 *     --event methane@60                methane rising under a manhole on GAS-HF-001-CH4-01
 *     --event surge@90                  a drainage surge on DRN-HF-001-L-01
 *     --event strain@120                a strain step (a support settling) on BRG-HF-001-S-01
 *                                       (each also as kind:SENSOR@seconds for another sensor)
 *     --replay skab:valve1/4.csv=WAT-HF-001-Q-01     SKAB flow, scaled to the sensor's baseline
 *     --replay bridge:UniBw_2022-04-11_support_02_loweringDMS_CNAt100Hz.csv.zip=BRG-HF-001-S-01   strain, 1 Hz means
 *     --speed 1                         replay speed (readings keep one-second spacing; the start is back-dated)
 * Prints what it sent and what the platform refused (from zhizhi/v1/refusals/{key}).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import mqtt from 'mqtt';
import { DEMO_LIFELINE, type Quantity } from '../src/modules/lifeline/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DATA = path.resolve(ROOT, '../shared/data');
const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    key: { type: 'string', default: DEMO_LIFELINE.gateway.key },
    secret: { type: 'string', default: DEMO_LIFELINE.gateway.secret },
    duration: { type: 'string', default: '600' },
    sensors: { type: 'string' },
    'print-csv': { type: 'boolean' },
    event: { type: 'string', multiple: true, default: [] },
    replay: { type: 'string', multiple: true, default: [] },
    speed: { type: 'string', default: '1' },
    seed: { type: 'string', default: '7' },
  },
});

interface SimSensor {
  code: string;
  quantity: Quantity;
  intervalS: number;
  baseline: number;
  nextAt: number;
}

// A small deterministic generator, so that a run can be repeated.
let seed = Number(values.seed) >>> 0 || 7;
const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const noise = (sd: number) => (rand() + rand() + rand() - 1.5) * sd * 1.4;

const NORMAL: Record<string, { level: number; sd: number }> = {
  methane: { level: 0.3, sd: 0.1 },
  pressure: { level: 320, sd: 3 },
  flow: { level: 820, sd: 8 },
  water_level: { level: 0.6, sd: 0.02 },
  strain: { level: 12, sd: 2 },
  displacement: { level: 2, sd: 0.3 },
  oxygen: { level: 20.9, sd: 0.05 },
  temperature: { level: 18, sd: 0.3 },
};

const count = values.sensors ? Number(values.sensors) : 0;
const sensors: SimSensor[] = count
  ? Array.from({ length: count }, (_, i) => ({ code: `SIM-${String(i + 1).padStart(4, '0')}`, quantity: 'methane' as Quantity, intervalS: 10, baseline: 0.3, nextAt: 0 }))
  : DEMO_LIFELINE.sensors.map((s) => ({ code: s.code, quantity: s.quantity, intervalS: s.intervalSeconds, baseline: s.baseline ?? NORMAL[s.quantity]?.level ?? 1, nextAt: 0 }));

if (values['print-csv']) {
  console.log('code,name,kind,owner,risk,lon,lat\nSIM-ASSET,模拟燃气管段,gas_pipeline,U-GAS,medium,108.40,31.16\n');
  console.log(['code,asset,kind,quantity,profile,lon,lat,interval_seconds', ...sensors.map((s, i) => `${s.code},SIM-ASSET,gas_detector,methane,gas-methane,${(108.38 + (i % 50) * 0.001).toFixed(4)},${(31.15 + Math.floor(i / 50) * 0.001).toFixed(4)},${s.intervalS}`)].join('\n'));
  process.exit(0);
}

/** An injected event: a function of seconds since it started, giving the value to add or the value itself. */
interface SimEvent {
  kind: string;
  sensor: string;
  atS: number;
  value(base: number, sinceS: number): number;
}
const EVENT_KINDS: Record<string, { sensor: string; value(base: number, s: number): number }> = {
  // A burst main: pressure falls about 60 kPa a minute to 40 % of normal.
  leak: { sensor: 'WAT-HF-001-P-01', value: (b, s) => Math.max(b * 0.4, b - s) },
  // Gas seeping into a neighbouring well: methane climbs to 60 %LEL over five minutes.
  methane: { sensor: 'GAS-HF-001-CH4-01', value: (b, s) => Math.min(60, b + (s / 300) * 60) },
  // A storm fills a drain: the level rises to 2.6 m over ten minutes.
  surge: { sensor: 'DRN-HF-001-L-01', value: (b, s) => Math.min(2.6, b + (s / 600) * 2) },
  // A support settles: strain steps up by 100 µε and stays.
  strain: { sensor: 'BRG-HF-001-S-01', value: (b) => b + 100 },
};
const events: SimEvent[] = values.event!.map((e) => {
  const m = /^(\w+)(?::([\w.-]+))?@(\d+)$/.exec(e);
  const kind = m && EVENT_KINDS[m[1]!];
  if (!m || !kind) throw new Error(`--event ${e}: expected ${Object.keys(EVENT_KINDS).join('|')}[:SENSOR]@SECONDS`);
  return { kind: m[1]!, sensor: m[2] ?? kind.sensor, atS: Number(m[3]), value: kind.value };
});

/** The single file of a .zip (the bridge series are zipped CSV), inflated. */
function unzipFirst(file: string): string {
  const buf = fs.readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const cd = buf.readUInt32LE(eocd + 16);
  const method = buf.readUInt16LE(cd + 10);
  const size = buf.readUInt32LE(cd + 20);
  const local = buf.readUInt32LE(cd + 42);
  const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
  const data = buf.subarray(start, start + size);
  return (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
}

/** Replay series at one value per second. */
function loadReplay(spec: string): { sensor: string; values: number[]; what: string } {
  const m = /^(skab|bridge):(.+)=([\w.-]+)$/.exec(spec);
  if (!m) throw new Error(`--replay ${spec}: expected skab:valve1/N.csv=SENSOR or bridge:FILE.csv.zip=SENSOR`);
  const [, kind, file, sensor] = m as unknown as [string, string, string, string];
  if (kind === 'skab') {
    const lines = fs.readFileSync(path.join(DATA, 'skab', file), 'utf8').trim().split(/\r?\n/);
    const i = lines[0]!.split(';').indexOf('Volume Flow RateRMS');
    const flow = lines.slice(1).map((l) => Number(l.split(';')[i]));
    // The rig runs at ~32 m³/h; the demo main's baseline is 820: scale by the run's commissioning median.
    const first = [...flow.slice(0, 300)].sort((a, b) => a - b)[150]!;
    const target = sensors.find((s) => s.code === sensor)?.baseline ?? first;
    return { sensor, values: flow.map((v) => (v / first) * target), what: `SKAB ${file} flow` };
  }
  const lines = unzipFirst(path.join(DATA, 'munich-bridge-strain', file)).trim().split(/\r?\n/).slice(1);
  const v = lines.map((l) => Number(l.split(',')[1]));
  const perSecond: number[] = [];
  for (let i = 0; i + 100 <= v.length; i += 100) perSecond.push(v.slice(i, i + 100).reduce((a, b) => a + b, 0) / 100);
  return { sensor, values: perSecond, what: `bridge ${file} strain (100 Hz → 1 Hz means)` };
}
const replays = values.replay!.map(loadReplay);
// A replayed sensor gets the replay only (rule time moves forward: mixed-in live values would hide it).
for (const r of replays) sensors.splice(0, sensors.length, ...sensors.filter((s) => s.code !== r.sensor));
const speed = Math.max(1, Number(values.speed));

const client = await mqtt.connectAsync(values.url!, { username: values.key, password: values.secret, reconnectPeriod: 2000, clientId: `zhizhi-sim-${process.pid}` });
const topic = `zhizhi/v1/readings/${values.key}`;
let refused = 0;
await client.subscribeAsync(`zhizhi/v1/refusals/${values.key}`, { qos: 0 });
client.on('message', (_t, m) => {
  const r = JSON.parse(m.toString()) as { refused: { sensor: string | null; reason: string }[] };
  refused += r.refused.length;
  for (const x of r.refused.slice(0, 3)) console.log(`  refused ${x.sensor ?? '(message)'}: ${x.reason}`);
});
console.log(`Simulating ${sensors.length} sensors via ${values.url} as ${values.key}${events.length ? `; events: ${events.map((e) => `${e.kind} on ${e.sensor} at ${e.atS} s`).join(', ')}` : ''}`);
for (const r of replays) console.log(`  replaying ${r.what} on ${r.sensor}: ${r.values.length} s of data at ${speed}×`);

const start = Date.now();
const durationS = Number(values.duration);
let sent = 0;
let stop = false;
process.once('SIGINT', () => (stop = true));
process.once('SIGTERM', () => (stop = true));
// Replays back-date their start so that one-second spacing at `speed` never runs ahead of the clock.
const replayStart = replays.map((r) => start - r.values.length * 1000 * (1 - 1 / speed));
const replayNext = replays.map(() => 0);

while (!stop && (durationS === 0 || Date.now() - start < durationS * 1000)) {
  const now = Date.now();
  const t = (now - start) / 1000;
  const readings: { sensor: string; ts: string; value: number }[] = [];
  for (const s of sensors) {
    if (now < s.nextAt) continue;
    s.nextAt = now + s.intervalS * 1000;
    const n = NORMAL[s.quantity] ?? { level: s.baseline, sd: Math.abs(s.baseline) * 0.01 };
    const base = (s.quantity === 'flow' ? s.baseline : n.level) + noise(n.sd);
    const ev = events.find((e) => e.sensor === s.code && t >= e.atS);
    const value = ev ? ev.value(base, t - ev.atS) : base;
    readings.push({ sensor: s.code, ts: new Date(now).toISOString(), value: Number(value.toFixed(4)) });
  }
  replays.forEach((r, k) => {
    // Every value whose publish time has come (i / speed seconds after the start).
    while (replayNext[k]! < r.values.length && start + (replayNext[k]! * 1000) / speed <= now) {
      const i = replayNext[k]!++;
      readings.push({ sensor: r.sensor, ts: new Date(replayStart[k]! + i * 1000).toISOString(), value: Number(r.values[i]!.toFixed(4)) });
    }
  });
  if (readings.length) {
    // Gateways send in chunks; 500 readings a message.
    for (let i = 0; i < readings.length; i += 500) await client.publishAsync(topic, JSON.stringify({ readings: readings.slice(i, i + 500) }), { qos: 1 });
    sent += readings.length;
  }
  if (Math.floor(t) % 10 === 0 && readings.length) process.stdout.write(`  t=${Math.floor(t)} s: ${sent} readings sent, ${refused} refused\n`);
  await new Promise((r) => setTimeout(r, Math.max(10, 1000 - (Date.now() - now))));
}
await client.endAsync();
console.log(`Done: ${sent} readings sent, ${refused} refused.`);
