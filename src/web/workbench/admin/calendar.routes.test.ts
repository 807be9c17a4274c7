import { beforeAll, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../../test/app.js';
import { describeEachEngine } from '../../../../test/db.js';
import { FakeClock } from '../../../kernel/clock.js';
import { DEMO_PASSWORD } from '../../../modules/demo/index.js';

describeEachEngine('work calendar page', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(suite.database, { clock: new FakeClock('2026-03-02T10:00:00+08:00') });
  });
  const signIn = async (username: string) => {
    const client = new Client(t.app);
    const res = await client.submit('/login', '/login', { username, password: DEMO_PASSWORD });
    expect(res.status).toBe(303);
    return client;
  };
  const page = '/workbench/calendar?year=2026';

  it('shows an administrator the year’s holidays, make-up days and month grids, linked from the menu', async () => {
    const admin = await signIn('admin');
    expect(await (await admin.get('/workbench')).text()).toContain('href="/workbench/calendar"');
    const res = await admin.get('/workbench/calendar');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('2026 年工作日历 · 全区');
    expect(html).toContain('<time datetime="2026-02-14">2026-02-14</time>');
    expect(html).toMatch(/2026-02-14<\/time><\/td><td>星期六<\/td><td><span class="pill cal-pill-workday">调休上班<\/span><\/td><td>春节<\/td>/);
    expect(html).toContain('全年工作日 248 天');
    expect(html).toContain('2026 年节假日安排已发布');
    expect(html.match(/<table class="cal-month">/g)).toHaveLength(12);
  });

  it('adds a town’s own holiday from the form, shows it in the town’s view only, and removes it', async () => {
    const admin = await signIn('admin');
    const town = `${page}&unit=500154001`;
    const added = await admin.submit(town, '/workbench/calendar/exceptions', { year: '2026', unit: '500154001', date: '2026-03-04', kind: 'holiday', name: '赶场日' });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe('/workbench/calendar?year=2026&unit=500154001&done=added');
    const townHtml = await (await admin.get(added.headers.get('location')!)).text();
    expect(townHtml).toContain('已添加。');
    expect(townHtml).toContain('赶场日');
    expect(townHtml).toContain('2026 年工作日历 · 汉丰街道');
    expect(await (await admin.get(page)).text()).not.toContain('赶场日');
    const id = /action="\/workbench\/calendar\/exceptions\/(\d+)\/remove"/.exec(townHtml)![1];
    const removed = await admin.submit(town, `/workbench/calendar/exceptions/${id}/remove`, { year: '2026', unit: '500154001' });
    expect(removed.status).toBe(303);
    expect(await (await admin.get(town)).text()).not.toContain('赶场日');
    const [entry] = await t.runtime.services!.audit.search({ action: 'calendar.exception.remove' }, { limit: 1 });
    expect(entry).toMatchObject({ actorLabel: 'admin', targetId: '500154001' });
  });

  it('keeps the input and explains why a make-up day on a weekday, a duplicate date or bad hours are refused', async () => {
    const admin = await signIn('admin');
    const weekday = await admin.submit(page, '/workbench/calendar/exceptions', { year: '2026', unit: '', date: '2026-03-10', kind: 'workday', name: '补班测试' });
    expect(weekday.status).toBe(422);
    const html = await weekday.text();
    expect(html).toContain('2026-03-10 本来就是工作日：调休上班日必须是周六或周日。');
    expect(html).toContain('value="补班测试"');
    const duplicate = await admin.submit(page, '/workbench/calendar/exceptions', { year: '2026', unit: '', date: '2026-10-01', kind: 'holiday', name: '国庆节' });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain('2026-10-01 在这一级已有设置');
    const hours = await admin.submit(page, '/workbench/calendar/hours', { year: '2026', unit: '', sessions: '09:00-12:00, 11:00-13:00' });
    expect(hours.status).toBe(422);
    const hoursHtml = await hours.text();
    expect(hoursHtml).toContain('时段“11:00-13:00”与前一时段重叠');
    expect(hoursHtml).toContain('value="09:00-12:00, 11:00-13:00"');
  });

  it('sets a town’s working hours and lets it inherit the district’s again', async () => {
    const admin = await signIn('admin');
    const town = `${page}&unit=500154001`;
    expect((await admin.submit(town, '/workbench/calendar/hours', { year: '2026', unit: '500154001', sessions: '8:30-12:00 15:00-18:00' })).status).toBe(303);
    const html = await (await admin.get(town)).text();
    expect(html).toContain('<strong>08:30-12:00, 15:00-18:00</strong> · 每个工作日 6.5 小时');
    expect(html).toContain('恢复为上级的工作时间');
    expect((await admin.submit(town, '/workbench/calendar/hours/clear', { year: '2026', unit: '500154001' })).status).toBe(303);
    expect(await (await admin.get(town)).text()).toContain('<strong>09:00-12:00, 14:00-18:00</strong>');
  });

  it('warns that 2027 is not published and refuses to publish it before its holidays are entered', async () => {
    const admin = await signIn('admin');
    const html = await (await admin.get('/workbench/calendar?year=2027')).text();
    expect(html).toContain('2027 年节假日安排尚未发布');
    const res = await admin.submit('/workbench/calendar?year=2027', '/workbench/calendar/years', { year: '2027', unit: '', source: '' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('2027 年还没有录入全区的放假日期');
  });

  it('warns from November on that next year’s schedule is missing, and not before', async () => {
    const late = await createTestApp(suite.database, { clock: new FakeClock('2026-11-28T10:00:00+08:00') });
    const client = new Client(late.app);
    expect((await client.submit('/login', '/login', { username: 'admin', password: DEMO_PASSWORD })).status).toBe(303);
    const html = await (await client.get('/workbench/calendar')).text();
    expect(html).toContain('2027 年节假日安排尚未录入和发布');
    expect(html).toContain('href="/workbench/calendar?year=2027"');
    const admin = await signIn('admin');
    expect(await (await admin.get('/workbench/calendar')).text()).not.toContain('尚未录入和发布');
  });

  it('speaks English when asked', async () => {
    const admin = await signIn('admin');
    const html = await (await admin.get(`${page}&lang=en`)).text();
    expect(html).toContain('Work calendar 2026 · Whole district');
    expect(html).toContain('Make-up working day');
  });

  it('refuses the page to a town dispatcher and hides it from their menu; sends a visitor to sign in', async () => {
    const dispatcher = await signIn('dispatcher');
    expect(await (await dispatcher.get('/workbench')).text()).not.toContain('/workbench/calendar');
    expect((await dispatcher.get(page)).status).toBe(403);
    const home = await dispatcher.get('/workbench');
    expect(home.status).toBe(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(await home.text())![1]!;
    expect((await dispatcher.post('/workbench/calendar/exceptions', { _csrf: token, year: '2026', unit: '500154001', date: '2026-03-11', kind: 'holiday', name: '越权' })).status).toBe(403);
    const visitor = await new Client(t.app).get(page);
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get('location')).toContain('/login?next=');
  });

  it('names an unknown unit code instead of failing', async () => {
    const admin = await signIn('admin');
    const res = await admin.get(`${page}&unit=NOPE`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('没有找到该单位');
    expect(html).toContain('2026 年工作日历 · 全区');
  });
});
