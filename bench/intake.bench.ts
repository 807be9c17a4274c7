/**
 * bench/intake — incidents created, routed and stored per second through the intake service (area lookup,
 * catalogue version, deadlines by the work calendar, routing table, history, timers, notices, audit chain —
 * filed and dispatched by the routing table in one transaction), with p95 latency, on the embedded engine and on
 * PostgreSQL; against a plain INSERT of the same rows into the same table in the same run.
 *
 *   npm run bench:intake [-- --count 2000 --concurrency 16 --engine both|pglite|postgres]
 * Ends with one JSON line: the PostgreSQL rate (or PGlite's when no server answers) and the plain-INSERT baseline.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { preparePlatform } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { silentLogger } from '../src/kernel/logger.js';
import { adminUrlFor } from '../test/db.js';
import { postgresReachable } from './support.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' }, engine: { type: 'string', default: 'both' }, prepared: { type: 'string', default: 'true' } } });
const COUNT = Number(values.count);
const CONCURRENCY = Number(values.concurrency);
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Result {
  engine: string;
  rate: number;
  p50: number;
  p95: number;
  baselineRate: number;
  /** CPU time of this (Node) process per report during the measured run, in ms. */
  cpuMs: number;
  /** CPU time of the PostgreSQL server processes serving this run, per report, in ms (PostgreSQL on this machine only). */
  serverCpuMs: number | null;
}

/**
 * CPU time (ms) of each server process serving the current database, read from /proc: on a loaded machine the
 * rate varies with what else runs, but the CPU spent per report does not, so both are printed.
 */
async function backendCpu(database: DatabaseHandle): Promise<Map<number, number> | null> {
  if (!database.pool) return null;
  const { rows } = await database.pool.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database()');
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / ticksPerMs);
    } catch {
      return null; // not on this machine
    }
  }
  return out;
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function run(engine: string, database: DatabaseHandle, concurrency: number): Promise<Result> {
  const config = loadConfig({ DEMO: 'true', DATA_DIR: '/tmp/zz-bench-intake' });
  const { services } = await preparePlatform(database, { config, logger: silentLogger, clock: systemClock, seedDemoData: true });
  const categories = (await services.catalog.list()).filter((c) => c.parentId !== null && c.current.defaultUrgency === 'normal');
  const towns = await services.organization.listTowns();
  const texts = ['路面有垃圾堆放，影响环境。', '路灯晚上不亮，行人不便。', '小区门口有摊贩占道经营。', '工地夜间施工噪声扰民。', '道路破损出现坑洼。'];
  const input = (i: number) => ({
    channel: 'hotline_12345' as const,
    requestType: 'complaint' as const,
    categoryId: categories[i % categories.length]!.id,
    description: `${texts[i % texts.length]}（压测 ${engine} ${i}）`,
    areaUnitId: towns[i % towns.length]!.id,
    reporter: { name: '压测', phone: '13800000000' },
    idempotencyKey: `bench-${engine}-${i}`,
    then: { dispatchByRoute: true },
  });
  const by = { userId: null, label: 'bench', ip: null };
  // Warm-up (JIT, caches), not counted.
  for (let i = 0; i < 30; i++) await services.incidents.report({ ...input(i), idempotencyKey: `warm-${engine}-${i}` }, by);

  const latencies: number[] = [];
  let next = 0;
  const server0 = await backendCpu(database);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < COUNT; i = next++) {
        const s = performance.now();
        const r = await services.incidents.report(input(i), by);
        if (r.incident.state !== 'dispatched') throw new Error(`not dispatched: ${r.incident.state}`);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / COUNT;
  const server1 = await backendCpu(database);
  const serverCpuMs = server0 && server1 ? [...server1].reduce((sum, [pid, ms]) => sum + ms - (server0.get(pid) ?? 0), 0) / COUNT : null;

  // Baseline: the same number of rows, plain INSERTs of the same shape, through the raw driver, same concurrency.
  const row = (i: number) => [
    `BL${engine}${i}`,
    `${texts[i % texts.length]}`,
    towns[i % towns.length]!.id,
    new Date(),
  ];
  const insert = `insert into incidents (number, state, channel, title, description, area_unit_id, reported_at, updated_at, urgency, level)
                  values ($1, 'reported', 'hotline_12345', $2, $2, $3, $4, $4, 'normal', 'district')`;
  let nextB = 0;
  const raw = database.pglite ? { query: (t: string, p: unknown[]) => database.pglite!.query(t, p) } : database.pool!;
  const b0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = nextB++; i < COUNT; i = nextB++) await raw.query(insert, row(i));
    }),
  );
  const baselineSeconds = (performance.now() - b0) / 1000;
  return { engine, rate: COUNT / seconds, p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), baselineRate: COUNT / baselineSeconds, cpuMs, serverCpuMs };
}

console.log(`bench/intake: ${COUNT} reports per engine (filed and dispatched by the routing table), ${CONCURRENCY} at a time\n`);
const results: Result[] = [];
if (values.engine !== 'postgres') {
  const database = await openDatabase({ kind: 'pglite-memory' });
  try {
    // One connection: concurrency only queues; measured at 1 and at the same concurrency as PostgreSQL.
    results.push(await run('PGlite', database, CONCURRENCY));
  } finally {
    await database.close();
  }
}
if (values.engine === 'pglite') {
  // embedded engine only
} else if (await postgresReachable(PG_URL)) {
  process.env.DATABASE_URL ??= PG_URL;
  const db = await adminUrlFor('zz_bench_intake');
  const database = await openDatabase({ kind: 'postgres', url: db.database, poolSize: 10, preparedStatements: values.prepared !== 'false' });
  try {
    results.push(await run('PostgreSQL', database, CONCURRENCY));
  } finally {
    await database.close();
    await db.drop();
  }
} else {
  console.log(`(PostgreSQL at ${PG_URL} is unreachable: measured the embedded engine only)\n`);
}

console.log('engine        reports/s   p50 ms   p95 ms   CPU ms/report (node + server)   plain INSERT rows/s   ratio (intake ÷ INSERT)');
for (const r of results) {
  console.log(
    `${r.engine.padEnd(12)} ${r.rate.toFixed(0).padStart(10)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${`${r.cpuMs.toFixed(2)} + ${r.serverCpuMs === null ? '–' : r.serverCpuMs.toFixed(2)}`.padStart(31)} ${r.baselineRate.toFixed(0).padStart(21)}   ${(r.rate / r.baselineRate).toFixed(3)}`,
  );
}
const head = results.find((r) => r.engine === 'PostgreSQL') ?? results[0]!;
console.log(
  JSON.stringify({
    bench: 'intake',
    metric: `reports_per_second_${head.engine === 'PostgreSQL' ? 'postgresql' : 'pglite'} (p95 ${head.p95.toFixed(1)} ms)`,
    value: Math.round(head.rate),
    unit: 'reports/s',
    baseline: Math.round(head.baselineRate),
    ratio: Math.round((head.rate / head.baselineRate) * 1000) / 1000,
  }),
);
process.exit(0);
