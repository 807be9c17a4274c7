import { beforeAll, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../test/app.js';
import { describeEachEngine } from '../../../test/db.js';
import { DEMO_PASSWORD } from '../../modules/demo/index.js';

describeEachEngine('JSON API', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(suite.database);
  });
  const signIn = async (username: string) => {
    const client = new Client(t.app);
    await client.submit('/login', '/login', { username, password: DEMO_PASSWORD });
    return client;
  };
  const post = (client: Client, path: string, body: unknown, headers: Record<string, string> = {}) =>
    client.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('describes itself in an OpenAPI 3.1 document', async () => {
    const res = await t.app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/incidents', '/v1/incidents/{id}', '/v1/incidents/{id}/actions/{action}', '/v1/categories', '/v1/attachments']));
  });

  it('answers 401 in JSON without a session or token', async () => {
    const res = await t.app.request('/api/v1/incidents');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'AUTH.REQUIRED' } });
  });

  it('walks a demo incident through every stage via the API', async () => {
    const supervisor = await signIn('supervisor');
    const handler = await signIn('handler');
    const categories = (await (await supervisor.get('/api/v1/categories')).json()) as { items: { id: number; name: string }[] };
    const categoryId = categories.items.find((c) => c.name === '路灯不亮')!.id;
    const created = await post(supervisor, '/api/v1/incidents', { channel: 'hotline_12345', requestType: 'report', categoryId, description: '人民路路灯连续三晚不亮。', location: { lon: 108.3935, lat: 31.1611 } }, { 'idempotency-key': 'api-walk-1' });
    expect(created.status).toBe(201);
    const { incident } = (await created.json()) as { incident: { id: number; number: string; state: string } };
    expect(incident.state).toBe('reported');
    const retry = await post(supervisor, '/api/v1/incidents', { channel: 'hotline_12345', categoryId, description: '人民路路灯连续三晚不亮。' }, { 'idempotency-key': 'api-walk-1' });
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { incident: { id: number } }).incident.id).toBe(incident.id);
    const act = async (client: Client, action: string, body: Record<string, unknown> = {}) => {
      const res = await post(client, `/api/v1/incidents/${incident.id}/actions/${action}`, body);
      expect(res.status, `${action}: ${await res.clone().text()}`).toBe(200);
      return ((await res.json()) as { incident: { state: string; version: number } }).incident;
    };
    await act(supervisor, 'accept');
    await act(supervisor, 'file');
    const dispatched = await act(supervisor, 'dispatch');
    expect(dispatched.state).toBe('dispatched');
    const detail = (await (await handler.get(`/api/v1/incidents/${incident.id}`)).json()) as { allowedActions: string[] };
    expect(detail.allowedActions).toEqual(expect.arrayContaining(['sign', 'request_return']));
    await act(handler, 'sign');
    await act(handler, 'report_back', { result: '已更换灯泡，恢复照明。' });
    await act(supervisor, 'verify_pass');
    await act(supervisor, 'close');
    const rated = await act(supervisor, 'rate', { rating: 'basically_satisfied' });
    expect(rated.state).toBe('closed');
    const history = (await (await supervisor.get(`/api/v1/incidents/${incident.id}`)).json()) as { events: { action: string }[] };
    expect(history.events.map((e) => e.action)).toEqual(['report', 'accept', 'file', 'dispatch', 'sign', 'report_back', 'verify_pass', 'close', 'rate']);
  });

  it('answers wrong input with 422 field problems, a wrong state with 409, another scope with 403', async () => {
    const supervisor = await signIn('supervisor');
    const bad = await post(supervisor, '/api/v1/incidents', { description: '', location: { lon: 500, lat: 31 } });
    expect(bad.status).toBe(422);
    const body = (await bad.json()) as { error: { code: string; fields: { path: string }[] } };
    expect(body.error.code).toBe('REQUEST.INVALID');
    expect(body.error.fields.map((f) => f.path)).toEqual(expect.arrayContaining(['description', 'location.lon']));
    const malformed = await supervisor.request('/api/v1/incidents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"description": ' });
    expect(malformed.status).toBe(400);
    const created = (await (await post(supervisor, '/api/v1/incidents', { channel: 'hotline_12345', description: '测试状态冲突。' })).json()) as { incident: { id: number; version: number } };
    const wrongState = await post(supervisor, `/api/v1/incidents/${created.incident.id}/actions/close`, {});
    expect(wrongState.status).toBe(409);
    expect(await wrongState.json()).toMatchObject({ error: { code: 'INCIDENT.TRANSITION_NOT_ALLOWED' } });
    const stale = await post(supervisor, `/api/v1/incidents/${created.incident.id}/actions/accept`, { expectedVersion: created.incident.version + 5 });
    expect(stale.status).toBe(409);
    const handler = await signIn('handler');
    expect((await handler.get(`/api/v1/incidents/${created.incident.id}`)).status).toBe(403);
  });
});
