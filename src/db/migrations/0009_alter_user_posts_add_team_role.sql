-- A person's place in a grid's "1+3+N" team (网格长, 专职网格员, 兼职网格员, 网格指导员, and N volunteers);
-- explicit permissions beyond roles (such as reading a 12350 reporter's identity); and accounts that exist as
-- people (a volunteer) without being able to sign in.
alter table user_posts add column team_role text check (team_role in ('leader', 'full_time', 'part_time', 'instructor', 'volunteer'));
alter table users alter column password_hash drop not null;
alter table users add column phone text;

create table user_grants (
  user_id bigint not null references users (id),
  permission text not null,
  granted_by bigint references users (id),
  granted_at timestamptz not null default now(),
  primary key (user_id, permission)
);
