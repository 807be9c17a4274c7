/**
 * SQL of stored readings, their partitions and roll-ups, and the rule state per sensor. Batches travel as arrays
 * (one statement per batch, whatever its size) or as one JSON document (rows of several types).
 */
import { sql } from 'kysely';
import { isUniqueViolation, type Executor } from '../../kernel/db.js';
import type { SensorRuleState } from './alarm-rule.rules.js';

export interface ReadingsTable {
  sensor_id: number;
  ts: Date;
  value: number;
}

type Db = Executor;

/** The partitioned tables and the column they are partitioned by. */
export const PARTITIONED = { readings: 'ts', reading_minutes: 'bucket' } as const;
export type PartitionedTable = keyof typeof PARTITIONED;

/** First instant of the UTC month containing `t`, plus `add` months. */
export function monthStart(t: number, add = 0): Date {
  const d = new Date(t);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1));
}

export function partitionName(table: PartitionedTable, month: Date): string {
  return `${table}_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Creates the monthly partition of `table` containing `month` unless it exists; true when it created it. */
export async function createPartition(db: Db, table: PartitionedTable, month: Date): Promise<boolean> {
  const from = monthStart(month.getTime());
  const to = monthStart(month.getTime(), 1);
  const name = partitionName(table, from);
  const exists = await sql<{ n: number }>`select count(*)::int as n from pg_class where relname = ${name}`.execute(db);
  if (exists.rows[0]!.n > 0) return false;
  try {
    // Identifiers and bounds are built from numbers only, never from input.
    await sql.raw(`create table if not exists ${name} partition of ${table} for values from ('${from.toISOString()}') to ('${to.toISOString()}')`).execute(db);
    return true;
  } catch (e) {
    // Another process created it at the same moment.
    if (isUniqueViolation(e) || (e as { code?: string }).code === '42P07') return false;
    throw e;
  }
}

export interface PartitionInfo {
  readonly name: string;
  readonly from: Date;
  readonly to: Date;
}

export async function listPartitions(db: Db, table: PartitionedTable): Promise<PartitionInfo[]> {
  const rows = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
    where p.relname = ${table} order by c.relname`.execute(db);
  const out: PartitionInfo[] = [];
  for (const { name } of rows.rows) {
    const m = /_y(\d{4})m(\d{2})$/.exec(name);
    if (!m) continue;
    const from = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
    out.push({ name, from, to: monthStart(from.getTime(), 1) });
  }
  return out;
}

export async function dropPartition(db: Db, table: PartitionedTable, name: string): Promise<void> {
  if (!new RegExp(`^${table}_y\\d{4}m\\d{2}$`).test(name)) throw new Error(`Not a partition name: ${name}`);
  await sql.raw(`drop table if exists ${name}`).execute(db);
}

/** Whether `e` is PostgreSQL's "no partition of relation … found for row" (the month's partition is missing). */
export function isMissingPartition(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23514' && typeof err.message === 'string' && err.message.includes('no partition');
}

/**
 * Inserts readings, skipping those already stored (same sensor and time), and returns the ones inserted. Readings
 * older than `lateBefore` also mark their minute for the roll-up job, which may already have passed it.
 */
export async function insertReadings(
  db: Db,
  sensorIds: readonly number[],
  tsMs: readonly number[],
  values: readonly number[],
  lateBefore: number,
): Promise<{ sensorId: number; ts: number; value: number }[]> {
  const r = await sql<{ sensor_id: number; ms: number; value: number }>`
    with ins as (
      insert into readings (sensor_id, ts, value)
      select s, to_timestamp(t / 1000.0), v from unnest(${sensorIds}::int[], ${tsMs}::float8[], ${values}::float8[]) as u(s, t, v)
      on conflict do nothing
      returning sensor_id, ts, value
    ), late as (
      insert into reading_late_minutes (sensor_id, bucket)
      select distinct sensor_id, date_trunc('minute', ts) from ins where ts < to_timestamp(${lateBefore} / 1000.0)
      on conflict do nothing
    )
    select sensor_id, (extract(epoch from ts) * 1000)::float8 as ms, value from ins`.execute(db);
  return r.rows.map((x) => ({ sensorId: x.sensor_id, ts: Math.round(x.ms), value: x.value }));
}

