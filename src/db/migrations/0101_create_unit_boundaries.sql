-- Boundaries of units with an area (the district, towns and streets, villages and communities, grids) as
-- GeoJSON geometry in WGS-84 (RFC 7946), with its bounding box and area so that reads need not parse it.
-- No PostGIS: the same SQL runs on PostgreSQL 15 and on the embedded engine; geometry is done in the
-- application (src/modules/geography). One boundary per unit; a boundary that changes is replaced, and the
-- change is recorded in boundary_revisions (the revision that last wrote it).
create table unit_boundaries (
  unit_id bigint primary key references units (id),
  geometry jsonb not null check (geometry ->> 'type' in ('Polygon', 'MultiPolygon')),
  min_lon double precision not null,
  min_lat double precision not null,
  max_lon double precision not null,
  max_lat double precision not null,
  area_m2 double precision not null check (area_m2 > 0),
  source text not null check (source in ('reference', 'import', 'demo')),
  revision bigint not null references boundary_revisions (revision),
  updated_at timestamptz not null default now(),
  check (min_lon <= max_lon and min_lat <= max_lat),
  check (min_lon >= -180 and max_lon <= 180 and min_lat >= -90 and max_lat <= 90)
);
create index unit_boundaries_bbox_idx on unit_boundaries (min_lon, max_lon, min_lat, max_lat);
