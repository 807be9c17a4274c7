/**
 * Category attributes in the catalogue administration: shown on the category page, edited as JSON in a
 * revision (refused precisely when malformed or ill-defined), kept by a revision that does not mention them,
 * and served to Open311 clients as the service definition.
 */
import { beforeAll, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../../test/app.js';
import { describeEachEngine } from '../../../../test/db.js';
import { DEMO_PASSWORD } from '../../../modules/demo/index.js';

describeEachEngine('catalogue: Open311 service attributes', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(suite.database);
  });
  const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

  it('shows, edits and keeps the attributes of a category, and Open311 serves them', async () => {
    const admin = new Client(t.app);
    expect((await admin.submit('/login', '/login', { username: 'admin', password: DEMO_PASSWORD })).status).toBe(303);
    const cover = await t.runtime.services!.catalog.getByCode('BJ0101');
    const page = await (await admin.get(`/workbench/catalog/${cover.id}`)).text();
    expect(page).toContain('Open311 服务属性（附加问题）');
    expect(page).toContain('<code>cover_use</code>');
    expect(page).toContain('rain=雨水');

    const base = { _csrf: tokenOf(page), name: '井盖破损、缺失', defaultUrgency: 'urgent', publicVisible: 'on', duplicateRadiusM: '250' };
    const notJson = await admin.post(`/workbench/catalog/${cover.id}`, { ...base, attributes: '[{code:' });
    expect(notJson.status).toBe(422);
    expect(await notJson.text()).toContain('须为 JSON 对象数组');
    const listWithoutValues = await admin.post(`/workbench/catalog/${cover.id}`, { ...base, attributes: JSON.stringify([{ code: 'kind', datatype: 'singlevaluelist', order: 1, description: '类别' }]) });
    expect(listWithoutValues.status).toBe(422);
    expect(await listWithoutValues.text()).toContain('attributes[0].values');
    expect((await t.runtime.services!.catalog.get(cover.id)).current.version).toBe(1);

    const ok = await admin.post(`/workbench/catalog/${cover.id}`, { ...base, attributes: JSON.stringify([{ code: 'depth_cm', datatype: 'number', order: 1, required: true, description: '坑深（厘米）' }]) });
    expect(ok.status).toBe(200);
    expect((await t.runtime.services!.catalog.get(cover.id)).current).toMatchObject({ version: 2, attributes: [{ code: 'depth_cm', datatype: 'number', required: true, variable: true, values: [] }] });
    const definition = (await (await t.app.request('/open311/v2/services/BJ0101.json')).json()) as { attributes: { code: string }[] };
    expect(definition.attributes.map((a) => a.code)).toEqual(['depth_cm']);

    // A revision without the field keeps the attributes; an empty field removes them.
    const { attributes: _a, ...withoutField } = { ...base, attributes: '' };
    expect((await admin.post(`/workbench/catalog/${cover.id}`, { ...withoutField, name: '井盖破损或缺失' })).status).toBe(200);
    expect((await t.runtime.services!.catalog.get(cover.id)).current).toMatchObject({ version: 3, attributes: [{ code: 'depth_cm' }] });
    expect((await admin.post(`/workbench/catalog/${cover.id}`, { ...base, attributes: '' })).status).toBe(200);
    expect((await t.runtime.services!.catalog.get(cover.id)).current).toMatchObject({ version: 4, attributes: [] });
    const services = (await (await t.app.request('/open311/v2/services.json')).json()) as { service_code: string; metadata: boolean }[];
    expect(services.find((s) => s.service_code === 'BJ0101')?.metadata).toBe(false);
  });
});
