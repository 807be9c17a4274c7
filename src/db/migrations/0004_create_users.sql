-- Staff accounts and their posts. A person holds posts in units; the post's role and unit give what the person
-- may do and over which part of the district.
create table users (
  id bigint generated always as identity primary key,
  username text not null,
  display_name text not null,
  password_hash text not null,
  is_demo boolean not null default false,
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_username_key on users (lower(username));

create table user_posts (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id),
  unit_id bigint not null references units (id),
  role text not null check (role in (
    'citizen', 'grid_worker', 'town_dispatcher', 'board_handler', 'department_handler',
    'district_supervisor', 'leader', 'editor', 'admin'
  )),
  created_at timestamptz not null default now(),
  ended_at timestamptz
);
create index user_posts_user_idx on user_posts (user_id) where ended_at is null;
create index user_posts_unit_idx on user_posts (unit_id) where ended_at is null;

-- Sessions are stored by the SHA-256 of their token, so a leaked table cannot be replayed as cookies.
create table sessions (
  token_hash text primary key,
  user_id bigint not null references users (id),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expires_idx on sessions (expires_at);
