/** Coordinate conversion (GCJ-02 input to stored WGS-84) and distances. */
export { distanceMeters, gcj02ToWgs84, insideChina, wgs84ToGcj02, type LonLat } from './coordinates.js';
/** Ring simplification for shipping small outlines. */
export { simplifyLine, simplifyRing } from './simplify.js';
/** The shipped district outline and bounding boxes. */
export { bboxOf, districtOutline, type BBox, type OutlineFeature } from './outline.js';
/** Boundary shapes, levels, sources and the answer of the point lookup. */
export {
  BOUNDARY_LEVELS,
  BOUNDARY_SOURCES,
  INPUT_CRS,
  levelOfKind,
  type BoundaryGeometry,
  type BoundaryLevel,
  type BoundaryRecord,
  type BoundarySource,
  type InputCrs,
  type Placement,
  type PolygonCoordinates,
  type Ring,
  type UnitRef,
} from './boundary.js';
/** Pure plane geometry: areas, bounding boxes, the half-open containment rule, segment contacts. */
export { areaM2, bboxOfGeometry, geometryContains, polygonContains, polygonsOf, withRightHandRule } from './geometry.rules.js';
/** Union of polygons that share their edges exactly. */
export { dissolve } from './dissolve.rules.js';
/** The in-memory point-to-unit index. */
export { BoundaryIndex, EDGE_TOLERANCE_DEG, LevelIndex, type TreeUnit } from './boundary-index.js';
/** Use cases: point lookup, boundary import, generated boundaries, the map's read model. */
export {
  createGeographyService,
  DEFAULT_TOLERANCE_M2,
  REFRESH_MS,
  type BoundaryChange,
  type GeoMap,
  type GeographyDeps,
  type GeographyService,
  type ImportOptions,
  type ImportReport,
} from './geography.service.js';
/** Problems found in a boundary file, and how positions are written in them. */
export { formatPosition, type ImportProblem } from './geojson.rules.js';
/** Table types, for modules whose queries join boundaries. */
export type { GeographyTables } from './boundary.repository.js';
/** Overlaps, gaps and parts outside the parent among boundaries, measured with a polygon clipper. */
export { analyseCoverage, type CoverageReport, type Shape } from './coverage.rules.js';
