/**
 * Boundaries of units as GeoJSON geometry (RFC 7946: WGS-84 longitude/latitude, outer rings counter-clockwise,
 * holes clockwise), and the answer of the point-to-unit lookup.
 */
import type { LonLat } from './coordinates.js';

export type { BBox } from './outline.js';

/** A closed ring: at least four positions, the last equal to the first. */
export type Ring = readonly LonLat[];
/** One polygon: its outer ring, then its holes. */
export type PolygonCoordinates = readonly Ring[];

export type BoundaryGeometry =
  | { readonly type: 'Polygon'; readonly coordinates: PolygonCoordinates }
  | { readonly type: 'MultiPolygon'; readonly coordinates: readonly PolygonCoordinates[] };

/**
 * The levels of the "141" geography, coarse to fine. `village` covers both 村 (villages) and 社区 (communities),
 * which sit at the same level under a town or street.
 */
export const BOUNDARY_LEVELS = ['district', 'town', 'village', 'grid'] as const;
export type BoundaryLevel = (typeof BOUNDARY_LEVELS)[number];

/** The level of a unit kind, or undefined for kinds that have no area (departments, boards, …). */
export function levelOfKind(kind: string): BoundaryLevel | undefined {
  switch (kind) {
    case 'district':
      return 'district';
    case 'street':
    case 'town':
    case 'township':
      return 'town';
    case 'village':
    case 'community':
      return 'village';
    case 'grid':
      return 'grid';
    default:
      return undefined;
  }
}

/** Where a boundary came from: the shipped district outline, an import from the city's GIS, or the demo generator. */
export const BOUNDARY_SOURCES = ['reference', 'import', 'demo'] as const;
export type BoundarySource = (typeof BOUNDARY_SOURCES)[number];

/** Coordinate systems accepted on import; everything is stored as WGS-84. */
export const INPUT_CRS = ['wgs84', 'gcj02'] as const;
export type InputCrs = (typeof INPUT_CRS)[number];

/** A unit as the lookup names it. */
export interface UnitRef {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly kind: string;
  readonly isDemo: boolean;
}

/**
 * Where a point lies. Outside the district is an answer, not an error. Inside, each level is the unit that
 * contains the point, or null where no boundary of that level covers it (a gap, or a level not imported yet).
 */
export type Placement =
  | { readonly inside: false }
  | { readonly inside: true; readonly town: UnitRef | null; readonly village: UnitRef | null; readonly grid: UnitRef | null };

/** A stored boundary with the unit it belongs to, as the index and the map read it. */
export interface BoundaryRecord {
  readonly unit: UnitRef & { readonly parentId: number | null };
  readonly level: BoundaryLevel;
  readonly geometry: BoundaryGeometry;
  readonly source: BoundarySource;
  readonly areaM2: number;
}
