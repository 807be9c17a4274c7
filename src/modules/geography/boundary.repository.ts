/** All SQL of the geography module: boundaries, their revisions, and the units they belong to. */
import { sql, type Generated } from 'kysely';
import { prepare, type Executor } from '../../kernel/db.js';
import type { OrganizationTables } from '../organization/index.js';
import { levelOfKind, type BoundaryGeometry, type BoundaryLevel, type BoundaryRecord, type BoundarySource, type InputCrs } from './boundary.js';
import type { TreeUnit } from './boundary-index.js';

export interface UnitBoundariesTable {
  unit_id: number;
  /** GeoJSON geometry; written as JSON text, read back as a value. */
  geometry: BoundaryGeometry | string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  area_m2: number;
  source: BoundarySource;
  revision: number;
  updated_at: Generated<Date>;
}

export interface BoundaryRevisionsTable {
  revision: number;
  source: BoundarySource;
  level: BoundaryLevel | null;
  crs: InputCrs | null;
  file_name: string | null;
  unit_count: number;
  actor: string;
  summary: unknown;
  created_at: Generated<Date>;
}

export interface GeographyTables {
  unit_boundaries: UnitBoundariesTable;
  boundary_revisions: BoundaryRevisionsTable;
}

type Db = Executor<GeographyTables & OrganizationTables>;

/** Unit kinds that have an area, and so may have a boundary. */
export const AREA_KINDS = ['district', 'street', 'town', 'township', 'village', 'community', 'grid'] as const;

const revisionQuery = prepare<Record<string, never>, { revision: number | null }>((db) =>
  (db as Db).selectFrom('boundary_revisions').select((eb) => eb.fn.max('revision').as('revision')),
);

const versionQuery = prepare<Record<string, never>, { revision: number | null; unit_events: string | number; units: string | number }>((db) =>
  (db as Db).selectNoFrom((eb) => [
    eb.selectFrom('boundary_revisions').select((e) => e.fn.max('revision').as('m')).as('revision'),
    eb.selectFrom('unit_events').select((e) => e.fn.countAll().as('m')).as('unit_events'),
    eb.selectFrom('units').select((e) => e.fn.countAll().as('m')).as('units'),
  ]),
);

/**
 * What the point index and the map are built from, as one label: the boundary revision, and the unit tree's
 * version — how many unit events and units there are. A rename, move, merge, split or retirement writes a unit
 * event, seeding adds units, and neither is ever deleted, so every commit changes a count. Counts, not the
 * latest event id: ids are handed out at insert, not at commit, so a long import holding ids below a quick
 * rename's would commit unseen under an unchanged maximum. Read every few seconds by every process; both
 * tables hold thousands of rows, not millions.
 */
export async function currentVersion(db: Db): Promise<{ revision: number; units: string }> {
  const [row] = await versionQuery.execute(db, {});
  return { revision: Number(row?.revision ?? 0), units: `${row?.unit_events ?? 0}.${row?.units ?? 0}` };
}

/** The latest boundary revision (0 before any), read every few seconds by every process. */
export async function currentRevision(db: Db): Promise<number> {
  const [row] = await revisionQuery.execute(db, {});
  return Number(row?.revision ?? 0);
}

/**
 * Takes the writers' lock until the transaction ends and returns the latest revision. Readers are not blocked;
 * writers queue, so revisions become visible in the order of their numbers.
 */
export async function lockRevisions(tx: Db): Promise<number> {
  await sql`lock table boundary_revisions in exclusive mode`.execute(tx);
  return currentRevision(tx);
}

/** Records a revision (under the writers' lock). */
export async function insertRevision(
  tx: Db,
  revision: number,
  row: Omit<BoundaryRevisionsTable, 'revision' | 'created_at' | 'summary'> & { summary: unknown },
): Promise<number> {
  await tx
    .insertInto('boundary_revisions')
    .values({ ...row, revision, summary: JSON.stringify(row.summary) })
    .execute();
  return revision;
}

/** Whether a unit has a boundary. */
export async function hasBoundary(db: Db, unitId: number): Promise<boolean> {
  return (await db.selectFrom('unit_boundaries').select('unit_id').where('unit_id', '=', unitId).executeTakeFirst()) !== undefined;
}

