-- The portal's columns (栏目) as an editable tree, and one row whose number changes whenever anything the public
-- sees changes, so every web process can tell when its cached pages are stale. The seven top-level columns follow
-- the four functions of a government website (信息发布, 解读回应, 办事服务, 互动交流; 国办发〔2017〕47号) and the
-- navigation of the district portal page in shared/seeds.
create table portal_columns (
  id bigint generated always as identity primary key,
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  parent_id bigint references portal_columns (id),
  name text not null check (length(name) between 1 and 40),
  kind text not null check (kind in ('news', 'notice', 'policy', 'interpretation', 'directory', 'interaction', 'service', 'page')),
  description text,
  sort_order integer not null default 0,
  -- How often the column is expected to get something new (the inspection rules' "stale column"); null: static.
  freshness_days integer check (freshness_days is null or freshness_days between 1 and 3650),
  hidden boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (parent_id is null or parent_id <> id)
);
create index portal_columns_parent_idx on portal_columns (parent_id, sort_order);

insert into portal_columns (slug, parent_id, name, kind, sort_order, freshness_days, description) values
  ('news', null, '开州要闻', 'news', 10, 14, '全区重要新闻和政务动态'),
  ('notices', null, '通知公告', 'notice', 20, 30, '通知、公告、公示'),
  ('policies', null, '政策文件', 'policy', 30, 90, '区政府及部门的规范性文件和政策'),
  ('units', null, '部门街镇', 'directory', 40, null, '区级部门和 40 个镇乡街道的职能、负责人和联系方式'),
  ('interaction', null, '互动交流', 'interaction', 50, 90, '咨询、建议、投诉、举报和热点回应'),
  ('services', null, '办事服务', 'service', 60, 180, '办事指南和便民服务');
insert into portal_columns (slug, parent_id, name, kind, sort_order, freshness_days, description)
  select 'interpretations', id, '政策解读', 'interpretation', 10, 90, '对政策文件的解读' from portal_columns where slug = 'policies';
insert into portal_columns (slug, parent_id, name, kind, sort_order, freshness_days, description)
  select 'town-news', id, '镇街动态', 'news', 10, 30, '镇乡街道的工作动态' from portal_columns where slug = 'news';

create table portal_site_state (
  id integer primary key check (id = 1),
  version bigint not null default 1,
  changed_at timestamptz not null default now()
);
insert into portal_site_state (id) values (1);
