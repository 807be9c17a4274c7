-- The public update feed (Open311 servicerequestupdates) reads history entries by time.
create index incident_events_at_idx on incident_events (at, id);
