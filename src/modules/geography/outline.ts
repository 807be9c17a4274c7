/** The district outline shipped with the product (WGS-84, simplified; see scripts/build-outline.ts). */
import fs from 'node:fs';
import type { LonLat } from './coordinates.js';

export interface OutlineFeature {
  readonly type: 'Feature';
  readonly properties: { readonly code: string; readonly name: string; readonly derivation: string };
  readonly geometry: { readonly type: 'MultiPolygon'; readonly coordinates: readonly (readonly (readonly LonLat[])[])[] };
}

export type BBox = readonly [minLon: number, minLat: number, maxLon: number, maxLat: number];

let cached: OutlineFeature | undefined;

/** The district outline as a GeoJSON Feature (read once, then cached; it is immutable product data). */
export function districtOutline(): OutlineFeature {
  if (!cached) {
    const text = fs.readFileSync(new URL('./data/kaizhou-outline.geojson', import.meta.url), 'utf8');
    const fc = JSON.parse(text) as { features: OutlineFeature[] };
    cached = fc.features[0]!;
  }
  return cached;
}

/** The bounding box of a set of polygons. */
export function bboxOf(polygons: OutlineFeature['geometry']['coordinates']): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const polygon of polygons)
    for (const ring of polygon)
      for (const [lon, lat] of ring) {
        if (lon < minLon) minLon = lon;
        if (lat < minLat) minLat = lat;
        if (lon > maxLon) maxLon = lon;
        if (lat > maxLat) maxLat = lat;
      }
  return [minLon, minLat, maxLon, maxLat];
}
