-- Process-independent settings that must be shared by every process of a deployment (for example the secret
-- that signs cookies when SECRET_KEY is not configured). State lives in the database, never in one process.
create table app_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
