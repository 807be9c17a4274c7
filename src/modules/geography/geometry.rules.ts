/**
 * Plane geometry on longitude/latitude, pure. Decisions that must agree between neighbouring polygons (which
 * side of an edge a point lies on, whether two segments cross) use exact orientation predicates
 * (Shewchuk's adaptive arithmetic, from robust-predicates), so that rounding can never put a point in two
 * grids or in none.
 */
import { orient2d } from 'robust-predicates';
import type { BBox, BoundaryGeometry, PolygonCoordinates, Ring } from './boundary.js';
import type { LonLat } from './coordinates.js';

/** Mean Earth radius used by the area formula (WGS-84 semi-major axis, as GeoJSON tools such as turf use). */
const EARTH_RADIUS_M = 6378137;
const RAD = Math.PI / 180;

/**
 * Orientation of c relative to the directed line a→b: negative when c lies to its left (counter-clockwise),
 * positive to its right, zero when the three are exactly collinear. (robust-predicates' sign convention.)
 */
export const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number => orient2d(ax, ay, bx, by, cx, cy);

/** The polygons of a geometry (a Polygon is one). */
export function polygonsOf(geometry: BoundaryGeometry): readonly PolygonCoordinates[] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** The bounding box of a geometry. */
export function bboxOfGeometry(geometry: BoundaryGeometry): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const polygon of polygonsOf(geometry))
    for (const ring of polygon)
      for (const [lon, lat] of ring) {
        if (lon < minLon) minLon = lon;
        if (lat < minLat) minLat = lat;
        if (lon > maxLon) maxLon = lon;
        if (lat > maxLat) maxLat = lat;
      }
  return [minLon, minLat, maxLon, maxLat];
}

/** Twice the signed planar area of a closed ring in degrees²: positive when counter-clockwise. */
export function signedArea2(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

/**
 * The area of a closed ring on the sphere in m² (unsigned), taking each edge as a straight line in
 * longitude/latitude, as GeoJSON does (RFC 7946 §3.1.1). By Green's theorem the area is R²·∮ sin φ dλ, and
 * along a straight edge that integral is exact: Δλ · sin(φ̄) · sinc(Δφ/2). Unlike the usual vertex formula
 * (Chamberlain and Duquette, as turf uses) this is additive: splitting an edge at a point on it does not change
 * the area, so a district and its grids, which share edges split at different points, have equal areas and a
 * collinear sliver has none.
 */
export function ringAreaM2(ring: Ring): number {
  if (ring.length < 4) return 0;
  let total = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [l1, p1] = ring[i]!;
    const [l2, p2] = ring[i + 1]!;
    const half = ((p2 - p1) * RAD) / 2;
    const sinc = half === 0 ? 1 : Math.sin(half) / half;
    total += (l2 - l1) * RAD * Math.sin(((p1 + p2) / 2) * RAD) * sinc;
  }
  return Math.abs(total * EARTH_RADIUS_M * EARTH_RADIUS_M);
}

/** The area of a polygon with holes in m². */
export function polygonAreaM2(polygon: PolygonCoordinates): number {
  let area = 0;
  polygon.forEach((ring, i) => (area += i === 0 ? ringAreaM2(ring) : -ringAreaM2(ring)));
  return Math.max(0, area);
}

/** The area of a geometry in m². */
export function areaM2(geometry: BoundaryGeometry): number {
  return polygonsOf(geometry).reduce((sum, p) => sum + polygonAreaM2(p), 0);
}

/** A ring reversed if needed so that it runs counter-clockwise (`ccw`) or clockwise. */
export function orientRing(ring: Ring, ccw: boolean): Ring {
  return signedArea2(ring) > 0 === ccw ? ring : [...ring].reverse();
}

/** The geometry with RFC 7946 §3.1.6 winding: outer rings counter-clockwise, holes clockwise. */
export function withRightHandRule(geometry: BoundaryGeometry): BoundaryGeometry {
  const fix = (polygon: PolygonCoordinates): PolygonCoordinates => polygon.map((ring, i) => orientRing(ring, i === 0));
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: fix(geometry.coordinates) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map(fix) };
}

/**
 * Whether the upward crossing of edge (ax,ay)–(bx,by) by the horizontal ray from (px,py) towards +x counts.
 * The edge is taken lower end first whichever way the ring runs, so two polygons sharing the edge evaluate
 * exactly the same expression and always agree. Half-open: an edge counts if it spans [minY, maxY) and the
 * point lies strictly to its left. A point exactly on an edge is therefore treated as lying an infinitesimal
 * step east (and, on an east–west edge, north) of where it is — see BoundaryIndex for the rule this gives.
 */
