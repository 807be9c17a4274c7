/**
 * The in-process copy of what ingest needs per sensor (and each profile's rules), so that validating a reading
 * costs a map lookup instead of a query. Reloaded whole every `maxAgeMs` and when a code is unknown (at most every
 * `missReloadMs`, so a flood of unknown codes cannot turn into a flood of queries); a change made in this process
 * invalidates it at once. A change made by another process is seen within `maxAgeMs`.
 */
import type { Executor } from '../../kernel/db.js';
import { parseRules, type AlarmRule } from './alarm-rule.rules.js';
import * as repo from './asset.repository.js';
import type { Quantity } from './quantity.rules.js';
import type { SensorRef } from './reading.rules.js';

export interface SensorInfo extends SensorRef {
  readonly assetId: number;
  readonly ownerUnitId: number;
  readonly profileId: number;
  readonly intervalSeconds: number;
  readonly baseline: number | null;
}

export interface SensorRegistry {
  /** Ensures the copy is no older than its maximum age. */
  fresh(): Promise<void>;
  /** Reloads when an unknown code was seen, unless a reload happened very recently; true when it reloaded. */
  reloadForMiss(): Promise<boolean>;
  invalidate(): void;
  byCode(code: string): SensorInfo | undefined;
  byId(id: number): SensorInfo | undefined;
  rulesOf(profileId: number): readonly AlarmRule[];
}

export function createSensorRegistry(db: Executor, options: { maxAgeMs?: number; missReloadMs?: number } = {}): SensorRegistry {
  const maxAgeMs = options.maxAgeMs ?? 30_000;
  const missReloadMs = options.missReloadMs ?? 2_000;
  let codes = new Map<string, SensorInfo>();
  let ids = new Map<number, SensorInfo>();
  let profiles = new Map<number, AlarmRule[]>();
  let loadedAt = -Infinity;
  let loading: Promise<void> | undefined;

  async function load(): Promise<void> {
    const started = performance.now();
    const [rows, profileRows] = await Promise.all([repo.sensorRegistry(db), repo.listProfiles(db)]);
    const nextCodes = new Map<string, SensorInfo>();
    const nextIds = new Map<number, SensorInfo>();
    for (const r of rows) {
      const info: SensorInfo = {
        id: r.id,
        code: r.code,
        quantity: r.quantity as Quantity,
        validMin: r.valid_min,
        validMax: r.valid_max,
        retired: r.retired_at !== null,
        ownerPath: r.owner_path,
        assetId: r.asset_id,
        ownerUnitId: r.owner_unit_id,
        profileId: r.profile_id,
        intervalSeconds: r.interval_seconds,
        baseline: r.baseline,
      };
      nextCodes.set(info.code, info);
      nextIds.set(info.id, info);
    }
    const nextProfiles = new Map<number, AlarmRule[]>();
    for (const p of profileRows) {
      const parsed = parseRules(p.rules);
      // Stored rules were validated when written; a profile that no longer parses evaluates nothing rather than crash ingest.
      nextProfiles.set(p.id, parsed.ok ? parsed.rules : []);
    }
    codes = nextCodes;
    ids = nextIds;
    profiles = nextProfiles;
    loadedAt = started;
  }

  const reload = () => (loading ??= load().finally(() => (loading = undefined)));

  return {
    async fresh() {
      if (performance.now() - loadedAt > maxAgeMs) await reload();
    },
    async reloadForMiss() {
      if (performance.now() - loadedAt < missReloadMs) return false;
      await reload();
      return true;
    },
    invalidate() {
      loadedAt = -Infinity;
    },
    byCode: (code) => codes.get(code),
    byId: (id) => ids.get(id),
    rulesOf: (profileId) => profiles.get(profileId) ?? [],
  };
}