export interface BoundaryRow {
  readonly unitId: number;
  readonly geometry: BoundaryGeometry;
  readonly bbox: readonly [number, number, number, number];
  readonly areaM2: number;
  readonly source: BoundarySource;
}

/**
 * Inserts or replaces boundaries. The rows travel as one JSON document per statement, unpacked by
 * jsonb_to_recordset: one parameter instead of ten per row, which halves the cost of the demo's 3,000 rows.
 */
export async function upsertBoundaries(tx: Db, rows: readonly BoundaryRow[], revision: number): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const payload = JSON.stringify(
      rows.slice(i, i + 1000).map((r) => ({
        unit_id: r.unitId,
        geometry: r.geometry,
        min_lon: r.bbox[0],
        min_lat: r.bbox[1],
        max_lon: r.bbox[2],
        max_lat: r.bbox[3],
        area_m2: r.areaM2,
        source: r.source,
      })),
    );
    await sql`
      insert into unit_boundaries (unit_id, geometry, min_lon, min_lat, max_lon, max_lat, area_m2, source, revision)
      select unit_id, geometry, min_lon, min_lat, max_lon, max_lat, area_m2, source, ${revision}::bigint
      from jsonb_to_recordset(${payload}::jsonb) as x(
        unit_id bigint, geometry jsonb, min_lon float8, min_lat float8, max_lon float8, max_lat float8, area_m2 float8, source text)
      on conflict (unit_id) do update set
        geometry = excluded.geometry, min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon,
        max_lat = excluded.max_lat, area_m2 = excluded.area_m2, source = excluded.source, revision = excluded.revision,
        updated_at = now()`.execute(tx);
  }
}

/** A unit as an import matches it: by code, with its parent and whether it is retired. */
export interface UnitRow extends TreeUnit {
  readonly retired: boolean;
}

/** Units by code (any kind; retired ones too, so that an import can say so). */
export async function findUnitsByCodes(db: Db, codes: readonly string[]): Promise<UnitRow[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('units')
    .select(['id', 'code', 'name', 'kind', 'parent_id', 'is_demo', 'retired_at'])
    .where('code', '=', sql<string>`any(${sql.val([...codes])}::text[])`)
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, kind: r.kind, parentId: r.parent_id, isDemo: r.is_demo, retired: r.retired_at !== null }));
}

/** The live units of every kind that has an area: the tree the lookup walks from a grid up to its town. */
export async function findAreaUnits(db: Db): Promise<TreeUnit[]> {
  const rows = await db
    .selectFrom('units')
    .select(['id', 'code', 'name', 'kind', 'parent_id', 'is_demo'])
    .where('kind', 'in', AREA_KINDS)
    .where('retired_at', 'is', null)
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, kind: r.kind, parentId: r.parent_id, isDemo: r.is_demo }));
}

/** Every stored boundary of a live unit, with its unit. */
export async function findBoundaries(db: Db): Promise<BoundaryRecord[]> {
  const rows = await db
    .selectFrom('unit_boundaries as b')
    .innerJoin('units as u', 'u.id', 'b.unit_id')
    .select(['u.id', 'u.code', 'u.name', 'u.kind', 'u.parent_id', 'u.is_demo', 'b.geometry', 'b.source', 'b.area_m2'])
    .where('u.retired_at', 'is', null)
    .execute();
  const records: BoundaryRecord[] = [];
  for (const r of rows) {
    const level = levelOfKind(r.kind);
    if (!level) continue;
    records.push({
      unit: { id: r.id, code: r.code, name: r.name, kind: r.kind, parentId: r.parent_id, isDemo: r.is_demo },
      level,
      geometry: (typeof r.geometry === 'string' ? JSON.parse(r.geometry) : r.geometry) as BoundaryGeometry,
      source: r.source,
      areaM2: r.area_m2,
    });
  }
  return records;
}

/** The most recent revisions, newest first. */
export async function findRecentRevisions(db: Db, limit: number): Promise<(Omit<BoundaryRevisionsTable, 'summary' | 'created_at'> & { created_at: Date })[]> {
  return db
    .selectFrom('boundary_revisions')
    .select(['revision', 'source', 'level', 'crs', 'file_name', 'unit_count', 'actor', 'created_at'])
    .orderBy('revision', 'desc')
    .limit(limit)
    .execute();
}