export function crosses(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  if ((ay > py) === (by > py)) return false;
  if (px < ax && px < bx) return true;
  if (px >= ax && px >= bx) return false;
  // Lower endpoint first: for an upward edge, a point strictly to the left has a negative orientation.
  return ay < by ? orient2d(ax, ay, bx, by, px, py) < 0 : orient2d(bx, by, ax, ay, px, py) < 0;
}

/** Whether a point lies in a polygon with holes, by the half-open crossing rule of `crosses`. */
export function polygonContains(polygon: PolygonCoordinates, [px, py]: LonLat): boolean {
  let inside = false;
  for (const ring of polygon)
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = ring[i]!;
      const b = ring[i + 1]!;
      if (crosses(a[0], a[1], b[0], b[1], px, py)) inside = !inside;
    }
  return inside;
}

/** Whether a point lies in a geometry, by the half-open crossing rule. */
export function geometryContains(geometry: BoundaryGeometry, point: LonLat): boolean {
  return polygonsOf(geometry).some((p) => polygonContains(p, point));
}

/** The squared planar distance (in degrees²) from p to the segment a–b. */
export function segmentDistance2(ax: number, ay: number, bx: number, by: number, px: number, py: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/** Whether a point lies on (within `tolerance` degrees of) any edge of a geometry. */
export function onBoundary(geometry: BoundaryGeometry, [px, py]: LonLat, tolerance: number): boolean {
  const t2 = tolerance * tolerance;
  for (const polygon of polygonsOf(geometry))
    for (const ring of polygon)
      for (let i = 0; i + 1 < ring.length; i++) {
        const [ax, ay] = ring[i]!;
        const [bx, by] = ring[i + 1]!;
        if (segmentDistance2(ax, ay, bx, by, px, py) <= t2) return true;
      }
  return false;
}

/** How two segments meet: not at all, in one point where neither is collinear with the other, or otherwise. */
export type SegmentContact = 'none' | 'cross' | 'touch' | 'overlap';

const between = (a: number, b: number, v: number) => (a <= b ? a <= v && v <= b : b <= v && v <= a);

/**
 * The contact of segments a–b and c–d, exactly: `cross` (interiors cross at one point), `touch` (they meet at a
 * point that is an endpoint of one of them), `overlap` (collinear and sharing more than a point), or `none`.
 */
export function segmentContact(a: LonLat, b: LonLat, c: LonLat, d: LonLat): SegmentContact {
  const o1 = orient2d(a[0], a[1], b[0], b[1], c[0], c[1]);
  const o2 = orient2d(a[0], a[1], b[0], b[1], d[0], d[1]);
  const o3 = orient2d(c[0], c[1], d[0], d[1], a[0], a[1]);
  const o4 = orient2d(c[0], c[1], d[0], d[1], b[0], b[1]);
  if (o1 === 0 && o2 === 0) {
    // Collinear: compare extents along the longer axis.
    const useX = Math.abs(b[0] - a[0]) >= Math.abs(b[1] - a[1]);
    const k = useX ? 0 : 1;
    const lo = Math.max(Math.min(a[k], b[k]), Math.min(c[k], d[k]));
    const hi = Math.min(Math.max(a[k], b[k]), Math.max(c[k], d[k]));
    if (lo > hi) return 'none';
    return lo === hi ? 'touch' : 'overlap';
  }
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return 'cross';
  if (o1 === 0 && between(a[0], b[0], c[0]) && between(a[1], b[1], c[1])) return 'touch';
  if (o2 === 0 && between(a[0], b[0], d[0]) && between(a[1], b[1], d[1])) return 'touch';
  if (o3 === 0 && between(c[0], d[0], a[0]) && between(c[1], d[1], a[1])) return 'touch';
  if (o4 === 0 && between(c[0], d[0], b[0]) && between(c[1], d[1], b[1])) return 'touch';
  return 'none';
}

/** Where the lines through a–b and c–d meet (approximately; for messages), or the midpoint of b and c if parallel. */
export function intersectionPoint(a: LonLat, b: LonLat, c: LonLat, d: LonLat): LonLat {
  const den = (a[0] - b[0]) * (c[1] - d[1]) - (a[1] - b[1]) * (c[0] - d[0]);
  if (den === 0) return [(b[0] + c[0]) / 2, (b[1] + c[1]) / 2];
  const t = ((a[0] - c[0]) * (c[1] - d[1]) - (a[1] - c[1]) * (c[0] - d[0])) / den;
  return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
}
