/**
 * Reading a boundary file: GeoJSON (RFC 7946) FeatureCollection of Polygon and MultiPolygon features, each
 * naming its unit by a code property. Pure. Every problem is collected — with the feature's index, its unit
 * code and the reason — rather than stopping at the first, so that one run tells the operator everything to fix.
 * Valid geometry is returned in WGS-84 (GCJ-02 input converted), rings closed, outer rings counter-clockwise.
 */
import Flatbush from 'flatbush';
import polygonClipping from 'polygon-clipping';
import type { BoundaryGeometry, InputCrs, PolygonCoordinates, Ring } from './boundary.js';
import { gcj02ToWgs84, type LonLat } from './coordinates.js';
import { areaM2, intersectionPoint, orientRing, polygonContains, polygonAreaM2, segmentContact, withRightHandRule } from './geometry.rules.js';

/** One problem found in a boundary file; `code` is a stable error code whose text lives in the locale files. */
export interface ImportProblem {
  /** The feature's index in the file's `features` array, or null for the file as a whole. */
  readonly feature: number | null;
  /** The unit code the feature names, where it names one. */
  readonly unit: string | null;
  readonly code: string;
  /** English text for logs and clients without a translation. */
  readonly message: string;
  readonly params: Readonly<Record<string, string | number>>;
}

export interface ParsedFeature {
  readonly index: number;
  readonly code: string;
  readonly geometry: BoundaryGeometry;
}

export interface ParseOptions {
  readonly crs: InputCrs;
  /** The feature property holding the unit code. */
  readonly codeProperty: string;
}

/** Formats a position for messages: six decimals, about 0.1 m. */
export const formatPosition = (p: LonLat): string => `${p[0].toFixed(6)},${p[1].toFixed(6)}`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type Report = (code: string, message: string, params?: Record<string, string | number>) => void;

/** Reads the nesting of positions, reporting the first malformed one; undefined if malformed. */
function readPolygon(raw: unknown, where: string, report: Report): LonLat[][] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) {
    report('GEO.MALFORMED_COORDINATES', `${where}: expected an array of rings`, { where });
    return undefined;
  }
  const rings: LonLat[][] = [];
  for (const [r, rawRing] of raw.entries()) {
    if (!Array.isArray(rawRing)) {
      report('GEO.MALFORMED_COORDINATES', `${where}[${r}]: expected an array of positions`, { where: `${where}[${r}]` });
      return undefined;
    }
    const ring: LonLat[] = [];
    for (const [k, pos] of rawRing.entries()) {
      if (!Array.isArray(pos) || pos.length < 2 || pos.length > 3 || !pos.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        report('GEO.MALFORMED_COORDINATES', `${where}[${r}][${k}]: expected [longitude, latitude]`, { where: `${where}[${r}][${k}]` });
        return undefined;
      }
      ring.push([pos[0] as number, pos[1] as number]);
    }
    rings.push(ring);
  }
  return rings;
}

/** Closure, size and range of each ring; returns the rings with repeated consecutive positions removed, or undefined. */
function checkRings(rings: LonLat[][], where: string, report: Report): LonLat[][] | undefined {
  let ok = true;
  const out: LonLat[][] = [];
  rings.forEach((ring, r) => {
    const at = `${where}[${r}]`;
    const bad = ring.find(([lon, lat]) => lon < -180 || lon > 180 || lat < -90 || lat > 90);
    if (bad) {
      report('GEO.COORDINATE_OUT_OF_RANGE', `${at}: ${bad[0]},${bad[1]} is not a longitude,latitude (is the order swapped?)`, { where: at, lon: bad[0], lat: bad[1] });
      ok = false;
      return;
    }
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (ring.length > 0 && (first![0] !== last![0] || first![1] !== last![1])) {
      report('GEO.RING_NOT_CLOSED', `${at}: the last position ${formatPosition(last!)} differs from the first ${formatPosition(first!)}`, {
        where: at,
        first: formatPosition(first!),
        last: formatPosition(last!),
      });
      ok = false;
      return;
    }
    const dedup = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1]![0] || p[1] !== ring[i - 1]![1]);
    if (dedup.length < 4) {
      report('GEO.TOO_FEW_POSITIONS', `${at}: ${dedup.length} distinct positions; a ring needs at least 4 (a triangle, closed)`, { where: at, count: dedup.length });
      ok = false;
      return;
    }
    out.push(dedup);
  });
  return ok ? out : undefined;
}

