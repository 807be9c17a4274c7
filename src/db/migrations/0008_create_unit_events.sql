-- The history of each unit: created, renamed, moved, merged, split, retired. Records keep pointing at the unit
-- that handled them; this table says what that unit was called and what became of it.
create table unit_events (
  id bigint generated always as identity primary key,
  unit_id bigint not null references units (id),
  kind text not null check (kind in ('created', 'renamed', 'moved', 'merged_into', 'absorbed', 'split_into', 'split_from', 'retired', 'updated')),
  at timestamptz not null,
  actor_user_id bigint references users (id),
  details jsonb not null default '{}'::jsonb
);
create index unit_events_unit_idx on unit_events (unit_id, at);
