-- 信件选登: a letter of the interaction columns and its reply, published with personal data removed. The
-- texts here are the redacted copies that the public page shows; the originals stay on the incident.
create table incident_publications (
  incident_id bigint primary key references incidents (id),
  request_type text,
  channel text not null,
  title text not null,
  letter text not null,
  reply text not null,
  published_at timestamptz not null,
  published_by bigint references users (id)
);
create index incident_publications_published_idx on incident_publications (published_at desc);
