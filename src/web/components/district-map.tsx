/**
 * A server-rendered SVG of the district outline: a map that needs no JavaScript, no tiles and no network.
 * Longitude is scaled by cos(mid-latitude) so that shapes are not stretched (an equirectangular sketch).
 */
import type { FC } from 'hono/jsx';
import { bboxOf, type OutlineFeature } from '../../modules/geography/index.js';

export function outlinePath(feature: OutlineFeature, width: number): { d: string; height: number; project: (lon: number, lat: number) => [number, number] } {
  const [minLon, minLat, maxLon, maxLat] = bboxOf(feature.geometry.coordinates);
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = width / ((maxLon - minLon) * kx);
  const height = Math.round((maxLat - minLat) * scale);
  const project = (lon: number, lat: number): [number, number] => [(lon - minLon) * kx * scale, (maxLat - lat) * scale];
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
  return { d: parts.join(''), height, project };
}

export const DistrictMap: FC<{ feature: OutlineFeature; title: string; width?: number; points?: readonly (readonly [number, number])[] }> = ({ feature, title, width = 560, points = [] }) => {
  const { d, height, project } = outlinePath(feature, width);
  const pad = 8;
  return (
    <svg class="district-map" viewBox={`${-pad} ${-pad} ${width + 2 * pad} ${height + 2 * pad}`} role="img" aria-label={title}>
      <path class="outline" d={d} />
      {points.map(([lon, lat]) => {
        const [x, y] = project(lon, lat);
        return <circle class="marker" cx={x.toFixed(1)} cy={y.toFixed(1)} r="7" />;
      })}
    </svg>
  );
};
