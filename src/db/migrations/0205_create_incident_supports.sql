-- "我也遇到了": a citizen supports an open report instead of filing a copy. One support per submission key
-- (the hidden key of the report form the citizen was filling in), so a double click or a retry counts once.
create table incident_supports (
  id bigint generated always as identity primary key,
  incident_id bigint not null references incidents (id),
  submission_key text not null unique,
  at timestamptz not null
);
create index incident_supports_incident_idx on incident_supports (incident_id);
