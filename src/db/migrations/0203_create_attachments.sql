-- Files (photos, documents) stored once by content hash under the upload directory. Images shown publicly are a
-- re-encoded copy without metadata (EXIF location), and every image has a thumbnail.
create table attachments (
  id bigint generated always as identity primary key,
  sha256 text not null,
  mime text not null,
  bytes integer not null check (bytes > 0),
  original_name text,
  kind text not null check (kind in ('image', 'document')),
  width integer,
  height integer,
  -- for images: the metadata-free copy and the thumbnail, both content-addressed
  clean_sha256 text,
  thumb_sha256 text,
  created_by bigint references users (id),
  created_at timestamptz not null
);
create index attachments_sha_idx on attachments (sha256);

create table incident_attachments (
  incident_id bigint not null references incidents (id),
  attachment_id bigint not null references attachments (id),
  event_id bigint references incident_events (id),
  public boolean not null default false,
  primary key (incident_id, attachment_id)
);
