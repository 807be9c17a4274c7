import { describe, expect, it } from 'vitest';
import { BoundaryIndex, LevelIndex } from './boundary-index.js';
import type { BoundaryGeometry, BoundaryLevel, BoundaryRecord } from './boundary.js';
import type { LonLat } from './coordinates.js';

const square = (x0: number, y0: number, x1: number, y1: number): LonLat[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const poly = (...rings: LonLat[][]): BoundaryGeometry => ({ type: 'Polygon', coordinates: rings });

let nextId = 1;
function record(code: string, level: BoundaryLevel, geometry: BoundaryGeometry, parentId: number | null = null, kind = level === 'village' ? 'village' : level): BoundaryRecord {
  return { unit: { id: nextId++, code, name: code, kind, isDemo: false, parentId }, level, geometry, source: 'import', areaM2: 1 };
}

// Four grids tiling [0,2]×[0,2] in a 2×2 pattern, sharing edges and the centre vertex (1,1).
//   C | D
//   --+--
//   A | B
const grids = [
  record('A', 'grid', poly(square(0, 0, 1, 1))),
  record('B', 'grid', poly(square(1, 0, 2, 1))),
  record('C', 'grid', poly(square(0, 1, 1, 2))),
  record('D', 'grid', poly(square(1, 1, 2, 2))),
];
const level = new LevelIndex(grids);
const at = (x: number, y: number) => {
  const i = level.find(x, y);
  return i < 0 ? null : level.entries[i]!.unit.code;
};

describe('LevelIndex: which polygon a point is in', () => {
  it.each([
    ['inside A', 0.5, 0.5, 'A'],
    ['inside D', 1.5, 1.5, 'D'],
    ['on the vertical edge A|B: the polygon to the east', 1, 0.5, 'B'],
    ['on the vertical edge C|D: the polygon to the east', 1, 1.5, 'D'],
    ['on the horizontal edge A/C: the polygon to the north', 0.5, 1, 'C'],
    ['on the horizontal edge B/D: the polygon to the north', 1.5, 1, 'D'],
    ['on the vertex shared by all four: east and a hair north', 1, 1, 'D'],
    ['on the outer boundary, west side', 0, 0.5, 'A'],
    ['on the outer boundary, east side (rule 2)', 2, 0.5, 'B'],
    ['on the outer boundary, north side (rule 2)', 0.5, 2, 'C'],
    ['on the outer corner (2,2) (rule 2)', 2, 2, 'D'],
    ['on the outer corner (0,0)', 0, 0, 'A'],
    ['within 1e-10° outside the east edge (rule 2 tolerance)', 2 + 1e-10, 0.5, 'B'],
    ['1e-6° outside the east edge', 2 + 1e-6, 0.5, null],
    ['far outside', 5, 5, null],
  ] as const)('%s', (_, x, y, expected) => {
    expect(at(x, y)).toBe(expected);
  });

  it('puts every point of a fine lattice over the tiling, edges and vertices included, in exactly one grid', () => {
    for (let i = 0; i <= 40; i++)
      for (let j = 0; j <= 40; j++) {
        const x = i / 20;
        const y = j / 20;
        const containing = grids.filter((g) => new LevelIndex([g]).findStrict(x, y) >= 0).length;
        const interior = x < 2 && y < 2; // the half-open rule alone leaves the east and north outer edges out
        expect(containing, `${x},${y}`).toBe(interior ? 1 : 0);
        expect(at(x, y), `${x},${y}`).not.toBeNull();
      }
  });

  it('agrees on an edge shared at a slant, whichever way each ring runs, for points computed on it', () => {
    // Two triangles sharing the edge (0,0)–(0.3,0.7), one ring clockwise and one counter-clockwise.
    const left = record('L', 'grid', poly([[0, 0], [0.3, 0.7], [-1, 1], [0, 0]]));
    const right = record('R', 'grid', poly(([[0, 0], [1, 0], [0.3, 0.7], [0, 0]] as LonLat[]).reverse()));
    const both = new LevelIndex([left, right]);
    for (let k = 1; k < 1000; k++) {
      const t = k / 1000;
      const p: LonLat = [0.3 * t, 0.7 * t]; // on the edge, up to rounding
      const inL = new LevelIndex([left]).findStrict(p[0], p[1]) >= 0;
      const inR = new LevelIndex([right]).findStrict(p[0], p[1]) >= 0;
      expect(Number(inL) + Number(inR), `t=${t}`).toBe(1);
      expect(both.find(p[0], p[1])).toBeGreaterThanOrEqual(0);
    }
  });

  it('leaves a hole out and counts its edge as inside (rule 2)', () => {
    const ring = new LevelIndex([record('H', 'grid', poly(square(0, 0, 4, 4), square(1, 1, 2, 2).reverse()))]);
    expect(ring.find(0.5, 0.5)).toBe(0);
    expect(ring.find(1.5, 1.5)).toBe(-1);
    expect(ring.find(2, 1.5)).toBe(0); // on the hole's east edge
    expect(ring.find(1, 1.5)).toBe(0); // on the hole's west edge
  });

  it('finds either part of a MultiPolygon', () => {
    const multi = new LevelIndex([record('M', 'grid', { type: 'MultiPolygon', coordinates: [[square(0, 0, 1, 1)], [[...square(5, 5, 6, 6)]]] })]);
    expect(multi.find(0.5, 0.5)).toBe(0);
    expect(multi.find(5.5, 5.5)).toBe(0);
    expect(multi.find(3, 3)).toBe(-1);
  });

  it('gives overlapping polygons to the smallest unit code, always', () => {
    const overlapping = new LevelIndex([record('Z2', 'grid', poly(square(0, 0, 2, 2))), record('Z1', 'grid', poly(square(1, 1, 3, 3)))]);
    expect(overlapping.entries[overlapping.find(1.5, 1.5)]!.unit.code).toBe('Z1');
    expect(overlapping.entries[overlapping.find(0.5, 0.5)]!.unit.code).toBe('Z2');
  });
});

describe('BoundaryIndex: the chain grid → village → town, and outside', () => {
  const district = record('500154', 'district', poly(square(0, 0, 4, 2)), null, 'district');
  const town = record('T1', 'town', poly(square(0, 0, 2, 2)), district.unit.id, 'street');
  const town2 = record('T2', 'town', poly(square(2, 0, 4, 2)), district.unit.id, 'town');
  const village = record('V1', 'village', poly(square(0, 0, 2, 1)), town.unit.id, 'community');
  const grid = record('G1', 'grid', poly(square(0, 0, 1, 1)), village.unit.id, 'grid');
  const index = new BoundaryIndex([district, town, town2, village, grid], [district.unit, town.unit, town2.unit, village.unit, grid.unit]);

  it('names the grid, its village or community and its town', () => {
    expect(index.locate(0.5, 0.5)).toMatchObject({ inside: true, grid: { code: 'G1' }, village: { code: 'V1', kind: 'community' }, town: { code: 'T1' } });
  });

  it('answers with the finest level that has a boundary there', () => {
    expect(index.locate(1.5, 0.5)).toMatchObject({ inside: true, grid: null, village: { code: 'V1' }, town: { code: 'T1' } });
    expect(index.locate(1.5, 1.5)).toMatchObject({ inside: true, grid: null, village: null, town: { code: 'T1' } });
  });

  it('gives a point on the border of two towns to the one east of it, at every level', () => {
    expect(index.locate(2, 1.5)).toMatchObject({ town: { code: 'T2' } });
  });

  it('says outside the district, without an exception', () => {
    expect(index.locate(5, 1)).toEqual({ inside: false });
    expect(index.locate(-0.5, 1)).toEqual({ inside: false });
  });

  it('counts the district outline itself as inside', () => {
    expect(index.locate(4, 1)).toMatchObject({ inside: true, town: { code: 'T2' } });
    expect(index.locate(4, 2)).toMatchObject({ inside: true, town: { code: 'T2' } });
  });

  it('is inside but in no town where only the district has a boundary', () => {
    const bare = new BoundaryIndex([district], [district.unit]);
    expect(bare.locate(1, 1)).toEqual({ inside: true, town: null, village: null, grid: null });
    expect(bare.locate(9, 9)).toEqual({ inside: false });
  });

  it('says outside when nothing has a boundary', () => {
    expect(new BoundaryIndex([], []).locate(1, 1)).toEqual({ inside: false });
  });
});
