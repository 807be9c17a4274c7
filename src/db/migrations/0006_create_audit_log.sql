-- The audit trail: append-only and hash-chained. Each row carries the hash of the previous one, computed over a
-- canonical form of its own content, so an edited row breaks its hash and a deleted row breaks the chain (seq
-- is gapless). Rows are appended under a transaction-scoped advisory lock taken at the end of the writing
-- transaction, which keeps the chain linear without holding a lock for the whole transaction.
create table audit_log (
  seq bigint primary key check (seq > 0),
  at timestamptz not null,
  actor_user_id bigint,
  actor_label text not null,
  ip text,
  action text not null,
  target_type text,
  target_id text,
  details jsonb not null default '{}'::jsonb,
  prev_hash text not null,
  hash text not null unique
);
create index audit_log_at_idx on audit_log (at);
create index audit_log_actor_idx on audit_log (actor_user_id, at);
create index audit_log_target_idx on audit_log (target_type, target_id);
create index audit_log_action_idx on audit_log (action, at);

-- Refuse changes through SQL as well as through the application. (A superuser can still disable the trigger;
-- the hash chain is what detects that.)
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = '42501';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
