-- Sign-in throttling, shared by every process: one row per account name (lower-cased, whether or not such an
-- account exists, so that the answer never tells which names are real) and one per client address. A row keeps
-- the times of recent failures (epoch milliseconds, a sliding window) and, once too many came too fast, the
-- end of a temporary lock. Writers lock the row (SELECT … FOR UPDATE), so parallel failures are counted exactly.
create table sign_in_throttles (
  scope text not null check (scope in ('account', 'address')),
  key text not null,
  failure_times jsonb not null default '[]'::jsonb,
  locked_until timestamptz,
  updated_at timestamptz not null,
  primary key (scope, key)
);
create index sign_in_throttles_locked_idx on sign_in_throttles (locked_until) where locked_until is not null;
create index sign_in_throttles_updated_idx on sign_in_throttles (updated_at);
