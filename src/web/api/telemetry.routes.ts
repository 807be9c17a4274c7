/**
 * HTTP ingest: `POST /api/v1/telemetry/readings` with `Authorization: Bearer <key>:<secret>` (a device credential)
 * and a JSON body of readings — the same payload as MQTT (docs/lifeline.md) and the same use case. Answers 200 with
 * what was accepted and each refusal; 401 for a bad credential; 400 for a body that is not JSON; 429 with
 * Retry-After when the device is over its budget; 503 when the readings could not be stored (send them again).
 */
import { Hono } from 'hono';
import { DomainError } from '../../kernel/errors.js';
import type { Metrics } from '../../kernel/metrics.js';
import { ingestCounters } from '../../transport/ingest-metrics.js';
import type { AppEnv } from '../context.js';

export function telemetryApiRoutes(metrics: Metrics): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const counters = ingestCounters(metrics);

  app.post('/api/v1/telemetry/readings', async (c) => {
    const telemetry = c.get('services').lifeline.telemetry;
    const auth = c.req.header('authorization') ?? '';
    const m = /^Bearer ([A-Za-z0-9_-]{3,64}):(\S+)$/.exec(auth.trim());
    const device = m ? await telemetry.authenticate(m[1]!, m[2]!) : null;
    if (!device) {
      counters.refuse('http', 'bad_credential');
      c.header('WWW-Authenticate', 'Bearer realm="zhizhi-telemetry"');
      throw new DomainError('Unauthenticated', 'TELEMETRY.BAD_CREDENTIAL', 'A device credential is required: Authorization: Bearer <key>:<secret>');
    }
    let payload: unknown;
    try {
      payload = await c.req.json();
    } catch {
      counters.refuse('http', 'malformed');
      throw new DomainError('BadRequest', 'TELEMETRY.MALFORMED', 'The body is not JSON');
    }
    let result;
    try {
      result = await telemetry.ingest(device, payload);
    } catch (e) {
      c.get('log').warn({ err: e, device: device.key }, 'readings not stored');
      throw new DomainError('Unavailable', 'TELEMETRY.NOT_STORED', 'The readings could not be stored; send them again', { cause: e });
    }
    counters.count('http', result);
    if (result.accepted + result.duplicates === 0 && result.refused.length > 0 && result.refused.every((r) => r.reason === 'throttled')) {
      c.header('Retry-After', '1');
      return c.json({ error: { code: 'TELEMETRY.THROTTLED', message: 'Over this device’s budget; slow down', requestId: c.get('requestId') }, ...result }, 429);
    }
    return c.json(result, 200);
  });

  return app;
}
