/**
 * Use cases of telemetry: authenticating devices, ingesting readings (the same use case for MQTT and HTTP),
 * keeping the partitions, roll-ups and retention of stored readings, detecting silent sensors, and series for
 * charts.
 *
 * Ingest validates each reading against an in-process copy of the sensor register, then hands the valid ones to
 * a batcher: callers arriving while a batch is being written wait for the next one, so under load one
 * transaction carries thousands of readings and when idle a reading is written at once. One batch, one
 * transaction: insert the readings (duplicates by sensor and time are skipped), lock the rule state of the
 * sensors concerned (in id order), evaluate the rules over the new readings, write the states that changed and
 * the alarms that follow. The caller's promise resolves after the commit — MQTT acknowledges (PUBACK) only then,
 * so an acknowledged reading is stored.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../kernel/clock.js';
import type { Database } from '../../kernel/db.js';
import { DomainError, notFound } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import { authorize, can, type PolicyActor } from '../access/index.js';
import { checkSilence, EMPTY_STATE, evaluateReadings, sameRuleState, silenceDueAt, type SensorRuleState } from './alarm-rule.rules.js';
import { applyTransitions, type TransitionItem } from './alarm.service.js';
import type { CredentialKind } from './asset.js';
import * as assetRepo from './asset.repository.js';
import { hashSecret } from './asset.service.js';
import { readingsOf, validateReading, type Refusal, type RefusalReason, type ValidReading } from './reading.rules.js';
import type { SensorRegistry } from './sensor-registry.js';
import * as repo from './telemetry.repository.js';
import { takeTokens, type Bucket } from './throttle.rules.js';

export interface TelemetrySettings {
  /** How far ahead of the server's clock a reading may be (device clocks drift). */
  readonly maxFutureSeconds: number;
  /** How old a reading may be (a gateway that buffered during an outage). */
  readonly maxPastSeconds: number;
  readonly maxReadingsPerMessage: number;
  readonly batchMaxReadings: number;
  readonly deviceRatePerSecond: number;
  readonly deviceBurst: number;
  readonly deviceMaxWaitMs: number;
  readonly retentionDays: number;
  readonly minuteRetentionDays: number;
  readonly hourRetentionDays: number;
  readonly partitionMonthsAhead: number;
}

export const DEFAULT_TELEMETRY_SETTINGS: TelemetrySettings = {
  maxFutureSeconds: 300,
  maxPastSeconds: 7 * 86_400,
  maxReadingsPerMessage: 5000,
  batchMaxReadings: 5000,
  deviceRatePerSecond: 2000,
  deviceBurst: 20_000,
  deviceMaxWaitMs: 2000,
  retentionDays: 400,
  minuteRetentionDays: 120,
  hourRetentionDays: 3660,
  partitionMonthsAhead: 2,
};

/** A device that has proved who it is: its credential as a machine principal. */
export interface DeviceIdentity {
  readonly credentialId: number;
  readonly key: string;
  readonly kind: CredentialKind;
  /** For a per-sensor credential, the only sensor it reports for. */
  readonly sensorCode: string | null;
  readonly actor: PolicyActor;
}

export interface IngestResult {
  readonly accepted: number;
  /** Readings already stored (same sensor and time): a device resending after a lost acknowledgement. */
  readonly duplicates: number;
  readonly refused: readonly Refusal[];
}

