import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { FakeClock } from '../../kernel/clock.js';
import { systemClock } from '../../kernel/clock.js';
import { createAuditService } from '../audit/index.js';
import { createOrganizationService } from '../organization/index.js';
import { wgs84ToGcj02, type LonLat } from './coordinates.js';
import { createGeographyService, REFRESH_MS } from './geography.service.js';

// Two streets of the reference data, side by side near the district seat, and a grid in the first.
const X = 108.38;
const Y = 31.15;
const D = 0.01;
const box = (x0: number, y0: number, x1: number, y1: number): LonLat[][] => [
  [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ],
];
const file = (...features: [string, LonLat[][]][]) =>
  JSON.stringify({ type: 'FeatureCollection', features: features.map(([code, coordinates]) => ({ type: 'Feature', properties: { code }, geometry: { type: 'Polygon', coordinates } })) });
const HANFENG = '500154001';
const WENFENG = '500154002';

describeEachEngine('geography service', (suite) => {
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  const geo = () => createGeographyService(suite.database, { clock });

  it('stores the shipped outline as the district boundary once, and says outside beyond it', async () => {
    const g = geo();
    expect(await g.seedDistrictOutline()).toBe(true);
    expect(await g.seedDistrictOutline()).toBe(false);
    expect(await g.locate([108.39, 31.16])).toEqual({ inside: true, town: null, village: null, grid: null });
    expect(await g.locate([116.4, 39.9])).toEqual({ inside: false });
    await expect(g.locate([Number.NaN, 31])).rejects.toMatchObject({ code: 'GEO.INVALID_POINT' });
  });

  it('refuses a file with problems with every problem listed, and writes nothing', async () => {
    const g = geo();
    const before = await g.revision();
    const text = file([HANFENG, box(X, Y, X + D, Y + D)], ['NO-SUCH-UNIT', box(X, Y, X + D, Y + D)], [WENFENG, box(X + 0.5 * D, Y, X + 2 * D, Y + D)], ['D-CGJ', box(X, Y, X + D, Y + D)]);
    await createOrganizationService(suite.database, systemClock, createAuditService(suite.database, systemClock)).addMissingUnits([{ code: 'D-CGJ', name: '区城市管理局', kind: 'department', parentCode: '500154', sortOrder: 10 }], { isDemo: true });
    const err = await g.importBoundaries(text, { actor: 'test' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'Invalid', code: 'GEO.IMPORT_INVALID' });
    const fields = (err as { details: { fields: { path: string; code: string }[] } }).details.fields;
    expect(fields.map((f) => [f.path, f.code])).toEqual([
      ['features[1]', 'GEO.UNKNOWN_UNIT'],
      ['features[3]', 'GEO.NOT_AN_AREA'],
    ]);
    // With those fixed, the remaining overlap between the two streets is found, and still nothing is written.
    const overlapping = file([HANFENG, box(X, Y, X + D, Y + D)], [WENFENG, box(X + 0.5 * D, Y, X + 2 * D, Y + D)]);
    const err2 = await g.importBoundaries(overlapping, { actor: 'test', level: 'town' }).catch((e: unknown) => e);
    expect((err2 as { details: { fields: { code: string; params: Record<string, unknown> }[] } }).details.fields).toEqual([
      expect.objectContaining({ code: 'GEO.OVERLAP', params: expect.objectContaining({ unit: HANFENG, other: WENFENG }) }),
    ]);
    expect(await g.revision()).toBe(before);
    expect((await g.map()).towns).toEqual([]);
  });

  it('refuses a feature of the wrong level', async () => {
    const err = await geo()
      .importBoundaries(file([HANFENG, box(X, Y, X + D, Y + D)]), { actor: 'test', level: 'grid' })
      .catch((e: unknown) => e);
    expect((err as { details: { fields: { code: string }[] } }).details.fields.map((f) => f.code)).toEqual(['GEO.WRONG_LEVEL']);
  });

  it('imports GCJ-02 boundaries in one revision, and another process notices within a few seconds', async () => {
    const writer = geo();
    const reader = geo();
    const hanfeng = box(X, Y, X + D, Y + D);
    expect(await reader.locate([X + 0.5 * D, Y + 0.5 * D])).toMatchObject({ inside: true, town: null });
    const toGcj = (rings: LonLat[][]) => rings.map((ring) => ring.map((p) => wgs84ToGcj02(p)));
    const gcj = toGcj(hanfeng);
    const wenfeng = toGcj(box(X + D, Y, X + 2 * D, Y + D));
    const dry = await writer.importBoundaries(file([HANFENG, gcj], [WENFENG, wenfeng]), { actor: 'test', crs: 'gcj02', dryRun: true });
    expect(dry.revision).toBeNull();
    const report = await writer.importBoundaries(file([HANFENG, gcj], [WENFENG, wenfeng]), { actor: 'test', crs: 'gcj02', fileName: 'towns.geojson' });
    expect(report).toMatchObject({ units: 2, byLevel: { town: 2 } });
    expect(report.revision).toBe(await writer.revision());
    // The writer sees its own change at once (converted from GCJ-02: the point is inside the WGS-84 square).
    expect(await writer.locate([X + 0.5 * D, Y + 0.5 * D])).toMatchObject({ town: { code: HANFENG } });
    expect(await writer.locate(wgs84ToGcj02([X + 1.5 * D, Y + 0.5 * D]), { crs: 'gcj02' })).toMatchObject({ town: { code: WENFENG } });
    // The shared edge x = X + D belongs to the town east of it.
    expect(await writer.locate([X + D, Y + 0.5 * D])).toMatchObject({ town: { code: WENFENG } });
    // The other process still answers from its index until its next check …
    expect(await reader.locate([X + 0.5 * D, Y + 0.5 * D])).toMatchObject({ town: null });
    clock.advance(REFRESH_MS + 1);
    // … then rebuilds it from the database.
    expect(await reader.locate([X + 0.5 * D, Y + 0.5 * D])).toMatchObject({ town: { code: HANFENG } });
    const map = await reader.map();
    expect(map.towns.map((t) => [t.unit.code, t.source])).toEqual([
      [HANFENG, 'import'],
      [WENFENG, 'import'],
    ]);
  });

  it('warns about a gap between a town and its grids but imports them', async () => {
    const org = createOrganizationService(suite.database, systemClock, createAuditService(suite.database, systemClock));
    await org.addMissingUnits(
      [
        { code: 'T-V1', name: '测试社区', kind: 'community', parentCode: HANFENG, sortOrder: 1 },
        { code: 'T-G1', name: '测试网格', kind: 'grid', parentCode: 'T-V1', sortOrder: 1 },
      ],
      { isDemo: true },
    );
    const g = geo();
    const report = await g.importBoundaries(file(['T-G1', box(X, Y, X + D / 2, Y + D)]), { actor: 'test', level: 'grid' });
    expect(report.warnings.map((w) => [w.code, w.unit])).toEqual([['GEO.GAP', HANFENG]]);
    expect(report.gaps[0]!.areaM2).toBeGreaterThan(400_000);
    expect(await g.locate([X + D / 4, Y + D / 2])).toMatchObject({ grid: { code: 'T-G1' }, village: { code: 'T-V1' }, town: { code: HANFENG } });
    expect((await g.map()).areasOf(HANFENG).grids.map((r) => r.unit.code)).toEqual(['T-G1']);
  });

  it('answers with a renamed unit and leaves a retired grid out once it refreshes, with no boundary change', async () => {
    const org = createOrganizationService(suite.database, clock, createAuditService(suite.database, clock));
    const district = await org.getUnitByCode('500154');
    const admin = { userId: 0, posts: [{ role: 'admin' as const, unitPath: district.path, townPath: null }], grants: [] };
    const ctx = { actor: admin, by: { userId: null, label: 'test', ip: null } };
    const g = geo();
    const inGrid: LonLat = [X + D / 4, Y + D / 2];
    expect(await g.locate(inGrid)).toMatchObject({ grid: { code: 'T-G1', name: '测试网格' } });
    const mapBefore = await g.map();
    const grid = await org.getUnitByCode('T-G1');
    await org.update(ctx, grid.id, { name: '滨湖网格' });
    clock.advance(REFRESH_MS + 1);
    expect(await g.locate(inGrid)).toMatchObject({ grid: { code: 'T-G1', name: '滨湖网格' } });
    const mapAfter = await g.map();
    expect(mapAfter.revision).toBe(mapBefore.revision);
    expect(mapAfter.version).not.toBe(mapBefore.version);
    expect(mapAfter.areasOf(HANFENG).grids.map((r) => r.unit.name)).toEqual(['滨湖网格']);
    // A retired grid: the point falls to the next area with a boundary (here the town: the community has none of
    // its own), never to the retired unit.
    await org.retire(ctx, grid.id);
    clock.advance(REFRESH_MS + 1);
    expect(await g.locate(inGrid)).toMatchObject({ grid: null, village: null, town: { code: HANFENG } });
  });
});
