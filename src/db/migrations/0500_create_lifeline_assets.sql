-- Urban lifeline safety (城市生命线): the watched infrastructure and its sensors. An asset (a pipeline segment, a
-- bridge, a utility tunnel, a risk point) belongs to the unit that answers for it (a department or a utility) and
-- lies in a place of the district (a town, for scoping); sensors hang on assets and name the profile whose alarm
-- rules they follow. Geometry is GeoJSON in WGS-84, with its bounding box kept beside it for map queries.
create table sensor_profiles (
  id bigint generated always as identity primary key,
  code text not null unique,
  name text not null,
  quantity text not null,
  -- The alarm rules as data (validated by the application): threshold grades, duration, repetition, rate of
  -- change, silence and clear conditions with hysteresis.
  rules jsonb not null,
  is_reference boolean not null default false,
  updated_at timestamptz not null default now()
);

create table assets (
  id bigint generated always as identity primary key,
  code text not null unique,
  name text not null,
  kind text not null check (kind in ('gas_pipeline', 'water_pipeline', 'drainage_pipeline', 'bridge', 'utility_tunnel', 'risk_point')),
  owner_unit_id bigint not null references units (id),
  area_unit_id bigint references units (id),
  -- 风险四色: major 红 / high 橙 / medium 黄 / low 蓝.
  risk_level text not null check (risk_level in ('major', 'high', 'medium', 'low')),
  geometry jsonb not null,
  min_lon double precision not null,
  min_lat double precision not null,
  max_lon double precision not null,
  max_lat double precision not null,
  address text,
  description text,
  is_demo boolean not null default false,
  retired_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index assets_owner_idx on assets (owner_unit_id);
create index assets_area_idx on assets (area_unit_id);

-- Sensor ids are 4-byte integers: they are repeated in every stored reading.
create table sensors (
  id integer generated always as identity primary key,
  code text not null unique,
  asset_id bigint not null references assets (id),
  kind text not null,
  quantity text not null check (quantity in (
    'methane', 'pressure', 'flow', 'water_level', 'strain', 'displacement', 'temperature', 'vibration', 'tilt',
    'rainfall', 'leak_noise', 'oxygen', 'h2s'
  )),
  unit text not null,
  profile_id bigint not null references sensor_profiles (id),
  lon double precision not null check (lon between -180 and 180),
  lat double precision not null check (lat between -90 and 90),
  installed_on date,
  interval_seconds integer not null check (interval_seconds between 1 and 86400),
  -- The device's physical measuring range; readings outside it are refused as faulty.
  valid_min double precision,
  valid_max double precision,
  -- The normal operating level, for rules whose levels are relative to it (flow, strain).
  baseline double precision,
  is_demo boolean not null default false,
  retired_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (valid_min is null or valid_max is null or valid_min < valid_max)
);
create index sensors_asset_idx on sensors (asset_id);

-- Device credentials: one per gateway (any sensor of its unit's subtree) or per sensor. The secret is random
-- (32 bytes), so a fast hash suffices; only the hash is kept.
create table ingest_credentials (
  id bigint generated always as identity primary key,
  key text not null unique check (key ~ '^[A-Za-z0-9_-]{3,64}$'),
  name text not null,
  kind text not null check (kind in ('gateway', 'sensor')),
  unit_id bigint not null references units (id),
  sensor_id integer references sensors (id),
  secret_hash text not null,
  created_at timestamptz not null default now(),
  created_by bigint references users (id),
  revoked_at timestamptz,
  revoked_by bigint references users (id),
  check ((kind = 'sensor') = (sensor_id is not null))
);