export interface TelemetryService {
  /** The device for a credential key and secret, or null (unknown key, wrong secret, revoked). */
  authenticate(key: string, secret: string): Promise<DeviceIdentity | null>;
  /** The device for a key alone, for an external broker that authenticated the device itself. */
  deviceForKey(key: string): Promise<DeviceIdentity | null>;
  /** Validates and stores readings (a parsed message); resolves after they are committed. */
  ingest(device: DeviceIdentity, payload: unknown): Promise<IngestResult>;
  /** As ingest, from message text (JSON). */
  ingestText(device: DeviceIdentity, text: string): Promise<IngestResult>;
  /** Waits for every batch handed over so far to be written. */
  drain(): Promise<void>;
  /** Creates the monthly partitions from last month to `partitionMonthsAhead` ahead; returns those created. */
  ensurePartitions(): Promise<string[]>;
  /** Rolls readings up into minutes and hours (to two minutes ago), and re-rolls minutes that received late readings. */
  rollUp(): Promise<{ minutes: number; late: number }>;
  /** Drops partitions past retention and deletes old hourly roll-ups. */
  applyRetention(): Promise<{ dropped: string[]; hours: number }>;
  /** Raises silence alarms for sensors that have not reported for k × their interval. */
  checkSilences(limit?: number): Promise<{ raised: number; refreshed: number }>;
  /** A sensor's values over [from, to): raw readings for short spans, roll-ups for long ones. */
  series(actor: PolicyActor, sensorId: number, from: Date, to: Date): Promise<{ resolution: 'raw' | 'minute' | 'hour'; binSeconds: number; points: repo.SeriesPoint[] }>;
}

interface Pending {
  readonly readings: readonly ValidReading[];
  resolve(inserted: number): void;
  reject(e: unknown): void;
}

const MAX_RAW_POINTS = 3000;

