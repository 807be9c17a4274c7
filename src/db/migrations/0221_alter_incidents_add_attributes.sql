-- What a machine client (Open311) sent beyond the common fields: the answers to the category's attributes
-- ({"code": "value" | ["v1","v2"]}), a link to a photo it holds (stored as a link, never fetched), and the
-- client's own references to the reporter ({"email", "device_id", "account_id"}: personal data, never public).
alter table incidents add column attributes jsonb;
alter table incidents add column media_url text;
alter table incidents add column client_data jsonb;
