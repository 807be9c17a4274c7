import { beforeAll, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../../test/app.js';
import { describeEachEngine } from '../../../../test/db.js';
import { DEMO_PASSWORD } from '../../../modules/demo/index.js';

const PNG_1x1 = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));

describeEachEngine('incident pages', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(suite.database);
  });
  const signIn = async (username: string) => {
    const client = new Client(t.app);
    expect((await client.submit('/login', '/login', { username, password: DEMO_PASSWORD })).status).toBe(303);
    return client;
  };
  const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  const versionOf = (html: string) => /name="expectedVersion" value="(\d+)"/.exec(html)![1]!;
  const act = async (client: Client, id: string, action: string, fields: Record<string, string> = {}) => {
    const page = await (await client.get(`/workbench/incidents/${id}`)).text();
    return client.post(`/workbench/incidents/${id}/act/${action}`, { _csrf: tokenOf(page), expectedVersion: versionOf(page), ...fields });
  };

  it('walks a case from intake to rating through the workbench forms, as each demo role', async () => {
    const dispatcher = await signIn('dispatcher');
    const categories = await t.runtime.services!.catalog.list();
    const stall = categories.find((c) => c.current.name === '占道经营')!;
    const created = await dispatcher.submit('/workbench/incidents/new', '/workbench/incidents/new', {
      idempotencyKey: 'wb-test-1',
      channel: 'hotline_12345',
      requestType: 'complaint',
      categoryId: String(stall.id),
      description: '滨湖路有摊贩占道经营，影响老人通行。',
      address: '滨湖路 8 号',
      reporterName: '李女士',
      reporterPhone: '13900000000',
    });
    expect(created.status).toBe(303);
    const id = created.headers.get('location')!.split('/').pop()!;
    // A 12345 order is coordinated by the district center: the town dispatcher may not accept it; the supervisor may.
    const page = await (await dispatcher.get(`/workbench/incidents/${id}`)).text();
    expect(page).toContain('12345 热线');
    expect(page).not.toContain(`/act/accept"`);
    const supervisor = await signIn('supervisor');
    for (const action of ['accept', 'file']) expect((await act(supervisor, id, action)).status).toBe(303);
    expect((await act(supervisor, id, 'dispatch', { leadUnit: 'D-CGJ' })).status).toBe(303);
    const handler = await signIn('handler');
    expect(await (await handler.get('/workbench/incidents?queue=to_sign')).text()).toContain('滨湖路有摊贩占道经营');
    expect((await act(handler, id, 'sign')).status).toBe(303);
    // Report back with a photo, as a phone would send it.
    const detail = await (await handler.get(`/workbench/incidents/${id}`)).text();
    const form = new FormData();
    form.set('_csrf', tokenOf(detail));
    form.set('expectedVersion', versionOf(detail));
    form.set('result', '已劝离摊贩，恢复通行。');
    form.set('publicNote', '已处理');
    form.set('files', new File([PNG_1x1], 'scene.png', { type: 'image/png' }));
    expect((await handler.request(`/workbench/incidents/${id}/act/report_back`, { method: 'POST', body: form })).status).toBe(303);
    for (const action of ['verify_pass', 'close']) expect((await act(supervisor, id, action)).status).toBe(303);
    expect((await act(supervisor, id, 'rate', { rating: 'satisfied' })).status).toBe(303);
    const done = await (await supervisor.get(`/workbench/incidents/${id}`)).text();
    expect(done).toContain('已结案');
    expect(done).toContain('满意');
    for (const step of ['受理', '立案', '派遣', '签收', '处置反馈', '核查通过', '结案', '回访评价']) expect(done).toContain(`<strong>${step}</strong>`);
    const thumb = /src="(\/files\/\d+\/thumb)"/.exec(done)![1]!;
    const img = await supervisor.get(thumb);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    // Another town's dispatcher cannot open the case or its files.
    await t.runtime.services!.identity.createUser({ username: 'dade.wb', displayName: '大德镇调度员', password: 'Dade-dispatch-2026', posts: [{ unitCode: '500154100-ZX', role: 'town_dispatcher' }] }, { userId: null, label: 'test', ip: null });
    const outsider = new Client(t.app);
    await outsider.submit('/login', '/login', { username: 'dade.wb', password: 'Dade-dispatch-2026' });
    expect((await outsider.get(thumb)).status).toBe(404);
    expect((await outsider.get(`/workbench/incidents/${id}`)).status).toBe(403);
  });

  it('keeps the form and explains a refusal: a stale version, a missing reason', async () => {
    const dispatcher = await signIn('dispatcher');
    const created = await dispatcher.submit('/workbench/incidents/new', '/workbench/incidents/new', { channel: 'phone', description: '路灯不亮。', idempotencyKey: 'wb-test-2' });
    const id = created.headers.get('location')!.split('/').pop()!;
    const page = await (await dispatcher.get(`/workbench/incidents/${id}`)).text();
    expect((await dispatcher.post(`/workbench/incidents/${id}/act/accept`, { _csrf: tokenOf(page), expectedVersion: versionOf(page) })).status).toBe(303);
    const stale = await dispatcher.post(`/workbench/incidents/${id}/act/reject`, { _csrf: tokenOf(page), expectedVersion: versionOf(page), reason: '重复' });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('已被他人处理');
    const noReason = await act(dispatcher, id, 'reject');
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain('请填写');
  });

  it('refuses a file that is not an image on the patrol page and keeps what was typed', async () => {
    const grid = await signIn('gridworker');
    const page = await (await grid.get('/workbench/patrol')).text();
    const form = new FormData();
    form.set('_csrf', tokenOf(page));
    form.set('description', '井盖缺失，有安全隐患。');
    form.set('files', new File([new TextEncoder().encode('MZ not an image')], 'photo.jpg', { type: 'image/jpeg' }));
    const res = await grid.request('/workbench/patrol', { method: 'POST', body: form });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('不支持的文件类型');
    expect(html).toContain('井盖缺失，有安全隐患。');
  });

  it('lets a grid worker report and resolve on the spot in one go', async () => {
    const grid = await signIn('gridworker');
    const page = await (await grid.get('/workbench/patrol')).text();
    const garbage = (await t.runtime.services!.catalog.list()).find((c) => c.current.name === '暴露垃圾')!;
    const withoutCategory = await grid.post('/workbench/patrol', { _csrf: tokenOf(page), description: '绿化带有垃圾堆放。', resolvedOnSite: '已现场清理', idempotencyKey: 'patrol-0' });
    expect(withoutCategory.status).toBe(422);
    expect(await withoutCategory.text()).toContain('请先选择事项类别');
    const res = await grid.post('/workbench/patrol', { _csrf: tokenOf(page), categoryId: String(garbage.id), description: '绿化带有垃圾堆放。', resolvedOnSite: '已现场清理', idempotencyKey: 'patrol-1' });
    expect(res.status).toBe(200);
    const number = /已登记事件 (KZ\d+)/.exec(await res.text())![1]!;
    const incident = (await t.runtime.services!.incidents.findByNumber(number))!;
    expect(incident).toMatchObject({ state: 'closed', channel: 'grid_patrol', result: '已现场清理' });
  });

  it('shows the queues with counts and runs a bulk action over the selected cases', async () => {
    const dispatcher = await signIn('dispatcher');
    const ids: string[] = [];
    for (const n of [1, 2]) {
      const r = await dispatcher.submit('/workbench/incidents/new', '/workbench/incidents/new', { channel: 'phone', description: `批量测试 ${n}`, idempotencyKey: `bulk-${n}` });
      ids.push(r.headers.get('location')!.split('/').pop()!);
    }
    const consolePage = await (await dispatcher.get('/workbench/incidents?queue=to_accept')).text();
    expect(consolePage).toMatch(/待受理<span class="count">\d+<\/span>/);
    const res = await dispatcher.request('/workbench/incidents/bulk', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['_csrf', tokenOf(consolePage)], ['action', 'accept'], ['back', '/workbench/incidents?queue=to_accept'], ...ids.map((i) => ['ids', i])]).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/workbench/incidents?queue=to_accept&done=2&failed=0');
    for (const id of ids) expect((await t.runtime.services!.incidents.get(Number(id))).state).toBe('accepted');
  });

  it('shows a person their notifications', async () => {
    const handler = await signIn('handler');
    const html = await (await handler.get('/workbench/notifications')).text();
    expect(html).toContain('新派遣事件');
  });

  it('shows the evaluation and exports it as CSV and Excel', async () => {
    const supervisor = await signIn('supervisor');
    const page = await supervisor.get('/workbench/stats?by=lead&from=2020-01-01&to=2030-12-31');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('按期结案率');
    expect(html).toContain('区城市管理局');
    const csv = await supervisor.get('/workbench/stats.csv?by=lead&from=2020-01-01&to=2030-12-31');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toMatch(/D-CGJ,\d+,区城市管理局/);
    const xlsx = await supervisor.get('/workbench/stats.xlsx?by=town&from=2020-01-01&to=2030-12-31');
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const bytes = new Uint8Array(await xlsx.arrayBuffer());
    expect([...bytes.slice(0, 2)]).toEqual([0x50, 0x4b]); // a ZIP container, as .xlsx files are
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes.buffer as ArrayBuffer);
    expect(book.worksheets[0]!.getRow(1).getCell(2).value).toBe('单位');
    const handler = await signIn('handler');
    expect((await handler.get('/workbench/stats')).status).toBe(200);
    const anonymous = new Client(t.app);
    expect((await anonymous.get('/workbench/stats.csv')).status).toBe(303);
  });

  it('lets an administrator revise a category (a new version) and set a route; others only read', async () => {
    const admin = await signIn('admin');
    const list = await (await admin.get('/workbench/catalog')).text();
    expect(list).toContain('市容环境');
    const lamp = (await t.runtime.services!.catalog.list()).find((c) => c.current.name === '路灯不亮')!;
    const page = await (await admin.get(`/workbench/catalog/${lamp.id}`)).text();
    const revised = await admin.post(`/workbench/catalog/${lamp.id}`, { _csrf: tokenOf(page), name: '路灯不亮', defaultUrgency: 'normal', 'normal.handle.amount': '3', 'normal.handle.unit': 'days', publicVisible: 'on', duplicateRadiusM: '300' });
    expect(revised.status).toBe(200);
    expect(await revised.text()).toContain('已保存为第 2 版');
    expect((await t.runtime.services!.catalog.get(lamp.id)).current).toMatchObject({ version: 2, limits: { handle: { amount: 3, unit: 'days' } }, duplicateRadiusM: 300 });
    const bad = await admin.post(`/workbench/catalog/${lamp.id}`, { _csrf: tokenOf(page), name: '路灯不亮', 'normal.handle.amount': '-1', 'normal.handle.unit': 'days' });
    expect(bad.status).toBe(422);
    const route = await admin.post(`/workbench/catalog/${lamp.id}/routes`, { _csrf: tokenOf(page), areaCode: '500154100', leadCode: 'D-ZJW', coCodes: 'D-CGJ' });
    expect(route.status).toBe(303);
    const after = await (await admin.get(`/workbench/catalog/${lamp.id}`)).text();
    expect(after).toContain('大德镇');
    expect(after).toContain('区住房城乡建委');
    const dispatcher = await signIn('dispatcher');
    expect((await dispatcher.get(`/workbench/catalog/${lamp.id}`)).status).toBe(200);
    expect((await dispatcher.post(`/workbench/catalog/${lamp.id}`, { _csrf: tokenOf(after), name: 'x' })).status).toBe(403);
  });
});