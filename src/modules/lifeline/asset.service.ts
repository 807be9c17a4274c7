/**
 * Use cases of the watched infrastructure: assets and sensors (one by one, or imported from CSV and GeoJSON with
 * every row checked first and all or nothing written), sensor profiles and their alarm rules, and the device
 * credentials gateways and sensors report with. Every change is authorised against the owning unit and audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../kernel/clock.js';
import { CsvSyntaxError, decodeText, parseCsvRecords } from '../../kernel/csv.js';
import { isUniqueViolation, type Database, type Executor } from '../../kernel/db.js';
import { conflict, DomainError, invalid, notFound, type FieldProblem } from '../../kernel/errors.js';
import type { Initiator } from '../../kernel/initiator.js';
import { authorize, can, scopeFor, type PolicyActor } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { parseRules, silenceDueAt, type AlarmRule } from './alarm-rule.rules.js';
import { anchorOf, assetFromFields, bboxOfGeometry, checkAssetSpec, checkSensorSpec, sensorFromFields } from './asset.rules.js';
import type { Asset, AssetSpec, Credential, CredentialKind, Position, Sensor, SensorProfile, SensorSpec } from './asset.js';
import * as repo from './asset.repository.js';
import { REFERENCE_PROFILES } from './profiles.js';
import { canonicalUnit } from './quantity.rules.js';
import type { SensorRegistry } from './sensor-registry.js';
import * as telemetryRepo from './telemetry.repository.js';

export interface ChangeContext {
  readonly actor: PolicyActor;
  readonly by: Initiator;
}

export interface ImportResult {
  readonly assets: { readonly created: number; readonly updated: number };
  readonly sensors: { readonly created: number; readonly updated: number };
}

export interface AssetMapItem {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly kind: Asset['kind'];
  readonly riskLevel: Asset['riskLevel'];
  readonly geometry: Asset['geometry'];
  readonly anchor: Position;
}

export interface AssetService {
  /** Adds the shipped sensor profiles that are missing; returns how many were added. */
  seedReferenceProfiles(): Promise<number>;
  listAssets(actor: PolicyActor, filter?: repo.AssetFilter, limit?: number): Promise<Asset[]>;
  getAsset(actor: PolicyActor, id: number): Promise<{ asset: Asset; sensors: (Sensor & { lastTs: Date | null; lastValue: number | null })[] }>;
  getSensor(actor: PolicyActor, id: number): Promise<{ sensor: Sensor; asset: Asset; profile: SensorProfile; lastTs: Date | null; lastValue: number | null }>;
  /** Assets on the map, within the actor's reach. */
  mapItems(actor: PolicyActor): Promise<AssetMapItem[]>;
  saveAsset(ctx: ChangeContext, spec: AssetSpec): Promise<Asset>;
  saveSensor(ctx: ChangeContext, spec: SensorSpec): Promise<Sensor>;
  retireAsset(ctx: ChangeContext, id: number): Promise<void>;
  /** Assets or sensors from CSV (UTF-8 or GB18030): every row checked, then all written or nothing. */
  importCsv(ctx: ChangeContext, what: 'assets' | 'sensors', bytes: Uint8Array): Promise<ImportResult>;
  /** Assets and sensors from a GeoJSON FeatureCollection: a feature whose properties name an `asset` is a sensor. */
  importGeoJson(ctx: ChangeContext, bytes: Uint8Array): Promise<ImportResult>;
  listProfiles(): Promise<SensorProfile[]>;
  getProfile(id: number): Promise<SensorProfile>;
  /** Replaces a profile's rules (validated); sensors following it use them from their next reading. */
  updateProfileRules(ctx: ChangeContext, id: number, rules: unknown): Promise<SensorProfile>;
  listCredentials(actor: PolicyActor): Promise<Credential[]>;
  /** Issues a credential; the secret is returned once and only its hash is kept. */
  createCredential(ctx: ChangeContext, input: { key: string; name: string; kind: CredentialKind; unitCode?: string; sensorCode?: string }): Promise<{ credential: Credential; secret: string }>;
  revokeCredential(ctx: ChangeContext, id: number): Promise<void>;
  /** Demo assets and sensors for the demo district (once). */
  seedDemo(specs: { assets: readonly AssetSpec[]; sensors: readonly SensorSpec[]; gateway?: { key: string; name: string; secret: string; unitCode: string } }): Promise<number>;
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const resourceOf = (a: { ownerPath: string; areaPath: string | null }) => ({ areaPath: a.areaPath, unitPaths: [a.ownerPath] });

