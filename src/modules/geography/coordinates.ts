/**
 * Coordinate systems. Zhizhi stores WGS-84 (what GPS receivers and GeoJSON, RFC 7946, use). Maps and phones in
 * China often produce GCJ-02, the officially obfuscated system of GB 20263 era map services (AMap, Tencent, and
 * the DataV outlines); such input is converted on the way in. The offset is 100–700 m, enough to put a report
 * in the wrong grid. The forward formula is the widely published one; the inverse is solved by iteration.
 */
export type LonLat = readonly [lon: number, lat: number];

const A = 6378245.0; // Krasovsky 1940 semi-major axis, as used by the GCJ-02 formula
const EE = 0.006693421622965943; // its first eccentricity squared

/** Whether GCJ-02 applies at all: outside (roughly) mainland China it equals WGS-84. */
export function insideChina([lon, lat]: LonLat): boolean {
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

function transformLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function transformLon(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

function offset([lon, lat]: LonLat): [number, number] {
  const dLat0 = transformLat(lon - 105.0, lat - 35.0);
  const dLon0 = transformLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (dLat0 * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (dLon0 * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [dLon, dLat];
}

/** WGS-84 → GCJ-02. */
export function wgs84ToGcj02(p: LonLat): [number, number] {
  if (!insideChina(p)) return [p[0], p[1]];
  const [dLon, dLat] = offset(p);
  return [p[0] + dLon, p[1] + dLat];
}

/** GCJ-02 → WGS-84, iterated until the forward transform reproduces the input within about 1 mm. */
export function gcj02ToWgs84(p: LonLat): [number, number] {
  if (!insideChina(p)) return [p[0], p[1]];
  let lon = p[0];
  let lat = p[1];
  for (let i = 0; i < 30; i++) {
    const [gLon, gLat] = wgs84ToGcj02([lon, lat]);
    const eLon = gLon - p[0];
    const eLat = gLat - p[1];
    lon -= eLon;
    lat -= eLat;
    if (Math.abs(eLon) < 1e-9 && Math.abs(eLat) < 1e-9) break;
  }
  return [lon, lat];
}

/** Great-circle distance in metres (haversine on a sphere of the mean Earth radius). */
export function distanceMeters(a: LonLat, b: LonLat): number {
  const R = 6371008.8;
  const toRad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRad;
  const dLon = (b[0] - a[0]) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