export function createTelemetryService(deps: {
  database: Database;
  clock: Clock;
  registry: SensorRegistry;
  logger: Logger;
  settings?: Partial<TelemetrySettings>;
  centerUnitId: () => Promise<number | null>;
}): TelemetryService {
  const { database, clock, registry, logger } = deps;
  const settings: TelemetrySettings = { ...DEFAULT_TELEMETRY_SETTINGS, ...deps.settings };
  const db = database.db;

  // Credentials seen recently: a device connects once, but HTTP carries its token on every request.
  const credentialCache = new Map<string, { at: number; found: Awaited<ReturnType<typeof assetRepo.credentialForKey>> }>();
  const CREDENTIAL_TTL_MS = 30_000;
  async function credential(key: string) {
    const hit = credentialCache.get(key);
    if (hit && performance.now() - hit.at < CREDENTIAL_TTL_MS) return hit.found;
    const found = await assetRepo.credentialForKey(db, key);
    if (credentialCache.size > 10_000) credentialCache.clear();
    credentialCache.set(key, { at: performance.now(), found });
    return found;
  }

  const identityOf = (c: NonNullable<Awaited<ReturnType<typeof assetRepo.credentialForKey>>>): DeviceIdentity => ({
    credentialId: c.id,
    key: c.key,
    kind: c.kind,
    sensorCode: c.sensorCode,
    actor: { userId: 0, posts: [], grants: [], machine: { actions: ['telemetry.ingest'], scopePath: c.unitPath } },
  });

  const buckets = new Map<number, Bucket>();
  const limits = { ratePerSecond: settings.deviceRatePerSecond, burst: settings.deviceBurst, maxWaitMs: settings.deviceMaxWaitMs };

  // The batcher.
  const queue: Pending[] = [];
  let running: Promise<void> | undefined;

  async function writeBatch(readings: readonly ValidReading[]): Promise<Set<string>> {
    const now = clock.now();
    const ids: number[] = [];
    const ts: number[] = [];
    const values: number[] = [];
    for (const r of readings) {
      ids.push(r.sensorId);
      ts.push(r.ts);
      values.push(r.value);
    }
    const center = await centerUnitId();
    const attempt = () =>
      database.transaction(async (tx) => {
        const inserted = await repo.insertReadings(tx, ids, ts, values, now.getTime() - 60_000);
        if (inserted.length === 0) return inserted;
        const bySensor = new Map<number, { ts: number; value: number }[]>();
        for (const r of inserted) {
          let list = bySensor.get(r.sensorId);
          if (!list) bySensor.set(r.sensorId, (list = []));
          list.push(r);
        }
        const states = await repo.lockStates(tx, [...bySensor.keys()]);
        const writes: repo.StateWrite[] = [];
        const transitions: TransitionItem[] = [];
        for (const [sensorId, list] of bySensor) {
          const info = registry.byId(sensorId);
          if (!info) continue;
          const rules = registry.rulesOf(info.profileId);
          const before = states.get(sensorId);
          const prev: SensorRuleState = before?.state ?? EMPTY_STATE;
          const { state, transitions: ts2 } = evaluateReadings({ rules, baseline: info.baseline }, prev, list);
          for (const t of ts2) transitions.push({ sensor: info, transition: t });
          if (!before || !sameRuleState(prev, state)) {
            let latest = list[0]!;
            for (const r of list) if (r.ts > latest.ts) latest = r;
            const due = silenceDueAt(rules, latest.ts, info.intervalSeconds);
            writes.push({
              sensor_id: sensorId,
              rules: state,
              last_ts: new Date(latest.ts).toISOString(),
              last_value: latest.value,
              silence_due_at: due === null ? null : new Date(due).toISOString(),
            });
          }
        }
        await repo.saveStates(tx, writes, now);
        if (transitions.length) await applyTransitions(tx, transitions, now, center);
        return inserted;
      });
    let inserted;
    try {
      inserted = await attempt();
    } catch (e) {
      if (!repo.isMissingPartition(e)) throw e;
      // A month no job has prepared yet (a gateway replaying old data, or the worker is not running).
      for (const t of new Set(ts.map((x) => repo.monthStart(x).getTime()))) {
        await repo.createPartition(db, 'readings', new Date(t));
        await repo.createPartition(db, 'reading_minutes', new Date(t));
      }
      inserted = await attempt();
    }
    return new Set(inserted.map((r) => `${r.sensorId}:${r.ts}`));
  }

  let centerCache: number | null | undefined;
  const centerUnitId = async () => (centerCache === undefined ? (centerCache = await deps.centerUnitId()) : centerCache);

  async function run(): Promise<void> {
    // Let every message parsed from the same socket read join the first batch.
    await new Promise((r) => setImmediate(r));
    while (queue.length) {
      const taken: Pending[] = [];
      let size = 0;
      while (queue.length && (taken.length === 0 || size + queue[0]!.readings.length <= settings.batchMaxReadings)) {
        const p = queue.shift()!;
        taken.push(p);
        size += p.readings.length;
      }
      try {
        const keys = await writeBatch(taken.flatMap((p) => p.readings));
        for (const p of taken) {
          let n = 0;
          for (const r of p.readings) {
            const k = `${r.sensorId}:${r.ts}`;
            // A reading sent twice within one batch counts once.
            if (keys.delete(k)) n++;
          }
          p.resolve(n);
        }
      } catch (e) {
        for (const p of taken) p.reject(e);
      }
    }
  }

  function pump(): void {
    running = run()
      .catch((e) => logger.error({ err: e }, 'telemetry batcher failed'))
      .finally(() => {
        running = undefined;
        // Work queued after the loop saw an empty queue.
        if (queue.length) pump();
      });
  }

  function submit(readings: readonly ValidReading[]): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      queue.push({ readings, resolve, reject });
      if (!running) pump();
    });
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function ingestReadings(device: DeviceIdentity, list: readonly unknown[]): Promise<IngestResult> {
    const throttle = takeTokens(buckets.get(device.credentialId), performance.now(), list.length, limits);
    buckets.set(device.credentialId, throttle.bucket);
    if (throttle.decision.action === 'refuse') {
      return { accepted: 0, duplicates: 0, refused: list.map((_, index) => ({ index, sensor: sensorOf(list[index]), reason: 'throttled' as const })) };
    }
    if (throttle.decision.action === 'wait') await sleep(throttle.decision.ms);
    await registry.fresh();
    const now = clock.now().getTime();
    const ctx = {
      now,
      maxFutureMs: settings.maxFutureSeconds * 1000,
      maxPastMs: settings.maxPastSeconds * 1000,
      lookup: (code: string) => registry.byCode(code),
      mayReport: (s: { code: string; ownerPath: string }) =>
        (device.sensorCode === null || device.sensorCode === s.code) && can(device.actor, 'telemetry.ingest', { unitPaths: [s.ownerPath] }),
      impliedSensor: device.sensorCode ?? undefined,
    };
    let valid: ValidReading[] = [];
    let refused: Refusal[] = [];
    const check = () => {
      valid = [];
      refused = [];
      list.forEach((raw, i) => {
        const r = validateReading(raw, i, ctx);
        if (r.ok) valid.push(r.reading);
        else refused.push(r.refusal);
      });
    };
    check();
    if (refused.some((r) => r.reason === 'unknown_sensor') && (await registry.reloadForMiss())) check();
    const inserted = valid.length ? await submit(valid) : 0;
    return { accepted: inserted, duplicates: valid.length - inserted, refused };
  }

  const sensorOf = (raw: unknown): string | null => {
    const s = (raw as { sensor?: unknown } | null)?.sensor;
    return typeof s === 'string' ? s.slice(0, 64) : null;
  };
  const refuseWhole = (reason: RefusalReason): IngestResult => ({ accepted: 0, duplicates: 0, refused: [{ index: -1, sensor: null, reason }] });

  const service: TelemetryService = {
    async authenticate(key, secret) {
      const c = await credential(key);
      if (!c || c.revokedAt) return null;
      const a = Buffer.from(hashSecret(secret));
      const b = Buffer.from(c.secretHash);
      if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
      return identityOf(c);
    },

    async deviceForKey(key) {
      const c = await credential(key);
      return c && !c.revokedAt ? identityOf(c) : null;
    },

    async ingest(device, payload) {
      const found = readingsOf(payload, settings.maxReadingsPerMessage);
      if ('error' in found) return refuseWhole(found.error);
      return ingestReadings(device, found.readings);
    },

    async ingestText(device, text) {
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        return refuseWhole('malformed');
      }
      return service.ingest(device, payload);
    },

    async drain() {
      while (running) await running;
    },

    async ensurePartitions() {
      const now = clock.now().getTime();
      const created: string[] = [];
      // From the oldest month a reading may still be accepted for, to the configured months ahead.
      const first = repo.monthStart(now - settings.maxPastSeconds * 1000);
      for (let m = first; m.getTime() <= repo.monthStart(now, settings.partitionMonthsAhead).getTime(); m = repo.monthStart(m.getTime(), 1)) {
        for (const table of ['readings', 'reading_minutes'] as const) {
          if (await repo.createPartition(db, table, m)) created.push(repo.partitionName(table, m));
        }
      }
      return created;
    },

    async rollUp() {
      const now = clock.now();
      // Two minutes of lag: a reading arriving later than a minute after its time marks its minute as late.
      const upto = new Date(Math.floor((now.getTime() - 120_000) / 60_000) * 60_000);
      let from: Date;
      const watermark = await repo.getWatermark(db, 'minutes');
      if (watermark) from = watermark;
      else {
        const earliest = await repo.earliestReadingAfter(db, new Date(now.getTime() - settings.maxPastSeconds * 1000));
        from = new Date(Math.floor((earliest ?? upto).getTime() / 60_000) * 60_000);
      }
      let minutes = 0;
      while (from < upto) {
        // An hour at a time keeps each transaction short.
        const to = new Date(Math.min(upto.getTime(), from.getTime() + 3_600_000));
        const start = from;
        minutes += await database.transaction(async (tx) => {
          const n = await repo.rollUpMinutes(tx, start, to);
          await repo.rollUpHours(tx, start, to);
          await repo.advanceLastSeen(tx, start, to);
          await repo.setWatermark(tx, 'minutes', to);
          return n;
        });
        from = to;
      }
      let late = 0;
      for (;;) {
        const r = await database.transaction(async (tx) => {
          const taken = await repo.rollUpLateMinutes(tx, from, 5000);
          if (taken.from && taken.to) await repo.rollUpHours(tx, taken.from, taken.to);
          return taken.count;
        });
        late += r;
        if (r < 5000) break;
      }
      return { minutes, late };
    },

    async applyRetention() {
      const now = clock.now().getTime();
      const dropped: string[] = [];
      const plan = [
        ['readings', settings.retentionDays],
        ['reading_minutes', settings.minuteRetentionDays],
      ] as const;
      for (const [table, days] of plan) {
        const before = now - days * 86_400_000;
        for (const p of await repo.listPartitions(db, table)) {
          if (p.to.getTime() <= before) {
            await repo.dropPartition(db, table, p.name);
            dropped.push(p.name);
          }
        }
      }
      let hours = 0;
      for (;;) {
        const n = await repo.deleteHoursBefore(db, new Date(now - settings.hourRetentionDays * 86_400_000), 10_000);
        hours += n;
        if (n < 10_000) break;
      }
      return { dropped, hours };
    },

    async checkSilences(limit = 500) {
      await registry.fresh();
      const now = clock.now();
      let raised = 0;
      let refreshed = 0;
      for (const due of await repo.dueSilences(db, now, limit)) {
        const info = registry.byId(due.sensor_id);
        if (!info || info.retired) continue;
        const rules = registry.rulesOf(info.profileId);
        const since = due.last_ms ?? due.created_ms;
        // The state's last reading time follows the roll-up job; the readings themselves may be newer.
        const newer = await repo.latestReading(db, due.sensor_id, since);
        if (newer) {
          const next = silenceDueAt(rules, newer.ts, info.intervalSeconds);
          if (next !== null && next > now.getTime()) {
            await repo.setSilenceDue(db, due.sensor_id, new Date(next), newer);
            refreshed++;
            continue;
          }
        }
        const lastTs = newer?.ts ?? since;
        const center = await centerUnitId();
        raised += await database.transaction(async (tx) => {
          const states = await repo.lockStates(tx, [due.sensor_id]);
          const prev = states.get(due.sensor_id)?.state ?? EMPTY_STATE;
          const { state, transitions } = checkSilence(rules, prev, lastTs, info.intervalSeconds, now.getTime());
          await repo.updateRuleState(tx, due.sensor_id, state, now);
          // Nothing more to watch until a reading arrives (which clears the silence and sets a new due time).
          await repo.setSilenceDue(tx, due.sensor_id, null);
          if (transitions.length) await applyTransitions(tx, transitions.map((t) => ({ sensor: info, transition: t })), now, center);
          return transitions.length;
        });
      }
      return { raised, refreshed };
    },

    async series(actor, sensorId, from, to) {
      const sensor = await assetRepo.findSensor(db, sensorId);
      if (!sensor) throw notFound('SENSOR.NOT_FOUND', `No sensor ${sensorId}`, { id: sensorId });
      const asset = (await assetRepo.findAsset(db, sensor.assetId))!;
      authorize(actor, 'asset.read', { areaPath: asset.areaPath, unitPaths: [asset.ownerPath] });
      const span = to.getTime() - from.getTime();
      if (!(span > 0) || span > 400 * 86_400_000) throw new DomainError('Invalid', 'SERIES.BAD_RANGE', 'The range must be positive and at most 400 days');
      if (span <= 6 * 3_600_000 && (await repo.countReadings(db, sensorId, from, to)) <= MAX_RAW_POINTS) {
        return { resolution: 'raw', binSeconds: 0, points: await repo.rawSeries(db, sensorId, from, to, MAX_RAW_POINTS) };
      }
      // About 600 points across whatever span, in whole minutes or hours.
      if (span <= 10 * 86_400_000) {
        const bin = Math.max(60, Math.ceil(span / 600 / 60_000) * 60);
        return { resolution: 'minute', binSeconds: bin, points: await repo.rolledSeries(db, 'reading_minutes', sensorId, from, to, bin) };
      }
      const bin = Math.max(3600, Math.ceil(span / 600 / 3_600_000) * 3600);
      return { resolution: 'hour', binSeconds: bin, points: await repo.rolledSeries(db, 'reading_hours', sensorId, from, to, bin) };
    },
  };
  return service;
}
