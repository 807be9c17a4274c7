-- Periodic jobs of the worker role. A row is claimed with FOR UPDATE SKIP LOCKED and a lease, so two workers
-- never run the same job at once, and a worker that dies mid-run loses its lease and another takes over.
create table job_schedules (
  name text primary key,
  interval_seconds integer not null check (interval_seconds > 0),
  next_run_at timestamptz not null default now(),
  locked_by text,
  locked_until timestamptz,
  last_started_at timestamptz,
  last_finished_at timestamptz,
  last_error text,
  run_count bigint not null default 0
);
create index job_schedules_due_idx on job_schedules (next_run_at);
