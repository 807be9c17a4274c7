import { beforeAll, expect, it } from 'vitest';
import { OFFICIAL_EXCEPTIONS, cst, showCst } from '../../../test/calendar.js';
import { describeEachEngine } from '../../../test/db.js';
import { FakeClock } from '../../kernel/clock.js';
import type { PolicyActor } from '../access/index.js';
import { createAuditService } from '../audit/index.js';
import { createOrganizationService, DISTRICT_CODE, type Unit } from '../organization/index.js';
import { createCalendarService, type CalendarService } from './calendar.service.js';

const by = { userId: null, label: 'admin', ip: '10.0.0.9' };

describeEachEngine('work calendar service', (suite) => {
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  const audit = () => createAuditService(suite.database, clock);
  const org = () => createOrganizationService(suite.database, clock, audit());
  let calendar: CalendarService;
  let admin: PolicyActor;
  let dispatcher: PolicyActor;
  let hanfeng: Unit; // 汉丰街道
  let board: Unit; // one of its boards, two levels below
  let other: Unit; // 文峰街道
  const ctx = () => ({ actor: admin, by });

  beforeAll(async () => {
    calendar = createCalendarService(suite.database, clock, audit());
    const district = await org().getUnitByCode(DISTRICT_CODE);
    hanfeng = await org().getUnitByCode('500154001');
    other = await org().getUnitByCode('500154002');
    const center = (await org().getUnitContext(hanfeng)).children[0]!;
    board = (await org().getUnitContext(center)).children[0]!;
    admin = { userId: 1, posts: [{ role: 'admin', unitPath: district.path, townPath: null }], grants: [] };
    dispatcher = { userId: 2, posts: [{ role: 'town_dispatcher', unitPath: hanfeng.path, townPath: hanfeng.path }], grants: [] };
  });

  it('ships the official 2025 and 2026 schedules exactly as the State Council published them', async () => {
    const seeded = [];
    for (const year of [2025, 2026]) {
      const view = await calendar.overview(admin, { year, unitId: null });
      expect(view.published).toBe(true);
      seeded.push(...view.exceptions.map((e) => ({ date: e.date, kind: e.kind, name: e.name })));
    }
    expect(seeded).toEqual([...OFFICIAL_EXCEPTIONS].sort((a, b) => a.date.localeCompare(b.date)));
    const view = await calendar.overview(admin, { year: 2026, unitId: null });
    expect(view.years.map((y) => y.year)).toEqual([2025, 2026]);
    expect(view.sessions).toEqual([{ start: '09:00', end: '12:00' }, { start: '14:00', end: '18:00' }]);
    expect(view.days).toHaveLength(365);
    expect(view.days.filter((d) => d.working)).toHaveLength(248);
  });

  it('escalates a district incident after 1 working day, skipping the 2026 Spring Festival, from the seeded data', async () => {
    const district = await calendar.calendarFor(null);
    expect(showCst(district.addWorkingDays(cst('2026-02-14 10:00'), 1))).toBe('2026-02-24 10:00');
    expect(await calendar.calendarFor(board.id)).toBe(district); // no overrides anywhere: one shared calendar
  });

  it('applies a town’s own holiday to the town and its subtree only, and audits it', async () => {
    const row = await calendar.addException(ctx(), { unitId: hanfeng.id, date: '2026-03-04', kind: 'holiday', name: '赶场日' });
    expect(row).toMatchObject({ unitId: hanfeng.id, date: '2026-03-04', kind: 'holiday' });
    expect((await calendar.calendarFor(hanfeng.id)).isWorkingDay('2026-03-04')).toBe(false);
    expect((await calendar.calendarFor(board.id)).isWorkingDay('2026-03-04')).toBe(false);
    expect((await calendar.calendarForPath(board.path)).isWorkingDay('2026-03-04')).toBe(false);
    expect((await calendar.calendarFor(other.id)).isWorkingDay('2026-03-04')).toBe(true);
    expect((await calendar.calendarFor(null)).isWorkingDay('2026-03-04')).toBe(true);
    const [entry] = await audit().search({ action: 'calendar.exception.add' }, { limit: 1 });
    expect(entry).toMatchObject({ actorLabel: 'admin', targetType: 'calendar', targetId: '500154001', details: { date: '2026-03-04', kind: 'holiday', name: '赶场日' } });
  });

  it('lets the nearest level win: the town works a district holiday, a board under it rests after all', async () => {
    await calendar.addException(ctx(), { unitId: hanfeng.id, date: '2026-10-07', kind: 'workday', name: '节日值守' });
    await calendar.addException(ctx(), { unitId: board.id, date: '2026-10-07', kind: 'holiday', name: '国庆节' });
    expect((await calendar.calendarFor(null)).isWorkingDay('2026-10-07')).toBe(false);
    expect((await calendar.calendarFor(hanfeng.id)).isWorkingDay('2026-10-07')).toBe(true);
    expect((await calendar.calendarFor(board.id)).isWorkingDay('2026-10-07')).toBe(false);
    const view = await calendar.overview(admin, { year: 2026, unitId: board.id });
    expect(view.exceptions.filter((e) => e.date === '2026-10-07').map((e) => e.unit?.code ?? 'district')).toEqual(['district', '500154001', board.code]);
    expect(view.days.find((d) => d.date === '2026-10-07')).toMatchObject({ working: false, exception: { name: '国庆节' } });
  });

  it('gives a town its own working hours, inherited by its subtree until removed', async () => {
    await calendar.setWorkingHours(ctx(), hanfeng.id, [{ start: '08:30', end: '12:00' }, { start: '15:00', end: '18:00' }]);
    const boardCal = await calendar.calendarFor(board.id);
    expect(showCst(boardCal.addWorkingHours(cst('2026-03-02 11:00'), 2))).toBe('2026-03-02 16:00');
    const view = await calendar.overview(admin, { year: 2026, unitId: board.id });
    expect(view.sessionsFrom?.code).toBe('500154001');
    await calendar.clearWorkingHours(ctx(), hanfeng.id);
    expect(showCst((await calendar.calendarFor(board.id)).addWorkingHours(cst('2026-03-02 11:00'), 2))).toBe('2026-03-02 15:00');
    const [cleared, set] = await audit().search({ action: 'calendar.hours.' }, { limit: 2 });
    expect(cleared).toMatchObject({ action: 'calendar.hours.clear', details: { from: [{ start: '08:30', end: '12:00' }, { start: '15:00', end: '18:00' }] } });
    expect(set).toMatchObject({ action: 'calendar.hours.set', details: { from: null } });
  });

  it('changes the district’s hours for everyone, but never removes them', async () => {
    await calendar.setWorkingHours(ctx(), null, [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '17:30' }]);
    expect((await calendar.calendarFor(other.id)).workingMillisPerDay).toBe(7 * 3_600_000);
    expect(showCst((await calendar.calendarFor(other.id)).addWorkingHours(cst('2026-03-02 11:00'), 2))).toBe('2026-03-02 14:30');
    await expect(calendar.clearWorkingHours(ctx(), (await org().getUnitByCode(DISTRICT_CODE)).id)).rejects.toMatchObject({ code: 'CALENDAR.DISTRICT_HOURS_REQUIRED' });
    await calendar.setWorkingHours(ctx(), null, [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '18:00' }]);
  });

  it('refuses a duplicate date at one level, a make-up day on a working day, bad input and unknown units', async () => {
    const add = (input: Partial<Parameters<CalendarService['addException']>[1]>) =>
      calendar.addException(ctx(), { unitId: null, date: '2026-03-10', kind: 'holiday', name: '测试', ...input });
    await expect(add({ date: '2026-02-16', name: '重复' })).rejects.toMatchObject({ kind: 'Conflict', code: 'CALENDAR.DUPLICATE_DATE' });
    await expect(add({ unitId: hanfeng.id, date: '2026-03-04' })).rejects.toMatchObject({ kind: 'Conflict', code: 'CALENDAR.DUPLICATE_DATE' });
    await expect(add({ date: '2026-03-10', kind: 'workday' })).rejects.toMatchObject({ kind: 'Invalid', code: 'CALENDAR.WORKDAY_NOT_WEEKEND' });
    await expect(add({ unitId: other.id, date: '2026-03-10', kind: 'workday' })).rejects.toMatchObject({ code: 'CALENDAR.WORKDAY_NOT_OFF' });
    await expect(add({ date: '2026-02-30' })).rejects.toMatchObject({ code: 'CALENDAR.DATE_INVALID' });
    await expect(add({ kind: 'vacation' as never })).rejects.toMatchObject({ code: 'CALENDAR.KIND_INVALID' });
    await expect(add({ name: '  ' })).rejects.toMatchObject({ code: 'field.required' });
    await expect(add({ unitId: 999_999 })).rejects.toMatchObject({ kind: 'NotFound', code: 'UNIT.NOT_FOUND' });
    await expect(calendar.setWorkingHours(ctx(), null, [{ start: '14:00', end: '12:00' }])).rejects.toMatchObject({ code: 'CALENDAR.HOURS_INVALID' });
    await expect(calendar.removeException(ctx(), 999_999)).rejects.toMatchObject({ kind: 'NotFound', code: 'CALENDAR.ENTRY_NOT_FOUND' });
    // A make-up day on a weekend is fine for the district; on a district holiday it is fine for a town.
    await expect(add({ date: '2026-03-14', kind: 'workday', name: '补班' })).resolves.toMatchObject({ kind: 'workday' });
    await expect(add({ unitId: other.id, date: '2026-06-19', kind: 'workday', name: '值守' })).resolves.toMatchObject({ kind: 'workday' });
  });

  it('refuses every change to a town dispatcher, even in their own town', async () => {
    const as = { actor: dispatcher, by };
    await expect(calendar.addException(as, { unitId: hanfeng.id, date: '2026-03-11', kind: 'holiday', name: '越权' })).rejects.toMatchObject({ kind: 'Forbidden' });
    await expect(calendar.setWorkingHours(as, hanfeng.id, [{ start: '08:00', end: '17:00' }])).rejects.toMatchObject({ kind: 'Forbidden' });
    await expect(calendar.publishYear(as, 2027, null)).rejects.toMatchObject({ kind: 'Forbidden' });
    await expect(calendar.overview(dispatcher, { year: 2026, unitId: hanfeng.id })).rejects.toMatchObject({ kind: 'Forbidden' });
  });

  it('removes an entry, and this process’s calendars follow at once', async () => {
    const before = await calendar.calendarFor(null);
    expect(before.isWorkingDay('2026-03-14')).toBe(true);
    const row = (await calendar.overview(admin, { year: 2026, unitId: null })).exceptions.find((e) => e.date === '2026-03-14')!;
    await calendar.removeException(ctx(), row.id);
    expect((await calendar.calendarFor(null)).isWorkingDay('2026-03-14')).toBe(false);
    const [entry] = await audit().search({ action: 'calendar.exception.remove' }, { limit: 1 });
    expect(entry).toMatchObject({ details: { date: '2026-03-14', kind: 'workday' } });
  });

  it('shows another process the change once its cache is a few seconds old, not before', async () => {
    const otherClock = new FakeClock('2026-03-02T09:00:00+08:00');
    const otherProcess = createCalendarService(suite.database, otherClock, audit());
    expect((await otherProcess.calendarFor(null)).isWorkingDay('2026-03-16')).toBe(true);
    await calendar.addException(ctx(), { unitId: null, date: '2026-03-16', kind: 'holiday', name: '临时休息' });
    otherClock.advance(4_000);
    expect((await otherProcess.calendarFor(null)).isWorkingDay('2026-03-16')).toBe(true);
    otherClock.advance(1_000);
    expect((await otherProcess.calendarFor(null)).isWorkingDay('2026-03-16')).toBe(false);
  });

  it('refuses dates in 2027 until its schedule is entered and published', async () => {
    await expect((async () => (await calendar.calendarFor(null)).addWorkingDays(cst('2026-12-31 10:00'), 1))()).rejects.toMatchObject({ code: 'CALENDAR.OUT_OF_RANGE' });
    await expect(calendar.publishYear(ctx(), 2027, '测试通知')).rejects.toMatchObject({ code: 'CALENDAR.YEAR_EMPTY' });
    await calendar.addException(ctx(), { unitId: null, date: '2027-01-01', kind: 'holiday', name: '元旦' });
    expect((await calendar.calendarFor(null)).covers('2027-01-01')).toBe(false);
    await calendar.publishYear(ctx(), 2027, '测试通知');
    await expect(calendar.publishYear(ctx(), 2027, null)).rejects.toMatchObject({ kind: 'Conflict', code: 'CALENDAR.YEAR_PUBLISHED' });
    const district = await calendar.calendarFor(null);
    expect(showCst(district.addWorkingDays(cst('2026-12-31 10:00'), 1))).toBe('2027-01-04 10:00');
    const [entry] = await audit().search({ action: 'calendar.year.publish' }, { limit: 1 });
    expect(entry).toMatchObject({ details: { year: 2027, source: '测试通知' } });
  });

  it('loads inside a caller’s transaction when given its handle (and says so when not)', async () => {
    const cold = createCalendarService(suite.database, clock, audit());
    const working = await suite.database.transaction(async (tx) => (await cold.calendarFor(board.id, tx)).isWorkingDay('2026-03-04'));
    expect(working).toBe(false);
    const colder = createCalendarService(suite.database, clock, audit());
    await expect(suite.database.transaction(() => colder.calendarFor(null))).rejects.toMatchObject({ code: 'DB.OUTSIDE_TRANSACTION' });
    await expect(cold.calendarFor(999_999)).rejects.toMatchObject({ code: 'UNIT.NOT_FOUND' });
  });
});
