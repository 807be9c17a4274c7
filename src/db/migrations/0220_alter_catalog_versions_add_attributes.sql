-- Open311 GeoReport v2 service attributes (the "service definition") are catalogue data, kept with each
-- category version so that an edit never changes what an earlier report was asked:
-- [{"code":"depth","variable":true,"datatype":"number","required":false,"datatypeDescription":"…",
--   "order":1,"description":"…","values":[{"key":"…","name":"…"}]}]
alter table catalog_category_versions add column attributes jsonb not null default '[]'::jsonb;
