/**
 * bench/telemetry — readings per second ingested over MQTT with the alarm rules evaluated and the readings stored on
 * PostgreSQL, and alarm latency (publish → alarm stored) p50 and p99; against a plain batched INSERT of the same
 * readings into a plain table, in the same run.
 *
 * Set-up: a fresh PostgreSQL database (DATABASE_URL's server, default the local one), migrated, with N sensors on the
 * shipped gas profile (two-in-a-row graded threshold, rate of change, silence). The broker role runs here: the
 * embedded aedes broker and the ingest service, exactly as `npm start` wires them. A separate process
 * (bench/telemetry-publisher.ts) plays G gateways publishing QoS 1 messages of M readings, W in flight each; a
 * message counts once its PUBACK arrived, which the broker sends only after the readings are committed. Some sensors
 * get an injected Ⅰ-level gas reading twice in a row; their alarm's stored time minus the second publish time is the
 * latency (one clock: both processes on this machine).
 *
 *   npm run bench:telemetry [-- --sensors 1000 --gateways 20 --per-message 50 --readings 600000 --window 8 --events 200]
 * Ends with one JSON line.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { systemClock } from '../src/kernel/clock.js';
import { silentLogger } from '../src/kernel/logger.js';
import { createMetrics } from '../src/kernel/metrics.js';
import { DEMO_DEPARTMENTS, DEMO_UTILITIES } from '../src/modules/demo/index.js';
import { startEmbeddedBroker } from '../src/mqtt/index.js';
import { createServices } from '../src/services.js';
import { ROOT } from '../test/process.js';

const { values } = parseArgs({
  options: {
    sensors: { type: 'string', default: '1000' },
    gateways: { type: 'string', default: '20' },
    'per-message': { type: 'string', default: '50' },
    readings: { type: 'string', default: '600000' },
    window: { type: 'string', default: '8' },
    events: { type: 'string', default: '200' },
    'latency-rate': { type: 'string', default: '20000' },
    'latency-readings': { type: 'string', default: '300000' },
  },
});
const SENSORS = Number(values.sensors);
const GATEWAYS = Number(values.gateways);
const PER_MESSAGE = Number(values['per-message']);
const READINGS = Number(values.readings);
const WINDOW = Number(values.window);
const EVENTS = Number(values.events);
const LATENCY_RATE = Number(values['latency-rate']);
const LATENCY_READINGS = Number(values['latency-readings']);
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
};

async function admin(sql: string) {
  const u = new URL(BASE_URL);
  u.pathname = '/postgres';
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const dbName = `zz_bench_telemetry_${process.pid}`;
await admin(`drop database if exists ${dbName}`);
await admin(`create database ${dbName}`);
const url = new URL(BASE_URL);
url.pathname = `/${dbName}`;
const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 10 });
try {
  await migrate(database);
  const config = loadConfig({ DATABASE_URL: url.toString(), DEMO: 'false', TELEMETRY_DEVICE_RATE: '10000000', TELEMETRY_DEVICE_BURST: '100000000' });
  const services = createServices({ database, clock: systemClock, config, logger: silentLogger });
  await services.organization.seedReferenceUnits();
  await services.organization.addMissingUnits([...DEMO_DEPARTMENTS, ...DEMO_UTILITIES], { isDemo: true });
  await services.lifeline.assets.seedReferenceProfiles();
  const ctx = { actor: { userId: 0, posts: [{ role: 'admin' as const, unitPath: '/', townPath: null }], grants: [] }, by: { userId: null, label: 'bench', ip: null } };
  const assets = ['code,name,kind,owner,risk,lon,lat', ...Array.from({ length: GATEWAYS }, (_, g) => `BA-${g},压测燃气管段${g},gas_pipeline,U-GAS,medium,${108.3 + g * 0.005},31.16`)];
  const sensors = ['code,asset,kind,quantity,profile,lon,lat,interval_seconds', ...Array.from({ length: SENSORS }, (_, i) => `BS-${i},BA-${i % GATEWAYS},gas_detector,methane,gas-methane,108.4,31.16,10`)];
  await services.lifeline.assets.importCsv(ctx, 'assets', new TextEncoder().encode(assets.join('\n')));
  await services.lifeline.assets.importCsv(ctx, 'sensors', new TextEncoder().encode(sensors.join('\n')));
  await services.lifeline.telemetry.ensurePartitions();
  const gateways: { key: string; secret: string; sensors: string[] }[] = [];
  for (let g = 0; g < GATEWAYS; g++) {
    const { secret } = await services.lifeline.assets.createCredential(ctx, { key: `bench-gw-${g}`, name: `gateway ${g}`, kind: 'gateway', unitCode: 'U-GAS' });
    gateways.push({ key: `bench-gw-${g}`, secret, sensors: Array.from({ length: SENSORS }, (_, i) => i).filter((i) => i % GATEWAYS === g).map((i) => `BS-${i}`) });
  }
  const metrics = createMetrics({ defaultMetrics: false });
  if (process.env.BENCH_PROFILE) database.instrument(metrics);
  const broker = await startEmbeddedBroker({ telemetry: services.lifeline.telemetry, metrics, logger: silentLogger, host: '127.0.0.1', port: 0, maxPayloadBytes: 1_048_576 });

  // Two phases over the same broker and database. 1: throughput, as fast as acknowledgements come back (closed loop),
  // no events. 2: latency, at the target rate on a fixed schedule (open loop), with injected alarms. Readings are in
  // the recent past, 100 ms apart per sensor, phase 2 after phase 1.
  const stepMs = 100;
  const perSensorGateway = SENSORS / GATEWAYS;
  type Run = { started: number; finished: number; readings: number; messages: number; events: { sensor: string; publishedAt: number }[] };
  const publish = (readingsTotal: number, startTs: number, extra: { rate: number; events: number }) =>
    new Promise<Run>((resolve, reject) => {
      const args = { port: broker.port, gateways, perMessage: PER_MESSAGE, readingsPerGateway: Math.floor(readingsTotal / GATEWAYS), window: WINDOW, startTs, stepMs, ...extra };
      const child = spawn(process.execPath, ['--import', 'tsx', 'bench/telemetry-publisher.ts', JSON.stringify(args)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(text.trim().split('\n').pop()!) as Run) : reject(new Error(`publisher exited ${code}`))));
    });
  const rounds1 = Math.ceil(READINGS / GATEWAYS / perSensorGateway);
  const rounds2 = Math.ceil(LATENCY_READINGS / GATEWAYS / perSensorGateway);
  const start1 = Date.now() - (rounds1 + rounds2) * stepMs - 120_000;
  console.log(`MQTT ingest: ${SENSORS} sensors on the gas profile, ${GATEWAYS} gateways, ${PER_MESSAGE} readings per QoS 1 message`);
  const run = await publish(READINGS, start1, { rate: 0, events: 0 });
  const seconds = (run.finished - run.started) / 1000;
  const perSecond = run.readings / seconds;
  console.log(`  throughput (${WINDOW} messages in flight per gateway): ${run.readings} readings in ${run.messages} messages over ${seconds.toFixed(2)} s = ${Math.round(perSecond)} readings/s (${Math.round(run.messages / seconds)} messages/s)`);
  const lat = await publish(LATENCY_READINGS, start1 + rounds1 * stepMs, { rate: LATENCY_RATE, events: EVENTS });
  const latSeconds = (lat.finished - lat.started) / 1000;
  console.log(`  latency phase (open loop at ${LATENCY_RATE} readings/s): ${lat.readings} readings over ${latSeconds.toFixed(2)} s = ${Math.round(lat.readings / latSeconds)} readings/s delivered`);
  await broker.close();
  if (process.env.BENCH_PROFILE) {
    const text = await metrics.registry.getSingleMetricAsString('zhizhi_db_query_duration_seconds');
    for (const line of text.split('\n').filter((l) => /_sum|_count/.test(l))) console.log(`  ${line}`);
    console.log(`  process CPU ${JSON.stringify(process.cpuUsage())}`);
  }

  const stored = await database.session((s) => s.query<{ n: number }>('select count(*)::int as n from readings'));
  const alarms = await database.session((s) =>
    s.query<{ code: string; created_ms: number }>(
      `select s.code, (extract(epoch from min(a.created_at)) * 1000)::float8 as created_ms from alarms a join sensors s on s.id = a.sensor_id where a.type = 'high' group by s.code`,
    ),
  );
  const createdBy = new Map(alarms.map((a) => [a.code, a.created_ms]));
  const latencies = lat.events.map((e) => (createdBy.get(e.sensor) ?? Number.NaN) - e.publishedAt).filter((x) => Number.isFinite(x));
  if (process.env.BENCH_PROFILE) {
    const byTime = lat.events.map((e) => ({ at: e.publishedAt - lat.started, ms: (createdBy.get(e.sensor) ?? Number.NaN) - e.publishedAt })).sort((a, b) => b.ms - a.ms);
    console.log(`  slowest: ${JSON.stringify(byTime.slice(0, 8))}; p90 ${quantile(latencies, 0.9)} p95 ${quantile(latencies, 0.95)}`);
  }
  const p50 = quantile(latencies, 0.5);
  const p99 = quantile(latencies, 0.99);
  console.log(`  stored ${stored[0]!.n} readings (${run.readings + lat.readings} sent)`);
  console.log(`  alarm latency publish → alarm stored: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms over ${latencies.length} of ${lat.events.length} injected events (${alarms.length} alarms)`);

  // Baseline: the same readings, plain batched INSERT (unnest, 5,000 rows a statement like the ingest's largest batch) into a plain table.
  const pool = database.pool!;
  await pool.query('create table bench_plain_readings (sensor_id integer not null, ts timestamptz not null, value double precision not null, primary key (sensor_id, ts))');
  const rows = await pool.query<{ sensor_id: number; ms: number; value: number }>('select sensor_id, (extract(epoch from ts) * 1000)::float8 as ms, value from readings');
  const all = rows.rows;
  const t0 = performance.now();
  for (let i = 0; i < all.length; i += 5000) {
    const part = all.slice(i, i + 5000);
    await pool.query('insert into bench_plain_readings (sensor_id, ts, value) select s, to_timestamp(t / 1000.0), v from unnest($1::int[], $2::float8[], $3::float8[]) as u(s, t, v)', [
      part.map((r) => r.sensor_id),
      part.map((r) => r.ms),
      part.map((r) => r.value),
    ]);
  }
  const baseline = all.length / ((performance.now() - t0) / 1000);
  console.log(`  baseline: plain batched INSERT of the same ${all.length} readings: ${Math.round(baseline)} readings/s`);
  console.log(`  targets: ≥ 20,000 readings/s and alarm latency p99 < 200 ms; load average during the run ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  console.log(
    JSON.stringify({ bench: 'telemetry', metric: 'mqtt_readings_per_second', value: Math.round(perSecond), unit: 'readings/s', baseline: Math.round(baseline), ratio: Number((perSecond / baseline).toFixed(3)), alarm_latency_p50_ms: Number(p50.toFixed(1)), alarm_latency_p99_ms: Number(p99.toFixed(1)) }),
  );
} finally {
  await database.close();
  await admin(`drop database if exists ${dbName} with (force)`);
}
