-- Optional TOTP second factor (RFC 6238). The shared secret is encrypted at rest (AES-256-GCM under a key derived
-- from the deployment's signing secret, bound to the user id); it counts only once confirmed with a code.
-- last_used_step refuses a code that was already used within its window (replay). Recovery codes are one-time
-- and stored only as keyed hashes.
create table user_totp (
  user_id bigint primary key references users (id),
  secret_ciphertext text not null,
  created_at timestamptz not null,
  confirmed_at timestamptz,
  last_used_step bigint
);

create table user_recovery_codes (
  user_id bigint not null references users (id),
  code_hash text not null,
  created_at timestamptz not null,
  used_at timestamptz,
  primary key (user_id, code_hash)
);
