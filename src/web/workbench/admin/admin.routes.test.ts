import { beforeAll, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../../test/app.js';
import { describeEachEngine } from '../../../../test/db.js';
import { DEMO_PASSWORD } from '../../../modules/demo/index.js';

describeEachEngine('administration pages', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(suite.database);
  });
  const signIn = async (username: string) => {
    const client = new Client(t.app);
    const res = await client.submit('/login', '/login', { username, password: DEMO_PASSWORD });
    expect(res.status).toBe(303);
    return client;
  };

  it('shows the unit tree to an administrator and lets them add, rename and import units', async () => {
    const admin = await signIn('admin');
    const root = await admin.get('/workbench/units');
    expect(root.status).toBe(200);
    const html = await root.text();
    expect(html).toContain('汉丰街道');
    expect(html).toContain('导入');
    const town = (await t.runtime.services!.organization.getUnitByCode('500154110'))!;
    const created = await admin.submit(`/workbench/units/${town.id}`, '/workbench/units', { parentCode: '500154110', code: 'WB-V1', name: '页面新建村', kind: 'village' });
    expect(created.status).toBe(303);
    const villagePage = await admin.get(created.headers.get('location')!);
    expect(await villagePage.text()).toContain('页面新建村');
    const id = created.headers.get('location')!.split('/').pop();
    const renamed = await admin.submit(`/workbench/units/${id}`, `/workbench/units/${id}/edit`, { name: '页面改名村' });
    expect(renamed.status).toBe(303);
    const after = await (await admin.get(`/workbench/units/${id}`)).text();
    expect(after).toContain('页面改名村');
    expect(after).toContain('更名');
  });

  it('keeps the input and explains the problem when a form is wrong', async () => {
    const admin = await signIn('admin');
    const town = await t.runtime.services!.organization.getUnitByCode('500154110');
    const res = await admin.submit(`/workbench/units/${town.id}`, '/workbench/units', { parentCode: '500154110', code: 'WB-V1', name: '重复', kind: 'village' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('代码“WB-V1”已被使用');
  });

  it('imports units from an uploaded CSV and lists every bad row otherwise', async () => {
    const admin = await signIn('admin');
    const page = await (await admin.get('/workbench/units')).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const upload = async (csv: string) => {
      const form = new FormData();
      form.set('_csrf', token);
      form.set('file', new File([csv], 'units.csv', { type: 'text/csv' }));
      return admin.request('/workbench/units/import', { method: 'POST', body: form });
    };
    const bad = await upload('code,name,kind,parent_code\nWB-X,甲,村,NOPE\nWB-X,乙,村,500154110\n');
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('找不到上级单位“NOPE”');
    expect(badHtml).toContain('与第 2 行重复');
    const good = await upload('code,name,kind,parent_code\nWB-Y,导入村,村,500154110\n');
    expect(good.status).toBe(200);
    expect(await good.text()).toContain('新增 1 个');
  });

  it('refuses tree changes to a town dispatcher, and the whole admin area to a signed-out visitor', async () => {
    const dispatcher = await signIn('dispatcher');
    expect((await dispatcher.get('/workbench/units')).status).toBe(200);
    const town = await t.runtime.services!.organization.getUnitByCode('500154110');
    const res = await dispatcher.submit('/workbench/units', '/workbench/units', { parentCode: '500154110', code: 'WB-Z', name: '越权', kind: 'village' });
    expect(res.status).toBe(403);
    expect((await dispatcher.get('/workbench/audit')).status).toBe(403);
    expect(town).toBeDefined();
    const anonymous = new Client(t.app);
    const redirect = await anonymous.get('/workbench/units');
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe('/login?next=%2Fworkbench%2Funits');
  });

  it('lets a supervisor search and export the audit log, and records the export', async () => {
    const supervisor = await signIn('supervisor');
    const page = await supervisor.get('/workbench/audit?action=auth.sign_in&actor=supervisor');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('auth.sign_in');
    const csv = await supervisor.get('/workbench/audit/export.csv?action=unit.');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, so Excel reads the Chinese text as UTF-8
    const body = new TextDecoder().decode(bytes);
    expect(body.startsWith('seq,at,')).toBe(true);
    expect(body).toContain('unit.rename');
    const [exported] = await t.runtime.services!.audit.search({ action: 'audit.export' }, { limit: 1 });
    expect(exported).toMatchObject({ actorLabel: 'supervisor' });
  });

  it('lets an administrator verify the chain', async () => {
    const admin = await signIn('admin');
    const res = await admin.submit('/workbench/audit', '/workbench/audit/verify', {});
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/哈希链完整：已校验 \d+ 条记录/);
  });
});
