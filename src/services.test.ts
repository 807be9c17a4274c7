import { expect, it } from 'vitest';
import { describeEachEngine } from '../test/db.js';
import { by, createCaseFlow } from '../test/incidents.js';
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

describeEachEngine('the freshness monitor and the public letters', (suite) => {
  it('names letters left without a response for over three months, and no problem reports, answered or refused letters', async () => {
    const f = await createCaseFlow(suite.database, { start: '2026-05-04T10:00:00+08:00' });
    const { services, clock } = f;
    const hanfeng = (await services.organization.getUnitByCode('500154001')).id;
    const citizen = { userId: null, label: 'citizen', ip: '203.0.113.9' };
    const letter = (description: string, over: Partial<Parameters<typeof services.incidents.report>[0]> = {}) =>
      services.incidents.report({ channel: 'web', requestType: 'consult', description, areaUnitId: hanfeng, ...over }, citizen);
    const waiting = await letter('请问老年人乘车优惠卡在哪里办理？');
    const mailbox = await letter('建议在汉丰湖边增设无障碍通道。', { channel: 'leader', requestType: null });
    await letter('路灯不亮（随手拍，不是信件）', { requestType: null });
    const answered = await letter('请问社保卡补办需要什么材料？');
    const dispatcher = await f.actor('dispatcher');
    await services.incidents.act(answered.incident.id, { action: 'accept' }, dispatcher, by(dispatcher));
    await services.incidents.act(answered.incident.id, { action: 'answer', reply: '携带身份证到社保窗口办理。' }, dispatcher, by(dispatcher));
    clock.advance(60 * 86_400_000);
    const recent = await letter('两个月后才来的信。');
    clock.advance(40 * 86_400_000); // 100 days after the first letters, 40 after the last

    const report = await services.portal.freshness.run();
    const unanswered = report.findings.filter((f) => f.code === 'FRESH.MESSAGE_UNANSWERED');
    expect(unanswered.map((f) => f.params.title)).toEqual([`${waiting.incident.number} ${waiting.incident.title}`, `${mailbox.incident.number} ${mailbox.incident.title}`]);
    expect(unanswered[0]).toMatchObject({ level: 'fail', href: `/workbench/incidents/${waiting.incident.id}`, params: { days: 100 } });
    expect(report.findings.some((f) => f.code === 'FRESH.MESSAGES_NOT_CONNECTED')).toBe(false);
    expect(JSON.stringify(unanswered)).not.toContain(recent.incident.number);
  });
});
