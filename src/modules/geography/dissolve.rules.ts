/**
 * Dissolving polygons that share edges exactly (the same positions on both sides, as the cells of one
 * partition do) into their union, by cancelling every edge that two of them share. Exact by construction: the
 * union's edges are the members' own edges, so a point on the union's border is decided by the same edge at
 * the parent's and the child's level.
 */
import type { BoundaryGeometry, PolygonCoordinates, Ring } from './boundary.js';
import type { LonLat } from './coordinates.js';
import { orientRing, polygonContains, polygonsOf, signedArea2 } from './geometry.rules.js';

/** Numbers each distinct position (exact value, no string conversion: this runs over thousands of cells). */
class PositionIds {
  private readonly byX = new Map<number, Map<number, number>>();
  readonly positions: LonLat[] = [];
  id(p: LonLat): number {
    let byY = this.byX.get(p[0]);
    if (!byY) this.byX.set(p[0], (byY = new Map()));
    let id = byY.get(p[1]);
    if (id === undefined) {
      id = this.positions.length;
      this.positions.push(p);
      byY.set(p[1], id);
    }
    return id;
  }
}

// Directed edge a→b as one number (position ids stay far below 2^26).
const edgeKey = (a: number, b: number) => a * 67108864 + b;

/**
 * The union of geometries that share edges exactly, as a Polygon or MultiPolygon (outer rings
 * counter-clockwise, holes clockwise). Members must not overlap; shared edges must have the same vertices.
 */
export function dissolve(members: readonly BoundaryGeometry[]): BoundaryGeometry {
  const ids = new PositionIds();
  // Directed edges with the interior on the left (outer rings counter-clockwise, holes clockwise), with counts.
  const edges = new Map<number, number>();
  for (const member of members)
    for (const polygon of polygonsOf(member))
      polygon.forEach((raw, r) => {
        const ring = orientRing(raw, r === 0);
        let prev = ids.id(ring[0]!);
        for (let i = 1; i < ring.length; i++) {
          const next = ids.id(ring[i]!);
          if (next === prev) continue;
          const back = edgeKey(next, prev);
          const reverse = edges.get(back);
          if (reverse !== undefined) {
            // An edge shared with a neighbour: interior on both sides, so it is not part of the border.
            if (reverse === 1) edges.delete(back);
            else edges.set(back, reverse - 1);
          } else {
            const k = edgeKey(prev, next);
            edges.set(k, (edges.get(k) ?? 0) + 1);
          }
          prev = next;
        }
      });
  const outgoing = new Map<number, number[]>();
  for (const [k, count] of edges) {
    const from = Math.floor(k / 67108864);
    const to = k - from * 67108864;
    for (let c = 0; c < count; c++) {
      const list = outgoing.get(from);
      if (list) list.push(to);
      else outgoing.set(from, [to]);
    }
  }
  const P = ids.positions;
  const rings: Ring[] = [];
  for (const start of [...outgoing.keys()].sort((a, b) => a - b)) {
    while (outgoing.get(start)?.length) {
      let prev = -1;
      let at = start;
      const ring: LonLat[] = [P[start]!];
      let closed = false;
      for (;;) {
        const options = outgoing.get(at);
        if (!options?.length) break; // an open chain: the members did not share their edges exactly
        let pick = 0;
        if (options.length > 1 && prev >= 0) {
          // Where the border touches itself at a vertex, take the first edge clockwise from the way back, which
          // keeps each ring simple (the interior stays on the left).
          const here = P[at]!;
          const back = Math.atan2(P[prev]![1] - here[1], P[prev]![0] - here[0]);
          let bestTurn = Infinity;
          options.forEach((o, i) => {
            let turn = back - Math.atan2(P[o]![1] - here[1], P[o]![0] - here[0]);
            while (turn <= 0) turn += 2 * Math.PI;
            if (turn < bestTurn) {
              bestTurn = turn;
              pick = i;
            }
          });
        }
        const next = options.splice(pick, 1)[0]!;
        ring.push(P[next]!);
        prev = at;
        at = next;
        if (at === start) {
          closed = true;
          break;
        }
      }
      if (closed && ring.length >= 4) rings.push(ring);
      if (!closed) break;
    }
  }
  const outers = rings.filter((r) => signedArea2(r) > 0);
  const holes = rings.filter((r) => signedArea2(r) < 0);
  const polygons: Ring[][] = outers.map((o) => [o]);
  for (const hole of holes) {
    // The smallest outer ring that contains the hole (a vertex of the hole that is not on the outer ring).
    let best = -1;
    let bestArea = Infinity;
    outers.forEach((outer, i) => {
      const area = signedArea2(outer);
      if (area < bestArea && hole.some((p) => !outer.some((q) => q[0] === p[0] && q[1] === p[1]) && polygonContains([outer], p))) {
        best = i;
        bestArea = area;
      }
    });
    if (best >= 0) polygons[best]!.push(hole);
  }
  const coordinates: PolygonCoordinates[] = polygons;
  return coordinates.length === 1 ? { type: 'Polygon', coordinates: coordinates[0]! } : { type: 'MultiPolygon', coordinates };
}
