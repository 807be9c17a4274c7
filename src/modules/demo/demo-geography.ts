/**
 * The demo district's geography, generated at seed time from the shipped outline: 40 town areas (one per
 * reference town, the 8 streets together around 汉丰街道, the district seat), 535 villages and communities
 * (Kaizhou's count, ../shared/reference/domain.md §8) and 2,500 grids (§1.7: a grid serves about 500
 * residents). Pure and deterministic: a seeded random generator, so every demo deployment shows the same map.
 *
 * Method. Grid cells are the atoms: 2,500 seed points drawn with a density that is higher around the seat
 * (urban grids are smaller), relaxed twice towards their density-weighted Voronoi centroids, then the Voronoi
 * cells (d3-delaunay) clipped to the outline (polygon-clipping). Positions computed twice for neighbouring
 * cells are snapped together, so that neighbours share their edges exactly. Towns are grown over the cells'
 * adjacency from 40 seeds (k-means by area, the streets pinned around the seat), villages likewise inside each
 * town, and a town's or village's boundary is the dissolved union of its cells — so every level shares its
 * edges with the level below and the point lookup gives one consistent answer on every border.
 * Work happens in a local plane in kilometres (equirectangular at the district's mid-latitude) and is mapped
 * back to longitude/latitude at the end; the outline's own vertices come back bit for bit.
 */
import { Delaunay } from 'd3-delaunay';
import Flatbush from 'flatbush';
import polygonClipping from 'polygon-clipping';
import { bboxOfGeometry, dissolve, polygonContains, type BoundaryGeometry, type LonLat, type PolygonCoordinates } from '../geography/index.js';
import type { TownKind } from '../organization/index.js';

export interface DemoTown {
  readonly code: string;
  readonly name: string;
  readonly kind: TownKind;
}

/** A generated village, community or grid: a unit to create and its boundary. */
export interface DemoArea {
  readonly code: string;
  readonly name: string;
  readonly kind: 'community' | 'village' | 'grid';
  readonly parentCode: string;
  readonly sortOrder: number;
  readonly geometry: BoundaryGeometry;
}

export interface DemoGeography {
  readonly towns: readonly { readonly code: string; readonly geometry: BoundaryGeometry }[];
  readonly villages: readonly DemoArea[];
  readonly grids: readonly DemoArea[];
}

export interface DemoGeographyOptions {
  readonly seed: number;
  readonly grids: number;
  readonly villages: number;
  /** The district seat, around which the streets sit (汉丰街道). */
  readonly seat: LonLat;
}

export const DEMO_GEOGRAPHY_OPTIONS: DemoGeographyOptions = { seed: 20260302, grids: 2500, villages: 535, seat: [108.39, 31.16] };

type XY = readonly [number, number];

/** mulberry32: a small, fast, well-distributed 32-bit generator; the same seed gives the same sequence everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A map keyed by an exact position, without converting numbers to strings (it runs over every vertex). */
class PositionMap<V> {
  private readonly byX = new Map<number, Map<number, V>>();
  get(p: XY): V | undefined {
    return this.byX.get(p[0])?.get(p[1]);
  }
  set(p: XY, v: V): void {
    let byY = this.byX.get(p[0]);
    if (!byY) this.byX.set(p[0], (byY = new Map()));
    byY.set(p[1], v);
  }
}

/** Area (signed, counter-clockwise positive) and centroid of a closed ring in the plane. */
function ringCentroid(ring: readonly XY[]): { area: number; x: number; y: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[i + 1]!;
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  return a === 0 ? { area: 0, x: ring[0]![0], y: ring[0]![1] } : { area: a / 2, x: cx / (3 * a), y: cy / (3 * a) };
}

/** Snaps positions that differ by rounding only (< 1e-7 km) to the first one seen, so neighbours share vertices. */
class Snapper {
  private readonly buckets = new Map<string, XY[]>();
  private static readonly CELL = 1e-7;
  snap(p: XY): XY {
    const bx = Math.floor(p[0] / Snapper.CELL);
    const by = Math.floor(p[1] / Snapper.CELL);
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) {
        const list = this.buckets.get(`${bx + dx},${by + dy}`);
        if (list) for (const q of list) if (Math.abs(q[0] - p[0]) < Snapper.CELL && Math.abs(q[1] - p[1]) < Snapper.CELL) return q;
      }
    const k = `${bx},${by}`;
    const list = this.buckets.get(k);
    if (list) list.push(p);
    else this.buckets.set(k, [p]);
    return p;
  }
}

