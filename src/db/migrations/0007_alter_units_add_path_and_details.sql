-- Units get a materialised path ('/1/7/300/': the ids from the root down), kept by triggers, so that "everything
-- in this town" is one indexed prefix match; and the details the directory and the "141" model need.
alter table units add column path text;
alter table units add column subtype text;
alter table units add column duties text;
alter table units add column phone text;
alter table units add column address text;
alter table units add column households integer check (households is null or households >= 0);
alter table units add column residents integer check (residents is null or residents >= 0);

with recursive tree as (
  select id, '/' || id || '/' as path from units where parent_id is null
  union all
  select u.id, tree.path || u.id || '/' from units u join tree on u.parent_id = tree.id
)
update units set path = tree.path from tree where units.id = tree.id;

create function units_set_path() returns trigger language plpgsql as $$
begin
  if new.parent_id is null then
    new.path := '/' || new.id || '/';
  else
    select p.path || new.id || '/' into new.path from units p where p.id = new.parent_id;
    if new.path like '%/' || new.id || '/%/' then
      raise exception 'unit % cannot be moved under its own descendant', new.id using errcode = '23514';
    end if;
  end if;
  return new;
end;
$$;
create trigger units_path_before before insert or update of parent_id on units
  for each row execute function units_set_path();

-- Moving a unit moves its whole subtree.
create function units_move_subtree() returns trigger language plpgsql as $$
begin
  if new.path <> old.path then
    update units set path = new.path || substr(path, length(old.path) + 1)
    where path like old.path || '%' and id <> new.id;
  end if;
  return null;
end;
$$;
create trigger units_path_after after update of parent_id on units
  for each row execute function units_move_subtree();

alter table units alter column path set not null;
create index units_path_idx on units (path text_pattern_ops);

alter table units add constraint units_subtype_check check (
  subtype is null
  or (kind = 'board' and subtype in ('party_building', 'economy', 'livelihood', 'safety_law'))
  or (kind = 'grid' and subtype in ('comprehensive', 'special'))
  or (kind not in ('board', 'grid'))
);
