-- Durable timers for time limits, fired by the worker role. A due timer is claimed with FOR UPDATE SKIP LOCKED,
-- so two workers never fire the same one; after downtime every timer whose time has passed is simply due.
create table incident_timers (
  id bigint generated always as identity primary key,
  incident_id bigint not null references incidents (id),
  kind text not null check (kind in ('warn', 'due')),
  stage text not null,
  -- the incident version the timer was set for; a later state change cancels it
  set_for_version integer not null,
  fire_at timestamptz not null,
  fired_at timestamptz,
  cancelled_at timestamptz
);
create index incident_timers_due_idx on incident_timers (fire_at) where fired_at is null and cancelled_at is null;
create index incident_timers_incident_idx on incident_timers (incident_id) where fired_at is null and cancelled_at is null;
