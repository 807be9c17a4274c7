-- The 事项目录 / 派单目录: incident categories in two levels (modelled on the 数字城管 部件/事件 classes of
-- CJ/T 214 and GB/T 30428.2, plus service matters), each with immutable versions that carry the filing and
-- closing conditions, the default urgency and the time limit of every stage. An incident keeps the version it
-- was filed under, so editing the catalogue never moves the deadlines of incidents already running.
create table catalog_categories (
  id bigint generated always as identity primary key,
  code text not null unique,
  parent_id bigint references catalog_categories (id),
  class text not null check (class in ('component', 'event', 'service')),
  sort_order integer not null default 0,
  is_demo boolean not null default false,
  retired_at timestamptz,
  created_at timestamptz not null default now()
);
create index catalog_categories_parent_idx on catalog_categories (parent_id);

create table catalog_category_versions (
  id bigint generated always as identity primary key,
  category_id bigint not null references catalog_categories (id),
  version integer not null check (version > 0),
  name text not null,
  description text,
  filing_condition text,
  closing_condition text,
  default_urgency text not null default 'normal' check (default_urgency in ('normal', 'urgent', 'critical')),
  -- {"accept":{"amount":2,"unit":"hours"},"handle":{"amount":1,"unit":"days"},…}; units: hours, days (working), natural_hours
  limits jsonb not null,
  -- whether reports of this category may appear on the public list and map
  public_visible boolean not null default true,
  -- radius for "similar reports nearby" suggestions, in metres
  duplicate_radius_m integer not null default 250 check (duplicate_radius_m between 10 and 5000),
  created_at timestamptz not null default now(),
  created_by bigint references users (id),
  unique (category_id, version)
);

-- category × area → lead unit and co-handling units. The most specific area (longest unit path containing the
-- incident's place) wins; an area of null is the whole district.
create table catalog_routes (
  id bigint generated always as identity primary key,
  category_id bigint not null references catalog_categories (id),
  area_unit_id bigint references units (id),
  lead_unit_id bigint not null references units (id),
  co_unit_ids bigint[] not null default '{}',
  created_at timestamptz not null default now(),
  unique (category_id, area_unit_id)
);
create unique index catalog_routes_district_key on catalog_routes (category_id) where area_unit_id is null;
