/**
 * The lifeline pages over app.request(), as the demo roles: the board shows a new alarm with its map dot, an
 * analyst confirms it and sees the incident number, a department handler may acknowledge but not judge, a
 * sensor page draws the thresholds, imports report per-row problems, credentials show their secret once.
 */
import { beforeAll, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../../test/app.js';
import { describeEachEngine } from '../../../../test/db.js';
import { DEMO_PASSWORD } from '../../../modules/demo/index.js';
import { DEMO_LIFELINE } from '../../../modules/lifeline/index.js';

describeEachEngine('lifeline workbench pages', (suite) => {
  let t: TestApp;
  const signIn = async (username: string) => {
    const client = new Client(t.app);
    const res = await client.submit('/login', '/login', { username, password: DEMO_PASSWORD });
    expect(res.status).toBe(303);
    return client;
  };
  const ingest = async (readings: unknown[]) => {
    const res = await t.app.request('/api/v1/telemetry/readings', {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_LIFELINE.gateway.key}:${DEMO_LIFELINE.gateway.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(readings),
    });
    expect(res.status).toBe(200);
    return res.json();
  };
  const ago = (s: number) => new Date(t.clock.now().getTime() - s * 1000).toISOString();
  beforeAll(async () => {
    t = await createTestApp(suite.database);
  });

  it('shows a new alarm on the board and the live fragment, and lets an analyst confirm it into an incident', async () => {
    const supervisor = await signIn('supervisor');
    expect(await (await supervisor.get('/workbench/lifeline')).text()).toContain('当前没有告警');
    await ingest([
      { sensor: 'GAS-HF-001-CH4-03', ts: ago(20), value: 52 },
      { sensor: 'GAS-HF-001-CH4-03', ts: ago(10), value: 55 },
    ]);
    const live = await (await supervisor.get('/workbench/lifeline/live')).text();
    expect(live).toContain('GAS-HF-001-CH4-03');
    expect(live).toContain('class="ll-alarm grade-1"');
    const id = /\/workbench\/lifeline\/alarms\/(\d+)/.exec(live)![1];
    const page = await (await supervisor.get(`/workbench/lifeline/alarms/${id}`)).text();
    expect(page).toContain('Ⅰ级（红）');
    expect(page).toContain('value="confirm"');
    expect(page).toContain('<svg');
    const res = await supervisor.submit(`/workbench/lifeline/alarms/${id}`, `/workbench/lifeline/alarms/${id}/act`, { action: 'confirm', reason: '现场核实有泄漏' });
    expect(res.status).toBe(303);
    const after = await (await supervisor.get(res.headers.get('location')!)).text();
    expect(after).toContain('已处理');
    expect(after).toMatch(/href="\/workbench\/incidents\/\d+"/);
    expect(after).toContain('已生成事件');
  });

  it('lets a department handler acknowledge an alarm of its own asset but not judge it, and hides other departments’ alarms', async () => {
    await ingest([
      { sensor: 'DRN-HF-001-L-01', ts: ago(120), value: 1.7 },
      { sensor: 'DRN-HF-001-L-01', ts: ago(60), value: 1.7 },
    ]);
    const handler = await signIn('handler'); // 区城市管理局: owns the drainage pipes
    const list = await (await handler.get('/workbench/lifeline/alarms?status=active')).text();
    expect(list).toContain('DRN-HF-001-L-01');
    expect(list).not.toContain('GAS-HF-001');
    const id = /\/workbench\/lifeline\/alarms\/(\d+)/.exec(list)![1];
    const page = await (await handler.get(`/workbench/lifeline/alarms/${id}`)).text();
    expect(page).toContain('value="acknowledge"');
    expect(page).not.toContain('value="confirm"');
    const forged = await handler.submit(`/workbench/lifeline/alarms/${id}`, `/workbench/lifeline/alarms/${id}/act`, { action: 'confirm' });
    expect(forged.status).toBe(403);
    const ack = await handler.submit(`/workbench/lifeline/alarms/${id}`, `/workbench/lifeline/alarms/${id}/act`, { action: 'acknowledge' });
    expect(ack.status).toBe(303);
  });

  it('draws a sensor’s readings with its thresholds, and shows asset pages and statistics', async () => {
    const supervisor = await signIn('supervisor');
    const assets = await (await supervisor.get('/workbench/lifeline/assets')).text();
    const assetId = /\/workbench\/lifeline\/assets\/(\d+)">汉丰街道燃气中压干管/.exec(assets)![1];
    const asset = await (await supervisor.get(`/workbench/lifeline/assets/${assetId}`)).text();
    const sensorId = /\/workbench\/lifeline\/sensors\/(\d+)"><code>GAS-HF-001-CH4-03/.exec(asset)![1];
    const sensor = await (await supervisor.get(`/workbench/lifeline/sensors/${sensorId}?range=1h`)).text();
    expect(sensor).toContain('class="ll-threshold grade-1"');
    expect(sensor).toContain('Ⅰ 50');
    expect(sensor).toContain('class="ll-line"');
    const stats = await (await supervisor.get('/workbench/lifeline/statistics?days=7')).text();
    expect(stats).toContain('误报率');
  });

  it('imports assets from CSV, reporting each bad row and writing nothing until all are sound', async () => {
    const admin = await signIn('admin');
    const form = await (await admin.get('/workbench/lifeline/assets')).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(form)![1]!;
    const upload = (csv: string) => {
      const body = new FormData();
      body.set('_csrf', token);
      body.set('what', 'assets');
      body.set('file', new File([csv], 'assets.csv', { type: 'text/csv' }));
      return admin.request('/workbench/lifeline/assets/import', { method: 'POST', body });
    };
    const bad = await upload('code,name,kind,owner,area,risk,lon,lat\nX-1,桥,桥梁,NOPE,,重大,108.4,31.1\nX-2,线,地铁,U-GAS,,较大,108.4,31.1\n');
    expect(bad.status).toBe(422);
    const text = await bad.text();
    expect(text).toContain('没有单位 NOPE');
    expect(text).toContain('地铁');
    const good = await upload('code,name,kind,owner,area,risk,lon,lat\nX-1,新桥,桥梁,D-JTW,500154001,重大,108.4,31.1\n');
    expect(good.status).toBe(200);
    expect(await good.text()).toContain('资产新增 1');
  });

  it('creates a device credential and shows its secret once, which then works for HTTP ingest', async () => {
    const admin = await signIn('admin');
    const res = await admin.submit('/workbench/lifeline/credentials', '/workbench/lifeline/credentials', { key: 'gw-page', name: '页面网关', kind: 'gateway', unitCode: 'U-WATER' });
    const html = await res.text();
    const secret = /密钥：(\S+?)（/.exec(html)![1]!;
    const r = await t.app.request('/api/v1/telemetry/readings', {
      method: 'POST',
      headers: { authorization: `Bearer gw-page:${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ sensor: 'WAT-YF-002-P-01', ts: ago(1), value: 300 }, { sensor: 'GAS-WF-002-CH4-01', ts: ago(1), value: 1 }]),
    });
    expect(await r.json()).toMatchObject({ accepted: 1, refused: [{ index: 1, reason: 'forbidden_sensor' }] });
    expect(await (await admin.get('/workbench/lifeline/credentials')).text()).not.toContain(secret);
  });
});
