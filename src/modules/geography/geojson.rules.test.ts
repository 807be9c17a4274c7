import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02, distanceMeters, type LonLat } from './coordinates.js';
import { parseBoundaryFile } from './geojson.rules.js';

const fc = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const feature = (code: unknown, geometry: unknown) => ({ type: 'Feature', properties: { code }, geometry });
const square: LonLat[] = [
  [108.3, 31.1],
  [108.4, 31.1],
  [108.4, 31.2],
  [108.3, 31.2],
  [108.3, 31.1],
];
const polygon = (...rings: unknown[]) => ({ type: 'Polygon', coordinates: rings });
const parse = (text: string, crs: 'wgs84' | 'gcj02' = 'wgs84') => parseBoundaryFile(text, { crs, codeProperty: 'code' });
const codes = (text: string) => parse(text).problems.map((p) => [p.feature, p.unit, p.code]);

describe('reading a boundary file', () => {
  it.each([
    ['not JSON', '{"type":', [[null, null, 'GEO.MALFORMED_JSON']]],
    ['not a FeatureCollection', JSON.stringify({ type: 'Feature' }), [[null, null, 'GEO.NOT_FEATURE_COLLECTION']]],
    ['no features', fc(), [[null, null, 'GEO.NO_FEATURES']]],
    ['a feature that is not a Feature', fc({ type: 'Polygon' }), [[0, null, 'GEO.MALFORMED_FEATURE']]],
    ['no geometry', fc(feature('500154001', null)), [[0, '500154001', 'GEO.MISSING_GEOMETRY']]],
    ['a Point', fc(feature('500154001', { type: 'Point', coordinates: [108.3, 31.1] })), [[0, '500154001', 'GEO.UNSUPPORTED_GEOMETRY']]],
    ['a LineString', fc(feature('500154001', { type: 'LineString', coordinates: square })), [[0, '500154001', 'GEO.UNSUPPORTED_GEOMETRY']]],
    ['a GeometryCollection', fc(feature('500154001', { type: 'GeometryCollection', geometries: [] })), [[0, '500154001', 'GEO.UNSUPPORTED_GEOMETRY']]],
    ['text where a number belongs', fc(feature('500154001', polygon([['108.3', 31.1], ...square.slice(1)]))), [[0, '500154001', 'GEO.MALFORMED_COORDINATES']]],
    ['a ring that does not close', fc(feature('500154001', polygon(square.slice(0, 4)))), [[0, '500154001', 'GEO.RING_NOT_CLOSED']]],
    ['a ring of three positions', fc(feature('500154001', polygon([square[0], square[1], square[0]]))), [[0, '500154001', 'GEO.TOO_FEW_POSITIONS']]],
    ['a ring of one position repeated', fc(feature('500154001', polygon([square[0], square[0], square[0], square[0]]))), [[0, '500154001', 'GEO.TOO_FEW_POSITIONS']]],
    ['latitude and longitude swapped', fc(feature('500154001', polygon(square.map(([x, y]) => [y, x])))), [[0, '500154001', 'GEO.COORDINATE_OUT_OF_RANGE']]],
    ['a bow tie', fc(feature('500154001', polygon([square[0], square[2], square[1], square[3], square[0]]))), [[0, '500154001', 'GEO.SELF_INTERSECTION']]],
    [
      'a ring that touches itself at a vertex',
      fc(feature('500154001', polygon([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]]))),
      [[0, '500154001', 'GEO.SELF_INTERSECTION']],
    ],
    ['a spike (an edge that doubles back)', fc(feature('500154001', polygon([[0, 0], [2, 0], [3, 0], [2, 0], [2, 2], [0, 2], [0, 0]]))), [[0, '500154001', 'GEO.SELF_INTERSECTION']]],
    ['a hole that crosses the outer ring', fc(feature('500154001', polygon([[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[3, 1], [5, 1], [5, 2], [3, 2], [3, 1]]))), [[0, '500154001', 'GEO.RINGS_CROSS']]],
    ['a hole outside the outer ring', fc(feature('500154001', polygon([[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]))), [[0, '500154001', 'GEO.HOLE_OUTSIDE_SHELL']]],
    [
      'overlapping parts of a MultiPolygon',
      fc(feature('500154001', { type: 'MultiPolygon', coordinates: [[[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]], [[[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]]] })),
      [[0, '500154001', 'GEO.PARTS_OVERLAP']],
    ],
    ['no code', fc({ type: 'Feature', properties: {}, geometry: polygon(square) }), [[0, null, 'GEO.MISSING_CODE']]],
    ['a duplicate code', fc(feature('500154001', polygon(square)), feature('500154001', polygon(square))), [[1, '500154001', 'GEO.DUPLICATE_CODE']]],
  ] as const)('reports %s', (_, text, expected) => {
    expect(codes(text)).toEqual(expected);
  });

  it('reports every problem of every feature at once, in file order', () => {
    const text = fc(feature('A', polygon(square.slice(0, 4))), feature('B', polygon(square)), feature('C', { type: 'Point', coordinates: [0, 0] }));
    const { features, problems } = parse(text);
    expect(problems.map((p) => [p.feature, p.code])).toEqual([
      [0, 'GEO.RING_NOT_CLOSED'],
      [2, 'GEO.UNSUPPORTED_GEOMETRY'],
    ]);
    expect(problems[0]!.params).toMatchObject({ feature: 0, unit: 'A', where: 'coordinates[0]', first: '108.300000,31.100000', last: '108.300000,31.200000' });
    expect(features.map((f) => f.code)).toEqual(['B']);
  });

  it('accepts numeric codes, a byte-order mark, a third coordinate, and rings touching at one point', () => {
    const text = '\uFEFF' + fc(feature(500154001, polygon([[0, 0, 300], [4, 0, 300], [4, 4, 300], [0, 4, 300], [0, 0, 300]], [[0, 0], [1, 2], [2, 1], [0, 0]])));
    const { features, problems } = parse(text);
    expect(problems).toEqual([]);
    expect(features[0]!.code).toBe('500154001');
  });

  it('stores outer rings counter-clockwise and holes clockwise (RFC 7946)', () => {
    const cw = [...square].reverse();
    const { features } = parse(fc(feature('X', polygon(cw, [[108.32, 31.12], [108.34, 31.12], [108.34, 31.14], [108.32, 31.14], [108.32, 31.12]]))));
    const [outer, hole] = (features[0]!.geometry as unknown as { coordinates: LonLat[][] }).coordinates;
    const area2 = (r: LonLat[]) => r.slice(1).reduce((s, p, i) => s + r[i]![0] * p[1] - p[0] * r[i]![1], 0);
    expect(area2(outer!)).toBeGreaterThan(0);
    expect(area2(hole!)).toBeLessThan(0);
  });

  it('converts GCJ-02 input to WGS-84, keeping shared positions shared', () => {
    const wgs: LonLat[] = square;
    const gcj = wgs.map((p) => wgs84ToGcj02(p));
    const { features, problems } = parse(fc(feature('X', polygon(gcj))), 'gcj02');
    expect(problems).toEqual([]);
    const out = (features[0]!.geometry as unknown as { coordinates: LonLat[][] }).coordinates[0]!;
    for (const p of out) expect(Math.min(...wgs.map((q) => distanceMeters(p, q)))).toBeLessThan(0.01);
    expect(out[0]).toEqual(out[out.length - 1]);
  });
});