/** Nearest-seed regions over a graph (multi-source Dijkstra on centroid distances): every region is connected. */
function growRegions(members: readonly number[], seeds: readonly number[], neighbours: readonly (readonly number[])[], centroid: (i: number) => XY): Map<number, number> {
  const allowed = new Set(members);
  const owner = new Map<number, number>();
  const dist = new Map<number, number>();
  // A binary heap of [distance, cell, region], ties broken by cell number so that the result is deterministic.
  type Item = readonly [number, number, number];
  const heap: Item[] = [];
  const less = (a: Item, b: Item) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const push = (item: Item) => {
    let i = heap.push(item) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(item, heap[p]!)) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = item;
  };
  const pop = (): Item => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const c = l + 1 < heap.length && less(heap[l + 1]!, heap[l]!) ? l + 1 : l;
      if (!less(heap[c]!, last)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
    return top;
  };
  seeds.forEach((cell, region) => {
    dist.set(cell, 0);
    push([0, cell, region]);
  });
  while (heap.length) {
    const [d, cell, region] = pop();
    if (owner.has(cell)) continue;
    owner.set(cell, region);
    const [x, y] = centroid(cell);
    for (const n of neighbours[cell]!) {
      if (!allowed.has(n) || owner.has(n)) continue;
      const [nx, ny] = centroid(n);
      const nd = d + Math.hypot(nx - x, ny - y);
      if (nd < (dist.get(n) ?? Infinity)) {
        dist.set(n, nd);
        push([nd, n, region]);
      }
    }
  }
  // Cells the graph cannot reach (an island of the outline) join the nearest seed.
  for (const cell of members)
    if (!owner.has(cell)) {
      const [x, y] = centroid(cell);
      let best = 0;
      let bestD = Infinity;
      seeds.forEach((s, region) => {
        const [sx, sy] = centroid(s);
        const d = Math.hypot(sx - x, sy - y);
        if (d < bestD) {
          bestD = d;
          best = region;
        }
      });
      owner.set(cell, best);
    }
  return owner;
}

/**
 * Chooses `k` seed cells among `members`: farthest-point sampling from the pinned ones, then k-means (weighted)
 * with the pinned seeds held in place; returns distinct cells.
 */
function chooseSeeds(members: readonly number[], k: number, pinned: readonly number[], weight: (i: number) => number, centroid: (i: number) => XY, rand: () => number): number[] {
  const m = members.length;
  const px = new Float64Array(m);
  const py = new Float64Array(m);
  const w = new Float64Array(m);
  members.forEach((cell, i) => {
    [px[i], py[i]] = centroid(cell);
    w[i] = weight(cell);
  });
  const qx = new Float64Array(k);
  const qy = new Float64Array(k);
  let placed = 0;
  for (const cell of pinned) {
    [qx[placed], qy[placed]] = centroid(cell);
    placed++;
  }
  if (placed === 0) {
    const i = Math.floor(rand() * m);
    qx[0] = px[i]!;
    qy[0] = py[i]!;
    placed = 1;
  }
  const minDist = new Float64Array(m).fill(Infinity);
  const relax = (j: number) => {
    for (let i = 0; i < m; i++) minDist[i] = Math.min(minDist[i]!, (px[i]! - qx[j]!) ** 2 + (py[i]! - qy[j]!) ** 2);
  };
  for (let j = 0; j < placed; j++) relax(j);
  for (; placed < k; placed++) {
    let best = 0;
    for (let i = 1; i < m; i++) if (minDist[i]! > minDist[best]!) best = i;
    qx[placed] = px[best]!;
    qy[placed] = py[best]!;
    relax(placed);
  }
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  const sw = new Float64Array(k);
  for (let iter = 0; iter < 8; iter++) {
    sx.fill(0);
    sy.fill(0);
    sw.fill(0);
    for (let i = 0; i < m; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let j = 0; j < k; j++) {
        const d = (px[i]! - qx[j]!) ** 2 + (py[i]! - qy[j]!) ** 2;
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      }
      sx[best] = sx[best]! + px[i]! * w[i]!;
      sy[best] = sy[best]! + py[i]! * w[i]!;
      sw[best] = sw[best]! + w[i]!;
    }
    for (let j = pinned.length; j < k; j++)
      if (sw[j]! > 0) {
        qx[j] = sx[j]! / sw[j]!;
        qy[j] = sy[j]! / sw[j]!;
      }
  }
  // The member cell nearest each position, each cell used once.
  const used = new Uint8Array(m);
  const seeds: number[] = [];
  for (let j = 0; j < k; j++) {
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < m; i++) {
      if (used[i]) continue;
      const d = (px[i]! - qx[j]!) ** 2 + (py[i]! - qy[j]!) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    used[best] = 1;
    seeds.push(members[best]!);
  }
  return seeds;
}

