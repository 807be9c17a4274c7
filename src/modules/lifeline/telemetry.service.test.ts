import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { ADMIN, BY, lifelineFixture, readingAt, type LifelineFixture } from '../../../test/lifeline.js';
import { silentLogger } from '../../kernel/logger.js';
import { createAuditService } from '../audit/index.js';
import { createLifelineServices, type TelemetrySettings } from './index.js';

describeEachEngine('telemetry ingest', (suite) => {
  let f: LifelineFixture;
  beforeAll(async () => {
    f = await lifelineFixture(suite.database);
  });
  /** Services of another process over the same database. */
  const another = (settings?: Partial<TelemetrySettings>) =>
    createLifelineServices({ database: suite.database, clock: f.clock, logger: silentLogger, audit: createAuditService(suite.database, f.clock), incidents: f.incidents, notifier: f.notifier, publicUrl: 'http://test', settings });
  const count = async (table: string) => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(suite.database.db)).rows[0]!.n);

  it('stores valid readings, skips duplicates and refuses each bad one with its reason', async () => {
    const { clock, lifeline, gateway } = f;
    const r1 = await lifeline.telemetry.ingest(gateway, { readings: [readingAt(clock, 'CH4-1', 0.5, 60), readingAt(clock, 'CH4-1', 0.6, 30), readingAt(clock, 'P-1', 310, 10)] });
    expect(r1).toEqual({ accepted: 3, duplicates: 0, refused: [] });
    const r2 = await lifeline.telemetry.ingest(gateway, [
      readingAt(clock, 'CH4-1', 0.5, 60), // duplicate
      { sensor: 'NOPE', ts: clock.now().toISOString(), value: 1 },
      { sensor: 'P-1', ts: clock.now().toISOString(), value: 'NaN' },
      { sensor: 'P-1', ts: clock.now().toISOString(), value: 1, unit: '%LEL' },
      { sensor: 'P-1', ts: '2026-03-02 09:00', value: 1 },
      { sensor: 'P-1', ts: new Date(clock.now().getTime() + 3_600_000).toISOString(), value: 1 },
      { sensor: 'CH4-2', ts: clock.now().toISOString(), value: 250 },
      { sensor: 'P-1', ts: clock.now().toISOString(), value: 0.3, unit: 'MPa' },
    ]);
    expect(r2.accepted).toBe(1);
    expect(r2.duplicates).toBe(1);
    expect(r2.refused.map((r) => `${r.index}:${r.reason}`)).toEqual(['1:unknown_sensor', '2:not_a_number', '3:unit_mismatch', '4:bad_timestamp', '5:too_far_future', '6:out_of_range']);
    expect(await count('readings')).toBe(4);
    const stored = await sql<{ value: number }>`select value from readings r join sensors s on s.id = r.sensor_id where s.code = 'P-1' order by ts desc limit 1`.execute(suite.database.db);
    expect(stored.rows[0]!.value).toBe(300);
  });

  it('refuses a malformed message as a whole, and readings of sensors outside a gateway’s unit', async () => {
    const { clock, lifeline } = f;
    expect((await lifeline.telemetry.ingestText(f.gateway, '{not json')).refused).toEqual([{ index: -1, sensor: null, reason: 'malformed' }]);
    const { secret } = await lifeline.assets.createCredential({ actor: ADMIN, by: BY }, { key: 'gw-gas', name: '燃气网关', kind: 'gateway', unitCode: 'U-GAS' });
    const gas = (await lifeline.telemetry.authenticate('gw-gas', secret))!;
    const r = await lifeline.telemetry.ingest(gas, [readingAt(clock, 'CH4-2', 1, 5), readingAt(clock, 'P-1', 300, 5)]);
    expect(r.accepted).toBe(1);
    expect(r.refused).toEqual([{ index: 1, sensor: 'P-1', reason: 'forbidden_sensor' }]);
    expect(await lifeline.telemetry.authenticate('gw-gas', 'wrong')).toBeNull();
  });

  it('raises a graded alarm, changes its grade and clears it with hysteresis, keeping one active alarm per sensor and type', async () => {
    const { clock, lifeline, gateway } = f;
    clock.advance(60_000);
    // gas-methane 'high': Ⅳ 5, Ⅲ 10, Ⅱ 25, Ⅰ 50 %LEL, two readings in a row, hysteresis 2, clear after 300 s.
    await lifeline.telemetry.ingest(gateway, [readingAt(clock, 'CH4-2', 12, 40), readingAt(clock, 'CH4-2', 13, 30)]);
    const active = await lifeline.alarms.list(ADMIN, { status: 'active' });
    const high = active.filter((a) => a.sensorCode === 'CH4-2' && a.type === 'high');
    expect(high.map((a) => a.grade)).toEqual([3]);
    await lifeline.telemetry.ingest(gateway, [readingAt(clock, 'CH4-2', 30, 20), readingAt(clock, 'CH4-2', 31, 10)]);
    const [escalated] = await lifeline.alarms.list(ADMIN, { status: 'active', sensorId: high[0]!.sensorId });
    expect(escalated).toMatchObject({ id: high[0]!.id, grade: 2, highestGrade: 2 });
    // Down to 1 %LEL: clear after 300 s of it.
    for (let s = 0; s <= 330; s += 30) {
      clock.advance(30_000);
      await lifeline.telemetry.ingest(gateway, [readingAt(clock, 'CH4-2', 1)]);
    }
    const detail = await lifeline.alarms.get(ADMIN, high[0]!.id);
    expect(detail.alarm.status).toBe('cleared');
    // Straight from Ⅱ to nothing: one clear, no steps through Ⅲ and Ⅳ.
    expect(detail.events.map((e) => e.kind)).toEqual(['raised', 'grade_changed', 'cleared']);
  });

  it('keeps the rule state across a restart: a repetition counted before it completes after it', async () => {
    const { clock, gateway } = f;
    clock.advance(60_000);
    await f.lifeline.telemetry.ingest(gateway, [readingAt(clock, 'CH4-1', 7, 5)]);
    // A new set of services over the same database (a restarted process).
    const again = another();
    await again.telemetry.ingest(gateway, [readingAt(clock, 'CH4-1', 7, 1)]);
    const alarms = await again.alarms.list(ADMIN, { status: 'active' });
    expect(alarms.filter((a) => a.sensorCode === 'CH4-1').map((a) => `${a.type}:${a.grade}`)).toEqual(['high:4']);
  });

  it('writes concurrent messages in shared batches and acknowledges each with its own count', async () => {
    const { clock, lifeline, gateway } = f;
    clock.advance(60_000);
    const before = await count('readings');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => lifeline.telemetry.ingest(gateway, [readingAt(clock, 'S-1', 5 + (i % 3), 50 - i), readingAt(clock, 'S-1', 5, 50 - i)])),
    );
    // Each message's two readings share a time: the second is a duplicate of the first.
    expect(results.every((r) => r.accepted === 1 && r.duplicates === 1)).toBe(true);
    expect(await count('readings')).toBe(before + 20);
  });

  it('throttles a flooding device and refuses what is over its budget, counted per reading', async () => {
    const throttled = another({ deviceRatePerSecond: 10, deviceBurst: 20, deviceMaxWaitMs: 0, maxReadingsPerMessage: 20 });
    const device = (await throttled.telemetry.authenticate('gw-district', f.gatewaySecret))!;
    const msg = (i: number) => Array.from({ length: 15 }, (_, k) => readingAt(f.clock, 'S-1', 1, 3000 + i * 20 + k));
    const first = await throttled.telemetry.ingest(device, msg(0));
    const second = await throttled.telemetry.ingest(device, msg(1));
    expect(first.accepted).toBe(15);
    expect(second.accepted).toBe(0);
    expect(new Set(second.refused.map((r) => r.reason))).toEqual(new Set(['throttled']));
    // Other devices are not affected.
    expect((await f.lifeline.telemetry.ingest(f.gateway, [readingAt(f.clock, 'S-1', 1, 2000)])).accepted).toBe(1);
  });

  it('rolls readings up into minutes and hours, including a late reading, and drops partitions past retention', async () => {
    const { clock, lifeline } = f;
    clock.advance(10 * 60_000);
    await lifeline.telemetry.rollUp();
    const minutes = await sql<{ n: number; total: number }>`select count(*)::int as n, sum(n)::int as total from reading_minutes`.execute(suite.database.db);
    const readings = await sql<{ n: number }>`select count(*)::int as n from readings where ts < ${new Date(Math.floor((clock.now().getTime() - 120_000) / 60_000) * 60_000)}`.execute(suite.database.db);
    expect(minutes.rows[0]!.total).toBe(readings.rows[0]!.n);
    // A gateway delivers a reading from half an hour ago, after its minute was rolled up.
    await lifeline.telemetry.ingest(f.gateway, [readingAt(clock, 'P-1', 320, 1800)]);
    await lifeline.telemetry.rollUp();
    const after = await sql<{ total: number }>`select sum(n)::int as total from reading_minutes`.execute(suite.database.db);
    expect(after.rows[0]!.total).toBe(readings.rows[0]!.n + 1);
    const hours = await sql<{ total: number }>`select sum(n)::int as total from reading_hours`.execute(suite.database.db);
    expect(hours.rows[0]!.total).toBe(after.rows[0]!.total);
    const series = await lifeline.telemetry.series(ADMIN, (await sql<{ id: number }>`select id from sensors where code = 'P-1'`.execute(suite.database.db)).rows[0]!.id, new Date(clock.now().getTime() - 3_600_000), clock.now());
    expect(series.resolution).toBe('raw');
    expect(series.points.map((p) => p.avg)).toContain(320);

    clock.advance(500 * 86_400_000);
    await lifeline.telemetry.ensurePartitions();
    const { dropped } = await lifeline.telemetry.applyRetention();
    expect(dropped).toContain('readings_y2026m03');
    expect(await count('readings')).toBe(0);
  });
});
