/**
 * Use cases of the geography: which grid, village or community and town contain a point; importing boundaries
 * from a GeoJSON file; saving generated boundaries; the map's read model.
 *
 * State lives in the database. Each process keeps an in-memory index built from it, labelled with the boundary
 * revision and the unit tree's version it was built from, and compares that with the database's at most every
 * REFRESH_MS; when anyone has changed boundaries or units (a rename, a merge, a retired grid), the index is
 * rebuilt, so a point never lands in a retired unit or under an old name for longer than that. A process that
 * writes boundaries itself rebuilds at its next lookup.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Database, Executor } from '../../kernel/db.js';
import { conflict, invalid, type FieldProblem } from '../../kernel/errors.js';
import { BoundaryIndex, type TreeUnit } from './boundary-index.js';
import { levelOfKind, type BoundaryGeometry, type BoundaryLevel, type BoundaryRecord, type BoundarySource, type InputCrs, type Placement } from './boundary.js';
import * as repo from './boundary.repository.js';
import { gcj02ToWgs84, type LonLat } from './coordinates.js';
import { analyseCoverage, type Gap, type Shape } from './coverage.rules.js';
import { areaM2, bboxOfGeometry } from './geometry.rules.js';
import { formatPosition, parseBoundaryFile, readGeometry, type ImportProblem } from './geojson.rules.js';
import { districtOutline } from './outline.js';

/** How often a process asks the database whether boundaries changed (ms). */
export const REFRESH_MS = 2000;

/** Below this many m², an overlap or a gap counts as digitising noise (the import's default tolerance). */
export const DEFAULT_TOLERANCE_M2 = 1;

export interface ImportOptions {
  readonly crs?: InputCrs;
  /** Every feature must name a unit of this level. */
  readonly level?: Exclude<BoundaryLevel, 'district'>;
  /** The feature property holding the unit code (default `code`). */
  readonly codeProperty?: string;
  readonly toleranceM2?: number;
  /** Validate and report, write nothing. */
  readonly dryRun?: boolean;
  readonly fileName?: string;
  /** Who imports (a user name, or `cli:<account>`), for the history. */
  readonly actor: string;
}

export interface ImportReport {
  /** The new revision, or null for a dry run. */
  readonly revision: number | null;
  readonly units: number;
  readonly byLevel: Readonly<Partial<Record<BoundaryLevel, number>>>;
  /** Gaps are reported but do not stop an import (a city's layers are rarely complete at first). */
  readonly warnings: readonly ImportProblem[];
  readonly gaps: readonly Gap[];
  readonly ignoredSlivers: number;
}

/** What a boundary change hands to the audit log (wired at merge: see `auditBoundaryChange`). */
export interface BoundaryChange {
  readonly revision: number;
  readonly source: BoundarySource;
  readonly actor: string;
  readonly unitCodes: readonly string[];
  readonly fileName: string | null;
}

export interface GeographyDeps {
  readonly clock: Clock;
  readonly refreshMs?: number;
  /**
   * AUDIT: called inside the writing transaction for every boundary change (imports, the demo generator, the
   * shipped outline). The audit module is not here yet; at merge, pass a function that appends its log entry
   * with the same transaction handle.
   */
  readonly auditBoundaryChange?: (tx: Executor, change: BoundaryChange) => Promise<void>;
}

/** The map's read model at one revision. */
export interface GeoMap {
  readonly revision: number;
  /** The boundary revision and the unit tree's version: changes whenever anything the map shows does (an ETag). */
  readonly version: string;
  readonly district: BoundaryRecord | undefined;
  readonly towns: readonly BoundaryRecord[];
  /** Villages and communities, and grids, of a town (by the unit tree). */
  readonly areasOf: (townCode: string) => { readonly villages: readonly BoundaryRecord[]; readonly grids: readonly BoundaryRecord[] };
}

export interface GeographyService {
  /** Where a point lies; GCJ-02 input (`crs: 'gcj02'`) is converted first. Outside the district is an answer. */
  locate(point: LonLat, options?: { crs?: InputCrs }): Promise<Placement>;
  /** Validates a GeoJSON boundary file and, if nothing is wrong, stores all of it in one transaction. */
  importBoundaries(text: string, options: ImportOptions): Promise<ImportReport>;
  /** Stores generated boundaries (checked like an import's geometry, without the coverage analysis). */
  saveBoundaries(items: readonly { code: string; geometry: BoundaryGeometry }[], options: { source: BoundarySource; actor: string }): Promise<number>;
  /** Stores the shipped outline as the district's boundary if it has none; returns whether it did. */
  seedDistrictOutline(): Promise<boolean>;
  /** The map's read model (refreshed like the index). */
  map(): Promise<GeoMap>;
  /** The latest boundary revision in the database. */
  revision(): Promise<number>;
}

