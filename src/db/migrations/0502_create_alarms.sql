-- Alarms (告警) raised by the rules: at most one active alarm per (sensor, type); grade changes, acknowledgement,
-- clearing and the analyst's judgement (研判) are recorded as events. A confirmed alarm opens an incident for the
-- owning unit; the alarm keeps the incident's id (or the last error, retried by a job).
create table alarms (
  id bigint generated always as identity primary key,
  sensor_id integer not null references sensors (id),
  asset_id bigint not null references assets (id),
  owner_unit_id bigint not null references units (id),
  -- The rule's key in the sensor's profile ('high', 'low', 'fall', 'silence', …).
  type text not null,
  rule_kind text not null check (rule_kind in ('threshold', 'deviation', 'rate', 'silence')),
  -- 1 红 Ⅰ (most severe) … 4 蓝 Ⅳ.
  grade smallint not null check (grade between 1 and 4),
  highest_grade smallint not null check (highest_grade between 1 and 4),
  status text not null check (status in ('active', 'cleared')),
  raised_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  trigger_value double precision,
  last_value double precision,
  last_reading_at timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by bigint references users (id),
  cleared_at timestamptz,
  cleared_by bigint references users (id),
  clear_reason text,
  judgement text check (judgement in ('confirmed', 'false_alarm')),
  judged_at timestamptz,
  judged_by bigint references users (id),
  judgement_reason text,
  incident_id bigint,
  incident_number text,
  incident_error text,
  incident_attempts integer not null default 0,
  check ((status = 'cleared') = (cleared_at is not null)),
  check ((judgement is null) = (judged_at is null))
);
create unique index alarms_one_active_idx on alarms (sensor_id, type) where status = 'active';
create index alarms_raised_idx on alarms (raised_at desc);
create index alarms_asset_idx on alarms (asset_id, raised_at desc);
create index alarms_owner_idx on alarms (owner_unit_id, raised_at desc);
create index alarms_incident_pending_idx on alarms (judged_at) where judgement = 'confirmed' and incident_id is null;

create table alarm_events (
  id bigint generated always as identity primary key,
  alarm_id bigint not null references alarms (id),
  kind text not null check (kind in (
    'raised', 'grade_changed', 'acknowledged', 'cleared', 'confirmed', 'false_alarm', 'incident_opened', 'incident_failed'
  )),
  at timestamptz not null,
  actor_user_id bigint references users (id),
  grade smallint,
  value double precision,
  details jsonb not null default '{}'::jsonb
);
create index alarm_events_alarm_idx on alarm_events (alarm_id, id);

-- The notification outbox: written in the alarm's transaction, delivered by a job through the notifier (no network
-- inside a transaction), retried with backoff.
create table alarm_notifications (
  id bigint generated always as identity primary key,
  alarm_id bigint not null references alarms (id),
  event_kind text not null,
  unit_id bigint not null references units (id),
  created_at timestamptz not null,
  next_attempt_at timestamptz not null,
  attempts integer not null default 0,
  delivered_at timestamptz,
  last_error text
);
create index alarm_notifications_due_idx on alarm_notifications (next_attempt_at) where delivered_at is null;