export function createAssetService(deps: { database: Database; clock: Clock; audit: AuditService; registry: SensorRegistry }): AssetService {
  const { database, clock, audit, registry } = deps;
  const db = database.db;

  const lookupAsset = async (x: Executor, id: number) => {
    const asset = await repo.findAsset(x, id);
    if (!asset) throw notFound('ASSET.NOT_FOUND', `No asset ${id}`, { id });
    return asset;
  };

  /** Checks and writes specs in one transaction; problems name the row (line) and field. */
  async function writeSpecs(
    ctx: ChangeContext,
    rows: { line: number; asset?: AssetSpec; sensor?: SensorSpec; problems: { field: string; code: string; message: string; params?: Record<string, string | number> }[] }[],
    options: { isDemo?: boolean; action: string } = { action: 'asset.import' },
  ): Promise<ImportResult> {
    const problems: FieldProblem[] = [];
    const at = (line: number, field: string, code: string, message: string, params: Record<string, string | number> = {}) =>
      problems.push({ path: `${line}:${field}`, code, message: `line ${line}, ${field}: ${message}`, params: { line, field, ...params } });
    const seen = new Map<string, number>();
    for (const r of rows) {
      for (const p of r.problems) at(r.line, p.field, p.code, p.message, p.params);
      const code = r.asset?.code ?? r.sensor?.code ?? '';
      const key = `${r.asset ? 'a' : 's'}:${code}`;
      if (code && seen.has(key)) at(r.line, 'code', 'CSV.DUPLICATE_CODE', `code ${code} already appears on line ${seen.get(key)}`, { code, first: seen.get(key)! });
      else seen.set(key, r.line);
    }
    // Rows with problems are not written, but the checks against the register still run, so that every problem of
    // the file is reported at once; the transaction then rolls back.
    const result = await database.transaction(async (tx) => {
      const assetSpecs = rows.filter((r) => r.asset);
      const sensorSpecs = rows.filter((r) => r.sensor);
      const unitCodes = assetSpecs.flatMap((r) => [r.asset!.ownerUnitCode, r.asset!.areaUnitCode].filter((c): c is string => !!c));
      const units = new Map((await repo.unitsByCodes(tx, [...new Set(unitCodes)])).map((u) => [u.code, u]));
      const profiles = new Map((await repo.listProfiles(tx)).map((p) => [p.code, p]));
      const counts = { assets: { created: 0, updated: 0 }, sensors: { created: 0, updated: 0 } };
      const assetIds = new Map<string, { id: number; ownerPath: string; areaPath: string | null }>();
      const existingAssets = new Map((await repo.findAssetsByCodes(tx, [...new Set([...assetSpecs.map((r) => r.asset!.code), ...sensorSpecs.map((r) => r.sensor!.assetCode)])])).map((a) => [a.code, a]));

      for (const r of assetSpecs) {
        const spec = r.asset!;
        const owner = units.get(spec.ownerUnitCode);
        const area = spec.areaUnitCode ? units.get(spec.areaUnitCode) : undefined;
        if (!owner || owner.retired_at) at(r.line, 'owner', 'LIFELINE.UNIT_NOT_FOUND', `no current unit ${spec.ownerUnitCode}`, { code: spec.ownerUnitCode });
        else if (!['department', 'utility', 'district_center', 'town', 'street', 'township'].includes(owner.kind))
          at(r.line, 'owner', 'LIFELINE.OWNER_KIND', `${spec.ownerUnitCode} cannot own assets`, { code: spec.ownerUnitCode });
        if (spec.areaUnitCode && !area) at(r.line, 'area', 'LIFELINE.UNIT_NOT_FOUND', `no unit ${spec.areaUnitCode}`, { code: spec.areaUnitCode });
        const current = existingAssets.get(spec.code);
        if (owner && !can(ctx.actor, 'asset.manage', { unitPaths: [owner.path], areaPath: area?.path ?? null }))
          at(r.line, 'owner', 'AUTH.FORBIDDEN', `not allowed to manage assets of ${spec.ownerUnitCode}`, { action: 'asset.manage' });
        if (current && !can(ctx.actor, 'asset.manage', resourceOf(current))) at(r.line, 'code', 'AUTH.FORBIDDEN', `not allowed to change ${spec.code}`, { action: 'asset.manage' });
        if (problems.length || !owner) continue;
        const saved = await repo.upsertAsset(tx, spec, { ownerUnitId: owner.id, areaUnitId: area?.id ?? null }, bboxOfGeometry(spec.geometry), options.isDemo ?? false, clock.now());
        counts.assets[saved.created ? 'created' : 'updated']++;
        assetIds.set(spec.code, { id: saved.id, ownerPath: owner.path, areaPath: area?.path ?? null });
      }
      for (const r of sensorSpecs) {
        const spec = r.sensor!;
        const known = existingAssets.get(spec.assetCode);
        const asset = assetIds.get(spec.assetCode) ?? (known && { id: known.id, ownerPath: known.ownerPath, areaPath: known.areaPath });
        const profile = profiles.get(spec.profileCode);
        if (!asset) at(r.line, 'asset', 'LIFELINE.ASSET_NOT_FOUND', `no asset ${spec.assetCode} in the file or the register`, { code: spec.assetCode });
        if (!profile) at(r.line, 'profile', 'LIFELINE.PROFILE_NOT_FOUND', `no profile ${spec.profileCode}`, { code: spec.profileCode });
        else if (profile.quantity !== spec.quantity) at(r.line, 'profile', 'LIFELINE.PROFILE_QUANTITY', `profile ${spec.profileCode} is for ${profile.quantity}, not ${spec.quantity}`, { code: spec.profileCode });
        if (asset && !can(ctx.actor, 'asset.manage', { unitPaths: [asset.ownerPath], areaPath: asset.areaPath })) at(r.line, 'asset', 'AUTH.FORBIDDEN', `not allowed to manage ${spec.assetCode}`, { action: 'asset.manage' });
        if (problems.length || !asset || !profile) continue;
        const now = clock.now();
        const saved = await repo.upsertSensor(tx, spec, { assetId: asset.id, profileId: profile.id, unit: canonicalUnit(spec.quantity) }, options.isDemo ?? false, now);
        counts.sensors[saved.created ? 'created' : 'updated']++;
        if (saved.created) {
          const due = silenceDueAt(profile.rules, now.getTime(), spec.intervalSeconds);
          await telemetryRepo.initState(tx, saved.id, due === null ? null : new Date(due));
        }
      }
      if (problems.length) throw invalid('IMPORT.INVALID_ROWS', `${problems.length} problem(s) in the file`, problems, { count: problems.length });
      await audit.append(tx, { action: options.action, details: { ...counts } }, ctx.by);
      return counts;
    });
    registry.invalidate();
    return result;
  }

  function readCsv(bytes: Uint8Array) {
    try {
      return parseCsvRecords(decodeText(bytes));
    } catch (e) {
      if (e instanceof CsvSyntaxError) throw invalid('CSV.SYNTAX', e.message, [{ path: `${e.line}`, code: 'CSV.SYNTAX', message: e.message, params: { line: e.line } }], { line: e.line });
      throw e;
    }
  }

  const service: AssetService = {
    async seedReferenceProfiles() {
      const specs = REFERENCE_PROFILES.map((p) => {
        const rules = parseRules(p.rules);
        if (!rules.ok) throw new Error(`Reference profile ${p.code}: ${rules.problems.join('; ')}`);
        return { code: p.code, name: p.name, quantity: p.quantity, rules: rules.rules };
      });
      return repo.insertMissingProfiles(db, specs);
    },

    async listAssets(actor, filter = {}, limit = 500) {
      authorize(actor, 'asset.read');
      return repo.listAssets(db, scopeFor(actor, 'asset.read'), filter, Math.min(limit, 5000));
    },

    async getAsset(actor, id) {
      const asset = await lookupAsset(db, id);
      authorize(actor, 'asset.read', resourceOf(asset));
      const sensors = await repo.sensorsOfAsset(db, id);
      const last = await telemetryRepo.lastSeen(db, sensors.map((s) => s.id));
      return { asset, sensors: sensors.map((s) => ({ ...s, lastTs: last.get(s.id)?.ts ?? null, lastValue: last.get(s.id)?.value ?? null })) };
    },

    async getSensor(actor, id) {
      const sensor = await repo.findSensor(db, id);
      if (!sensor) throw notFound('SENSOR.NOT_FOUND', `No sensor ${id}`, { id });
      const asset = await lookupAsset(db, sensor.assetId);
      authorize(actor, 'asset.read', resourceOf(asset));
      const profile = (await repo.findProfile(db, sensor.profileId))!;
      const last = (await telemetryRepo.lastSeen(db, [id])).get(id);
      return { sensor, asset, profile, lastTs: last?.ts ?? null, lastValue: last?.value ?? null };
    },

    async mapItems(actor) {
      authorize(actor, 'asset.read');
      const assets = await repo.listAssets(db, scopeFor(actor, 'asset.read'), {}, 5000);
      return assets.map((a) => ({ id: a.id, code: a.code, name: a.name, kind: a.kind, riskLevel: a.riskLevel, geometry: a.geometry, anchor: anchorOf(a.geometry) }));
    },

    async saveAsset(ctx, spec) {
      authorize(ctx.actor, 'asset.manage');
      await writeSpecs(ctx, [{ line: 1, asset: spec, problems: checkAssetSpec(spec) }], { action: 'asset.save' });
      const [saved] = await repo.findAssetsByCodes(db, [spec.code]);
      return saved!;
    },

    async saveSensor(ctx, spec) {
      authorize(ctx.actor, 'asset.manage');
      await writeSpecs(ctx, [{ line: 1, sensor: spec, problems: checkSensorSpec(spec) }], { action: 'sensor.save' });
      const [saved] = await repo.findSensorsByCodes(db, [spec.code]);
      return saved!;
    },

    async retireAsset(ctx, id) {
      await database.transaction(async (tx) => {
        const asset = await lookupAsset(tx, id);
        authorize(ctx.actor, 'asset.manage', resourceOf(asset));
        if (asset.retiredAt) throw conflict('ASSET.RETIRED', `Asset ${asset.code} is already retired`, { code: asset.code });
        await repo.retireAsset(tx, id, clock.now());
        await audit.append(tx, { action: 'asset.retire', target: { type: 'asset', id: asset.code } }, ctx.by);
      });
      registry.invalidate();
    },

    async importCsv(ctx, what, bytes) {
      authorize(ctx.actor, 'asset.manage');
      const parsed = readCsv(bytes);
      const required = what === 'assets' ? ['code', 'name', 'kind', 'owner', 'risk'] : ['code', 'asset', 'kind', 'quantity', 'profile', 'lon', 'lat'];
      const missing = required.filter((h) => !parsed.header.includes(h));
      if (missing.length) throw invalid('CSV.MISSING_COLUMNS', `Missing columns: ${missing.join(', ')}`, undefined, { columns: missing.join(', ') });
      if (parsed.records.length === 0) throw invalid('CSV.EMPTY', 'The file has no rows');
      if (parsed.records.length > 20_000) throw new DomainError('TooLarge', 'CSV.TOO_MANY_ROWS', 'At most 20,000 rows per import', { params: { max: 20000 } });
      const rows = parsed.records.map(({ line, values }) => {
        if (what === 'assets') {
          const { spec, problems } = assetFromFields(values);
          return { line, asset: spec, problems };
        }
        const { spec, problems } = sensorFromFields(values);
        return { line, sensor: spec, problems };
      });
      return writeSpecs(ctx, rows, { action: `asset.import_${what}` });
    },

    async importGeoJson(ctx, bytes) {
      authorize(ctx.actor, 'asset.manage');
      let doc: unknown;
      try {
        doc = JSON.parse(decodeText(bytes));
      } catch {
        throw invalid('GEOJSON.SYNTAX', 'The file is not JSON');
      }
      const features = (doc as { type?: string; features?: unknown }).type === 'FeatureCollection' ? (doc as { features: unknown }).features : undefined;
      if (!Array.isArray(features)) throw invalid('GEOJSON.NOT_COLLECTION', 'Expected a GeoJSON FeatureCollection');
      if (features.length === 0) throw invalid('CSV.EMPTY', 'The file has no features');
      if (features.length > 20_000) throw new DomainError('TooLarge', 'CSV.TOO_MANY_ROWS', 'At most 20,000 rows per import', { params: { max: 20000 } });
      const rows = features.map((f, i) => {
        const line = i + 1; // the feature's position in the collection
        const props = ((f as { properties?: unknown })?.properties ?? {}) as Record<string, unknown>;
        const geometry = (f as { geometry?: unknown })?.geometry;
        if (props.asset !== undefined) {
          const g = geometry as { type?: string; coordinates?: Position } | null;
          const point = g?.type === 'Point' && Array.isArray(g.coordinates) ? g.coordinates : undefined;
          const { spec, problems } = sensorFromFields(props, point);
          if (!point) problems.push({ field: 'geometry', code: 'LIFELINE.BAD_GEOMETRY', message: 'a sensor is a Point', params: { reason: 'Point' } });
          return { line, sensor: spec, problems };
        }
        const { spec, problems } = assetFromFields(props, geometry ?? null);
        return { line, asset: spec, problems };
      });
      return writeSpecs(ctx, rows, { action: 'asset.import_geojson' });
    },

    listProfiles: () => repo.listProfiles(db),

    async getProfile(id) {
      const p = await repo.findProfile(db, id);
      if (!p) throw notFound('PROFILE.NOT_FOUND', `No profile ${id}`, { id });
      return p;
    },

    async updateProfileRules(ctx, id, input) {
      // Profiles are deployment-wide: only a district-wide asset manager (an administrator) edits them.
      authorize(ctx.actor, 'asset.manage');
      if (scopeFor(ctx.actor, 'asset.manage').kind !== 'all') throw new DomainError('Forbidden', 'AUTH.FORBIDDEN', 'Only a district-wide asset manager edits profiles', { params: { action: 'asset.manage' } });
      const parsed = parseRules(input);
      if (!parsed.ok) throw invalid('PROFILE.INVALID_RULES', parsed.problems.join('; '), parsed.problems.map((m) => ({ path: 'rules', code: 'PROFILE.INVALID_RULES', message: m, params: { reason: m } })), { reason: parsed.problems[0]! });
      const profile = await database.transaction(async (tx) => {
        const before = await repo.findProfile(tx, id);
        if (!before) throw notFound('PROFILE.NOT_FOUND', `No profile ${id}`, { id });
        await repo.updateProfileRules(tx, id, parsed.rules as AlarmRule[], clock.now());
        await audit.append(tx, { action: 'profile.update_rules', target: { type: 'sensor_profile', id: before.code }, details: { before: before.rules, after: parsed.rules } }, ctx.by);
        return { ...before, rules: parsed.rules };
      });
      registry.invalidate();
      return profile;
    },

    async listCredentials(actor) {
      authorize(actor, 'asset.manage');
      const scope = scopeFor(actor, 'asset.manage');
      return repo.listCredentials(db, scope.kind === 'all' ? 'all' : scope.kind === 'paths' ? scope.paths : []);
    },

    async createCredential(ctx, input) {
      authorize(ctx.actor, 'asset.manage');
      const key = input.key.trim();
      const fields: FieldProblem[] = [];
      if (!/^[A-Za-z0-9_-]{3,64}$/.test(key)) fields.push({ path: 'key', code: 'CREDENTIAL.BAD_KEY', message: '3–64 letters, digits, - or _' });
      if (!input.name.trim()) fields.push({ path: 'name', code: 'field.required', message: 'a name is required' });
      if (fields.length) throw invalid('CREDENTIAL.INVALID', 'The credential is incomplete', fields);
      const secret = randomBytes(24).toString('base64url');
      try {
        const credential = await database.transaction(async (tx) => {
          let unitId: number;
          let sensorId: number | null = null;
          if (input.kind === 'sensor') {
            const [sensor] = await repo.findSensorsByCodes(tx, [input.sensorCode?.trim() ?? '']);
            if (!sensor) throw invalid('CREDENTIAL.INVALID', 'No such sensor', [{ path: 'sensorCode', code: 'SENSOR.NOT_FOUND', message: `no sensor ${input.sensorCode}` }]);
            const asset = (await repo.findAsset(tx, sensor.assetId))!;
            authorize(ctx.actor, 'asset.manage', resourceOf(asset));
            unitId = asset.ownerUnitId;
            sensorId = sensor.id;
          } else {
            const [unit] = await repo.unitsByCodes(tx, [input.unitCode?.trim() ?? '']);
            if (!unit || unit.retired_at) throw invalid('CREDENTIAL.INVALID', 'No such unit', [{ path: 'unitCode', code: 'LIFELINE.UNIT_NOT_FOUND', message: `no unit ${input.unitCode}`, params: { code: input.unitCode ?? '' } }]);
            // A gateway never reaches further than the person who issues it.
            authorize(ctx.actor, 'asset.manage', { unitPaths: [unit.path] });
            unitId = unit.id;
          }
          const id = await repo.insertCredential(tx, { key, name: input.name.trim(), kind: input.kind, unitId, sensorId, secretHash: hashSecret(secret), createdBy: ctx.by.userId, now: clock.now() });
          await audit.append(tx, { action: 'credential.create', target: { type: 'ingest_credential', id: key }, details: { kind: input.kind, unitId, sensorId } }, ctx.by);
          return (await repo.findCredential(tx, id))!;
        });
        return { credential, secret };
      } catch (e) {
        if (isUniqueViolation(e)) throw invalid('CREDENTIAL.KEY_TAKEN', `Key ${key} is taken`, [{ path: 'key', code: 'CREDENTIAL.KEY_TAKEN', message: `key ${key} is taken`, params: { key } }]);
        throw e;
      }
    },

    async revokeCredential(ctx, id) {
      await database.transaction(async (tx) => {
        const c = await repo.findCredential(tx, id);
        if (!c) throw notFound('CREDENTIAL.NOT_FOUND', `No credential ${id}`, { id });
        authorize(ctx.actor, 'asset.manage', { unitPaths: [c.unitPath] });
        if (c.revokedAt) throw conflict('CREDENTIAL.REVOKED', `Credential ${c.key} is already revoked`, { key: c.key });
        await repo.revokeCredential(tx, id, ctx.by.userId, clock.now());
        await audit.append(tx, { action: 'credential.revoke', target: { type: 'ingest_credential', id: c.key } }, ctx.by);
      });
      registry.invalidate();
    },

    async seedDemo(specs) {
      const [first] = await repo.findAssetsByCodes(db, specs.assets.slice(0, 1).map((a) => a.code));
      if (first) return 0;
      const system: ChangeContext = {
        actor: { userId: 0, posts: [{ role: 'admin', unitPath: '/', townPath: null }], grants: [] },
        by: { userId: null, label: 'demo-seed', ip: null },
      };
      const rows = [
        ...specs.assets.map((asset, i) => ({ line: i + 1, asset, problems: checkAssetSpec(asset) })),
        ...specs.sensors.map((sensor, i) => ({ line: specs.assets.length + i + 1, sensor, problems: checkSensorSpec(sensor) })),
      ];
      const r = await writeSpecs(system, rows, { isDemo: true, action: 'asset.seed_demo' });
      const gw = specs.gateway;
      if (gw && !(await repo.credentialForKey(db, gw.key))) {
        const [unit] = await repo.unitsByCodes(db, [gw.unitCode]);
        try {
          if (unit) await repo.insertCredential(db, { key: gw.key, name: gw.name, kind: 'gateway', unitId: unit.id, sensorId: null, secretHash: hashSecret(gw.secret), createdBy: null, now: clock.now() });
        } catch (e) {
          // Another process seeding the same demo at the same moment.
          if (!isUniqueViolation(e)) throw e;
        }
      }
      return r.assets.created + r.sensors.created;
    },
  };
  return service;
}
