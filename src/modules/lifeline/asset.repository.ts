/** SQL of assets, sensors, sensor profiles and device credentials. */
import { sql, type ExpressionBuilder, type Generated, type GeneratedAlways, type Selectable } from 'kysely';
import { prepare, type Executor } from '../../kernel/db.js';
import type { Scope } from '../access/index.js';
import type { OrganizationTables } from '../organization/index.js';
import type { AlarmRule } from './alarm-rule.rules.js';
import type { Asset, AssetKind, AssetSpec, Credential, CredentialKind, Geometry, RiskLevel, Sensor, SensorKind, SensorProfile, SensorSpec } from './asset.js';
import type { Quantity } from './quantity.rules.js';

export interface SensorProfilesTable {
  id: GeneratedAlways<number>;
  code: string;
  name: string;
  quantity: Quantity;
  rules: unknown;
  is_reference: boolean;
  updated_at: Generated<Date>;
}

export interface AssetsTable {
  id: GeneratedAlways<number>;
  code: string;
  name: string;
  kind: AssetKind;
  owner_unit_id: number;
  area_unit_id: number | null;
  risk_level: RiskLevel;
  geometry: unknown;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  address: string | null;
  description: string | null;
  is_demo: boolean;
  retired_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SensorsTable {
  id: GeneratedAlways<number>;
  code: string;
  asset_id: number;
  kind: SensorKind;
  quantity: Quantity;
  unit: string;
  profile_id: number;
  lon: number;
  lat: number;
  installed_on: string | null;
  interval_seconds: number;
  valid_min: number | null;
  valid_max: number | null;
  baseline: number | null;
  is_demo: boolean;
  retired_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface IngestCredentialsTable {
  id: GeneratedAlways<number>;
  key: string;
  name: string;
  kind: CredentialKind;
  unit_id: number;
  sensor_id: number | null;
  secret_hash: string;
  created_at: Generated<Date>;
  created_by: number | null;
  revoked_at: Date | null;
  revoked_by: number | null;
}

export interface AssetTables extends OrganizationTables {
  sensor_profiles: SensorProfilesTable;
  assets: AssetsTable;
  sensors: SensorsTable;
  ingest_credentials: IngestCredentialsTable;
}

type Db = Executor<AssetTables>;

/** The scope filter on an asset's owning unit or its place, for queries joined as `o` (owner) and `ar` (area). */
export function scopeFilter(scope: Scope) {
  return (eb: ExpressionBuilder<{ o: { path: string }; ar: { path: string | null } }, 'o' | 'ar'>) => {
    if (scope.kind === 'all') return eb.lit(true);
    if (scope.kind === 'none') return eb.lit(false);
    return eb.or(scope.paths.flatMap((p) => [eb('o.path', 'like', `${p}%`), eb('ar.path', 'like', `${p}%`)]));
  };
}

const assetQuery = (db: Db) =>
  db
    .selectFrom('assets as a')
    .innerJoin('units as o', 'o.id', 'a.owner_unit_id')
    .leftJoin('units as ar', 'ar.id', 'a.area_unit_id')
    .select([
      'a.id',
      'a.code',
      'a.name',
      'a.kind',
      'a.owner_unit_id',
      'o.name as owner_name',
      'o.path as owner_path',
      'a.area_unit_id',
      'ar.name as area_name',
      'ar.path as area_path',
      'a.risk_level',
      'a.geometry',
      'a.min_lon',
      'a.min_lat',
      'a.max_lon',
      'a.max_lat',
      'a.address',
      'a.description',
      'a.is_demo',
      'a.retired_at',
    ]);

type AssetRow = Awaited<ReturnType<ReturnType<typeof assetQuery>['executeTakeFirstOrThrow']>>;

function toAsset(r: AssetRow): Asset {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    ownerUnitId: r.owner_unit_id,
    ownerUnitName: r.owner_name,
    ownerPath: r.owner_path,
    areaUnitId: r.area_unit_id,
    areaUnitName: r.area_name,
    areaPath: r.area_path,
    riskLevel: r.risk_level,
    geometry: r.geometry as Geometry,
    bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat],
    address: r.address,
    description: r.description,
    isDemo: r.is_demo,
    retiredAt: r.retired_at,
  };
}

export interface AssetFilter {
  readonly kind?: AssetKind;
  readonly riskLevel?: RiskLevel;
  readonly text?: string;
  readonly includeRetired?: boolean;
}

export async function listAssets(db: Db, scope: Scope, filter: AssetFilter, limit: number): Promise<Asset[]> {
  let q = assetQuery(db).where(scopeFilter(scope));
  if (!filter.includeRetired) q = q.where('a.retired_at', 'is', null);
  if (filter.kind) q = q.where('a.kind', '=', filter.kind);
  if (filter.riskLevel) q = q.where('a.risk_level', '=', filter.riskLevel);
  if (filter.text) q = q.where((eb) => eb.or([eb('a.name', 'like', `%${filter.text}%`), eb('a.code', 'like', `%${filter.text}%`)]));
  const rows = await q.orderBy('a.code').limit(limit).execute();
  return rows.map(toAsset);
}

