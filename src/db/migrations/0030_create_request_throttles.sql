-- Per-client request counters for public forms and machine submissions, shared by every process: one row per
-- (bucket, client, fixed window). The client is stored only as a hash (an address is personal data). Rows of
-- past windows are deleted by the purge job.
create table request_throttles (
  bucket text not null,
  key_hash text not null,
  window_start timestamptz not null,
  hits integer not null,
  primary key (bucket, key_hash, window_start)
);
create index request_throttles_window_idx on request_throttles (window_start);