/** Splits `total` into parts proportional to `weights` (largest remainder), each at least `min` and at most `max[i]`. */
function apportion(total: number, weights: readonly number[], min: number, max: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map((e, i) => Math.min(max[i]!, Math.max(min, Math.floor(e))));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  while (left !== 0) {
    let changed = false;
    for (const [, i] of order) {
      if (left > 0 && parts[i]! < max[i]!) {
        parts[i]!++;
        left--;
        changed = true;
      } else if (left < 0 && parts[i]! > min) {
        parts[i]!--;
        left++;
        changed = true;
      }
      if (left === 0) break;
    }
    if (!changed) break;
  }
  return parts;
}

/** Generates the demo geography inside `outline` (WGS-84 polygons) for the given towns. */
export function generateDemoGeography(outline: readonly PolygonCoordinates[], towns: readonly DemoTown[], options: DemoGeographyOptions = DEMO_GEOGRAPHY_OPTIONS): DemoGeography {
  const rand = seededRandom(options.seed);
  const [minLon, minLat, maxLon, maxLat] = bboxOfGeometry({ type: 'MultiPolygon', coordinates: outline });
  const lon0 = (minLon + maxLon) / 2;
  const lat0 = (minLat + maxLat) / 2;
  const kx = 111.32 * Math.cos((lat0 * Math.PI) / 180);
  const ky = 110.574;
  const original = new PositionMap<LonLat>();
  const project = (p: LonLat): XY => [(p[0] - lon0) * kx, (p[1] - lat0) * ky];
  const unproject = (q: XY): LonLat => original.get(q) ?? [lon0 + q[0] / kx, lat0 + q[1] / ky];
  const outlineXY = outline.map((polygon) =>
    polygon.map((ring) =>
      ring.map((p) => {
        const q = project(p);
        original.set(q, p);
        return q;
      }),
    ),
  );
  const inside = (x: number, y: number) => outlineXY.some((polygon) => polygonContains(polygon, [x, y]));
  const [x0, y0] = project([minLon, minLat]);
  const [x1, y1] = project([maxLon, maxLat]);
  const seat = project(options.seat);

  // 1. Seed points, denser around the seat: an urban grid is a fraction of a rural one.
  const density = (x: number, y: number) => 1 + 7 * Math.exp(-((x - seat[0]) ** 2 + (y - seat[1]) ** 2) / (2 * 7 * 7));
  const n = options.grids;
  const points = new Float64Array(n * 2);
  for (let i = 0; i < n; ) {
    const x = x0 + rand() * (x1 - x0);
    const y = y0 + rand() * (y1 - y0);
    if (rand() * 8 > density(x, y) || !inside(x, y)) continue;
    points[2 * i] = x;
    points[2 * i + 1] = y;
    i++;
  }
  const bounds: [number, number, number, number] = [x0 - 1, y0 - 1, x1 + 1, y1 + 1];
  const delaunay = new Delaunay(points);

  // 2. Two rounds of density-weighted Lloyd relaxation: evens out spacing, keeps the urban gradient.
  for (let round = 0; round < 2; round++) {
    const voronoi = delaunay.voronoi(bounds);
    for (let i = 0; i < n; i++) {
      const cell = voronoi.cellPolygon(i) as unknown as XY[] | null;
      if (!cell) continue;
      const px = points[2 * i]!;
      const py = points[2 * i + 1]!;
      let sx = 0;
      let sy = 0;
      let sw = 0;
      for (let j = 0; j + 1 < cell.length; j++) {
        const [ax, ay] = cell[j]!;
        const [bx, by] = cell[j + 1]!;
        const cx = (px + ax + bx) / 3;
        const cy = (py + ay + by) / 3;
        const w = Math.abs((ax - px) * (by - py) - (bx - px) * (ay - py)) * density(cx, cy);
        sx += cx * w;
        sy += cy * w;
        sw += w;
      }
      if (sw > 0 && inside(sx / sw, sy / sw)) {
        points[2 * i] = sx / sw;
        points[2 * i + 1] = sy / sw;
      }
    }
    delaunay.update();
  }

  // 3. Voronoi cells clipped to the outline; only cells near the outline need clipping.
  const voronoi = delaunay.voronoi(bounds);
  const outlineEdges: [XY, XY][] = [];
  for (const polygon of outlineXY) for (const ring of polygon) for (let i = 0; i + 1 < ring.length; i++) outlineEdges.push([ring[i]!, ring[i + 1]!]);
  const edgeTree = new Flatbush(outlineEdges.length);
  for (const [a, b] of outlineEdges) edgeTree.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
  edgeTree.finish();
  const clipTo = outlineXY as unknown as polygonClipping.MultiPolygon;
  const snapper = new Snapper();
  const cells: XY[][][] = []; // per cell: polygons, each one outer ring (clipping a convex cell by a hole-free outline)
  for (let i = 0; i < n; i++) {
    const ring = voronoi.cellPolygon(i) as unknown as XY[];
    let cminX = Infinity;
    let cminY = Infinity;
    let cmaxX = -Infinity;
    let cmaxY = -Infinity;
    for (const [x, y] of ring) {
      cminX = Math.min(cminX, x);
      cminY = Math.min(cminY, y);
      cmaxX = Math.max(cmaxX, x);
      cmaxY = Math.max(cmaxY, y);
    }
    if (edgeTree.search(cminX, cminY, cmaxX, cmaxY).length === 0) {
      // Wholly inside: its vertices are Voronoi vertices, already shared exactly with its neighbours.
      cells.push([ring]);
      continue;
    }
    // Crossing the outline: positions where the outline cuts a shared edge are computed once per cell, so
    // they are snapped together. polygon-clipping returns its input vertices unchanged.
    const parts = polygonClipping.intersection([ring as [number, number][]], clipTo).map((polygon) => polygon[0]!);
    cells.push(
      parts
        .map((part) => {
          const out: XY[] = [];
          for (const p of part) {
            const q = snapper.snap(p);
            const last = out[out.length - 1];
            if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
          }
          return out;
        })
        .filter((r) => r.length >= 4),
    );
  }

  // 4. Adjacency: cells that share an edge (positions numbered by exact value; an edge is a pair of numbers).
  const vertexIds = new PositionMap<number>();
  let vertexCount = 0;
  const vertexId = (p: XY) => {
    let id = vertexIds.get(p);
    if (id === undefined) vertexIds.set(p, (id = vertexCount++));
    return id;
  };
  const edgeOwners = new Map<number, number[]>();
  cells.forEach((polygons, i) => {
    for (const ring of polygons)
      for (let j = 0; j + 1 < ring.length; j++) {
        const a = vertexId(ring[j]!);
        const b = vertexId(ring[j + 1]!);
        const k = a < b ? a * 67108864 + b : b * 67108864 + a;
        const list = edgeOwners.get(k);
        if (!list) edgeOwners.set(k, [i]);
        else if (!list.includes(i)) list.push(i);
      }
  });
  const neighbours: number[][] = cells.map(() => []);
  for (const owners of edgeOwners.values())
    for (const a of owners) for (const b of owners) if (a !== b && !neighbours[a]!.includes(b)) neighbours[a]!.push(b);
  const stats = cells.map((polygons) => {
    let area = 0;
    let sx = 0;
    let sy = 0;
    for (const ring of polygons) {
      const c = ringCentroid(ring);
      area += Math.abs(c.area);
      sx += c.x * Math.abs(c.area);
      sy += c.y * Math.abs(c.area);
    }
    return { area, c: (area > 0 ? [sx / area, sy / area] : [points[0]!, points[1]!]) as XY };
  });
  const centroid = (i: number) => stats[i]!.c;
  const all = cells.map((_, i) => i);

  // 5. Towns: the streets pinned around the seat (汉丰街道 at it), the rest spread by area.
  const nearestCell = (q: XY, exclude: ReadonlySet<number>) => {
    let best = -1;
    let bestD = Infinity;
    for (const i of all) {
      if (exclude.has(i)) continue;
      const d = (stats[i]!.c[0] - q[0]) ** 2 + (stats[i]!.c[1] - q[1]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  };
  const streets = towns.filter((t) => t.kind === 'street');
  const others = towns.filter((t) => t.kind !== 'street');
  const pinned: number[] = [];
  streets.forEach((_, i) => {
    const r = i === 0 ? 0 : 4.5;
    const angle = ((i - 1) / Math.max(1, streets.length - 1)) * 2 * Math.PI;
    pinned.push(nearestCell([seat[0] + r * Math.cos(angle), seat[1] + r * Math.sin(angle)], new Set(pinned)));
  });
  const townSeeds = chooseSeeds(all, towns.length, pinned, (i) => stats[i]!.area, centroid, rand);
  const townOwner = growRegions(all, townSeeds, neighbours, centroid);
  const orderedTowns = [...streets, ...others];
  const cellsOfTown = orderedTowns.map(() => [] as number[]);
  for (const [cell, region] of townOwner) cellsOfTown[region]!.push(cell);
  for (const list of cellsOfTown) list.sort((a, b) => a - b);

  // 6. Villages and communities in each town, by grid count.
  const villageCounts = apportion(
    options.villages,
    cellsOfTown.map((c) => c.length),
    1,
    cellsOfTown.map((c) => c.length),
  );
  const toGeometry = (polygons: readonly XY[][]): BoundaryGeometry => {
    const coords = polygons.map((ring) => [ring.map(unproject)]);
    return coords.length === 1 ? { type: 'Polygon', coordinates: coords[0]! } : { type: 'MultiPolygon', coordinates: coords };
  };
  const gridGeometry = cells.map(toGeometry);
  // North to south, then west to east: the order people read a map in, for numbering.
  const readingOrder = (a: XY, b: XY) => b[1] - a[1] || a[0] - b[0];
  const result: { towns: { code: string; geometry: BoundaryGeometry }[]; villages: DemoArea[]; grids: DemoArea[] } = { towns: [], villages: [], grids: [] };
  orderedTowns.forEach((town, t) => {
    const members = cellsOfTown[t]!;
    const seeds = chooseSeeds(members, villageCounts[t]!, [], () => 1, centroid, rand);
    const owner = growRegions(members, seeds, neighbours, centroid);
    const groups = seeds.map(() => [] as number[]);
    for (const [cell, region] of owner) groups[region]!.push(cell);
    const villageCentroid = (g: number[]) => {
      const a = g.reduce((s, i) => s + stats[i]!.area, 0);
      return [g.reduce((s, i) => s + stats[i]!.c[0] * stats[i]!.area, 0) / a, g.reduce((s, i) => s + stats[i]!.c[1] * stats[i]!.area, 0) / a] as XY;
    };
    groups.sort((a, b) => readingOrder(villageCentroid(a), villageCentroid(b)));
    const isStreet = town.kind === 'street';
    const kind = isStreet ? 'community' : 'village';
    const word = isStreet ? '社区' : '村';
    groups.forEach((group, v) => {
      const number = v + 1;
      const code = `${town.code}-DEMO-V${String(number).padStart(2, '0')}`;
      const baseName = `${town.name}第${number}${word}`;
      result.villages.push({ code, name: `${baseName}（演示）`, kind, parentCode: town.code, sortOrder: number, geometry: dissolve(group.map((i) => gridGeometry[i]!)) });
      [...group]
        .sort((a, b) => readingOrder(centroid(a), centroid(b)))
        .forEach((cell, g) => {
          const gridNumber = g + 1;
          result.grids.push({
            code: `${code}-G${String(gridNumber).padStart(2, '0')}`,
            name: `${baseName}第${gridNumber}网格（演示）`,
            kind: 'grid',
            parentCode: code,
            sortOrder: gridNumber,
            geometry: gridGeometry[cell]!,
          });
        });
    });
    result.towns.push({ code: town.code, geometry: dissolve(members.map((i) => gridGeometry[i]!)) });
  });
  return result;
}
