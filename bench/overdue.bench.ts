/**
 * bench/overdue — with 1,000,000 open incidents (and 2,000,000 pending timers) in PostgreSQL, how long the
 * worker's sweep takes to find the timers that fell due, mark those incidents overdue (with history, supervision
 * notices, notifications and audit) and escalate the untouched ones up the ladder. Sweeps of 200 and 1,000 due
 * incidents; the baseline is the bare index query that finds the due timers, in the same run.
 *
 *   npm run bench:overdue [-- --open 1000000]
 * Ends with one JSON line: the sweep time for 200 due incidents against the bare query.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { preparePlatform } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { FakeClock } from '../src/kernel/clock.js';
import { silentLogger } from '../src/kernel/logger.js';
import { adminUrlFor } from '../test/db.js';
import { postgresReachable } from './support.js';

const { values } = parseArgs({ options: { open: { type: 'string', default: '1000000' } } });
const OPEN = Number(values.open);
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';

if (!(await postgresReachable(process.env.DATABASE_URL))) {
  console.log(`bench/overdue needs PostgreSQL (${process.env.DATABASE_URL} does not answer)`);
  process.exit(1);
}

const db = await adminUrlFor('zz_bench_overdue');
const database = await openDatabase({ kind: 'postgres', url: db.database, poolSize: 10 });
const clock = new FakeClock('2026-06-01T09:00:00+08:00');
try {
  const { services } = await preparePlatform(database, { config: loadConfig({ DEMO: 'true', DATA_DIR: '/tmp/zz-bench-overdue' }), logger: silentLogger, clock, seedDemoData: true });
  const towns = await services.organization.listTowns();
  const centers = await Promise.all(towns.map(async (t) => (await services.organization.getUnitByCode(`${t.code}-ZX`)).id));
  const now = clock.now();

  console.log(`bench/overdue: loading ${OPEN.toLocaleString()} open incidents with a warning and a deadline timer each …`);
  const t0 = performance.now();
  // Open incidents awaiting acceptance at their town's center; deadlines spread over the next 30 days.
  await sql`
    insert into incidents (number, state, channel, title, description, area_unit_id, town_unit_id, urgency, level, coordinator_unit_id,
                           stage, stage_started_at, due_at, warn_at, sla, reported_at, updated_at, is_demo)
    select 'KB' || lpad(g::text, 12, '0'), 'reported', 'web', '压测事件', '压测事件', (${sql.raw(`array[${towns.map((t) => t.id).join(',')}]`)})[1 + g % ${towns.length}],
           (${sql.raw(`array[${towns.map((t) => t.id).join(',')}]`)})[1 + g % ${towns.length}], 'normal', 'town',
           (${sql.raw(`array[${centers.join(',')}]`)})[1 + g % ${towns.length}],
           'accept', ${now}::timestamptz, ${now}::timestamptz + make_interval(secs => 3600 + (g % 2592000)), ${now}::timestamptz + make_interval(secs => 2700 + (g % 2592000)),
           'green', ${now}, ${now}, true
    from generate_series(1, ${OPEN}::int) g`.execute(database.db);
  await sql`
    insert into incident_timers (incident_id, kind, stage, set_for_version, fire_at)
    select id, k.kind, 'accept', 1, case k.kind when 'warn' then warn_at else due_at end
    from incidents, (values ('warn'), ('due')) as k(kind)
    where number like 'KB%'`.execute(database.db);
  await sql`analyze incidents`.execute(database.db);
  await sql`analyze incident_timers`.execute(database.db);
  console.log(`loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

  /** Moves `n` incidents' deadlines (and their timers) into the past, as if they had just fallen due. */
  const makeDue = async (n: number, offset: number) => {
    await sql`
      with chosen as (select id from incidents where state = 'reported' and sla = 'green' order by id offset ${offset} limit ${n})
      update incidents set due_at = ${now}::timestamptz - interval '1 second', warn_at = ${now}::timestamptz - interval '2 seconds'
      where id in (select id from chosen)`.execute(database.db);
    await sql`
      update incident_timers t set fire_at = case t.kind when 'warn' then i.warn_at else i.due_at end
      from incidents i where i.id = t.incident_id and i.due_at < ${now} and t.fired_at is null`.execute(database.db);
  };

  const bareQuery = async () => {
    const s = performance.now();
    await sql`select id from incident_timers where fired_at is null and cancelled_at is null and fire_at <= ${now} order by fire_at limit 500`.execute(database.db);
    return performance.now() - s;
  };

  const results: { due: number; sweepMs: number; fired: number; escalated: number; bareMs: number }[] = [];
  let offset = 0;
  for (const due of [200, 1000]) {
    await makeDue(due, offset);
    offset += due;
    const bareMs = Math.min(await bareQuery(), await bareQuery(), await bareQuery());
    const s = performance.now();
    // One worker sweep, as the fire-incident-timers job runs it: drain the due timers, then escalate.
    let fired = 0;
    for (;;) {
      const r = await services.incidents.fireDueTimers(500);
      fired += r.fired;
      if (r.fired + r.stale < 500) break;
    }
    let escalated = 0;
    for (;;) {
      const n = await services.incidents.escalateOverdue(200);
      escalated += n;
      if (n < 200) break;
    }
    const sweepMs = performance.now() - s;
    results.push({ due, sweepMs, fired, escalated, bareMs });
  }
  const open = (await sql<{ n: number }>`select count(*)::int as n from incidents where state not in ('closed','rejected','merged','voided')`.execute(database.db)).rows[0]!.n;
  console.log(`open incidents: ${open.toLocaleString()}\n`);
  console.log('due in sweep   sweep ms   timers fired   escalated   bare due-timer query ms');
  for (const r of results) {
    console.log(`${String(r.due).padStart(12)} ${r.sweepMs.toFixed(0).padStart(10)} ${String(r.fired).padStart(14)} ${String(r.escalated).padStart(11)} ${r.bareMs.toFixed(2).padStart(25)}`);
  }
  const head = results[0]!;
  console.log(
    JSON.stringify({
      bench: 'overdue',
      metric: `sweep_ms_${head.due}_due_of_${open}_open`,
      value: Math.round(head.sweepMs),
      unit: 'ms',
      baseline: Math.round(head.bareMs * 100) / 100,
      ratio: Math.round((head.sweepMs / head.bareMs) * 10) / 10,
    }),
  );
} finally {
  await database.close();
  await db.drop();
}
process.exit(0);
