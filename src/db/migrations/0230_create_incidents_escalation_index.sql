-- The worker's escalation sweep looks for incidents left overdue (red) at a coordinating stage below the district.
-- Among a million open incidents those are few; without this index the sweep walked the open incidents by due
-- date (about 90 ms per sweep at 300,000 open, growing with the table).
create index incidents_escalation_idx on incidents (due_at)
  where sla = 'red' and level <> 'district' and state in ('reported', 'accepted', 'filed');