interface Snapshot {
  readonly revision: number;
  /** The unit tree's version the snapshot was built from (see repo.currentVersion). */
  readonly unitsVersion: string;
  readonly index: BoundaryIndex;
  readonly records: readonly BoundaryRecord[];
  readonly units: ReadonlyMap<number, TreeUnit>;
  readonly map: GeoMap;
}

const problemToField = (p: ImportProblem): FieldProblem => ({
  path: p.feature === null ? 'file' : `features[${p.feature}]`,
  code: p.code,
  message: p.message,
  params: p.params,
});

function buildSnapshot(revision: number, unitsVersion: string, records: readonly BoundaryRecord[], treeUnits: readonly TreeUnit[]): Snapshot {
  const units = new Map(treeUnits.map((u) => [u.id, u]));
  const townOf = (unit: TreeUnit): TreeUnit | undefined => {
    const seen = new Set<number>();
    for (let u: TreeUnit | undefined = unit; u && !seen.has(u.id); u = u.parentId === null ? undefined : units.get(u.parentId)) {
      seen.add(u.id);
      if (levelOfKind(u.kind) === 'town') return u;
    }
    return undefined;
  };
  const byTown = new Map<string, { villages: BoundaryRecord[]; grids: BoundaryRecord[] }>();
  const byCode = (a: BoundaryRecord, b: BoundaryRecord) => (a.unit.code < b.unit.code ? -1 : a.unit.code > b.unit.code ? 1 : 0);
  for (const r of records) {
    if (r.level !== 'village' && r.level !== 'grid') continue;
    const town = townOf(r.unit);
    if (!town) continue;
    let entry = byTown.get(town.code);
    if (!entry) byTown.set(town.code, (entry = { villages: [], grids: [] }));
    (r.level === 'village' ? entry.villages : entry.grids).push(r);
  }
  for (const e of byTown.values()) {
    e.villages.sort(byCode);
    e.grids.sort(byCode);
  }
  const empty = { villages: [], grids: [] };
  const towns = records.filter((r) => r.level === 'town').sort(byCode);
  return {
    revision,
    unitsVersion,
    index: new BoundaryIndex(records, treeUnits),
    records,
    units,
    map: { revision, version: `${revision}.${unitsVersion}`, district: records.find((r) => r.level === 'district'), towns, areasOf: (code) => byTown.get(code) ?? empty },
  };
}

