/**
 * The embedded broker with a real MQTT client over TCP, on both database engines: credentials, QoS 1 with the
 * acknowledgement after storage, topic permissions, refusals sent back and counted, a flooding device, a taken port.
 */
import net from 'node:net';
import { sql } from 'kysely';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/db.js';
import { ADMIN, BY, lifelineFixture, readingAt, type LifelineFixture } from '../../test/lifeline.js';
import { silentLogger } from '../kernel/logger.js';
import { createMetrics, type Metrics } from '../kernel/metrics.js';
import { createAuditService } from '../modules/audit/index.js';
import { createLifelineServices } from '../modules/lifeline/index.js';
import { MqttPortInUseError, readingsTopic, refusalsTopic, startEmbeddedBroker, type EmbeddedBroker } from './index.js';

const connect = (port: number, username: string, password: string): Promise<MqttClient> =>
  new Promise((resolve, reject) => {
    const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { username, password, reconnectPeriod: 0, clientId: `t-${username}-${Math.random().toString(36).slice(2)}` });
    c.once('connect', () => resolve(c));
    c.once('error', (e) => {
      c.end(true);
      reject(e);
    });
  });

describeEachEngine('embedded MQTT broker', (suite) => {
  let f: LifelineFixture;
  let broker: EmbeddedBroker;
  let metrics: Metrics;
  const clients: MqttClient[] = [];
  beforeAll(async () => {
    f = await lifelineFixture(suite.database, { start: new Date().toISOString() });
    metrics = createMetrics({ defaultMetrics: false });
    broker = await startEmbeddedBroker({ telemetry: f.lifeline.telemetry, metrics, logger: silentLogger, host: '127.0.0.1', port: 0, maxPayloadBytes: 65_536 });
  });
  afterAll(async () => {
    for (const c of clients) c.end(true);
    await broker?.close();
  });
  const stored = async (code: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from readings r join sensors s on s.id = r.sensor_id where s.code = ${code}`.execute(suite.database.db)).rows[0]!.n;
  const metric = async (name: string) => (await metrics.registry.getSingleMetricAsString(name)).split('\n').filter((l) => !l.startsWith('#'));

  it('refuses a connection with a wrong secret or none', async () => {
    await expect(connect(broker.port, 'gw-district', 'wrong')).rejects.toThrow(/Bad username or password|Connection refused/i);
    await expect(connect(broker.port, 'no-such-key', 'x')).rejects.toThrow();
    expect((await metric('zhizhi_mqtt_connections_total')).join('\n')).toMatch(/outcome="refused"} 2/);
  });

  it('stores QoS 1 readings before acknowledging them, and sends refusals back on the device’s topic', async () => {
    const device = await connect(broker.port, 'gw-district', f.gatewaySecret);
    clients.push(device);
    const refusals: unknown[] = [];
    await device.subscribeAsync(refusalsTopic('gw-district'), { qos: 0 });
    device.on('message', (_t, m) => refusals.push(JSON.parse(m.toString())));
    const before = await stored('P-1');
    await device.publishAsync(readingsTopic('gw-district'), JSON.stringify({ readings: [readingAt(f.clock, 'P-1', 301, 3), readingAt(f.clock, 'P-1', 302, 2), { sensor: 'P-1', ts: 'soon', value: 1 }] }), { qos: 1 });
    // publishAsync resolved on PUBACK: the readings are already stored.
    expect(await stored('P-1')).toBe(before + 2);
    await device.publishAsync(readingsTopic('gw-district'), 'NaN', { qos: 1 });
    await expect.poll(() => refusals.length).toBe(2);
    expect(refusals[0]).toEqual({ accepted: 2, duplicates: 0, refused: [{ index: 2, sensor: 'P-1', reason: 'bad_timestamp' }] });
    expect(refusals[1]).toMatchObject({ accepted: 0, refused: [{ reason: 'malformed' }] });
    const lines = (await metric('zhizhi_telemetry_refusals_total')).join('\n');
    expect(lines).toContain('zhizhi_telemetry_refusals_total{transport="mqtt",reason="bad_timestamp"} 1');
    expect(lines).toContain('zhizhi_telemetry_refusals_total{transport="mqtt",reason="malformed"} 1');
  });

  it('disconnects a device that publishes on another device’s topic, and does not let it read other topics', async () => {
    const device = await connect(broker.port, 'gw-district', f.gatewaySecret);
    clients.push(device);
    // A refused subscription: the SUBACK carries the failure code 0x80 and the connection stays up.
    await expect(device.subscribeAsync('zhizhi/v1/readings/#', { qos: 0 })).rejects.toMatchObject({ packet: { granted: [128] } });
    expect(device.connected).toBe(true);
    const closed = new Promise<void>((r) => device.once('close', () => r()));
    device.publish(readingsTopic('someone-else'), JSON.stringify(readingAt(f.clock, 'P-1', 1)), { qos: 1 });
    await closed;
    expect((await metric('zhizhi_telemetry_refusals_total')).join('\n')).toContain('reason="forbidden_topic"} 1');
  });

  it('throttles a flooding device while another device’s readings still get through, and keeps running', async () => {
    const { secret } = await f.lifeline.assets.createCredential({ actor: ADMIN, by: BY }, { key: 'gw-flood', name: 'flood', kind: 'gateway', unitCode: 'D-JTW' });
    // A second set of services with a tight device budget, as an operator would configure.
    const tight = createLifelineServices({
      database: suite.database,
      clock: f.clock,
      logger: silentLogger,
      audit: createAuditService(suite.database, f.clock),
      incidents: f.incidents,
      notifier: f.notifier,
      publicUrl: 'http://test',
      settings: { deviceRatePerSecond: 5, deviceBurst: 10, deviceMaxWaitMs: 0, maxReadingsPerMessage: 10 },
    });
    const tightMetrics = createMetrics({ defaultMetrics: false });
    const b2 = await startEmbeddedBroker({ telemetry: tight.telemetry, metrics: tightMetrics, logger: silentLogger, host: '127.0.0.1', port: 0, maxPayloadBytes: 65_536 });
    try {
      const flood = await connect(b2.port, 'gw-flood', secret);
      const good = await connect(b2.port, 'gw-district', f.gatewaySecret);
      clients.push(flood, good);
      const sends = [];
      for (let i = 0; i < 50; i++) sends.push(flood.publishAsync(readingsTopic('gw-flood'), JSON.stringify(readingAt(f.clock, 'S-1', 1, 10_000 + i)), { qos: 1 }));
      await Promise.all(sends);
      const before = await stored('CH4-1');
      await good.publishAsync(readingsTopic('gw-district'), JSON.stringify(readingAt(f.clock, 'CH4-1', 0.2, 1)), { qos: 1 });
      expect(await stored('CH4-1')).toBe(before + 1);
      const text = (await tightMetrics.registry.getSingleMetricAsString('zhizhi_telemetry_refusals_total'));
      const throttled = Number(/reason="throttled"} (\d+)/.exec(text)?.[1] ?? 0);
      expect(throttled).toBeGreaterThanOrEqual(35);
      expect(throttled).toBeLessThan(50);
    } finally {
      await b2.close();
    }
  });

  it('says clearly when its port is taken, instead of crashing', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const attempt = startEmbeddedBroker({ telemetry: f.lifeline.telemetry, metrics, logger: silentLogger, host: '127.0.0.1', port, maxPayloadBytes: 1024 });
      await expect(attempt).rejects.toBeInstanceOf(MqttPortInUseError);
      await expect(attempt).rejects.toThrow(`MQTT port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });
});
