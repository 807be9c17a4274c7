/**
 * How boundaries fit together after an import, measured with a real polygon clipper (polygon-clipping, a
 * Martinez–Rueda sweep): overlaps between units of one level, parts of a unit outside its parent, and gaps —
 * area of a parent not covered by its children. Pure. Pieces smaller than the tolerance (digitising noise
 * where two layers were drawn separately) are counted but not reported one by one.
 */
import Flatbush from 'flatbush';
import polygonClipping from 'polygon-clipping';
import type { BoundaryGeometry, BoundaryLevel } from './boundary.js';
import type { LonLat } from './coordinates.js';
import { areaM2, bboxOfGeometry } from './geometry.rules.js';

/** A boundary as it will be after the import. */
export interface Shape {
  readonly code: string;
  readonly level: BoundaryLevel;
  readonly geometry: BoundaryGeometry;
  /** The feature index when the shape comes from the file being imported; null for a stored boundary. */
  readonly feature: number | null;
  /** The nearest ancestor unit that has a boundary, or null. */
  readonly parent: string | null;
}

export interface Overlap {
  readonly feature: number;
  readonly code: string;
  /** The other unit, and its feature index if it is in the same file. */
  readonly otherCode: string;
  readonly otherFeature: number | null;
  readonly areaM2: number;
  readonly at: LonLat;
}

export interface OutsideParent {
  readonly feature: number;
  readonly code: string;
  readonly parentCode: string;
  readonly areaM2: number;
  readonly at: LonLat;
}

export interface Gap {
  readonly parentCode: string;
  readonly areaM2: number;
  /** How many separate pieces the uncovered area falls into, and a point in the largest. */
  readonly pieces: number;
  readonly at: LonLat;
}

export interface CoverageReport {
  readonly overlaps: readonly Overlap[];
  readonly outsideParent: readonly OutsideParent[];
  readonly gaps: readonly Gap[];
  /** Pieces below the tolerance, not listed. */
  readonly ignoredSlivers: number;
}

type Clip = polygonClipping.MultiPolygon;
const asClip = (g: BoundaryGeometry): Clip => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown as Clip;
const clipArea = (m: Clip): number => areaM2({ type: 'MultiPolygon', coordinates: m });

/** A point to show for a clipped area: the middle of the bounding box of its largest piece. */
function anchor(m: Clip): LonLat {
  let best: Clip[number] | undefined;
  let bestArea = -1;
  for (const polygon of m) {
    const a = areaM2({ type: 'Polygon', coordinates: polygon });
    if (a > bestArea) {
      bestArea = a;
      best = polygon;
    }
  }
  if (!best) return [0, 0];
  const [minLon, minLat, maxLon, maxLat] = bboxOfGeometry({ type: 'Polygon', coordinates: best });
  return [(minLon + maxLon) / 2, (minLat + maxLat) / 2];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Checks overlaps, containment in parents and gaps wherever the file changes something. */
export function analyseCoverage(shapes: readonly Shape[], toleranceM2: number): CoverageReport {
  const overlaps: Overlap[] = [];
  const outsideParent: OutsideParent[] = [];
  const gaps: Gap[] = [];
  let ignoredSlivers = 0;
  const byCode = new Map(shapes.map((s) => [s.code, s]));
  const boxes = shapes.map((s) => bboxOfGeometry(s.geometry));

  // Overlaps within a level, for every pair that involves the file.
  const levels = new Map<BoundaryLevel, number[]>();
  shapes.forEach((s, i) => {
    const list = levels.get(s.level);
    if (list) list.push(i);
    else levels.set(s.level, [i]);
  });
  for (const members of levels.values()) {
    if (!members.some((i) => shapes[i]!.feature !== null)) continue;
    const tree = new Flatbush(members.length);
    for (const i of members) tree.add(...boxes[i]!);
    tree.finish();
    members.forEach((i, mi) => {
      const a = shapes[i]!;
      if (a.feature === null) return;
      for (const mj of tree.search(...boxes[i]!)) {
        if (mj === mi) continue;
        const b = shapes[members[mj]!]!;
        if (b.feature !== null && b.feature < a.feature) continue; // each pair of file features once
        const shared = polygonClipping.intersection(asClip(a.geometry), asClip(b.geometry));
        if (shared.length === 0) continue;
        const area = clipArea(shared);
        if (area < toleranceM2) {
          if (area > 0) ignoredSlivers++;
          continue;
        }
        overlaps.push({ feature: a.feature, code: a.code, otherCode: b.code, otherFeature: b.feature, areaM2: round1(area), at: anchor(shared) });
      }
    });
  }

  // Parts outside the parent.
  for (const s of shapes) {
    if (s.feature === null || s.parent === null) continue;
    const parent = byCode.get(s.parent);
    if (!parent) continue;
    const outside = polygonClipping.difference(asClip(s.geometry), asClip(parent.geometry));
    const area = clipArea(outside);
    if (area >= toleranceM2) outsideParent.push({ feature: s.feature, code: s.code, parentCode: parent.code, areaM2: round1(area), at: anchor(outside) });
    else if (area > 0) ignoredSlivers++;
  }

  // Gaps: every parent that the file touches (itself, or one of its children) against its children.
  const children = new Map<string, Shape[]>();
  for (const s of shapes) {
    if (s.parent === null) continue;
    const list = children.get(s.parent);
    if (list) list.push(s);
    else children.set(s.parent, [s]);
  }
  for (const [parentCode, kids] of children) {
    const parent = byCode.get(parentCode);
    if (!parent) continue;
    if (parent.feature === null && !kids.some((k) => k.feature !== null)) continue;
    // The children are the shapes whose nearest bounded ancestor is this parent: villages with a boundary,
    // and grids of villages without one. Together they should cover it.
    const uncovered = polygonClipping.difference(asClip(parent.geometry), ...kids.map((k) => asClip(k.geometry)));
    const area = clipArea(uncovered);
    if (area >= toleranceM2) gaps.push({ parentCode, areaM2: round1(area), pieces: uncovered.length, at: anchor(uncovered) });
    else if (area > 0) ignoredSlivers++;
  }
  return { overlaps, outsideParent, gaps, ignoredSlivers };
}