export interface StateRow {
  readonly sensorId: number;
  readonly state: SensorRuleState;
}

/** Locks the rule state of these sensors (in id order, so concurrent writers never deadlock) and returns it. */
export async function lockStates(db: Db, sensorIds: readonly number[]): Promise<Map<number, StateRow>> {
  const ids = [...new Set(sensorIds)].sort((a, b) => a - b);
  const r = await sql<{ sensor_id: number; rules: SensorRuleState }>`
    select sensor_id, rules from sensor_states where sensor_id = any(${ids}::int[]) order by sensor_id for update`.execute(db);
  return new Map(r.rows.map((x) => [x.sensor_id, { sensorId: x.sensor_id, state: { ...x.rules, rules: x.rules?.rules ?? {} } }]));
}

export interface StateWrite {
  readonly sensor_id: number;
  readonly rules: SensorRuleState;
  readonly last_ts: string | null;
  readonly last_value: number | null;
  readonly silence_due_at: string | null;
}

/** Writes rule states (inserting missing rows); last_ts only moves forward. */
export async function saveStates(db: Db, rows: readonly StateWrite[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into sensor_states as st (sensor_id, rules, last_ts, last_value, silence_due_at, updated_at)
    select x.sensor_id, x.rules, x.last_ts, x.last_value, x.silence_due_at, ${now}
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(sensor_id int, rules jsonb, last_ts timestamptz, last_value float8, silence_due_at timestamptz)
    on conflict (sensor_id) do update set
      rules = excluded.rules,
      last_ts = greatest(st.last_ts, excluded.last_ts),
      last_value = case when st.last_ts is null or excluded.last_ts >= st.last_ts then excluded.last_value else st.last_value end,
      silence_due_at = case when st.last_ts is null or excluded.last_ts >= st.last_ts then excluded.silence_due_at else st.silence_due_at end,
      updated_at = excluded.updated_at`.execute(db);
}

/** Sensors whose silence is due, oldest first, with what a silence check needs. */
export async function dueSilences(db: Db, now: Date, limit: number) {
  const r = await sql<{ sensor_id: number; profile_id: number; interval_seconds: number; last_ms: number | null; created_ms: number }>`
    select st.sensor_id, s.profile_id, s.interval_seconds, (extract(epoch from st.last_ts) * 1000)::float8 as last_ms,
           (extract(epoch from s.created_at) * 1000)::float8 as created_ms
    from sensor_states st join sensors s on s.id = st.sensor_id
    where st.silence_due_at <= ${now} and s.retired_at is null
    order by st.silence_due_at limit ${limit}`.execute(db);
  return r.rows.map((x) => ({ ...x, last_ms: x.last_ms === null ? null : Math.round(x.last_ms), created_ms: Math.round(x.created_ms) }));
}

/** The newest stored reading of a sensor after `afterMs` (the state's last_ts may lag the roll-up by a minute). */
export async function latestReading(db: Db, sensorId: number, afterMs: number): Promise<{ ts: number; value: number } | undefined> {
  const r = await sql<{ ms: number; value: number }>`
    select (extract(epoch from ts) * 1000)::float8 as ms, value from readings
    where sensor_id = ${sensorId} and ts > to_timestamp(${afterMs} / 1000.0) order by ts desc limit 1`.execute(db);
  const row = r.rows[0];
  return row && { ts: Math.round(row.ms), value: row.value };
}

export async function setSilenceDue(db: Db, sensorId: number, due: Date | null, last?: { ts: number; value: number }): Promise<void> {
  if (last) {
    await sql`update sensor_states set silence_due_at = ${due}, last_ts = greatest(last_ts, to_timestamp(${last.ts} / 1000.0)), last_value = ${last.value}
              where sensor_id = ${sensorId}`.execute(db);
  } else await sql`update sensor_states set silence_due_at = ${due} where sensor_id = ${sensorId}`.execute(db);
}

export async function getWatermark(db: Db, name: string): Promise<Date | undefined> {
  const r = await sql<{ watermark: Date }>`select watermark from telemetry_progress where name = ${name}`.execute(db);
  return r.rows[0]?.watermark;
}

export async function setWatermark(db: Db, name: string, at: Date): Promise<void> {
  await sql`insert into telemetry_progress (name, watermark) values (${name}, ${at}) on conflict (name) do update set watermark = excluded.watermark`.execute(db);
}

export async function earliestReadingAfter(db: Db, after: Date): Promise<Date | undefined> {
  const r = await sql<{ ts: Date | null }>`select min(ts) as ts from readings where ts >= ${after}`.execute(db);
  return r.rows[0]?.ts ?? undefined;
}

/** Recomputes the 1-minute roll-ups of [from, to) (minute-aligned) from the readings; returns the buckets written. */
export async function rollUpMinutes(db: Db, from: Date, to: Date): Promise<number> {
  const r = await sql`
    insert into reading_minutes as m (sensor_id, bucket, n, sum, min, max)
    select sensor_id, date_trunc('minute', ts), count(*), sum(value), min(value), max(value)
    from readings where ts >= ${from} and ts < ${to} group by 1, 2
    on conflict (sensor_id, bucket) do update set n = excluded.n, sum = excluded.sum, min = excluded.min, max = excluded.max`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Recomputes the hours overlapping [from, to) from the minutes. */
export async function rollUpHours(db: Db, from: Date, to: Date): Promise<void> {
  await sql`
    insert into reading_hours (sensor_id, bucket, n, sum, min, max)
    select sensor_id, date_trunc('hour', bucket), sum(n), sum(sum), min(min), max(max)
    from reading_minutes where bucket >= date_trunc('hour', ${from}::timestamptz) and bucket < date_trunc('hour', ${to}::timestamptz) + interval '1 hour'
    group by 1, 2
    on conflict (sensor_id, bucket) do update set n = excluded.n, sum = excluded.sum, min = excluded.min, max = excluded.max`.execute(db);
}

/** Moves each sensor's last reading time and value (and its silence due time) forward from the readings of [from, to). */
export async function advanceLastSeen(db: Db, from: Date, to: Date): Promise<void> {
  await sql`
    update sensor_states st set last_ts = x.ts, last_value = x.value,
      silence_due_at = case when x.factor is null then null else x.ts + make_interval(secs => x.factor * x.interval_seconds) end
    from (
      select distinct on (r.sensor_id) r.sensor_id, r.ts, r.value, s.interval_seconds,
        (select min((e ->> 'factor')::float8) from jsonb_array_elements(p.rules) e where e ->> 'kind' = 'silence') as factor
      from readings r join sensors s on s.id = r.sensor_id join sensor_profiles p on p.id = s.profile_id
      where r.ts >= ${from} and r.ts < ${to}
      order by r.sensor_id, r.ts desc
    ) x
    where st.sensor_id = x.sensor_id and (st.last_ts is null or st.last_ts < x.ts)`.execute(db);
}

/** Takes up to `limit` late-marked minutes before `before`, recomputes them, and returns the range of hours touched. */
export async function rollUpLateMinutes(db: Db, before: Date, limit: number): Promise<{ count: number; from: Date | null; to: Date | null }> {
  const r = await sql<{ n: number; lo: Date | null; hi: Date | null }>`
    with taken as (
      delete from reading_late_minutes where ctid in (
        select ctid from reading_late_minutes where bucket < ${before} order by bucket limit ${limit}
      ) returning sensor_id, bucket
    ), upd as (
      insert into reading_minutes as m (sensor_id, bucket, n, sum, min, max)
      select r.sensor_id, date_trunc('minute', r.ts), count(*), sum(r.value), min(r.value), max(r.value)
      from readings r join taken t on t.sensor_id = r.sensor_id and r.ts >= t.bucket and r.ts < t.bucket + interval '1 minute'
      group by 1, 2
      on conflict (sensor_id, bucket) do update set n = excluded.n, sum = excluded.sum, min = excluded.min, max = excluded.max
    )
    select count(*)::int as n, min(bucket) as lo, max(bucket) as hi from taken`.execute(db);
  const row = r.rows[0]!;
  return { count: row.n, from: row.lo, to: row.hi ? new Date(row.hi.getTime() + 60_000) : null };
}

export async function deleteHoursBefore(db: Db, before: Date, limit: number): Promise<number> {
  const r = await sql`delete from reading_hours where ctid in (select ctid from reading_hours where bucket < ${before} limit ${limit})`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export interface SeriesPoint {
  /** Epoch ms. */
  readonly t: number;
  readonly avg: number;
  readonly min: number;
  readonly max: number;
}

export async function rawSeries(db: Db, sensorId: number, from: Date, to: Date, limit: number): Promise<SeriesPoint[]> {
  const r = await sql<{ ms: number; value: number }>`
    select (extract(epoch from ts) * 1000)::float8 as ms, value from readings
    where sensor_id = ${sensorId} and ts >= ${from} and ts < ${to} order by ts limit ${limit}`.execute(db);
  return r.rows.map((x) => ({ t: Math.round(x.ms), avg: x.value, min: x.value, max: x.value }));
}

/** Roll-up rows of [from, to), merged into buckets of `binSeconds` (at least the table's own). */
export async function rolledSeries(db: Db, table: 'reading_minutes' | 'reading_hours', sensorId: number, from: Date, to: Date, binSeconds: number): Promise<SeriesPoint[]> {
  const r = await sql<{ ms: number; avg: number; min: number; max: number }>`
    select (extract(epoch from date_bin(make_interval(secs => ${binSeconds}), bucket, timestamptz '2000-01-01 00:00:00+00')) * 1000)::float8 as ms,
           sum(sum) / sum(n) as avg, min(min) as min, max(max) as max
    from ${sql.table(table)} where sensor_id = ${sensorId} and bucket >= ${from} and bucket < ${to}
    group by 1 order by 1`.execute(db);
  return r.rows.map((x) => ({ t: Math.round(x.ms), avg: x.avg, min: x.min, max: x.max }));
}

export async function countReadings(db: Db, sensorId: number, from: Date, to: Date): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from readings where sensor_id = ${sensorId} and ts >= ${from} and ts < ${to}`.execute(db);
  return r.rows[0]!.n;
}

/** The last reading time and value of each of these sensors. */
export async function lastSeen(db: Db, sensorIds: readonly number[]): Promise<Map<number, { ts: Date | null; value: number | null }>> {
  if (sensorIds.length === 0) return new Map();
  const r = await sql<{ sensor_id: number; last_ts: Date | null; last_value: number | null }>`
    select sensor_id, last_ts, last_value from sensor_states where sensor_id = any(${[...sensorIds]}::int[])`.execute(db);
  return new Map(r.rows.map((x) => [x.sensor_id, { ts: x.last_ts, value: x.last_value }]));
}

/** Creates the state row of a new sensor, with its first silence due time. */
export async function initState(db: Db, sensorId: number, silenceDueAt: Date | null): Promise<void> {
  await sql`insert into sensor_states (sensor_id, silence_due_at) values (${sensorId}, ${silenceDueAt}) on conflict (sensor_id) do nothing`.execute(db);
}

/** Replaces only the rules' state of one sensor (a manual clear). */
export async function updateRuleState(db: Db, sensorId: number, rules: SensorRuleState, now: Date): Promise<void> {
  await sql`insert into sensor_states (sensor_id, rules, updated_at) values (${sensorId}, ${JSON.stringify(rules)}::jsonb, ${now})
            on conflict (sensor_id) do update set rules = excluded.rules, updated_at = excluded.updated_at`.execute(db);
}
