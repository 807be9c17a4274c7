/**
 * Alarms through the real services of the whole platform (both engines): an analyst confirms an alarm and the
 * owning unit finds the incident in its inbox; a false alarm needs a reason; a failing case flow keeps the
 * judgement and is retried; a manual clear restarts the rule; notifications are delivered from the outbox;
 * statistics count false alarms and response times; silence raises an alarm.
 */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../test/db.js';
import { loadConfig } from './config.js';
import { FakeClock } from './kernel/clock.js';
import { silentLogger } from './kernel/logger.js';
import { createServices, type Services } from './services.js';
import type { PolicyActor } from './modules/access/index.js';
import { seedDemo } from './modules/demo/index.js';
import { DEMO_LIFELINE, type DeviceIdentity } from './modules/lifeline/index.js';

const BY = { userId: null, label: 'analyst', ip: null } as const;

describeEachEngine('alarms from sensor to incident', (suite) => {
  let services: Services;
  let clock: FakeClock;
  let gateway: DeviceIdentity;
  let supervisor: PolicyActor;
  let gasHandler: PolicyActor;
  let cgjHandler: PolicyActor;
  const reading = (sensor: string, value: number, secondsAgo = 0) => ({ sensor, value, ts: new Date(clock.now().getTime() - secondsAgo * 1000).toISOString() });
  const sensorId = async (code: string) => (await sql<{ id: number }>`select id from sensors where code = ${code}`.execute(suite.database.db)).rows[0]!.id;
  const unitPath = async (code: string) => (await sql<{ path: string }>`select path from units where code = ${code}`.execute(suite.database.db)).rows[0]!.path;
  /** Runs `fn` while every catalogue lookup fails with the given error kind, then restores the real lookup. */
  const withCatalogueFailing = async (kind: string, message: string, fn: () => Promise<void>) => {
    const realGetByCode = services.catalog.getByCode;
    (services.catalog as { getByCode: unknown }).getByCode = async () => {
      throw Object.assign(new Error(message), { kind });
    };
    try {
      await fn();
    } finally {
      (services.catalog as { getByCode: unknown }).getByCode = realGetByCode;
    }
  };
  const activeAlarm = async (code: string, type = 'high') => (await services.lifeline.alarms.list(supervisor, { status: 'active', sensorId: await sensorId(code) })).find((a) => a.type === type)!;

  beforeAll(async () => {
    clock = new FakeClock(new Date());
    services = createServices({ database: suite.database, clock, config: loadConfig({ DEMO: 'true' }), logger: silentLogger });
    await seedDemo({ ...services, logger: silentLogger });
    await services.lifeline.telemetry.ensurePartitions();
    gateway = (await services.lifeline.telemetry.authenticate(DEMO_LIFELINE.gateway.key, DEMO_LIFELINE.gateway.secret))!;
    supervisor = { userId: 0, posts: [{ role: 'district_supervisor', unitPath: await unitPath('500154-OPS'), townPath: null }], grants: [] };
    gasHandler = { userId: 0, posts: [{ role: 'department_handler', unitPath: await unitPath('U-GAS'), townPath: null }], grants: [] };
    cgjHandler = { userId: 0, posts: [{ role: 'department_handler', unitPath: await unitPath('D-CGJ'), townPath: null }], grants: [] };
  });

  it('an analyst confirms a gas alarm and the gas company finds the incident in its inbox', async () => {
    await services.lifeline.telemetry.ingest(gateway, [reading('GAS-HF-001-CH4-01', 27, 60), reading('GAS-HF-001-CH4-01', 31, 30)]);
    const alarm = await activeAlarm('GAS-HF-001-CH4-01');
    expect(alarm).toMatchObject({ grade: 2, assetCode: 'GAS-HF-001', ownerUnitName: '开州燃气公司（演示）' });
    // The department that owns another asset does not see it.
    expect(await services.lifeline.alarms.list(cgjHandler, { status: 'active' })).toEqual([]);
    expect((await services.lifeline.alarms.get(gasHandler, alarm.id)).actions).toEqual(['acknowledge', 'clear']);
    expect((await services.lifeline.alarms.get(supervisor, alarm.id)).actions).toEqual(['acknowledge', 'clear', 'confirm', 'false_alarm']);

    const confirmed = await services.lifeline.alarms.act({ actor: supervisor, by: BY }, alarm.id, 'confirm', { reason: '相邻电信井内甲烷持续升高' });
    expect(confirmed).toMatchObject({ judgement: 'confirmed', incidentError: null });
    expect(confirmed.incidentNumber).toMatch(/\d/);
    const inbox = await services.incidents.list(gasHandler, 'to_sign', {}, { limit: 50, offset: 0 });
    const incident = inbox.items.find((i) => i.id === confirmed.incidentId);
    expect(incident).toMatchObject({ channel: 'sensor', state: 'dispatched', urgency: 'urgent' });
    expect(incident!.description).toContain('GAS-HF-001-CH4-01');
    expect(incident!.description).toContain(`/workbench/lifeline/alarms/${alarm.id}`);
    const detail = await services.lifeline.alarms.get(supervisor, alarm.id);
    expect(detail.events.map((e) => e.kind)).toEqual(['raised', 'confirmed', 'incident_opened']);
    // Retried by the job, the same alarm does not open a second incident.
    await expect(services.lifeline.alarms.act({ actor: supervisor, by: BY }, alarm.id, 'retry_incident')).rejects.toMatchObject({ code: 'ALARM.NO_INCIDENT_PENDING' });
  });

  it('a confirmed bridge alarm goes to the owner of the bridge under the bridge category', async () => {
    await services.lifeline.telemetry.ingest(gateway, Array.from({ length: 15 }, (_, i) => reading('BRG-HF-001-S-01', 95, 14 - i)));
    const alarm = await activeAlarm('BRG-HF-001-S-01');
    const confirmed = await services.lifeline.alarms.act({ actor: supervisor, by: BY }, alarm.id, 'confirm');
    const incident = await services.incidents.get(confirmed.incidentId!);
    const jtw = await services.organization.getUnitByCode('D-JTW');
    expect(incident).toMatchObject({ channel: 'sensor', state: 'dispatched', categoryId: (await services.catalog.getByCode('BJ0204')).id, leadUnitId: jtw.id });
  });

  it('a confirmed alarm whose kind has no category in the catalogue waits for the district center to file it', async () => {
    await services.lifeline.telemetry.ingest(gateway, Array.from({ length: 15 }, (_, i) => reading('BRG-HF-001-S-02', 95, 14 - i)));
    const alarm = await activeAlarm('BRG-HF-001-S-02');
    // A deployment whose catalogue has neither LL-BRIDGE nor BJ0204.
    await withCatalogueFailing('NotFound', 'no such category', async () => {
      const confirmed = await services.lifeline.alarms.act({ actor: supervisor, by: BY }, alarm.id, 'confirm');
      const incident = await services.incidents.get(confirmed.incidentId!);
      expect(incident).toMatchObject({ channel: 'sensor', state: 'reported', level: 'district', categoryId: null });
    });
  });

  it('keeps the judgement when the case flow fails, and opens the incident when the job retries', async () => {
    await services.lifeline.telemetry.ingest(gateway, [reading('GAS-WF-002-CH4-01', 60, 20), reading('GAS-WF-002-CH4-01', 61, 10)]);
    const alarm = await activeAlarm('GAS-WF-002-CH4-01');
    // The case flow is unavailable: the catalogue lookup fails (a retired or broken catalogue, a dropped connection …).
    await withCatalogueFailing('Unavailable', 'catalogue unavailable', async () => {
      const judged = await services.lifeline.alarms.act({ actor: supervisor, by: BY }, alarm.id, 'confirm');
      expect(judged).toMatchObject({ judgement: 'confirmed', incidentId: null });
      expect(judged.incidentError).toContain('catalogue unavailable');
      expect(await services.lifeline.alarms.retryPendingIncidents()).toEqual({ opened: 0, failed: 1 });
    });
    expect(await services.lifeline.alarms.retryPendingIncidents()).toEqual({ opened: 1, failed: 0 });
    const detail = await services.lifeline.alarms.get(supervisor, alarm.id);
    expect(detail.alarm.incidentId).not.toBeNull();
    // One failure event however many retries failed, then the success.
    expect(detail.events.map((e) => e.kind)).toEqual(['raised', 'confirmed', 'incident_failed', 'incident_opened']);
  });

  it('needs a reason for a false alarm, and counts false alarms and response times in the statistics', async () => {
    await services.lifeline.telemetry.ingest(gateway, [reading('RSK-BH-001-CH4-01', 6, 20), reading('RSK-BH-001-CH4-01', 6, 10)]);
    const alarm = await activeAlarm('RSK-BH-001-CH4-01');
    clock.advance(120_000);
    await services.lifeline.alarms.act({ actor: supervisor, by: BY }, alarm.id, 'acknowledge');
    await expect(services.lifeline.alarms.act({ actor: supervisor, by: BY }, alarm.id, 'false_alarm', { reason: ' ' })).rejects.toMatchObject({ code: 'ALARM.REASON_REQUIRED' });
    clock.advance(180_000);
    await services.lifeline.alarms.act({ actor: supervisor, by: BY }, alarm.id, 'false_alarm', { reason: '加气站卸车时正常逸散' });
    const stats = await services.lifeline.alarms.statistics(supervisor, new Date(clock.now().getTime() - 86_400_000), new Date(clock.now().getTime() + 1000));
    expect(stats).toMatchObject({ judged: 5, confirmed: 4, falseAlarms: 1 });
    expect(stats.falseAlarmRate).toBeCloseTo(0.2, 10);
    expect(stats.ackSeconds.p90).toBeGreaterThanOrEqual(120);
  });

  it('a manual clear restarts the rule: a condition that persists raises a new alarm', async () => {
    await services.lifeline.telemetry.ingest(gateway, [reading('GAS-HF-001-CH4-02', 11, 20), reading('GAS-HF-001-CH4-02', 11, 10)]);
    const first = await activeAlarm('GAS-HF-001-CH4-02');
    await services.lifeline.alarms.act({ actor: gasHandler, by: BY }, first.id, 'clear', { reason: '现场通风处置' });
    expect((await services.lifeline.alarms.get(supervisor, first.id)).alarm).toMatchObject({ status: 'cleared', clearReason: '现场通风处置' });
    clock.advance(1000);
    await services.lifeline.telemetry.ingest(gateway, [reading('GAS-HF-001-CH4-02', 11, 0)]);
    expect(await activeAlarm('GAS-HF-001-CH4-02')).toBeUndefined();
    clock.advance(1000);
    await services.lifeline.telemetry.ingest(gateway, [reading('GAS-HF-001-CH4-02', 11, 0)]);
    expect((await activeAlarm('GAS-HF-001-CH4-02')).id).not.toBe(first.id);
  });

  it('delivers notifications from the outbox to the owner (and the center for Ⅰ/Ⅱ)', async () => {
    const r = await services.lifeline.alarms.deliverNotifications(1000);
    expect(r.failed).toBe(0);
    const rows = await sql<{ n: number }>`select count(*)::int as n from alarm_notifications where delivered_at is null`.execute(suite.database.db);
    expect(rows.rows[0]!.n).toBe(0);
    const center = await sql<{ n: number }>`select count(*)::int as n from alarm_notifications n join units u on u.id = n.unit_id where u.code = '500154-OPS'`.execute(suite.database.db);
    expect(center.rows[0]!.n).toBeGreaterThan(0);
  });

  it('raises a silence alarm for a sensor that stopped reporting, and clears it when it reports again', async () => {
    // The oxygen analyser reports every 60 s; silence after 3 × 60 s without a reading.
    await services.lifeline.telemetry.ingest(gateway, [reading('UTN-HF-001-O2-01', 20.9, 0)]);
    clock.advance(179_000);
    await services.lifeline.telemetry.checkSilences();
    expect(await activeAlarm('UTN-HF-001-O2-01', 'silence')).toBeUndefined();
    clock.advance(2_000);
    await services.lifeline.telemetry.checkSilences();
    expect(await activeAlarm('UTN-HF-001-O2-01', 'silence')).toMatchObject({ grade: 4, ruleKind: 'silence' });
    await services.lifeline.telemetry.ingest(gateway, [reading('UTN-HF-001-O2-01', 20.8, 0)]);
    expect(await activeAlarm('UTN-HF-001-O2-01', 'silence')).toBeUndefined();
  });
});