/**
 * Whether a polygon's rings are simple and apart: no ring crosses or touches itself (OGC simple features), no
 * two rings cross or run along each other (touching at a single point is allowed), each hole lies inside the
 * outer ring. Segments are paired through an R-tree of their boxes, so large rings cost n log n, not n².
 */
function checkSimple(polygon: PolygonCoordinates, where: string, report: Report): boolean {
  const segs: { ring: number; i: number; n: number; a: LonLat; b: LonLat }[] = [];
  polygon.forEach((ring, r) => {
    for (let i = 0; i + 1 < ring.length; i++) segs.push({ ring: r, i, n: ring.length - 1, a: ring[i]!, b: ring[i + 1]! });
  });
  const tree = new Flatbush(segs.length);
  for (const { a, b } of segs) tree.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
  tree.finish();
  for (let s = 0; s < segs.length; s++) {
    const p = segs[s]!;
    const hits = tree.search(Math.min(p.a[0], p.b[0]), Math.min(p.a[1], p.b[1]), Math.max(p.a[0], p.b[0]), Math.max(p.a[1], p.b[1]));
    for (const t of hits) {
      if (t <= s) continue;
      const q = segs[t]!;
      const contact = segmentContact(p.a, p.b, q.a, q.b);
      if (contact === 'none') continue;
      if (p.ring === q.ring) {
        const adjacent = q.i === p.i + 1 || (p.i === 0 && q.i === p.n - 1);
        if (adjacent && contact !== 'overlap') continue;
        const at = formatPosition(contact === 'cross' ? intersectionPoint(p.a, p.b, q.a, q.b) : adjacent ? p.b : q.a);
        report('GEO.SELF_INTERSECTION', `${where}[${p.ring}]: the ring crosses or touches itself near ${at}`, { where: `${where}[${p.ring}]`, at });
        return false;
      }
      if (contact === 'cross' || contact === 'overlap') {
        const at = formatPosition(contact === 'cross' ? intersectionPoint(p.a, p.b, q.a, q.b) : q.a);
        report('GEO.RINGS_CROSS', `${where}: rings ${p.ring} and ${q.ring} cross near ${at}`, { where, ringA: p.ring, ringB: q.ring, at });
        return false;
      }
    }
  }
  const outer = polygon[0]!;
  for (let h = 1; h < polygon.length; h++) {
    const hole = polygon[h]!;
    const probe = hole.find((p) => !outer.some((q) => q[0] === p[0] && q[1] === p[1]));
    if (probe && !polygonContains([outer], probe)) {
      report('GEO.HOLE_OUTSIDE_SHELL', `${where}: hole ${h} lies outside the outer ring`, { where, ring: h });
      return false;
    }
  }
  if (polygonAreaM2(polygon) <= 0) {
    report('GEO.ZERO_AREA', `${where}: the polygon has no area`, { where });
    return false;
  }
  return true;
}

/** Parts of a MultiPolygon must not overlap, or "inside" would be ambiguous. */
function checkPartsApart(polygons: readonly PolygonCoordinates[], report: Report): boolean {
  for (let i = 0; i < polygons.length; i++)
    for (let j = i + 1; j < polygons.length; j++) {
      const shared = polygonClipping.intersection(polygons[i] as polygonClipping.Polygon, polygons[j] as polygonClipping.Polygon);
      const area = areaM2({ type: 'MultiPolygon', coordinates: shared });
      if (area > 0) {
        report('GEO.PARTS_OVERLAP', `polygons ${i} and ${j} of the MultiPolygon overlap by ${area.toFixed(1)} m²`, { partA: i, partB: j, areaM2: Number(area.toFixed(1)) });
        return false;
      }
    }
  return true;
}

function toWgs84(polygons: LonLat[][][], crs: InputCrs): LonLat[][][] {
  if (crs === 'wgs84') return polygons;
  // Converting each distinct position once keeps positions that were shared still shared.
  const memo = new Map<string, LonLat>();
  return polygons.map((polygon) =>
    polygon.map((ring) =>
      ring.map((p) => {
        const k = `${p[0]},${p[1]}`;
        let q = memo.get(k);
        if (!q) memo.set(k, (q = gcj02ToWgs84(p)));
        return q;
      }),
    ),
  );
}

