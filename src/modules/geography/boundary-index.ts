/**
 * The point-to-unit index: for each level, a flatbush R-tree over the bounding boxes of polygon parts and a
 * hand-written ray cast over flat typed arrays (../shared/reference/stack.md §10: 1.3–1.6 M points/s, against
 * 138 k/s for PostGIS on the server). Pure and immutable: built from the boundaries in the database, replaced
 * whole when they change.
 *
 * The rule for points on edges and vertices (documented in docs/adr/0100-point-to-unit-lookup.md):
 *  1. A point is tested with the half-open crossing rule (geometry.rules.ts `crosses`), evaluated exactly.
 *     Where polygons share an edge, this assigns a point on it to exactly one of them: the polygon that
 *     contains the points just east of it, or for an east–west edge the points just north of it. A shared
 *     vertex goes to the polygon that contains the points just east and a hair north of it. The answer
 *     depends only on the geometry, so it is the same at every level: a point on a town border that is also a
 *     grid border falls in a grid of the town that received it.
 *  2. A point that rule 1 places in no polygon of a level, but that lies on (within 1e-9°, about 0.1 mm of)
 *     an edge of one, belongs to that polygon: so points on the district's outer boundary, and on the edge of
 *     a gap, count as inside.
 *  3. Should polygons of a level overlap (imports refuse that, but stored data may predate a check), the unit
 *     with the smallest code wins, in rules 1 and 2 alike.
 * The finest level that contains the point decides; coarser levels follow from the unit tree, so the answer
 * is always one consistent chain grid → village or community → town.
 */
import Flatbush from 'flatbush';
import { BOUNDARY_LEVELS, type BoundaryLevel, type BoundaryRecord, type Placement, type UnitRef } from './boundary.js';
import { crosses, polygonsOf, segmentDistance2 } from './geometry.rules.js';

/** How far from an edge a point may lie and still count as on it (rule 2), in degrees: about 0.1 mm. */
export const EDGE_TOLERANCE_DEG = 1e-9;

/** The units of the tree that the chain may pass through, with their parents and levels. */
export interface TreeUnit extends UnitRef {
  readonly parentId: number | null;
}

/** One level's polygons, searchable by point. */
export class LevelIndex {
  readonly entries: readonly BoundaryRecord[];
  private readonly tree: Flatbush | undefined;
  private readonly coords: Float64Array;
  private readonly ringStart: Int32Array;
  private readonly partRingStart: Int32Array;
  private readonly partEntry: Int32Array;
  // Scratch state of the current query, so the search callbacks allocate nothing per point.
  private px = 0;
  private py = 0;
  private best = -1;
  private readonly containsCallback = (part: number) => {
    const entry = this.partEntry[part]!;
    if ((this.best < 0 || entry < this.best) && this.partContains(part, this.px, this.py)) this.best = entry;
    return false;
  };
  // Parts whose box contains the point, and parts whose box only lies within the edge tolerance of it (rule 2).
  private readonly inBox: number[] = [];
  private readonly near: number[] = [];
  private readonly searchCallback = (part: number, x0: number, y0: number, x1: number, y1: number) => {
    if (this.px >= x0 && this.px <= x1 && this.py >= y0 && this.py <= y1) {
      this.inBox.push(part);
      this.containsCallback(part);
    } else this.near.push(part);
    return false;
  };

  /** Builds the index; entries are ordered by unit code, which is what rule 3 relies on. */
  constructor(records: readonly BoundaryRecord[]) {
    this.entries = [...records].sort((a, b) => (a.unit.code < b.unit.code ? -1 : a.unit.code > b.unit.code ? 1 : 0));
    let parts = 0;
    let rings = 0;
    let positions = 0;
    for (const r of this.entries)
      for (const polygon of polygonsOf(r.geometry)) {
        parts++;
        for (const ring of polygon) {
          rings++;
          positions += ring.length;
        }
      }
    this.coords = new Float64Array(positions * 2);
    this.ringStart = new Int32Array(rings + 1);
    this.partRingStart = new Int32Array(parts + 1);
    this.partEntry = new Int32Array(parts);
    this.tree = parts > 0 ? new Flatbush(parts) : undefined;
    let part = 0;
    let ring = 0;
    let k = 0;
    this.entries.forEach((record, entry) => {
      for (const polygon of polygonsOf(record.geometry)) {
        this.partRingStart[part] = ring;
        this.partEntry[part] = entry;
        let minX = Infinity;
        let minY = Infinity;
        let maxX = -Infinity;
        let maxY = -Infinity;
        for (const r of polygon) {
          this.ringStart[ring++] = k / 2;
          for (const [x, y] of r) {
            this.coords[k++] = x;
            this.coords[k++] = y;
            if (x < minX) minX = x;
            if (y < minY) minY = y;
            if (x > maxX) maxX = x;
            if (y > maxY) maxY = y;
          }
        }
        this.tree!.add(minX, minY, maxX, maxY);
        part++;
      }
    });
    this.ringStart[ring] = k / 2;
    this.partRingStart[part] = ring;
    this.tree?.finish();
  }

