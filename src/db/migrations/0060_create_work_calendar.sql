-- The work calendar as data (STYLE.md: holidays and make-up working days live in a table, never in code).
-- Weekends are Saturday and Sunday (国务院关于职工工作时间的规定); everything else that decides whether a day is
-- worked, and when, is a row here. A row with unit_id null applies to the whole district; a row for a unit applies
-- to that unit and its subtree (units.path), and the nearest unit's row wins.

-- Years whose official schedule (the State Council's yearly notice) has been entered and published. A date in any
-- other year is outside the calendar: deadlines are refused there rather than guessed from weekends alone.
create table calendar_years (
  year integer primary key check (year between 2000 and 2100),
  source text check (source is null or length(source) between 1 and 200),
  published_at timestamptz not null default now()
);

-- Exceptions to the weekly rhythm: an official public holiday (放假, kind 'holiday') or a make-up working day
-- (调休上班, kind 'workday'). One per date and unit (null = the district).
create table calendar_days (
  id bigint generated always as identity primary key,
  unit_id bigint references units (id),
  day date not null check (day between date '2000-01-01' and date '2100-12-31'),
  kind text not null check (kind in ('holiday', 'workday')),
  name text not null check (length(name) between 1 and 50),
  source text check (source is null or length(source) between 1 and 200),
  created_at timestamptz not null default now(),
  constraint calendar_days_unit_day_key unique nulls not distinct (unit_id, day)
);
create index calendar_days_day_idx on calendar_days (day);

-- Daily working hours in China Standard Time (UTC+8, no daylight saving): a JSON array of sessions
-- [{"start": "09:00", "end": "12:00"}, …], checked by the application. Null unit = the district; a unit's row
-- replaces the hours of its subtree.
create table calendar_hours (
  id bigint generated always as identity primary key,
  unit_id bigint references units (id),
  sessions jsonb not null check (jsonb_typeof(sessions) = 'array' and jsonb_array_length(sessions) between 1 and 6),
  updated_at timestamptz not null default now(),
  constraint calendar_hours_unit_key unique nulls not distinct (unit_id)
);

-- One row: bumped by every calendar change in the same transaction, so that every process (several web and worker
-- processes may share the database) notices within seconds that its cached calendars are stale.
create table calendar_state (
  id boolean primary key default true check (id),
  version bigint not null default 1
);
insert into calendar_state (id, version) values (true, 1);

-- The district's default office hours: 09:00–12:00 and 14:00–18:00.
insert into calendar_hours (unit_id, sessions)
values (null, '[{"start": "09:00", "end": "12:00"}, {"start": "14:00", "end": "18:00"}]'::jsonb);
