-- API tokens for machines (sensor gateways, Open311 clients). Only the SHA-256 of the secret is kept; the secret
-- is shown once when the token is issued. A token does exactly its actions, within its unit's subtree (or
-- everywhere when scope_unit_id is null); the unit is joined at use, so a moved unit keeps its tokens' reach.
create table api_tokens (
  id bigint generated always as identity primary key,
  name text not null check (length(name) between 1 and 100),
  token_hash text not null unique,
  display_prefix text not null,
  actions text[] not null check (cardinality(actions) > 0),
  scope_unit_id bigint references units (id),
  issued_by bigint references users (id),
  created_at timestamptz not null,
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by bigint references users (id),
  is_demo boolean not null default false
);
-- Audit entries name a token by its name, so live tokens' names are unique.
create unique index api_tokens_live_name_key on api_tokens (lower(name)) where revoked_at is null;
