import { beforeAll, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../../test/app.js';
import { describeEachEngine } from '../../../../test/db.js';
import { FakeClock } from '../../../kernel/clock.js';
import { DEMO_PASSWORD } from '../../../modules/demo/index.js';

describeEachEngine('API tokens: administration and bearer requests', (suite) => {
  let t: TestApp;
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  beforeAll(async () => {
    t = await createTestApp(suite.database, { clock });
  });
  const signIn = async (username: string) => {
    const client = new Client(t.app);
    expect((await client.submit('/login', '/login', { username, password: DEMO_PASSWORD })).status).toBe(303);
    return client;
  };
  /** Issues a token through the page, as an administrator would, and returns the secret shown once. */
  async function issue(admin: Client, fields: { name: string; actions: string[]; scopeUnitCode?: string; expiresInDays?: string }) {
    const page = await (await admin.get('/workbench/tokens')).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const body = new URLSearchParams({ _csrf: csrf, name: fields.name, scopeUnitCode: fields.scopeUnitCode ?? '', expiresInDays: fields.expiresInDays ?? '' });
    for (const a of fields.actions) body.append('actions', a);
    const res = await admin.request('/workbench/tokens', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    return { res, html: await res.text() };
  }
  const api = (path: string, token?: string, init: RequestInit = {}) =>
    t.app.request(path, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) } });

  it('issues a token whose secret is shown once and stored only as a hash, and audits it', async () => {
    const admin = await signIn('admin');
    const { res, html } = await issue(admin, { name: '燃气网关 1 号', actions: ['telemetry.ingest', 'asset.read'], scopeUnitCode: 'U-GAS', expiresInDays: '30' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const secret = /(zz_[A-Za-z0-9_-]{43})/.exec(html)![1]!;
    const list = await (await admin.get('/workbench/tokens')).text();
    expect(list).toContain('燃气网关 1 号');
    expect(list).toContain(`${secret.slice(0, 7)}…`);
    expect(list).not.toContain(secret);
    const me = await api('/api/v1/token', secret);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ name: '燃气网关 1 号', actions: ['telemetry.ingest', 'asset.read'], scope: 'U-GAS', expiresAt: expect.stringMatching(/^2026-04-01T01:00:00/), demo: false });
    const [entry] = await t.runtime.services!.audit.search({ action: 'token.issue', actor: 'admin' }, { limit: 1 });
    expect(entry!.details).toMatchObject({ name: '燃气网关 1 号', actions: ['telemetry.ingest', 'asset.read'], scope: 'U-GAS' });
    expect(JSON.stringify(entry)).not.toContain(secret.slice(3));
  });

  it('refuses a token with nothing to do, an unknown unit or an action no token carries, keeping the input; and the page to non-administrators', async () => {
    const admin = await signIn('admin');
    let r = await issue(admin, { name: '空令牌', actions: [] });
    expect(r.res.status).toBe(422);
    expect(r.html).toContain('请至少勾选一项操作。');
    r = await issue(admin, { name: '错单位', actions: ['incident.read'], scopeUnitCode: 'NOPE' });
    expect(r.html).toContain('找不到单位“NOPE”。');
    expect(r.html).toContain('value="错单位"');
    r = await issue(admin, { name: '越权', actions: ['unit.manage'] });
    expect(r.res.status).toBe(422);
    expect(r.html).toContain('“unit.manage”不是令牌可以执行的操作。');
    const supervisor = await signIn('supervisor');
    expect((await supervisor.get('/workbench/tokens')).status).toBe(403);
  });

  it('answers unknown, revoked and expired tokens with 401 and a challenge, and a malformed header too', async () => {
    const admin = await signIn('admin');
    const unknown = await api('/api/v1/token', 'zz_not-a-real-token');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer realm="zhizhi", error="invalid_token"');
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('TOKEN.UNKNOWN');
    const malformed = await api('/api/v1/token', undefined, { headers: { authorization: 'Bearer' } });
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('TOKEN.MALFORMED');
    expect((await api('/api/v1/token')).status).toBe(401);

    const short = /(zz_[A-Za-z0-9_-]{43})/.exec((await issue(admin, { name: '一天', actions: ['incident.read'], expiresInDays: '1' })).html)![1]!;
    const revocable = /(zz_[A-Za-z0-9_-]{43})/.exec((await issue(admin, { name: '将吊销', actions: ['incident.read'] })).html)![1]!;
    const tokenId = (await t.runtime.services!.tokens.list((await t.runtime.services!.identity.resolveSession(admin.cookie('zz_session')!))!)).find((x) => x.name === '将吊销')!.id;
    expect(await (await admin.get('/workbench/tokens')).text()).toContain(`action="/workbench/tokens/${tokenId}/revoke"`);
    expect((await admin.submit('/workbench/tokens', `/workbench/tokens/${tokenId}/revoke`, {})).status).toBe(303);
    const revoked = await api('/api/v1/token', revocable);
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'TOKEN.REVOKED', message: '该接口令牌已被吊销。' });
    expect((await api('/api/v1/token', short)).status).toBe(200);
    clock.advance(86_400_000);
    const expired = await api('/api/v1/token', short);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('TOKEN.EXPIRED');
    expect(await t.runtime.services!.audit.search({ action: 'token.revoke' }, { limit: 5 })).toHaveLength(1);
  });

  it('refuses a token outside its scope or its actions with 403', async () => {
    const admin = await signIn('admin');
    const hanfeng = /(zz_[A-Za-z0-9_-]{43})/.exec((await issue(admin, { name: '汉丰只读', actions: ['unit.read'], scopeUnitCode: '500154001' })).html)![1]!;
    const inside = await api('/api/v1/token/check?action=unit.read&unit=500154001-ZX', hanfeng);
    expect(inside.status).toBe(200);
    expect(await inside.json()).toEqual({ allowed: true, action: 'unit.read', unit: '500154001-ZX' });
    const outside = await api('/api/v1/token/check?action=unit.read&unit=500154002', hanfeng);
    expect(outside.status).toBe(403);
    expect(outside.headers.get('www-authenticate')).toBe('Bearer realm="zhizhi", error="insufficient_scope"');
    expect(((await outside.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'TOKEN.FORBIDDEN', message: '该接口令牌无权执行“unit.read”，或对象不在令牌限定的单位范围内。' });
    expect((await api('/api/v1/token/check?action=incident.read', hanfeng)).status).toBe(403);
    expect((await api('/api/v1/token/check?action=unit.read', 'demo-key')).status).toBe(403);
    expect((await api('/api/v1/token/check?action=open311.submit&unit=500154002', 'demo-key')).status).toBe(200);
  });

  it('lets a token use the JSON API only as far as it carries: reporting needs incident.report, in its unit', async () => {
    const admin = await signIn('admin');
    const reporter = /(zz_[A-Za-z0-9_-]{43})/.exec((await issue(admin, { name: '汉丰上报', actions: ['incident.report'], scopeUnitCode: '500154001' })).html)![1]!;
    const report = (token: string, body: Record<string, unknown>) =>
      api('/api/v1/incidents', token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'hotline_12345', description: '令牌上报测试。', ...body }) });
    const created = await report(reporter, { areaUnitCode: '500154001' });
    expect(created.status, await created.clone().text()).toBe(201);
    const [entry] = await t.runtime.services!.audit.search({ actor: 'token:汉丰上报' }, { limit: 1 });
    expect(entry).toBeDefined();
    expect((await report(reporter, { areaUnitCode: '500154002' })).status).toBe(403);
    expect((await report(reporter, {})).status).toBe(403);
    const demo = await report('demo-key', {});
    expect(demo.status).toBe(403);
    expect(((await demo.json()) as { error: { code: string } }).error.code).toBe('AUTH.FORBIDDEN');
    // A token is not a person: the person-only endpoint answers as for nobody.
    expect((await api('/api/v1/me', reporter)).status).toBe(401);
  });

  it('accepts the demo Open311 key demo-key, marked demo, for submission only', async () => {
    const res = await api('/api/v1/token', 'demo-key');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ actions: ['open311.submit'], scope: null, demo: true });
    const machine = await t.runtime.services!.tokens.authenticate('demo-key');
    expect(machine.machine).toEqual({ actions: ['open311.submit'], scopePath: 'all' });
    // Seeding again adds nothing.
    expect(await t.runtime.services!.tokens.seedDemoToken()).toBe(false);
  });

  it('never lets a token open staff pages or ride on a session cookie, and skips CSRF only for bearer requests', async () => {
    const admin = await signIn('admin');
    const cookie = `zz_session=${admin.cookie('zz_session')}`;
    const page = await t.app.request('/workbench/tokens', { headers: { cookie, authorization: 'Bearer demo-key' } });
    expect(page.status).toBe(403);
    expect(((await page.json()) as { error: { code: string } }).error.code).toBe('TOKEN.NOT_FOR_PAGES');
    const post = await t.app.request('/workbench/people/new', { method: 'POST', headers: { cookie, authorization: 'Bearer demo-key', 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=x' });
    expect(post.status).toBe(404); // no such POST route; and not a CSRF refusal
    // A Basic header (a proxy's) does not exempt a cookie-authenticated form post from the CSRF check.
    const basic = await t.app.request('/workbench/tokens', {
      method: 'POST',
      headers: { cookie, authorization: 'Basic dXNlcjpwYXNz', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x&actions=incident.read',
    });
    expect(basic.status).toBe(403);
    expect(await basic.text()).toContain('页面已过期或来源不明');
  });
});
