/**
 * Dissolving polygons that share edges exactly (the same positions on both sides, as the cells of one
 * partition do) into their union, by cancelling every edge that two of them share. Exact by construction: the
 * union's edges are the members' own edges, so a point on the union's border is decided by the same edge at
 * the parent's and the child's level.
 */
import type { BoundaryGeometry, PolygonCoordinates, Ring } from './boundary.js';
import type { LonLat } from './coordinates.js';
import { orientRing, polygonContains, polygonsOf, signedArea2 } from './geometry.rules.js';

const key = (p: LonLat) => `${p[0]},${p[1]}`;

/**
 * The union of geometries that share edges exactly, as a Polygon or MultiPolygon (outer rings
 * counter-clockwise, holes clockwise). Members must not overlap; shared edges must have the same vertices.
 */
export function dissolve(members: readonly BoundaryGeometry[]): BoundaryGeometry {
  // Directed edges with the interior on the left (outer rings counter-clockwise, holes clockwise).
  const edges = new Map<string, { from: LonLat; to: LonLat; count: number }>();
  for (const member of members)
    for (const polygon of polygonsOf(member))
      polygon.forEach((raw, r) => {
        const ring = orientRing(raw, r === 0);
        const keys = ring.map(key);
        for (let i = 0; i + 1 < ring.length; i++) {
          const from = ring[i]!;
          const to = ring[i + 1]!;
          if (keys[i] === keys[i + 1]) continue;
          const back = `${keys[i + 1]}>${keys[i]}`;
          const reverse = edges.get(back);
          if (reverse) {
            // An edge shared with a neighbour: interior on both sides, so it is not part of the border.
            if (--reverse.count === 0) edges.delete(back);
            continue;
          }
          const k = `${keys[i]}>${keys[i + 1]}`;
          const e = edges.get(k);
          if (e) e.count++;
          else edges.set(k, { from, to, count: 1 });
        }
      });
  const outgoing = new Map<string, LonLat[]>();
  for (const { from, to } of edges.values()) {
    const list = outgoing.get(key(from));
    if (list) list.push(to);
    else outgoing.set(key(from), [to]);
  }
  const rings: Ring[] = [];
  for (const { from: start } of edges.values()) {
    if (!outgoing.get(key(start))?.length) continue;
    let prev: LonLat | undefined;
    let at = start;
    const ring: LonLat[] = [start];
    let closed = false;
    for (;;) {
      const options = outgoing.get(key(at));
      if (!options?.length) break; // an open chain: the members did not share their edges exactly
      let pick = 0;
      if (options.length > 1 && prev) {
        // Where the border touches itself at a vertex, take the first edge clockwise from the way back, which
        // keeps each ring simple (the interior stays on the left).
        const back = Math.atan2(prev[1] - at[1], prev[0] - at[0]);
        let bestTurn = Infinity;
        options.forEach((o, i) => {
          let turn = back - Math.atan2(o[1] - at[1], o[0] - at[0]);
          while (turn <= 0) turn += 2 * Math.PI;
          if (turn < bestTurn) {
            bestTurn = turn;
            pick = i;
          }
        });
      }
      const next = options.splice(pick, 1)[0]!;
      ring.push(next);
      prev = at;
      at = next;
      if (at[0] === start[0] && at[1] === start[1]) {
        closed = true;
        break;
      }
    }
    if (closed && ring.length >= 4) rings.push(ring);
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
