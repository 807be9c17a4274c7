-- What a machine client (Open311) sent beyond the common fields: the answers to the category's attributes
-- ({"code": "value" | ["v1","v2"]}) and a link to a photo it holds (stored as a link, never fetched).
alter table incidents add column attributes jsonb;
alter table incidents add column media_url text;
