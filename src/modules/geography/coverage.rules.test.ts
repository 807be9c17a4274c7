import { describe, expect, it } from 'vitest';
import type { BoundaryGeometry } from './boundary.js';
import { analyseCoverage, type Shape } from './coverage.rules.js';
import { dissolve } from './dissolve.rules.js';
import { areaM2 } from './geometry.rules.js';

const box = (x0: number, y0: number, x1: number, y1: number): BoundaryGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});
const shape = (code: string, level: Shape['level'], geometry: BoundaryGeometry, feature: number | null, parent: string | null = null): Shape => ({ code, level, geometry, feature, parent });
// 0.01° squares near Kaizhou: about 950 m × 1,112 m, so about 1.06 km² each.
const X = 108.3;
const Y = 31.1;
const D = 0.01;

describe('coverage of an import', () => {
  const town = shape('T', 'town', box(X, Y, X + 2 * D, Y + D), null);

  it('finds nothing wrong with two grids that tile their town', () => {
    const r = analyseCoverage([town, shape('G1', 'grid', box(X, Y, X + D, Y + D), 0, 'T'), shape('G2', 'grid', box(X + D, Y, X + 2 * D, Y + D), 1, 'T')], 1);
    expect(r).toEqual({ overlaps: [], outsideParent: [], gaps: [], ignoredSlivers: 0 });
  });

  it('reports an overlap between two grids with its area, once per pair', () => {
    const r = analyseCoverage([town, shape('G1', 'grid', box(X, Y, X + 1.5 * D, Y + D), 0, 'T'), shape('G2', 'grid', box(X + D, Y, X + 2 * D, Y + D), 1, 'T')], 1);
    expect(r.overlaps).toHaveLength(1);
    expect(r.overlaps[0]).toMatchObject({ feature: 0, code: 'G1', otherCode: 'G2', otherFeature: 1 });
    expect(r.overlaps[0]!.areaM2).toBeCloseTo(areaM2(box(X + D, Y, X + 1.5 * D, Y + D)), -1);
  });

  it('reports an overlap with a stored grid that the file does not replace', () => {
    const r = analyseCoverage([town, shape('G1', 'grid', box(X, Y, X + 1.5 * D, Y + D), 0, 'T'), shape('OLD', 'grid', box(X + D, Y, X + 2 * D, Y + D), null, 'T')], 1);
    expect(r.overlaps.map((o) => [o.code, o.otherCode, o.otherFeature])).toEqual([['G1', 'OLD', null]]);
  });

  it('reports a gap: the part of the parent no child covers', () => {
    const r = analyseCoverage([town, shape('G1', 'grid', box(X, Y, X + D, Y + D), 0, 'T')], 1);
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]!.parentCode).toBe('T');
    expect(r.gaps[0]!.areaM2).toBeCloseTo(areaM2(box(X + D, Y, X + 2 * D, Y + D)), -1);
    expect(r.gaps[0]!.at[0]).toBeCloseTo(X + 1.5 * D, 6);
  });

  it('reports a child that extends beyond its parent', () => {
    const r = analyseCoverage([town, shape('G1', 'grid', box(X, Y, X + 3 * D, Y + D), 0, 'T')], 1);
    expect(r.outsideParent).toHaveLength(1);
    expect(r.outsideParent[0]).toMatchObject({ code: 'G1', parentCode: 'T' });
  });

  it('ignores slivers below the tolerance but counts them', () => {
    const r = analyseCoverage([town, shape('G1', 'grid', box(X, Y, X + D + 1e-7, Y + D), 0, 'T'), shape('G2', 'grid', box(X + D, Y, X + 2 * D, Y + D), 1, 'T')], 1000);
    expect(r.overlaps).toEqual([]);
    expect(r.outsideParent).toEqual([]);
    expect(r.ignoredSlivers).toBeGreaterThan(0);
  });
});

describe('dissolve', () => {
  it('merges squares sharing edges into one ring around them', () => {
    const u = dissolve([box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2)]);
    expect(u.type).toBe('Polygon');
    expect(u.coordinates).toHaveLength(1);
    expect(areaM2(u)).toBeCloseTo(areaM2(box(0, 0, 1, 1)) * 2 + areaM2(box(0, 1, 1, 2)), -3);
  });

  it('keeps a hole where the members surround one', () => {
    // Eight unit squares around an empty centre: a 3×3 block with a hole.
    const ring = [0, 1, 2].flatMap((i) => [0, 1, 2].filter((j) => i !== 1 || j !== 1).map((j) => box(i, j, i + 1, j + 1)));
    const u = dissolve(ring);
    expect(u.type).toBe('Polygon');
    expect(u.coordinates).toHaveLength(2);
  });

  it('gives two simple rings where members touch at one vertex only', () => {
    const u = dissolve([box(0, 0, 1, 1), box(1, 1, 2, 2)]);
    expect(u.type).toBe('MultiPolygon');
    expect(u.coordinates).toHaveLength(2);
    for (const p of u.coordinates as unknown as number[][][][]) expect(p[0]).toHaveLength(5);
  });
});
