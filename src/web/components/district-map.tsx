/**
 * A server-rendered SVG of the district outline: a map that needs no JavaScript, no tiles and no network.
 * Longitude is scaled by cos(mid-latitude) so that shapes are not stretched (an equirectangular sketch).
 */
import type { FC } from 'hono/jsx';
import { bboxOf, type OutlineFeature } from '../../modules/geography/index.js';

export function outlinePath(feature: OutlineFeature, width: number): { d: string; height: number } {
  const [minLon, minLat, maxLon, maxLat] = bboxOf(feature.geometry.coordinates);
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = width / ((maxLon - minLon) * kx);
  const height = Math.round((maxLat - minLat) * scale);
  const parts: string[] = [];
  for (const polygon of feature.geometry.coordinates) {
    for (const ring of polygon) {
      parts.push(
        ring
          .map(([lon, lat], i) => `${i === 0 ? 'M' : 'L'}${((lon - minLon) * kx * scale).toFixed(1)} ${((maxLat - lat) * scale).toFixed(1)}`)
          .join('') + 'Z',
      );
    }
  }
  return { d: parts.join(''), height };
}

export const DistrictMap: FC<{ feature: OutlineFeature; title: string; width?: number }> = ({ feature, title, width = 560 }) => {
  const { d, height } = outlinePath(feature, width);
  const pad = 8;
  return (
    <svg class="district-map" viewBox={`${-pad} ${-pad} ${width + 2 * pad} ${height + 2 * pad}`} role="img" aria-labelledby="district-map-title">
      <title id="district-map-title">{title}</title>
      <path class="outline" d={d} />
    </svg>
  );
};
