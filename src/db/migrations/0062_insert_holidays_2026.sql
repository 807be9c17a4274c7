-- The official 2026 schedule: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）.
-- Reference data entered once by this migration; administrators may correct it afterwards in the workbench.
insert into calendar_days (unit_id, day, kind, name, source)
select null, d::date, 'holiday', h.name, '国务院办公厅 2025年11月4日通知'
from (values
  ('元旦', date '2026-01-01', date '2026-01-03'),
  ('春节', date '2026-02-15', date '2026-02-23'),
  ('清明节', date '2026-04-04', date '2026-04-06'),
  ('劳动节', date '2026-05-01', date '2026-05-05'),
  ('端午节', date '2026-06-19', date '2026-06-21'),
  ('中秋节', date '2026-09-25', date '2026-09-27'),
  ('国庆节', date '2026-10-01', date '2026-10-07')
) as h (name, first_day, last_day)
cross join lateral generate_series(h.first_day, h.last_day, interval '1 day') as d;

insert into calendar_days (unit_id, day, kind, name, source)
values
  (null, date '2026-01-04', 'workday', '元旦', '国务院办公厅 2025年11月4日通知'),
  (null, date '2026-02-14', 'workday', '春节', '国务院办公厅 2025年11月4日通知'),
  (null, date '2026-02-28', 'workday', '春节', '国务院办公厅 2025年11月4日通知'),
  (null, date '2026-05-09', 'workday', '劳动节', '国务院办公厅 2025年11月4日通知'),
  (null, date '2026-09-20', 'workday', '国庆节', '国务院办公厅 2025年11月4日通知'),
  (null, date '2026-10-10', 'workday', '国庆节', '国务院办公厅 2025年11月4日通知');

insert into calendar_years (year, source) values (2026, '国务院办公厅 2025年11月4日通知');
update calendar_state set version = version + 1;
