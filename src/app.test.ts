import { beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../test/app.js';
import { describeEachEngine } from '../test/db.js';
import { forwardedClient } from './app.js';
import { DomainError } from './kernel/errors.js';
import { DEMO_PASSWORD } from './modules/demo/index.js';

describeEachEngine('HTTP app', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(suite.database);
    t.app.get('/test/explode', () => {
      throw new Error('secret internal detail: password=hunter2');
    });
    t.app.get('/test/conflict', () => {
      throw new DomainError('Conflict', 'USER.USERNAME_TAKEN', 'taken', { params: { username: '张三' } });
    });
    t.app.get('/api/test/invalid', () => {
      throw new DomainError('Invalid', 'REQUEST.INVALID', 'bad', { fields: [{ path: 'name', code: 'field.required', message: 'required' }] });
    });
  });

  it('serves the home page in Chinese with a doctype, the 40 towns and the demo banner', async () => {
    const res = await t.app.request('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith('<!DOCTYPE html><html lang="zh-CN">')).toBe(true);
    expect(html).toContain('开州区基层智治与城市运行平台');
    expect(html).toContain('演示环境');
    expect(html.match(/href="\/towns\/500154\d{3}"/g)).toHaveLength(40);
    expect(html).toContain('您当前的位置');
    for (const group of ['市政府部门网站', '区县政府网站', '开州区部门镇街网站', '新闻媒体网站']) expect(html).toContain(group);
  });

  it('sends a Content-Security-Policy without inline script and the other security headers', async () => {
    const res = await t.app.request('/');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/\sstyle="/);
  });

  it('keeps a sane incoming request id', async () => {
    const res = await t.app.request('/healthz', { headers: { 'x-request-id': 'gateway-12345678' } });
    expect(res.headers.get('x-request-id')).toBe('gateway-12345678');
  });

  it('switches to English with ?lang=en and remembers it', async () => {
    const client = new Client(t.app);
    const first = await client.get('/?lang=en');
    expect(await first.text()).toContain('<html lang="en">');
    expect(await (await client.get('/towns')).text()).toContain('Towns and departments');
  });

  it('lists the towns and shows one town with its statistical code', async () => {
    expect(await (await t.app.request('/towns')).text()).toContain('500154206');
    const res = await t.app.request('/towns/500154201');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('关面乡');
    expect(html).toContain('<a href="/towns">部门街镇</a>');
  });

  it('answers an unknown page with a zh-CN 404 page, and an unknown API path with JSON', async () => {
    const page = await t.app.request('/no/such/page');
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('页面不存在');
    const api = await t.app.request('/api/v1/nothing');
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'REQUEST.NOT_FOUND' } });
    expect((await t.app.request('/towns/999999999')).status).toBe(404);
  });

  it('maps domain errors to statuses with translated messages', async () => {
    const res = await t.app.request('/test/conflict');
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('用户名“张三”已被使用');
    const api = await t.app.request('/api/test/invalid');
    expect(api.status).toBe(422);
    expect(await api.json()).toMatchObject({ error: { code: 'REQUEST.INVALID', fields: [{ path: 'name', text: '必填' }] } });
  });

  it('turns an unknown error into a 500 that names the request id and leaks nothing', async () => {
    const res = await t.app.request('/test/explode', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; requestId: string; message: string } };
    expect(body.error.code).toBe('SYSTEM.INTERNAL');
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
    expect(JSON.stringify(body)).not.toContain('hunter2');
    const page = await t.app.request('/test/explode');
    expect(page.status).toBe(500);
    const html = await page.text();
    expect(html).toContain('系统出错');
    expect(html).not.toContain('hunter2');
  });

  it('refuses a body over the limit with 413 and a clear message', async () => {
    const res = await t.app.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(2_000_000) },
      body: 'a='.padEnd(2_000_000, 'x'),
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('提交的内容过大');
  });

  it('refuses a form post without the CSRF token, or from another site', async () => {
    const client = new Client(t.app);
    await client.get('/login');
    const noToken = await client.post('/login', { username: 'admin', password: DEMO_PASSWORD });
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('页面已过期或来源不明');
    const page = await (await client.get('/login')).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const crossSite = await client.post('/login', { username: 'admin', password: DEMO_PASSWORD, _csrf: token }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const otherOrigin = await client.post('/login', { username: 'admin', password: DEMO_PASSWORD, _csrf: token }, { origin: 'https://evil.example' });
    expect(otherOrigin.status).toBe(403);
    expect(client.cookie('zz_session')).toBeUndefined();
  });

  it('signs a demo account in with a fresh session and out again', async () => {
    const client = new Client(t.app);
    expect((await client.get('/workbench')).status).toBe(303);
    const wrong = await client.submit('/login', '/login', { username: 'dispatcher', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('用户名或密码不正确');
    const ok = await client.submit('/login?next=/towns', '/login', { username: 'dispatcher', password: DEMO_PASSWORD, next: '/towns' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/towns');
    const first = client.cookie('zz_session');
    expect(first).toBeDefined();
    const cookieLine = ok.headers.getSetCookie().find((l) => l.startsWith('zz_session='))!;
    expect(cookieLine).toMatch(/HttpOnly/);
    expect(cookieLine).toMatch(/SameSite=Lax/);
    const bench = await client.get('/workbench');
    expect(bench.status).toBe(200);
    const html = await bench.text();
    expect(html).toContain('汉丰街道调度员（演示）');
    expect(html).toContain('镇街指挥中心调度员');
    // Signing in again rotates the token and ends the old session (the sign-out form carries a token too).
    await client.submit('/workbench', '/login', { username: 'dispatcher', password: DEMO_PASSWORD });
    expect(client.cookie('zz_session')).not.toBe(first);
    const stale = new Client(t.app);
    expect((await stale.get('/workbench', { cookie: `zz_session=${first}` })).status).toBe(303);
    const out = await client.submit('/workbench', '/logout', {});
    expect(out.status).toBe(303);
    expect((await client.get('/workbench')).status).toBe(303);
  });

  it('never redirects off-site after sign-in', async () => {
    const client = new Client(t.app);
    const res = await client.submit('/login', '/login', { username: 'admin', password: DEMO_PASSWORD, next: '//evil.example/x' });
    expect(res.headers.get('location')).toBe('/workbench');
  });

  it('reports health, readiness and Prometheus metrics with route labels', async () => {
    expect((await t.app.request('/healthz')).status).toBe(200);
    const ready = await t.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { database: 'ok' } });
    await t.app.request('/towns/500154001');
    const metrics = await (await t.app.request('/metrics')).text();
    expect(metrics).toContain('zhizhi_http_requests_total{method="GET",route="/towns/:code{[0-9A-Za-z-]{1,40}}",status="200"}');
    expect(metrics).toContain('zhizhi_http_request_duration_seconds_bucket');
    expect(metrics).toMatch(/zhizhi_db_query_duration_seconds_count\{statement="select",outcome="ok"\} \d+/);
  });

  it('serves static assets with a content hash and long caching', async () => {
    const html = await (await t.app.request('/')).text();
    const href = /href="(\/static\/app\.css\?v=[0-9a-f]+)"/.exec(html)![1]!;
    const res = await t.app.request(href);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/css');
    expect(res.headers.get('cache-control')).toContain('immutable');
    const again = await t.app.request(href, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });
});

describe('HTTP app before the database is ready', () => {
  it('answers /healthz, reports /readyz false and pages with 503', async () => {
    const t = await createTestApp(undefined);
    expect((await t.app.request('/healthz')).status).toBe(200);
    const ready = await t.app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, checks: { database: 'database unreachable: test' } });
    const page = await t.app.request('/');
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('5');
    expect(await page.text()).toContain('服务暂不可用');
  });
});

describe('the client address behind proxies', () => {
  it('takes the entry the outermost trusted proxy appended and ignores what the client wrote to its left', () => {
    expect(forwardedClient('203.0.113.9', 1)).toBe('203.0.113.9');
    // A visitor forging the header through one nginx: nginx appends the real address, which wins.
    expect(forwardedClient('1.2.3.4, 203.0.113.9', 1)).toBe('203.0.113.9');
    // CDN then nginx: the CDN's entry is the client; the right-most is the CDN's own address.
    expect(forwardedClient('1.2.3.4, 203.0.113.9, 198.51.100.2', 2)).toBe('203.0.113.9');
    // Fewer entries than proxies (a request that skipped the CDN): the left-most there is.
    expect(forwardedClient('203.0.113.9', 2)).toBe('203.0.113.9');
    expect(forwardedClient(' , ', 1)).toBeNull();
    expect(forwardedClient(undefined, 1)).toBeNull();
    expect(forwardedClient('203.0.113.9', 0)).toBeNull();
  });
});
