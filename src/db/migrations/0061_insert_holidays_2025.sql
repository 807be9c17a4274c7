-- The official 2025 schedule: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）.
-- Reference data entered once by this migration; administrators may correct it afterwards in the workbench.
insert into calendar_days (unit_id, day, kind, name, source)
select null, d::date, 'holiday', h.name, '国办发明电〔2024〕12号'
from (values
  ('元旦', date '2025-01-01', date '2025-01-01'),
  ('春节', date '2025-01-28', date '2025-02-04'),
  ('清明节', date '2025-04-04', date '2025-04-06'),
  ('劳动节', date '2025-05-01', date '2025-05-05'),
  ('端午节', date '2025-05-31', date '2025-06-02'),
  ('国庆节、中秋节', date '2025-10-01', date '2025-10-08')
) as h (name, first_day, last_day)
cross join lateral generate_series(h.first_day, h.last_day, interval '1 day') as d;

insert into calendar_days (unit_id, day, kind, name, source)
values
  (null, date '2025-01-26', 'workday', '春节', '国办发明电〔2024〕12号'),
  (null, date '2025-02-08', 'workday', '春节', '国办发明电〔2024〕12号'),
  (null, date '2025-04-27', 'workday', '劳动节', '国办发明电〔2024〕12号'),
  (null, date '2025-09-28', 'workday', '国庆节、中秋节', '国办发明电〔2024〕12号'),
  (null, date '2025-10-11', 'workday', '国庆节、中秋节', '国办发明电〔2024〕12号');

insert into calendar_years (year, source) values (2025, '国办发明电〔2024〕12号');
update calendar_state set version = version + 1;
