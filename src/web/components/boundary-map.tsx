/**
 * A server-rendered SVG sketch of boundaries (towns, or one town's villages and grids): the map that works
 * without JavaScript, tiles or network. Equirectangular with longitude scaled by cos(mid-latitude), like
 * district-map.tsx; rings are simplified to about half a pixel, which no one can see at this scale.
 */
import type { FC } from 'hono/jsx';
import { bboxOfGeometry, polygonsOf, simplifyRing, type BoundaryRecord } from '../../modules/geography/index.js';

interface Frame {
  readonly minLon: number;
  readonly maxLat: number;
  readonly kx: number;
  readonly scale: number;
  readonly height: number;
}

function frameOf(records: readonly BoundaryRecord[], width: number): Frame {
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of records) {
    const [a, b, c, d] = bboxOfGeometry(r.geometry);
    minLon = Math.min(minLon, a);
    minLat = Math.min(minLat, b);
    maxLon = Math.max(maxLon, c);
    maxLat = Math.max(maxLat, d);
  }
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = width / Math.max((maxLon - minLon) * kx, 1e-9);
  return { minLon, maxLat, kx, scale, height: Math.round((maxLat - minLat) * scale) };
}

function pathOf(record: BoundaryRecord, f: Frame): string {
  const tolerance = 0.5 / f.scale;
  const parts: string[] = [];
  for (const polygon of polygonsOf(record.geometry))
    for (const ring of polygon)
      parts.push(
        simplifyRing(ring, tolerance)
          .map(([lon, lat], i) => `${i === 0 ? 'M' : 'L'}${((lon - f.minLon) * f.kx * f.scale).toFixed(1)} ${((f.maxLat - lat) * f.scale).toFixed(1)}`)
          .join('') + 'Z',
      );
  return parts.join('');
}

export interface MapLayer {
  readonly records: readonly BoundaryRecord[];
  /** A CSS class for the layer's paths (town, village, grid). */
  readonly className: string;
}

/** An SVG of several layers, framed on the first; decorative detail is in the title and the lists beside it. */
export const BoundaryMap: FC<{ layers: readonly MapLayer[]; title: string; width?: number }> = ({ layers, title, width = 640 }) => {
  const frameRecords = layers.find((l) => l.records.length > 0)?.records ?? [];
  if (frameRecords.length === 0) return null;
  const frame = frameOf(frameRecords, width);
  const pad = 6;
  return (
    <svg class="boundary-map" viewBox={`${-pad} ${-pad} ${width + 2 * pad} ${frame.height + 2 * pad}`} role="img" aria-labelledby="boundary-map-title">
      <title id="boundary-map-title">{title}</title>
      {layers.map((layer) => (
        <g class={layer.className}>
          {layer.records.map((r) => (
            <path d={pathOf(r, frame)} class={r.source === 'demo' ? 'demo' : undefined} />
          ))}
        </g>
      ))}
    </svg>
  );
};
