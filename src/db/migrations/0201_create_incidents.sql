-- One case flow for every matter. States are a fixed set in code (src/modules/incidents/incident.workflow.ts)
-- with this matching CHECK; their labels live in the locale files.
create table incidents (
  id bigint generated always as identity primary key,
  number text not null unique,
  version integer not null default 1,
  state text not null check (state in (
    'reported', 'accepted', 'filed', 'dispatched', 'signed', 'reported_back', 'verified', 'closed',
    'rejected', 'parked', 'merged', 'voided'
  )),
  channel text not null check (channel in (
    'web', 'phone', 'hotline_12345', 'hotline_12350', 'grid_patrol', 'sensor', 'open311', 'leader', 'media', 'staff'
  )),
  request_type text check (request_type in ('consult', 'help', 'complaint', 'report', 'suggestion', 'praise')),
  category_id bigint references catalog_categories (id),
  category_version_id bigint references catalog_category_versions (id),
  title text not null,
  description text not null,
  address text,
  lon double precision,
  lat double precision,
  -- where it is: the smallest unit containing the place (a grid, else a town, else the district). Scopes are
  -- checked against the unit's current path, so a reorganised tree needs no rewrite of incidents.
  area_unit_id bigint not null references units (id),
  town_unit_id bigint references units (id),
  urgency text not null default 'normal' check (urgency in ('normal', 'urgent', 'critical')),
  -- who coordinates at the current level: a town's command center or the district center
  level text not null default 'town' check (level in ('grid', 'town', 'district')),
  coordinator_unit_id bigint references units (id),
  lead_unit_id bigint references units (id),
  co_unit_ids bigint[] not null default '{}',
  -- the current stage's clock
  stage text,
  stage_started_at timestamptz,
  due_at timestamptz,
  warn_at timestamptz,
  sla text not null default 'green' check (sla in ('green', 'yellow', 'red')),
  handle_due_at timestamptz,
  supervision text check (supervision in ('blue', 'yellow', 'red')),
  -- pending requests from the handling unit
  pending_request text check (pending_request in ('return', 'extension')),
  parked_until date,
  merged_into_id bigint references incidents (id),
  supporters integer not null default 0,
  rework_count integer not null default 0,
  return_count integer not null default 0,
  reopen_count integer not null default 0,
  escalation_count integer not null default 0,
  overdue_stages integer not null default 0,
  rating text check (rating in ('satisfied', 'basically_satisfied', 'unsatisfied')),
  rating_comment text,
  rated_at timestamptz,
  -- reporter: staff account, or a citizen's contact (PII; never shown publicly or logged)
  reporter_user_id bigint references users (id),
  reporter_name text,
  reporter_phone text,
  is_anonymous boolean not null default false,
  lookup_code_hash text,
  idempotency_key text unique,
  reply text,
  result text,
  is_demo boolean not null default false,
  reported_at timestamptz not null,
  accepted_at timestamptz,
  filed_at timestamptz,
  dispatched_at timestamptz,
  signed_at timestamptz,
  reported_back_at timestamptz,
  verified_at timestamptz,
  closed_at timestamptz,
  closed_on_time boolean,
  updated_at timestamptz not null
);
create index incidents_state_idx on incidents (state);
create index incidents_area_idx on incidents (area_unit_id);
create index incidents_town_idx on incidents (town_unit_id);
create index incidents_lead_idx on incidents (lead_unit_id) where lead_unit_id is not null;
create index incidents_coordinator_idx on incidents (coordinator_unit_id);
create index incidents_reported_at_idx on incidents (reported_at);
create index incidents_closed_at_idx on incidents (closed_at) where closed_at is not null;
create index incidents_category_idx on incidents (category_id);
create index incidents_open_due_idx on incidents (due_at) where state not in ('closed', 'rejected', 'merged', 'voided');
create index incidents_location_idx on incidents (lat, lon) where lat is not null;

-- The history of each incident: every action, with actor, acting unit, time, notes and attachments.
create table incident_events (
  id bigint generated always as identity primary key,
  incident_id bigint not null references incidents (id),
  action text not null,
  from_state text,
  to_state text,
  actor_user_id bigint references users (id),
  actor_label text not null,
  actor_unit_id bigint references units (id),
  at timestamptz not null,
  note text,
  -- a note written for the public tracking page (no personal data)
  public_note text,
  details jsonb not null default '{}'::jsonb
);
create index incident_events_incident_idx on incident_events (incident_id, id);

-- Requests from a handling unit that a coordinator decides: return (退单), extension (延期).
create table incident_requests (
  id bigint generated always as identity primary key,
  incident_id bigint not null references incidents (id),
  kind text not null check (kind in ('return', 'extension')),
  status text not null default 'pending' check (status in ('pending', 'approved', 'refused', 'withdrawn')),
  reason text not null,
  -- for an extension: how much more time, in the stage's units
  extra_amount numeric,
  extra_unit text check (extra_unit in ('hours', 'days', 'natural_hours', 'natural_days')),
  requested_by bigint references users (id),
  requested_unit_id bigint references units (id),
  requested_at timestamptz not null,
  decided_by bigint references users (id),
  decided_at timestamptz,
  decision_note text
);
create index incident_requests_pending_idx on incident_requests (incident_id) where status = 'pending';

-- 督办 notices (blue: near the deadline, yellow: behind or poor quality, red: overdue), by hand or by the worker.
create table incident_supervisions (
  id bigint generated always as identity primary key,
  incident_id bigint not null references incidents (id),
  level text not null check (level in ('blue', 'yellow', 'red')),
  note text,
  issued_by bigint references users (id),
  issued_by_label text not null,
  to_unit_id bigint references units (id),
  issued_at timestamptz not null,
  answered_at timestamptz
);
create index incident_supervisions_incident_idx on incident_supervisions (incident_id);

-- Tracking numbers: KZ + date + a sequence, e.g. KZ20261128000123.
create sequence incident_number_seq;
