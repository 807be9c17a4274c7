/**
 * The consumer of an external broker, against the real Mosquitto on 127.0.0.1:1883 (started by .ci/run): readings
 * published there are stored, refusals come back on the device's topic, an unknown key is refused, and messages
 * published while the consumer is down are delivered when it is back (persistent session, QoS 1).
 */
import net from 'node:net';
import { sql } from 'kysely';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/db.js';
import { lifelineFixture, readingAt, type LifelineFixture } from '../../test/lifeline.js';
import { silentLogger } from '../kernel/logger.js';
import { createMetrics, type Metrics } from '../kernel/metrics.js';
import { readingsTopic, refusalsTopic, startExternalConsumer } from './index.js';

const MOSQUITTO = 'mqtt://127.0.0.1:1883';
const mosquittoUp = await new Promise<boolean>((resolve) => {
  const s = net.connect(1883, '127.0.0.1');
  s.once('connect', () => {
    s.destroy();
    resolve(true);
  });
  s.once('error', () => resolve(false));
});
if (!mosquittoUp && process.env.CI) throw new Error('Mosquitto is not running on 127.0.0.1:1883 (CI skips nothing; .ci/run starts it)');

describeEachEngine('MQTT consumer of an external broker (Mosquitto)', (suite) => {
  if (!mosquittoUp) {
    it.skip('needs Mosquitto on 127.0.0.1:1883', () => undefined);
    return;
  }
  const run = Math.random().toString(36).slice(2, 8);
  const clientId = `zz-test-${run}`;
  let f: LifelineFixture;
  let metrics: Metrics;
  const start = () =>
    startExternalConsumer({ telemetry: f.lifeline.telemetry, metrics, logger: silentLogger, url: MOSQUITTO, clientId, consumers: 2, sharedGroup: `t${run}`, maxPayloadBytes: 65_536 });
  let consumer: ReturnType<typeof start> | undefined;
  beforeAll(async () => {
    f = await lifelineFixture(suite.database, { start: new Date().toISOString() });
    metrics = createMetrics({ defaultMetrics: false });
    consumer = start();
    await consumer.ready();
  });
  afterAll(async () => {
    await consumer?.close();
    // Remove the persistent sessions this test left in Mosquitto.
    for (const id of [`${clientId}-0`, `${clientId}-1`]) {
      const c = await mqtt.connectAsync(MOSQUITTO, { clientId: id, clean: true, reconnectPeriod: 0 });
      await c.endAsync();
    }
  });
  const stored = async (code: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from readings r join sensors s on s.id = r.sensor_id where s.code = ${code}`.execute(suite.database.db)).rows[0]!.n;

  it('stores readings a device publishes to Mosquitto and sends its refusals back there', async () => {
    const device = await mqtt.connectAsync(MOSQUITTO, { clientId: `zz-dev-${run}`, reconnectPeriod: 0 });
    try {
      const replies: unknown[] = [];
      await device.subscribeAsync(refusalsTopic('gw-district'), { qos: 0 });
      device.on('message', (_t, m) => replies.push(JSON.parse(m.toString())));
      const before = await stored('CH4-1');
      await device.publishAsync(readingsTopic('gw-district'), JSON.stringify([readingAt(f.clock, 'CH4-1', 0.4, 5), { sensor: 'CH4-1', ts: f.clock.now().toISOString(), value: 1e9 }]), { qos: 1 });
      await expect.poll(() => stored('CH4-1'), { timeout: 10_000 }).toBe(before + 1);
      await expect.poll(() => replies, { timeout: 10_000 }).toEqual([{ accepted: 1, duplicates: 0, refused: [{ index: 1, sensor: 'CH4-1', reason: 'out_of_range' }] }]);
      await device.publishAsync(readingsTopic('no-such-key'), JSON.stringify(readingAt(f.clock, 'CH4-1', 0.4, 4)), { qos: 1 });
      await expect.poll(async () => (await metrics.registry.getSingleMetricAsString('zhizhi_telemetry_refusals_total')).includes('reason="unknown_credential"} 1'), { timeout: 10_000 }).toBe(true);
    } finally {
      await device.endAsync();
    }
  });

  it('delivers what was published while the consumer was down once it is back', async () => {
    await consumer!.close();
    consumer = undefined;
    const before = await stored('P-1');
    const device = await mqtt.connectAsync(MOSQUITTO, { clientId: `zz-dev2-${run}`, reconnectPeriod: 0 });
    await device.publishAsync(readingsTopic('gw-district'), JSON.stringify([readingAt(f.clock, 'P-1', 305, 30), readingAt(f.clock, 'P-1', 306, 20)]), { qos: 1 });
    await device.endAsync();
    expect(await stored('P-1')).toBe(before);
    consumer = start();
    await consumer.ready();
    await expect.poll(() => stored('P-1'), { timeout: 10_000 }).toBe(before + 2);
  });
});
