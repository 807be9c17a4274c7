-- An in-app inbox per person, and an outbox for webhooks, SMS and e-mail sent by the worker with retries.
-- Stored as a kind and parameters, so each reader sees the text in their own language.
create table notifications (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id),
  kind text not null,
  params jsonb not null default '{}'::jsonb,
  link text,
  incident_id bigint references incidents (id),
  created_at timestamptz not null,
  read_at timestamptz
);
create index notifications_user_idx on notifications (user_id, created_at desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;

create table webhooks (
  id bigint generated always as identity primary key,
  name text not null,
  url text not null,
  secret text not null,
  events text[] not null,
  active boolean not null default true,
  created_by bigint references users (id),
  created_at timestamptz not null
);

create table outbox (
  id bigint generated always as identity primary key,
  channel text not null check (channel in ('webhook', 'sms', 'email')),
  target text not null,
  payload jsonb not null,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  sent_at timestamptz,
  failed_at timestamptz,
  last_error text,
  created_at timestamptz not null
);
create index outbox_due_idx on outbox (next_attempt_at) where sent_at is null and failed_at is null;
