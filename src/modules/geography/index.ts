/** Coordinate conversion (GCJ-02 input to stored WGS-84) and distances. */
export { distanceMeters, gcj02ToWgs84, insideChina, wgs84ToGcj02, type LonLat } from './coordinates.js';
/** Ring simplification for shipping small outlines. */
export { simplifyLine, simplifyRing } from './simplify.js';
/** The shipped district outline and bounding boxes. */
export { bboxOf, districtOutline, type BBox, type OutlineFeature } from './outline.js';