export function createGeographyService(database: Database, deps: GeographyDeps): GeographyService {
  const { db } = database;
  const refreshMs = deps.refreshMs ?? REFRESH_MS;
  let current: Snapshot | undefined;
  let checkedAt = -Infinity;
  let pending: Promise<Snapshot> | undefined;

  const snapshot = (force = false): Promise<Snapshot> => {
    const now = deps.clock.now().getTime();
    if (current && !force && now - checkedAt < refreshMs) return Promise.resolve(current);
    pending ??= (async () => {
      try {
        // The revision first: data read after it are at least that new, so the label is never ahead of the data.
        const version = await repo.currentVersion(db);
        checkedAt = deps.clock.now().getTime();
        if (current?.revision === version.revision && current.unitsVersion === version.units) return current;
        const [records, units] = await Promise.all([repo.findBoundaries(db), repo.findAreaUnits(db)]);
        current = buildSnapshot(version.revision, version.units, records, units);
        return current;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };

  /** Writes boundaries and their revision in one transaction, if nobody changed boundaries since `expected`. */
  const write = async (
    rows: readonly repo.BoundaryRow[],
    meta: { source: BoundarySource; actor: string; level: BoundaryLevel | null; crs: InputCrs | null; fileName: string | null; codes: readonly string[]; summary: unknown },
    expected: number | null,
  ): Promise<number> => {
    const revision = await database.transaction(async (tx) => {
      const latest = await repo.lockRevisions(tx);
      if (expected !== null && latest !== expected)
        throw conflict('GEO.CHANGED_MEANWHILE', 'Boundaries were changed by someone else during the import; run it again', { revision: latest });
      const next = await repo.insertRevision(tx, latest + 1, {
        source: meta.source,
        level: meta.level,
        crs: meta.crs,
        file_name: meta.fileName,
        unit_count: rows.length,
        actor: meta.actor,
        summary: meta.summary,
      });
      await repo.upsertBoundaries(tx, rows, next);
      await deps.auditBoundaryChange?.(tx, { revision: next, source: meta.source, actor: meta.actor, unitCodes: meta.codes, fileName: meta.fileName });
      return next;
    });
    checkedAt = -Infinity; // this process rebuilds at its next lookup
    return revision;
  };

  const toRow = (unitId: number, geometry: BoundaryGeometry, source: BoundarySource): repo.BoundaryRow => ({
    unitId,
    geometry,
    bbox: bboxOfGeometry(geometry) as [number, number, number, number],
    areaM2: areaM2(geometry),
    source,
  });

  return {
    async locate(point, options = {}) {
      const [lon, lat] = point;
      if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90)
        throw invalid('GEO.INVALID_POINT', `Not a longitude,latitude: ${lon},${lat}`, undefined, { lon: String(lon), lat: String(lat) });
      const [x, y] = options.crs === 'gcj02' ? gcj02ToWgs84(point) : point;
      return (await snapshot()).index.locate(x, y);
    },

    async importBoundaries(text, options) {
      const crs = options.crs ?? 'wgs84';
      const tolerance = options.toleranceM2 ?? DEFAULT_TOLERANCE_M2;
      const { features, problems, named } = parseBoundaryFile(text, { crs, codeProperty: options.codeProperty ?? 'code' });
      const snap = await snapshot(true);
      const units = new Map((await repo.findUnitsByCodes(db, named.map((f) => f.code))).map((u) => [u.code, u]));
      const valid = new Map(features.map((f) => [f.index, f]));
      const matched: { index: number; unit: repo.UnitRow; level: BoundaryLevel; geometry: BoundaryGeometry }[] = [];
      for (const f of named) {
        const report = (code: string, message: string, params: Record<string, string | number> = {}) =>
          problems.push({ feature: f.index, unit: f.code, code, message: `feature ${f.index} (${f.code}): ${message}`, params: { feature: f.index, unit: f.code, ...params } });
        const unit = units.get(f.code);
        if (!unit) {
          report('GEO.UNKNOWN_UNIT', `no unit has the code ${f.code}`);
          continue;
        }
        if (unit.retired) {
          report('GEO.UNIT_RETIRED', `unit ${f.code} is retired`);
          continue;
        }
        const level = levelOfKind(unit.kind);
        if (!level) {
          report('GEO.NOT_AN_AREA', `unit ${f.code} is a ${unit.kind}, which has no area`, { kind: unit.kind });
          continue;
        }
        if (options.level && level !== options.level) {
          report('GEO.WRONG_LEVEL', `unit ${f.code} is a ${unit.kind}, not at the ${options.level} level`, { kind: unit.kind, level: options.level });
          continue;
        }
        const feature = valid.get(f.index);
        if (feature) matched.push({ index: f.index, unit, level, geometry: feature.geometry });
      }
      problems.sort((a, b) => (a.feature ?? -1) - (b.feature ?? -1));
      if (problems.length > 0) throw invalid('GEO.IMPORT_INVALID', `${problems.length} problem(s) in the boundary file; nothing was imported`, problems.map(problemToField), { count: problems.length });

      // The boundaries as they would be after the import, each with its nearest ancestor that has a boundary.
      const after = new Map<number, { code: string; level: BoundaryLevel; geometry: BoundaryGeometry; feature: number | null }>();
      for (const r of snap.records) after.set(r.unit.id, { code: r.unit.code, level: r.level, geometry: r.geometry, feature: null });
      const tree = new Map(snap.units);
      for (const m of matched) {
        after.set(m.unit.id, { code: m.unit.code, level: m.level, geometry: m.geometry, feature: m.index });
        if (!tree.has(m.unit.id)) tree.set(m.unit.id, m.unit);
      }
      const boundedAncestor = (id: number): string | null => {
        const seen = new Set<number>([id]);
        for (let p = tree.get(id)?.parentId ?? null; p !== null && !seen.has(p); p = tree.get(p)?.parentId ?? null) {
          seen.add(p);
          const hit = after.get(p);
          if (hit) return hit.code;
        }
        return null;
      };
      const shapes: Shape[] = [...after].map(([id, s]) => ({ ...s, parent: boundedAncestor(id) }));
      const coverage = analyseCoverage(shapes, tolerance);
      const codeOf = (feature: number) => matched.find((m) => m.index === feature)!.unit.code;
      for (const o of coverage.overlaps)
        problems.push({
          feature: o.feature,
          unit: o.code,
          code: 'GEO.OVERLAP',
          message: `feature ${o.feature} (${o.code}) overlaps ${o.otherCode} by ${o.areaM2} m² near ${formatPosition(o.at)}`,
          params: { feature: o.feature, unit: o.code, other: o.otherCode, areaM2: o.areaM2, at: formatPosition(o.at) },
        });
      for (const o of coverage.outsideParent)
        problems.push({
          feature: o.feature,
          unit: codeOf(o.feature),
          code: 'GEO.OUTSIDE_PARENT',
          message: `feature ${o.feature} (${o.code}) extends ${o.areaM2} m² beyond ${o.parentCode} near ${formatPosition(o.at)}`,
          params: { feature: o.feature, unit: o.code, parent: o.parentCode, areaM2: o.areaM2, at: formatPosition(o.at) },
        });
      if (problems.length > 0) {
        problems.sort((a, b) => (a.feature ?? -1) - (b.feature ?? -1));
        throw invalid('GEO.IMPORT_INVALID', `${problems.length} problem(s) in the boundary file; nothing was imported`, problems.map(problemToField), { count: problems.length });
      }
      const warnings: ImportProblem[] = coverage.gaps.map((g) => ({
        feature: null,
        unit: g.parentCode,
        code: 'GEO.GAP',
        message: `${g.areaM2} m² of ${g.parentCode} is covered by none of its children (${g.pieces} piece(s), the largest near ${formatPosition(g.at)})`,
        params: { unit: g.parentCode, areaM2: g.areaM2, pieces: g.pieces, at: formatPosition(g.at) },
      }));
      const byLevel: Partial<Record<BoundaryLevel, number>> = {};
      for (const m of matched) byLevel[m.level] = (byLevel[m.level] ?? 0) + 1;
      const base = { units: matched.length, byLevel, warnings, gaps: coverage.gaps, ignoredSlivers: coverage.ignoredSlivers };
      if (options.dryRun) return { revision: null, ...base };
      const revision = await write(
        matched.map((m) => toRow(m.unit.id, m.geometry, 'import')),
        {
          source: 'import',
          actor: options.actor,
          level: options.level ?? null,
          crs,
          fileName: options.fileName ?? null,
          codes: matched.map((m) => m.unit.code),
          summary: { byLevel, gaps: coverage.gaps.length, gapAreaM2: coverage.gaps.reduce((s, g) => s + g.areaM2, 0), ignoredSlivers: coverage.ignoredSlivers },
        },
        snap.revision,
      );
      return { revision, ...base };
    },

    async saveBoundaries(items, options) {
      const problems: ImportProblem[] = [];
      const units = new Map((await repo.findUnitsByCodes(db, items.map((i) => i.code))).map((u) => [u.code, u]));
      const rows: repo.BoundaryRow[] = [];
      items.forEach((item, index) => {
        const report = (code: string, message: string, params: Record<string, string | number> = {}) =>
          problems.push({ feature: index, unit: item.code, code, message: `${item.code}: ${message}`, params: { feature: index, unit: item.code, ...params } });
        const unit = units.get(item.code);
        if (!unit || !levelOfKind(unit.kind)) return report('GEO.UNKNOWN_UNIT', `no unit with an area has the code ${item.code}`);
        const geometry = readGeometry(item.geometry, 'wgs84', report);
        if (geometry) rows.push(toRow(unit.id, geometry, options.source));
      });
      if (problems.length > 0) throw invalid('GEO.IMPORT_INVALID', `${problems.length} problem(s) in generated boundaries`, problems.map(problemToField), { count: problems.length });
      await write(rows, { source: options.source, actor: options.actor, level: null, crs: 'wgs84', fileName: null, codes: items.map((i) => i.code), summary: {} }, null);
      return rows.length;
    },

    async seedDistrictOutline() {
      const outline = districtOutline();
      const [unit] = await repo.findUnitsByCodes(db, [outline.properties.code]);
      if (!unit || (await repo.hasBoundary(db, unit.id))) return false;
      await this.saveBoundaries([{ code: unit.code, geometry: outline.geometry }], { source: 'reference', actor: 'system' });
      return true;
    },

    map: async () => (await snapshot()).map,
    revision: () => repo.currentRevision(db),
  };
}
