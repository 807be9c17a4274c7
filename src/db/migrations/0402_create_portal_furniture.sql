-- The page furniture editors maintain: the footer link directories (with the dead-link job's findings), the word
-- lists of the pre-publication check, the profiles of the 部门街镇 pages, and the freshness monitor's reports.
create table portal_link_groups (
  id bigint generated always as identity primary key,
  key text not null unique check (key ~ '^[a-z0-9-]{1,40}$'),
  title text not null check (length(title) between 1 and 40),
  sort_order integer not null default 0
);
create table portal_links (
  id bigint generated always as identity primary key,
  group_id bigint not null references portal_link_groups (id) on delete cascade,
  label text not null check (length(label) between 1 and 60),
  url text not null check (length(url) between 1 and 500),
  sort_order integer not null default 0
);
create index portal_links_group_idx on portal_links (group_id, sort_order);

insert into portal_link_groups (key, title, sort_order) values
  ('city-departments', '市政府部门网站', 10),
  ('district-governments', '区县政府网站', 20),
  ('kaizhou-units', '开州区部门镇街网站', 30),
  ('media', '新闻媒体网站', 40);
insert into portal_links (group_id, label, url, sort_order)
  select g.id, v.label, v.url, v.sort_order from portal_link_groups g join (values
    ('city-departments', '重庆市人民政府', 'https://www.cq.gov.cn/', 10),
    ('city-departments', '中国政府网', 'https://www.gov.cn/', 20),
    ('district-governments', '开州区人民政府', 'https://www.cqkz.gov.cn/', 10),
    ('kaizhou-units', '开州区部门街镇目录', '/towns', 10),
    ('media', '人民网', 'http://www.people.com.cn/', 10),
    ('media', '新华网', 'https://www.news.cn/', 20),
    ('media', '华龙网', 'https://www.cqnews.net/', 30)
  ) as v (key, label, url, sort_order) on v.key = g.key;

-- One row per address the dead-link job has looked at (footer links and links inside published documents).
create table portal_link_checks (
  url text primary key,
  ok boolean not null,
  status integer,
  error text,
  failures integer not null default 0,
  checked_at timestamptz not null,
  first_failed_at timestamptz
);

create table portal_words (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('sensitive', 'typo')),
  word text not null check (length(word) between 1 and 40),
  -- For a typo: the right form.
  suggestion text,
  note text,
  created_at timestamptz not null,
  created_by bigint,
  unique (kind, word)
);

create table portal_unit_profiles (
  unit_id bigint primary key references units (id),
  intro text,
  -- [{ "name": "…", "title": "…", "portfolio": "…" }]
  leaders jsonb not null default '[]'::jsonb,
  office_hours text,
  is_demo boolean not null default false,
  updated_at timestamptz not null,
  updated_by bigint
);

create table portal_freshness_reports (
  id bigint generated always as identity primary key,
  checked_at timestamptz not null,
  -- [{ "check": "home", "level": "fail", "code": "…", "params": {…}, "href": "…" }]
  findings jsonb not null,
  failed boolean not null
);
create index portal_freshness_reports_at_idx on portal_freshness_reports (checked_at desc);
