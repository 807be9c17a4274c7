import { beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { describeEachEngine } from '../../../test/db.js';
import { DEMO_LIFELINE } from '../../modules/lifeline/index.js';

describeEachEngine('HTTP telemetry ingest', (suite) => {
  let t: TestApp;
  const token = `Bearer ${DEMO_LIFELINE.gateway.key}:${DEMO_LIFELINE.gateway.secret}`;
  const post = (body: string, auth = token) =>
    t.app.request('/api/v1/telemetry/readings', { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body });
  beforeAll(async () => {
    t = await createTestApp(suite.database);
  });

  it('takes a batch with a device token, stores the valid readings and reports each refusal', async () => {
    const now = t.clock.now().getTime();
    const res = await post(
      JSON.stringify({
        readings: [
          { sensor: 'WAT-HF-001-P-01', ts: new Date(now - 20_000).toISOString(), value: 0.31, unit: 'MPa' },
          { sensor: 'WAT-HF-001-P-01', ts: new Date(now - 10_000).toISOString(), value: 312 },
          { sensor: 'WAT-HF-001-P-01', ts: new Date(now - 10_000).toISOString(), value: 312 },
          { sensor: 'WAT-HF-001-P-01', ts: new Date(now + 86_400_000).toISOString(), value: 312 },
          { sensor: 'GHOST', ts: new Date(now).toISOString(), value: 1 },
        ],
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accepted: 2,
      duplicates: 1,
      refused: [
        { index: 3, sensor: 'WAT-HF-001-P-01', reason: 'too_far_future' },
        { index: 4, sensor: 'GHOST', reason: 'unknown_sensor' },
      ],
    });
    const metrics = await (await t.app.request('/metrics')).text();
    expect(metrics).toContain('zhizhi_telemetry_readings_total{transport="http",outcome="accepted"} 2');
    expect(metrics).toContain('zhizhi_telemetry_refusals_total{transport="http",reason="unknown_sensor"} 1');
  });

  it('refuses a wrong or missing token with 401 and a body that is not JSON with 400', async () => {
    expect((await post('[]', `Bearer ${DEMO_LIFELINE.gateway.key}:nope`)).status).toBe(401);
    expect((await post('[]', '')).status).toBe(401);
    const bad = await post('{"readings": [');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'TELEMETRY.MALFORMED' } });
  });
});
