import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../../test/app.js';
import { describeEachEngine } from '../../../../test/db.js';
import { gbk } from '../../../../test/gbk.js';
import { DEMO_PASSWORD } from '../../../modules/demo/index.js';

describeEachEngine('people administration pages', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(suite.database);
  });
  const signIn = async (username: string, password = DEMO_PASSWORD) => {
    const client = new Client(t.app);
    expect((await client.submit('/login', '/login', { username, password })).status).toBe(303);
    return client;
  };
  const idOf = async (username: string) => {
    const admin = (await t.runtime.services!.identity.resolveSession((await t.runtime.services!.identity.signIn('admin', DEMO_PASSWORD, { ip: null, userAgent: null }) as { token: string }).token))!;
    return (await t.runtime.services!.people.search(admin, { text: username })).people.find((p) => p.username === username)!.id;
  };

  it('lists people for an administrator, with the navigation entries', async () => {
    const admin = await signIn('admin');
    const html = await (await admin.get('/workbench/people')).text();
    for (const text of ['人员与岗位', '接口令牌', 'gridworker', '汉丰街道 · 网格员', '新建人员', '批量导入人员（CSV）', '当前登录锁定']) expect(html).toContain(text);
  });

  it('shows a town dispatcher the people of their town only, and hides others as not found', async () => {
    const dispatcher = await signIn('dispatcher');
    const html = await (await dispatcher.get('/workbench/people')).text();
    expect(html).toContain('gridworker');
    expect(html).not.toContain('>handler<');
    expect(html).not.toContain('新建人员');
    expect((await dispatcher.get(`/workbench/people/${await idOf('handler')}`)).status).toBe(404);
    expect((await dispatcher.get(`/workbench/people/${await idOf('gridworker')}`)).status).toBe(200);
    const gridworker = await signIn('gridworker');
    expect((await gridworker.get('/workbench/people')).status).toBe(403);
  });

  it('creates a person through the form, keeping the input and naming each problem', async () => {
    const admin = await signIn('admin');
    const bad = await admin.submit('/workbench/people/new', '/workbench/people', { username: 'x', displayName: '', phone: 'abc', password: '123', unitCode: '', role: 'grid_worker', teamRole: '' });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    for (const text of ['用户名须为 3–40 位字母、数字或 _ . -。', '必填', '电话号码格式不正确。', '密码太短：至少需要 10 个字符。']) expect(html).toContain(text);
    expect(html).toContain('value="abc"');
    const ok = await admin.submit('/workbench/people/new', '/workbench/people', { username: 'page.new', displayName: '页面新建', phone: '13700000000', password: '', unitCode: '500154001', role: 'board_handler', teamRole: '' });
    expect(ok.status).toBe(303);
    const detail = await (await admin.get(ok.headers.get('location')!)).text();
    for (const text of ['页面新建', '未设密码（不能登录）', '板块办理人员', '已保存。']) expect(detail).toContain(text);
  });

  it('changes a person from their page: post, permission, password, disable; each audited', async () => {
    const admin = await signIn('admin');
    const id = await idOf('page.new');
    const page = `/workbench/people/${id}`;
    expect((await admin.submit(page, `${page}/add-post`, { unitCode: '500154002', role: 'town_dispatcher', teamRole: '' })).status).toBe(303);
    const wrongTeam = await admin.submit(page, `${page}/add-post`, { unitCode: '500154002', role: 'grid_worker', teamRole: 'leader' });
    expect(wrongTeam.status).toBe(422);
    expect(await wrongTeam.text()).toContain('网格团队职务只能用于网格岗位');
    expect((await admin.submit(page, `${page}/grant`, { permission: 'reporter.identity.read' })).status).toBe(303);
    expect((await admin.submit(page, `${page}/password`, { password: 'Kaizhou-river-99' })).status).toBe(303);
    const person = await signIn('page.new', 'Kaizhou-river-99');
    expect((await admin.submit(page, `${page}/disable`, {})).status).toBe(303);
    expect((await person.get('/workbench')).headers.get('location')).toContain('reason=invalid');
    const detail = await (await admin.get(page)).text();
    for (const text of ['文峰街道', '查看 12350 举报人身份信息', '已停用', '恢复启用']) expect(detail).toContain(text);
    const actions = (await t.runtime.services!.audit.search({ targetId: 'page.new', actor: 'admin' }, { limit: 20 })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'user.post_add', 'user.grant', 'user.password_set', 'user.disable']));
    const self = await admin.submit(`/workbench/people/${await idOf('admin')}`, `/workbench/people/${await idOf('admin')}/disable`, {});
    expect(self.status).toBe(422);
    expect(await self.text()).toContain('不能停用自己的账户。');
  });

  it('refuses changes to a supervisor, who may only read', async () => {
    const supervisor = await signIn('supervisor');
    const id = await idOf('gridworker');
    expect(await (await supervisor.get(`/workbench/people/${id}`)).text()).not.toContain('重置密码');
    expect((await supervisor.submit(`/workbench/people/${id}`, `/workbench/people/${id}/disable`, {})).status).toBe(403);
  });

  it('imports an uploaded staff list, in GBK, and shows every bad row in a table otherwise', async () => {
    const admin = await signIn('admin');
    const page = await (await admin.get('/workbench/people')).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const upload = async (bytes: Uint8Array<ArrayBuffer>) => {
      const form = new FormData();
      form.set('_csrf', token);
      form.set('file', new File([bytes], 'staff.csv', { type: 'text/csv' }));
      return admin.request('/workbench/people/import', { method: 'POST', body: form });
    };
    const bad = await upload(gbk('用户名,姓名,单位代码,角色\r\nhttp.imp1,甲,500154001,网格员\r\nhttp.imp1,乙,NOPE,校长\r\n'));
    expect(bad.status).toBe(422);
    const html = await bad.text();
    for (const text of ['发现 3 处问题，未导入任何内容。', '用户名“http.imp1”与第 2 行重复。', '没有找到单位“NOPE”。', '未知的角色“校长”。', '<td>3</td>']) expect(html).toContain(text);
    const good = await upload(gbk('用户名,姓名,单位代码,角色\r\nhttp.imp1,甲,500154001,网格员\r\n'));
    expect(good.status).toBe(200);
    expect(await good.text()).toContain('导入完成：新增 1 人（其中 0 人已设密码），岗位 1 个。');
  });

  it('makes a person whose password an administrator chose replace it before doing anything else', async () => {
    const admin = await signIn('admin');
    const created = await admin.submit('/workbench/people/new', '/workbench/people', { username: 'forced.change', displayName: '初始密码', phone: '', password: 'Kaizhou-first-11', unitCode: '500154001', role: 'board_handler', teamRole: '' });
    expect(created.status).toBe(303);
    const page = created.headers.get('location')!.split('?')[0]!;
    expect(await (await admin.get(page)).text()).toContain('密码由管理员设置，本人登录后须先修改');

    const person = await signIn('forced.change', 'Kaizhou-first-11');
    // Every staff page leads to the password form; the form says why.
    for (const path of ['/workbench', '/workbench/incidents', '/workbench/account']) {
      const res = await person.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe('/workbench/account/password');
    }
    const form = await (await person.get('/workbench/account/password')).text();
    expect(form).toContain('您的密码由管理员设置，请先修改为只有您自己知道的新密码');
    // Any other staff action is refused, in Chinese, and changes nothing.
    const refused = await person.submit('/workbench/account/password', '/workbench/account/second-factor/start', {});
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('请先在“修改密码”页面设置新密码');
    const enrolments = await sql<{ n: number }>`select count(*)::int as n from user_totp t join users u on u.id = t.user_id where u.username = 'forced.change'`.execute(suite.database.db);
    expect(enrolments.rows[0]!.n).toBe(0);
    // The session API refuses in JSON rather than redirecting to a page.
    const me = await person.get('/api/v1/me');
    expect(me.status).toBe(403);
    expect(((await me.json()) as { error: { code: string } }).error.code).toBe('AUTH.PASSWORD_CHANGE_REQUIRED');
    // Anywhere else the person is an anonymous visitor: public pages as for anyone, staff files refused as to anyone.
    const home = await person.get('/');
    expect(home.status).toBe(200);
    expect(await home.text()).not.toContain('初始密码');
    const anonymous = new Client(t.app);
    for (const path of ['/files/1/original', '/files/1/clean']) {
      const [theirs, nobody] = [await person.get(path), await anonymous.get(path)];
      expect(theirs.status, path).not.toBe(200);
      expect([theirs.status, theirs.headers.get('location')], path).toEqual([nobody.status, nobody.headers.get('location')]);
    }

    const changed = await person.submit('/workbench/account/password', '/workbench/account/password', { currentPassword: 'Kaizhou-first-11', newPassword: 'Only-I-know-this-1', confirmPassword: 'Only-I-know-this-1' });
    expect(changed.status).toBe(303);
    expect((await person.get('/workbench')).status).toBe(200);
    expect(await (await admin.get(page)).text()).not.toContain('密码由管理员设置，本人登录后须先修改');

    // An administrator's reset asks for a change again; an administrator setting their own password does not.
    expect((await admin.submit(page, `${page}/password`, { password: 'Kaizhou-reset-22' })).status).toBe(303);
    const again = await signIn('forced.change', 'Kaizhou-reset-22');
    expect((await again.get('/workbench')).headers.get('location')).toBe('/workbench/account/password');
    const adminPage = `/workbench/people/${await idOf('admin')}`;
    expect((await admin.submit(adminPage, `${adminPage}/password`, { password: 'Kaizhou-own-choice-33' })).status).toBe(303);
    const adminAgain = await signIn('admin', 'Kaizhou-own-choice-33');
    expect((await adminAgain.get('/workbench')).status).toBe(200);
    // Back to the demo password for the tests that follow (through the account page, as the person would).
    const restored = await adminAgain.submit('/workbench/account/password', '/workbench/account/password', { currentPassword: 'Kaizhou-own-choice-33', newPassword: DEMO_PASSWORD, confirmPassword: DEMO_PASSWORD });
    expect(restored.status).toBe(303);
  });

  it('asks people imported with a password to replace it at their first sign-in', async () => {
    const admin = await signIn('admin');
    const page = await (await admin.get('/workbench/people')).text();
    const form = new FormData();
    form.set('_csrf', /name="_csrf" value="([^"]+)"/.exec(page)![1]!);
    form.set('file', new File(['用户名,姓名,单位代码,角色,初始密码\r\nimp.pw1,丙,500154001,网格员,Kaizhou-import-44\r\nimp.nopw,丁,500154001,网格员,\r\n'], 'staff.csv', { type: 'text/csv' }));
    expect((await admin.request('/workbench/people/import', { method: 'POST', body: form })).status).toBe(200);
    const imported = await signIn('imp.pw1', 'Kaizhou-import-44');
    expect((await imported.get('/workbench')).headers.get('location')).toBe('/workbench/account/password');
    const people = await t.runtime.services!.people.search((await t.runtime.services!.identity.actorByUsername('admin'))!, { text: 'imp.' });
    expect(people.people.map((p) => [p.username, p.passwordChangeRequired])).toEqual(expect.arrayContaining([['imp.pw1', true], ['imp.nopw', false]]));
  });
});
