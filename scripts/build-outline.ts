/**
 * Builds the shipped district outline from the public DataV outline (GCJ-02): converts every position to
 * WGS-84, simplifies the ring and rounds to 5 decimals (about 1 m). The source file is read from ../shared and
 * never copied; only this project's derived, simplified outline is committed.
 *
 *   npx tsx scripts/build-outline.ts [source.geojson] [tolerance-degrees]
 */
import fs from 'node:fs';
import path from 'node:path';
import { gcj02ToWgs84, type LonLat } from '../src/modules/geography/coordinates.js';
import { simplifyRing } from '../src/modules/geography/simplify.js';

const source = process.argv[2] ?? path.resolve('../shared/data/kaizhou-boundary/500154.geojson');
const tolerance = Number(process.argv[3] ?? 0.0025);
const out = path.resolve('src/modules/geography/data/kaizhou-outline.geojson');

const fc = JSON.parse(fs.readFileSync(source, 'utf8')) as { features: { properties: Record<string, unknown>; geometry: { type: string; coordinates: LonLat[][][] } }[] };
const feature = fc.features[0]!;
const round = (v: number) => Math.round(v * 1e5) / 1e5;
let before = 0;
let after = 0;
const polygons = feature.geometry.coordinates.map((polygon) =>
  polygon.map((ring) => {
    before += ring.length;
    const wgs = ring.map((p) => gcj02ToWgs84(p));
    const simple = simplifyRing(wgs, tolerance).map(([x, y]) => [round(x), round(y)] as const);
    after += simple.length;
    return simple;
  }),
);
const result = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: {
        code: '500154',
        name: '开州区',
        crs: 'WGS-84',
        derivation: `Converted from GCJ-02 to WGS-84 and simplified (Douglas–Peucker, ${tolerance}°) by the Zhizhi project from the public district outline; ${before} → ${after} positions. For orientation only.`,
      },
      geometry: { type: 'MultiPolygon', coordinates: polygons },
    },
  ],
};
fs.writeFileSync(out, JSON.stringify(result) + '\n');
console.log(`wrote ${out}: ${before} → ${after} positions`);
