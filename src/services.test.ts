import { expect, it } from 'vitest';
import { describeEachEngine } from '../test/db.js';
import { FakeClock } from './kernel/clock.js';
import { silentLogger } from './kernel/logger.js';
import { createAuditService } from './modules/audit/index.js';
import { createCalendarService } from './modules/calendar/index.js';
import { calendarTiming } from './services.js';

describeEachEngine('deadlines by the work calendar', (suite) => {
  const clock = new FakeClock('2026-12-28T09:00:00+08:00');
  const calendar = () => createCalendarService(suite.database, clock, createAuditService(suite.database, clock));

  it('counts working hours across a weekend and warns at three quarters of the working time', async () => {
    const t = await calendarTiming(calendar(), silentLogger).forUnit(null);
    // Friday 2026-03-06 17:00 + 2 working hours: 17:00–18:00 on Friday, 09:00–10:00 on Monday.
    const { dueAt, warnAt } = t.deadline(new Date('2026-03-06T17:00:00+08:00'), { amount: 2, unit: 'hours' });
    expect(dueAt).toEqual(new Date('2026-03-09T10:00:00+08:00'));
    expect(warnAt).toEqual(new Date('2026-03-09T09:30:00+08:00'));
    // The 2026 National Day holiday: 1–7 October off, Saturday 10 October a make-up working day.
    expect(t.deadline(new Date('2026-09-30T10:00:00+08:00'), { amount: 2, unit: 'days' }).dueAt).toEqual(new Date('2026-10-09T10:00:00+08:00'));
    // Natural hours run round the clock.
    expect(t.deadline(new Date('2026-10-01T10:00:00+08:00'), { amount: 2, unit: 'natural_hours' }).dueAt).toEqual(new Date('2026-10-01T12:00:00+08:00'));
  });

  it('keeps taking reports when a deadline crosses into a year not yet published, on a weekday-only provisional calendar', async () => {
    const t = await calendarTiming(calendar(), silentLogger).forUnit(null);
    // 2026-12-31 (Thursday) 17:30 + 15 working days: January 2027 counted Monday to Friday.
    const { dueAt } = t.deadline(new Date('2026-12-31T17:30:00+08:00'), { amount: 15, unit: 'days' });
    expect(dueAt).toEqual(new Date('2027-01-21T17:30:00+08:00'));
  });
});
