-- The organisation tree: the district, its center, departments and utilities, the 40 towns and streets with
-- their command centers and boards, villages and communities, and grids. Units are never deleted: they are
-- retired (and may name a successor), so records handled by a unit keep pointing at it.
create table units (
  id bigint generated always as identity primary key,
  code text not null unique,
  name text not null,
  kind text not null check (kind in (
    'district', 'district_center', 'department', 'utility',
    'street', 'town', 'township', 'command_center', 'board',
    'community', 'village', 'grid'
  )),
  parent_id bigint references units (id),
  sort_order integer not null default 0,
  is_demo boolean not null default false,
  retired_at timestamptz,
  successor_id bigint references units (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (parent_id is null or parent_id <> id)
);
create index units_parent_idx on units (parent_id);
create index units_kind_idx on units (kind);