/** Validates one feature's geometry; returns it in WGS-84 with RFC 7946 winding, or undefined after reporting. */
export function readGeometry(raw: unknown, crs: InputCrs, report: Report): BoundaryGeometry | undefined {
  if (!isObject(raw)) {
    report('GEO.MISSING_GEOMETRY', 'the feature has no geometry');
    return undefined;
  }
  const type = raw.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    report('GEO.UNSUPPORTED_GEOMETRY', `geometry type ${String(type)} is not supported; boundaries are Polygon or MultiPolygon`, { type: String(type) });
    return undefined;
  }
  let polygons: LonLat[][][] = [];
  if (type === 'Polygon') {
    const p = readPolygon(raw.coordinates, 'coordinates', report);
    if (!p) return undefined;
    polygons = [p];
  } else {
    if (!Array.isArray(raw.coordinates) || raw.coordinates.length === 0) {
      report('GEO.MALFORMED_COORDINATES', 'expected an array of polygons', { where: 'coordinates' });
      return undefined;
    }
    for (const [i, rawPolygon] of raw.coordinates.entries()) {
      const p = readPolygon(rawPolygon, `coordinates[${i}]`, report);
      if (!p) return undefined;
      polygons.push(p);
    }
  }
  const checked: LonLat[][][] = [];
  let ok = true;
  polygons.forEach((p, i) => {
    const rings = checkRings(p, type === 'Polygon' ? 'coordinates' : `coordinates[${i}]`, report);
    if (rings) checked.push(rings);
    else ok = false;
  });
  if (!ok) return undefined;
  const wgs = toWgs84(checked, crs).map((polygon) => polygon.map((ring, r): Ring => orientRing(ring, r === 0)));
  for (const [i, polygon] of wgs.entries()) if (!checkSimple(polygon, type === 'Polygon' ? 'coordinates' : `coordinates[${i}]`, report)) return undefined;
  if (wgs.length > 1 && !checkPartsApart(wgs, report)) return undefined;
  return withRightHandRule(type === 'Polygon' ? { type: 'Polygon', coordinates: wgs[0]! } : { type: 'MultiPolygon', coordinates: wgs });
}

/**
 * Parses a boundary file: the features that passed, every problem found, and the unit code of every feature
 * that names one (valid or not, so that unknown codes are reported alongside broken geometry).
 */
export function parseBoundaryFile(text: string, options: ParseOptions): { features: ParsedFeature[]; problems: ImportProblem[]; named: { index: number; code: string }[] } {
  const problems: ImportProblem[] = [];
  const fileProblem = (code: string, message: string, params: Record<string, string | number> = {}) =>
    problems.push({ feature: null, unit: null, code, message, params });
  let root: unknown;
  try {
    root = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    fileProblem('GEO.MALFORMED_JSON', `the file is not JSON: ${(e as Error).message}`, { reason: (e as Error).message });
    return { features: [], problems, named: [] };
  }
  if (!isObject(root) || root.type !== 'FeatureCollection' || !Array.isArray(root.features)) {
    fileProblem('GEO.NOT_FEATURE_COLLECTION', 'the file is not a GeoJSON FeatureCollection with a features array');
    return { features: [], problems, named: [] };
  }
  if (root.features.length === 0) {
    fileProblem('GEO.NO_FEATURES', 'the FeatureCollection has no features');
    return { features: [], problems, named: [] };
  }
  const features: ParsedFeature[] = [];
  const named: { index: number; code: string }[] = [];
  const firstIndex = new Map<string, number>();
  root.features.forEach((raw: unknown, index: number) => {
    let unit: string | null = null;
    const report: Report = (code, message, params = {}) =>
      problems.push({ feature: index, unit, code, message: `feature ${index}${unit ? ` (${unit})` : ''}: ${message}`, params: { feature: index, unit: unit ?? '', ...params } });
    if (!isObject(raw) || raw.type !== 'Feature') {
      report('GEO.MALFORMED_FEATURE', 'not a GeoJSON Feature');
      return;
    }
    const value = isObject(raw.properties) ? raw.properties[options.codeProperty] : undefined;
    if ((typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && Number.isFinite(value))) unit = String(value).trim();
    const geometry = readGeometry(raw.geometry, options.crs, report);
    if (unit === null) {
      report('GEO.MISSING_CODE', `no unit code in property "${options.codeProperty}"`, { property: options.codeProperty });
      return;
    }
    const earlier = firstIndex.get(unit);
    if (earlier !== undefined) {
      report('GEO.DUPLICATE_CODE', `unit ${unit} already has a boundary in feature ${earlier}`, { other: earlier });
      return;
    }
    firstIndex.set(unit, index);
    named.push({ index, code: unit });
    if (geometry) features.push({ index, code: unit, geometry });
  });
  return { features, problems, named };
}