export async function findAsset(db: Db, id: number): Promise<Asset | undefined> {
  const r = await assetQuery(db).where('a.id', '=', id).executeTakeFirst();
  return r && toAsset(r);
}

export async function findAssetsByCodes(db: Db, codes: readonly string[]): Promise<Asset[]> {
  if (codes.length === 0) return [];
  return (await assetQuery(db).where('a.code', 'in', [...codes]).execute()).map(toAsset);
}

export async function upsertAsset(
  db: Db,
  spec: AssetSpec,
  ids: { ownerUnitId: number; areaUnitId: number | null },
  bbox: readonly [number, number, number, number],
  isDemo: boolean,
  now: Date,
): Promise<{ id: number; created: boolean }> {
  const values = {
    name: spec.name,
    kind: spec.kind,
    owner_unit_id: ids.ownerUnitId,
    area_unit_id: ids.areaUnitId,
    risk_level: spec.riskLevel,
    geometry: JSON.stringify(spec.geometry),
    min_lon: bbox[0],
    min_lat: bbox[1],
    max_lon: bbox[2],
    max_lat: bbox[3],
    address: spec.address ?? null,
    description: spec.description ?? null,
    updated_at: now,
  };
  const row = await db
    .insertInto('assets')
    .values({ code: spec.code, ...values, is_demo: isDemo, created_at: now })
    .onConflict((oc) => oc.column('code').doUpdateSet(values))
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: row.created };
}

export async function retireAsset(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('assets').set({ retired_at: now, updated_at: now }).where('id', '=', id).execute();
  await db.updateTable('sensors').set({ retired_at: now, updated_at: now }).where('asset_id', '=', id).where('retired_at', 'is', null).execute();
}

const sensorQuery = (db: Db) =>
  db
    .selectFrom('sensors as s')
    .innerJoin('sensor_profiles as p', 'p.id', 's.profile_id')
    .select([
      's.id',
      's.code',
      's.asset_id',
      's.kind',
      's.quantity',
      's.unit',
      's.profile_id',
      'p.code as profile_code',
      's.lon',
      's.lat',
      's.installed_on',
      's.interval_seconds',
      's.valid_min',
      's.valid_max',
      's.baseline',
      's.is_demo',
      's.retired_at',
    ]);

type SensorRow = Awaited<ReturnType<ReturnType<typeof sensorQuery>['executeTakeFirstOrThrow']>>;

const toSensor = (r: SensorRow): Sensor => ({
  id: r.id,
  code: r.code,
  assetId: r.asset_id,
  kind: r.kind,
  quantity: r.quantity,
  unit: r.unit,
  profileId: r.profile_id,
  profileCode: r.profile_code,
  lon: r.lon,
  lat: r.lat,
  installedOn: r.installed_on,
  intervalSeconds: r.interval_seconds,
  validMin: r.valid_min,
  validMax: r.valid_max,
  baseline: r.baseline,
  isDemo: r.is_demo,
  retiredAt: r.retired_at,
});

export async function sensorsOfAsset(db: Db, assetId: number): Promise<Sensor[]> {
  return (await sensorQuery(db).where('s.asset_id', '=', assetId).orderBy('s.code').execute()).map(toSensor);
}

export async function findSensor(db: Db, id: number): Promise<Sensor | undefined> {
  const r = await sensorQuery(db).where('s.id', '=', id).executeTakeFirst();
  return r && toSensor(r);
}

export async function findSensorsByCodes(db: Db, codes: readonly string[]): Promise<Sensor[]> {
  if (codes.length === 0) return [];
  return (await sensorQuery(db).where('s.code', 'in', [...codes]).execute()).map(toSensor);
}

export async function upsertSensor(
  db: Db,
  spec: SensorSpec,
  ids: { assetId: number; profileId: number; unit: string },
  isDemo: boolean,
  now: Date,
): Promise<{ id: number; created: boolean }> {
  const values = {
    asset_id: ids.assetId,
    kind: spec.kind,
    quantity: spec.quantity,
    unit: ids.unit,
    profile_id: ids.profileId,
    lon: spec.lon,
    lat: spec.lat,
    installed_on: spec.installedOn,
    interval_seconds: spec.intervalSeconds,
    valid_min: spec.validMin,
    valid_max: spec.validMax,
    baseline: spec.baseline,
    updated_at: now,
  };
  const row = await db
    .insertInto('sensors')
    .values({ code: spec.code, ...values, is_demo: isDemo, created_at: now })
    .onConflict((oc) => oc.column('code').doUpdateSet(values))
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: row.created };
}