  get size(): number {
    return this.entries.length;
  }

  private partContains(part: number, px: number, py: number): boolean {
    const c = this.coords;
    let inside = false;
    for (let r = this.partRingStart[part]!, rEnd = this.partRingStart[part + 1]!; r < rEnd; r++) {
      const end = this.ringStart[r + 1]! - 1;
      for (let i = this.ringStart[r]!; i < end; i++) {
        const j = i * 2;
        if (crosses(c[j]!, c[j + 1]!, c[j + 2]!, c[j + 3]!, px, py)) inside = !inside;
      }
    }
    return inside;
  }

  private partTouches(part: number, px: number, py: number): boolean {
    const c = this.coords;
    const t2 = EDGE_TOLERANCE_DEG * EDGE_TOLERANCE_DEG;
    for (let r = this.partRingStart[part]!, rEnd = this.partRingStart[part + 1]!; r < rEnd; r++) {
      const end = this.ringStart[r + 1]! - 1;
      for (let i = this.ringStart[r]!; i < end; i++) {
        const j = i * 2;
        if (segmentDistance2(c[j]!, c[j + 1]!, c[j + 2]!, c[j + 3]!, px, py) <= t2) return true;
      }
    }
    return false;
  }

  /** The index in `entries` of the polygon containing the point under rules 1–3, or -1. */
  find(px: number, py: number): number {
    if (!this.tree) return -1;
    this.px = px;
    this.py = py;
    this.best = -1;
    this.inBox.length = 0;
    this.near.length = 0;
    // One traversal: parts whose box contains the point are tested at once (rule 1); parts whose box is merely
    // within the tolerance are kept for rule 2, which also revisits the first kind.
    const t = EDGE_TOLERANCE_DEG;
    this.tree.search(px - t, py - t, px + t, py + t, this.searchCallback);
    if (this.best >= 0) return this.best;
    for (const part of this.inBox) this.touch(part);
    for (const part of this.near) this.touch(part);
    return this.best;
  }

  private touch(part: number): void {
    const entry = this.partEntry[part]!;
    if ((this.best < 0 || entry < this.best) && this.partTouches(part, this.px, this.py)) this.best = entry;
  }

  /** The index of the containing polygon by rule 1 alone (for comparing with other methods). */
  findStrict(px: number, py: number): number {
    if (!this.tree) return -1;
    this.px = px;
    this.py = py;
    this.best = -1;
    this.tree.search(px, py, px, py, this.containsCallback);
    return this.best;
  }
}

/** The whole lookup: one LevelIndex per level and the unit tree that links them. */
export class BoundaryIndex {
  readonly levels: Readonly<Record<BoundaryLevel, LevelIndex>>;
  private readonly units: ReadonlyMap<number, TreeUnit>;

  constructor(records: readonly BoundaryRecord[], units: readonly TreeUnit[]) {
    const byLevel = Object.fromEntries(BOUNDARY_LEVELS.map((l) => [l, [] as BoundaryRecord[]])) as Record<BoundaryLevel, BoundaryRecord[]>;
    for (const r of records) byLevel[r.level].push(r);
    this.levels = Object.fromEntries(BOUNDARY_LEVELS.map((l) => [l, new LevelIndex(byLevel[l])])) as Record<BoundaryLevel, LevelIndex>;
    const map = new Map<number, TreeUnit>();
    for (const u of units) map.set(u.id, u);
    for (const r of records) if (!map.has(r.unit.id)) map.set(r.unit.id, r.unit);
    this.units = map;
  }

  /** Where a WGS-84 point lies: the grid, village or community and town containing it, or outside the district. */
  locate(lon: number, lat: number): Placement {
    for (const level of ['grid', 'village', 'town'] as const) {
      const index = this.levels[level];
      const found = index.find(lon, lat);
      if (found >= 0) return this.chain(index.entries[found]!.unit);
    }
    const district = this.levels.district;
    if (district.size > 0 && district.find(lon, lat) >= 0) return { inside: true, town: null, village: null, grid: null };
    return { inside: false };
  }

  private chain(unit: TreeUnit): Placement {
    const found: { town: UnitRef | null; village: UnitRef | null; grid: UnitRef | null } = { town: null, village: null, grid: null };
    const seen = new Set<number>();
    for (let u: TreeUnit | undefined = unit; u && !seen.has(u.id); u = u.parentId === null ? undefined : this.units.get(u.parentId)) {
      seen.add(u.id);
      const ref: UnitRef = { id: u.id, code: u.code, name: u.name, kind: u.kind, isDemo: u.isDemo };
      if (u.kind === 'grid') found.grid ??= ref;
      else if (u.kind === 'village' || u.kind === 'community') found.village ??= ref;
      else if (u.kind === 'street' || u.kind === 'town' || u.kind === 'township') found.town ??= ref;
    }
    return { inside: true, ...found };
  }
}
