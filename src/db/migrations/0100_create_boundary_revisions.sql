-- One row per change of boundaries (an import, the demo generator, the shipped district outline): the history
-- of who changed which boundaries and when, and the version that every process compares with the one its
-- in-memory point index was built from. Writers lock this table, so revisions commit in their own order.
create table boundary_revisions (
  revision bigint primary key check (revision > 0),
  source text not null check (source in ('reference', 'import', 'demo')),
  level text check (level in ('district', 'town', 'village', 'grid')),
  crs text check (crs in ('wgs84', 'gcj02')),
  file_name text,
  unit_count integer not null check (unit_count >= 0),
  actor text not null,
  summary jsonb not null default '{}',
  created_at timestamptz not null default now()
);
