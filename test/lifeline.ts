/**
 * Lifeline test fixtures: services over a test database with a fake clock, the demo departments and utilities,
 * the reference profiles, and a small set of assets and sensors with a gateway credential.
 */
import type { DatabaseHandle } from '../src/db/database.js';
import { FakeClock } from '../src/kernel/clock.js';
import { silentLogger } from '../src/kernel/logger.js';
import { createAuditService } from '../src/modules/audit/index.js';
import { DEMO_DEPARTMENTS, DEMO_UTILITIES } from '../src/modules/demo/index.js';
import {
  createLifelineServices,
  type AlarmIncidentRequest,
  type AlarmNotification,
  type AlarmNotifier,
  type DeviceIdentity,
  type IncidentPort,
  type LifelineServices,
  type TelemetrySettings,
} from '../src/modules/lifeline/index.js';
import { createOrganizationService } from '../src/modules/organization/index.js';
import type { PolicyActor } from '../src/modules/access/index.js';

export const ADMIN: PolicyActor = { userId: 0, posts: [{ role: 'admin', unitPath: '/', townPath: null }], grants: [] };
export const BY = { userId: null, label: 'test', ip: null } as const;

/** An incident port that records requests and answers with numbers, or fails while `failing` is set. */
export class RecordingIncidentPort implements IncidentPort {
  readonly requests: AlarmIncidentRequest[] = [];
  failing: Error | undefined;
  private next = 1;
  async openIncidentFromAlarm(request: AlarmIncidentRequest) {
    if (this.failing) throw this.failing;
    this.requests.push(request);
    const id = this.next++;
    return { incidentId: id, number: `SJ-2026-${String(id).padStart(6, '0')}` };
  }
}

export class RecordingNotifier implements AlarmNotifier {
  readonly sent: AlarmNotification[] = [];
  async notify(n: AlarmNotification) {
    this.sent.push(n);
  }
}

export interface LifelineFixture {
  readonly clock: FakeClock;
  readonly lifeline: LifelineServices;
  readonly incidents: RecordingIncidentPort;
  readonly notifier: RecordingNotifier;
  readonly gateway: DeviceIdentity;
  readonly gatewaySecret: string;
}

export const FIXTURE_ASSETS_CSV = [
  'code,name,kind,owner,area,risk,path,lon,lat',
  'GAS-T1,测试燃气管线,燃气管线,U-GAS,500154001,较大,"108.39,31.16;108.40,31.17",,',
  'WAT-T1,测试供水管线,water_pipeline,U-WATER,500154002,high,"108.41,31.16;108.42,31.17",,',
  'BRG-T1,测试桥梁,桥梁,D-JTW,500154001,重大,,108.40,31.158',
].join('\n');

export const FIXTURE_SENSORS_CSV = [
  'code,asset,kind,quantity,profile,lon,lat,interval_seconds,baseline',
  'CH4-1,GAS-T1,gas_detector,methane,gas-methane,108.391,31.161,30,',
  'CH4-2,GAS-T1,gas_detector,methane,gas-methane,108.395,31.165,30,',
  'P-1,WAT-T1,pressure_gauge,pressure,water-pressure,108.411,31.161,10,',
  'S-1,BRG-T1,strain_gauge,strain,bridge-strain,108.40,31.158,1,',
].join('\n');

/** Services over `database`, with the demo units, the reference profiles, the fixture assets and a gateway for the whole district. */
export async function lifelineFixture(database: DatabaseHandle, options: { start?: string; settings?: Partial<TelemetrySettings> } = {}): Promise<LifelineFixture> {
  const clock = new FakeClock(options.start ?? '2026-03-02T09:00:00+08:00');
  const audit = createAuditService(database, clock);
  await createOrganizationService(database, clock, audit).addMissingUnits([...DEMO_DEPARTMENTS, ...DEMO_UTILITIES], { isDemo: true });
  const incidents = new RecordingIncidentPort();
  const notifier = new RecordingNotifier();
  const lifeline = createLifelineServices({ database, clock, logger: silentLogger, audit, incidents, notifier, publicUrl: 'http://test', settings: options.settings });
  await lifeline.assets.seedReferenceProfiles();
  const ctx = { actor: ADMIN, by: BY };
  await lifeline.assets.importCsv(ctx, 'assets', new TextEncoder().encode(FIXTURE_ASSETS_CSV));
  await lifeline.assets.importCsv(ctx, 'sensors', new TextEncoder().encode(FIXTURE_SENSORS_CSV));
  await lifeline.telemetry.ensurePartitions();
  const { secret } = await lifeline.assets.createCredential(ctx, { key: 'gw-district', name: '全区网关', kind: 'gateway', unitCode: '500154' });
  const gateway = (await lifeline.telemetry.authenticate('gw-district', secret))!;
  return { clock, lifeline, incidents, notifier, gateway, gatewaySecret: secret };
}

/** A reading at `secondsAgo` before the fixture clock's now. */
export const readingAt = (clock: FakeClock, sensor: string, value: number, secondsAgo = 0) => ({
  sensor,
  ts: new Date(clock.now().getTime() - secondsAgo * 1000).toISOString(),
  value,
});
