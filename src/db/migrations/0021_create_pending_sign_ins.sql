-- The second step of a sign-in with a second factor: after the password was right, a short-lived record (not a
-- session: it grants nothing) waits for the one-time code. Stored by the SHA-256 of its token, like sessions.
create table pending_sign_ins (
  token_hash text primary key,
  user_id bigint not null references users (id),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  attempts integer not null default 0 check (attempts >= 0),
  ip text,
  user_agent text
);
create index pending_sign_ins_user_idx on pending_sign_ins (user_id);
create index pending_sign_ins_expires_idx on pending_sign_ins (expires_at);
