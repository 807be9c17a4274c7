import { beforeAll, describe, expect, it } from 'vitest';
import { analyseCoverage, areaM2, BoundaryIndex, districtOutline, geometryContains, type BoundaryRecord, type Shape, type TreeUnit } from '../geography/index.js';
import { REFERENCE_UNITS, type TownKind } from '../organization/index.js';
import { generateDemoGeography, seededRandom, type DemoGeography } from './demo-geography.js';
import { pregenerateDemoGeography } from './demo.service.js';

const towns = REFERENCE_UNITS.filter((u) => u.kind === 'street' || u.kind === 'town' || u.kind === 'township').map((u) => ({ code: u.code, name: u.name, kind: u.kind as TownKind }));
const outline = districtOutline().geometry;

describe('the demo geography', () => {
  let geo: DemoGeography;
  let index: BoundaryIndex;
  beforeAll(() => {
    geo = generateDemoGeography(outline.coordinates, towns);
    let id = 1;
    const ids = new Map<string, number>();
    const records: BoundaryRecord[] = [];
    const units: TreeUnit[] = [];
    const add = (code: string, kind: string, level: BoundaryRecord['level'], geometry: BoundaryRecord['geometry'], parent: string | null) => {
      const unit = { id: id++, code, name: code, kind, isDemo: true, parentId: parent === null ? null : ids.get(parent)! };
      ids.set(code, unit.id);
      units.push(unit);
      records.push({ unit, level, geometry, source: 'demo', areaM2: 0 });
    };
    for (const t of geo.towns) add(t.code, towns.find((x) => x.code === t.code)!.kind, 'town', t.geometry, null);
    for (const v of geo.villages) add(v.code, v.kind, 'village', v.geometry, v.parentCode);
    for (const g of geo.grids) add(g.code, 'grid', 'grid', g.geometry, g.parentCode);
    index = new BoundaryIndex(records, units);
  });

  it('has one area per town, 535 villages and communities, and 2,500 grids, all marked as demo', () => {
    expect(geo.towns.map((t) => t.code).sort()).toEqual(towns.map((t) => t.code).sort());
    expect(geo.villages).toHaveLength(535);
    expect(geo.grids).toHaveLength(2500);
    for (const a of [...geo.villages, ...geo.grids]) {
      expect(a.name).toContain('（演示）');
      // Statistical codes are all digits; these cannot collide with one.
      expect(a.code).toMatch(/^500154\d{3}-DEMO-V\d{2}(-G\d{2,3})?$/);
    }
  });

  it('gives streets communities and towns and townships villages', () => {
    for (const v of geo.villages) {
      const town = towns.find((t) => t.code === v.parentCode)!;
      expect(v.kind).toBe(town.kind === 'street' ? 'community' : 'village');
    }
  });

  it('puts 汉丰街道 at the district seat and the other streets around it', () => {
    expect(index.locate(108.39, 31.16)).toMatchObject({ town: { code: '500154001' } });
    for (const t of geo.towns.slice(0, 8)) {
      const [x, y] = (t.geometry.coordinates[0] as unknown as number[][])[0]!;
      expect(Math.hypot((x! - 108.39) * 0.86, y! - 31.16)).toBeLessThan(0.2); // within about 20 km
    }
  });

  it('tiles the outline: grid areas add up to the district, towns to the district', () => {
    const district = areaM2(outline);
    const sum = (xs: readonly { geometry: Parameters<typeof areaM2>[0] }[]) => xs.reduce((s, x) => s + areaM2(x.geometry), 0);
    expect(Math.abs(sum(geo.grids) - district) / district).toBeLessThan(1e-9);
    expect(Math.abs(sum(geo.villages) - district) / district).toBeLessThan(1e-9);
    expect(Math.abs(sum(geo.towns) - district) / district).toBeLessThan(1e-9);
  });

  it('puts every point of the district in exactly one grid, whose village and town contain it too', () => {
    const rand = seededRandom(7);
    let inside = 0;
    for (let i = 0; i < 20_000; i++) {
      const lon = 107.9 + rand() * 1.05;
      const lat = 30.8 + rand() * 0.92;
      const inDistrict = geometryContains(outline, [lon, lat]);
      const grid = index.levels.grid.findStrict(lon, lat);
      expect(grid >= 0, `${lon},${lat}`).toBe(inDistrict);
      if (!inDistrict) continue;
      inside++;
      const place = index.locate(lon, lat);
      if (!place.inside) throw new Error('inside the district but located outside');
      expect(index.levels.village.entries[index.levels.village.findStrict(lon, lat)]!.unit.code).toBe(place.village!.code);
      expect(index.levels.town.entries[index.levels.town.findStrict(lon, lat)]!.unit.code).toBe(place.town!.code);
    }
    expect(inside).toBeGreaterThan(5000);
  });

  it('passes the import checks: no overlaps, no gaps, nothing outside its parent (汉丰街道 and 大德镇)', () => {
    for (const townCode of ['500154001', '500154100']) {
      const town = geo.towns.find((t) => t.code === townCode)!;
      const villages = geo.villages.filter((v) => v.parentCode === townCode);
      const codes = new Set(villages.map((v) => v.code));
      const grids = geo.grids.filter((g) => codes.has(g.parentCode));
      const shapes: Shape[] = [
        { code: town.code, level: 'town', geometry: town.geometry, feature: null, parent: null },
        ...villages.map((v, i): Shape => ({ code: v.code, level: 'village', geometry: v.geometry, feature: i, parent: townCode })),
        ...grids.map((g, i): Shape => ({ code: g.code, level: 'grid', geometry: g.geometry, feature: villages.length + i, parent: g.parentCode })),
      ];
      const report = analyseCoverage(shapes, 1);
      expect(report.overlaps).toEqual([]);
      expect(report.outsideParent).toEqual([]);
      expect(report.gaps).toEqual([]);
    }
  });

  it('is the same every time, and the same when generated on a worker thread at first start', async () => {
    const again = generateDemoGeography(outline.coordinates, towns);
    expect(JSON.stringify(again)).toBe(JSON.stringify(geo));
    const early = await pregenerateDemoGeography().result;
    expect(early).toBeDefined();
    expect(JSON.stringify(early)).toBe(JSON.stringify(geo));
  });
});
