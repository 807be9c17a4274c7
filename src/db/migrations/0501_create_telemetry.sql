-- Telemetry storage fit for years: readings are range-partitioned by month (partitions are created ahead by a
-- job and on demand; old ones are dropped whole for retention), deduplicated by (sensor, time), and rolled up
-- into 1-minute and 1-hour aggregates for charts by a job. No foreign key on readings: sensors are retired, never
-- deleted, and a key check per row would cost a lookup on the hottest insert.
create table readings (
  sensor_id integer not null,
  ts timestamptz not null,
  value double precision not null,
  primary key (sensor_id, ts)
) partition by range (ts);
-- Time-range scans for roll-ups: a BRIN index is a few pages for data that arrive roughly in time order.
create index readings_ts_brin on readings using brin (ts);

create table reading_minutes (
  sensor_id integer not null,
  bucket timestamptz not null,
  n integer not null,
  sum double precision not null,
  min double precision not null,
  max double precision not null,
  primary key (sensor_id, bucket)
) partition by range (bucket);

create table reading_hours (
  sensor_id integer not null,
  bucket timestamptz not null,
  n integer not null,
  sum double precision not null,
  min double precision not null,
  max double precision not null,
  primary key (sensor_id, bucket)
);

-- Buckets that received readings after the roll-up job had passed them (devices that buffered during an outage).
create table reading_late_minutes (
  sensor_id integer not null,
  bucket timestamptz not null,
  primary key (sensor_id, bucket)
);

-- How far the roll-up job has got; one row per roll-up.
create table telemetry_progress (
  name text primary key,
  watermark timestamptz not null
);

-- The alarm rules' state per sensor (durations held, counts, the rate window, the grade each rule stands at), so
-- that a restart loses nothing. Written in the same transaction as the readings and alarms it reflects; rows are
-- locked in sensor order by every writer, so several processes may evaluate rules against one database.
create table sensor_states (
  sensor_id integer primary key references sensors (id),
  rules jsonb not null default '{}'::jsonb,
  last_ts timestamptz,
  last_value double precision,
  -- When silence would be declared if nothing newer arrives (last reading + k × interval).
  silence_due_at timestamptz,
  updated_at timestamptz not null default now()
);
create index sensor_states_silence_idx on sensor_states (silence_due_at);