/** Everything ingest needs to know about every sensor, for the in-process registry. */
export async function sensorRegistry(db: Db) {
  return db
    .selectFrom('sensors as s')
    .innerJoin('assets as a', 'a.id', 's.asset_id')
    .innerJoin('units as o', 'o.id', 'a.owner_unit_id')
    .select([
      's.id',
      's.code',
      's.quantity',
      's.valid_min',
      's.valid_max',
      's.retired_at',
      's.profile_id',
      's.interval_seconds',
      's.baseline',
      's.asset_id',
      'a.owner_unit_id',
      'o.path as owner_path',
    ])
    .execute();
}

const profileColumns = ['id', 'code', 'name', 'quantity', 'rules', 'is_reference'] as const;
const toProfile = (r: Pick<Selectable<SensorProfilesTable>, (typeof profileColumns)[number]>): SensorProfile => ({
  id: r.id,
  code: r.code,
  name: r.name,
  quantity: r.quantity,
  rules: r.rules as AlarmRule[],
  isReference: r.is_reference,
});

export async function listProfiles(db: Db): Promise<SensorProfile[]> {
  return (await db.selectFrom('sensor_profiles').select(profileColumns).orderBy('code').execute()).map(toProfile);
}

export async function findProfile(db: Db, id: number): Promise<SensorProfile | undefined> {
  const r = await db.selectFrom('sensor_profiles').select(profileColumns).where('id', '=', id).executeTakeFirst();
  return r && toProfile(r);
}

export async function insertMissingProfiles(db: Db, specs: readonly { code: string; name: string; quantity: Quantity; rules: readonly AlarmRule[] }[]): Promise<number> {
  if (specs.length === 0) return 0;
  const rows = await db
    .insertInto('sensor_profiles')
    .values(specs.map((s) => ({ code: s.code, name: s.name, quantity: s.quantity, rules: JSON.stringify(s.rules), is_reference: true })))
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

export async function updateProfileRules(db: Db, id: number, rules: readonly AlarmRule[], now: Date): Promise<void> {
  await db.updateTable('sensor_profiles').set({ rules: JSON.stringify(rules), updated_at: now }).where('id', '=', id).execute();
}

const credentialQuery = (db: Db) =>
  db
    .selectFrom('ingest_credentials as c')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .leftJoin('sensors as s', 's.id', 'c.sensor_id')
    .select(['c.id', 'c.key', 'c.name', 'c.kind', 'c.unit_id', 'u.name as unit_name', 'u.path as unit_path', 'c.sensor_id', 's.code as sensor_code', 'c.created_at', 'c.revoked_at', 'c.secret_hash']);

type CredentialRow = Awaited<ReturnType<ReturnType<typeof credentialQuery>['executeTakeFirstOrThrow']>>;
const toCredential = (r: CredentialRow): Credential => ({
  id: r.id,
  key: r.key,
  name: r.name,
  kind: r.kind,
  unitId: r.unit_id,
  unitName: r.unit_name,
  unitPath: r.unit_path,
  sensorId: r.sensor_id,
  sensorCode: r.sensor_code,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export async function listCredentials(db: Db, scopePaths: readonly string[] | 'all'): Promise<Credential[]> {
  let q = credentialQuery(db);
  if (scopePaths !== 'all') q = q.where((eb) => eb.or(scopePaths.map((p) => eb('u.path', 'like', `${p}%`))));
  return (await q.orderBy('c.revoked_at', 'desc').orderBy('c.key').execute()).map(toCredential);
}

export async function findCredential(db: Db, id: number): Promise<Credential | undefined> {
  const r = await credentialQuery(db).where('c.id', '=', id).executeTakeFirst();
  return r && toCredential(r);
}

const credentialByKey = prepare<{ key: string }, CredentialRow>((db, p) =>
  credentialQuery(db as Db).where('c.key', '=', p('key')),
);

/** A credential and its secret's hash, by key (for authentication). */
export async function credentialForKey(db: Db, key: string): Promise<(Credential & { secretHash: string }) | undefined> {
  const [r] = await credentialByKey.execute(db, { key });
  return r && { ...toCredential(r), secretHash: r.secret_hash };
}

export async function insertCredential(
  db: Db,
  c: { key: string; name: string; kind: CredentialKind; unitId: number; sensorId: number | null; secretHash: string; createdBy: number | null; now: Date },
): Promise<number> {
  const row = await db
    .insertInto('ingest_credentials')
    .values({ key: c.key, name: c.name, kind: c.kind, unit_id: c.unitId, sensor_id: c.sensorId, secret_hash: c.secretHash, created_by: c.createdBy, created_at: c.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function revokeCredential(db: Db, id: number, by: number | null, now: Date): Promise<void> {
  await db.updateTable('ingest_credentials').set({ revoked_at: now, revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function unitsByCodes(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom('units').select(['id', 'code', 'name', 'kind', 'path', 'retired_at']).where('code', 'in', [...codes]).execute();
}

export async function unitById(db: Db, id: number) {
  return db.selectFrom('units').select(['id', 'code', 'name', 'kind', 'path', 'retired_at']).where('id', '=', id).executeTakeFirst();
}
