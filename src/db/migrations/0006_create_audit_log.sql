-- The audit trail: append-only and hash-chained. Entries are spread over a fixed number of chains (by what they
-- are about), each with a gapless sequence and each row carrying the hash of its predecessor in the chain,
-- computed over a canonical form of its own content: an edited row breaks its hash, a deleted row breaks its
-- chain. Appending takes a transaction-scoped advisory lock on one chain only, at the end of the writing
-- transaction, so unrelated writers commit in parallel while every chain stays strictly linear.
create table audit_log (
  seq bigint generated always as identity primary key,
  chain smallint not null check (chain between 0 and 63),
  chain_seq bigint not null check (chain_seq > 0),
  at timestamptz not null,
  actor_user_id bigint,
  actor_label text not null,
  ip text,
  action text not null,
  target_type text,
  target_id text,
  details jsonb not null default '{}'::jsonb,
  prev_hash text not null,
  hash text not null unique,
  unique (chain, chain_seq)
);
create index audit_log_at_idx on audit_log (at);
create index audit_log_actor_idx on audit_log (actor_user_id, at);
create index audit_log_target_idx on audit_log (target_type, target_id);
create index audit_log_action_idx on audit_log (action, at);

-- Refuse changes through SQL as well as through the application. (A superuser can still disable the trigger;
-- the hash chains are what detect that.)
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = '42501';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
