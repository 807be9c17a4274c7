/**
 * Checks of asset and sensor descriptions, and the reading of import rows (CSV columns or GeoJSON feature
 * properties) into them. Pure: unit codes and profiles are resolved by the service afterwards.
 */
import type { FieldProblem } from '../../kernel/errors.js';
import { ASSET_KINDS, RISK_LEVELS, SENSOR_KINDS, type AssetKind, type AssetSpec, type Geometry, type Position, type RiskLevel, type SensorKind, type SensorSpec } from './asset.js';
import { QUANTITIES, type Quantity } from './quantity.rules.js';

export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Chinese labels accepted in imports, beside the codes. */
const ASSET_KIND_ALIASES: Record<string, AssetKind> = {
  燃气管线: 'gas_pipeline',
  燃气管道: 'gas_pipeline',
  供水管线: 'water_pipeline',
  供水管网: 'water_pipeline',
  供水管道: 'water_pipeline',
  排水管线: 'drainage_pipeline',
  排水管网: 'drainage_pipeline',
  排水管道: 'drainage_pipeline',
  桥梁: 'bridge',
  综合管廊: 'utility_tunnel',
  风险点: 'risk_point',
};
const RISK_ALIASES: Record<string, RiskLevel> = {
  重大: 'major',
  红: 'major',
  red: 'major',
  较大: 'high',
  橙: 'high',
  orange: 'high',
  一般: 'medium',
  黄: 'medium',
  yellow: 'medium',
  低: 'low',
  蓝: 'low',
  blue: 'low',
};

export const assetKindOf = (s: string): AssetKind | undefined =>
  (ASSET_KINDS as readonly string[]).includes(s) ? (s as AssetKind) : ASSET_KIND_ALIASES[s.trim()];
export const riskLevelOf = (s: string): RiskLevel | undefined =>
  (RISK_LEVELS as readonly string[]).includes(s) ? (s as RiskLevel) : RISK_ALIASES[s.trim().toLowerCase()] ?? RISK_ALIASES[s.trim()];

type Problem = Omit<FieldProblem, 'path'> & { field: string };
const p = (field: string, code: string, message: string, params?: Record<string, string | number>): Problem => ({ field, code, message, params });

function positionProblem(c: unknown): string | null {
  if (!Array.isArray(c) || c.length < 2 || typeof c[0] !== 'number' || typeof c[1] !== 'number') return 'a position must be [longitude, latitude]';
  const [lon, lat] = c as number[];
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon! < -180 || lon! > 180 || lat! < -90 || lat! > 90) return 'longitude or latitude out of range';
  return null;
}

/** Checks a GeoJSON geometry of an allowed kind; returns the problem, or null when it is sound. */
export function geometryProblem(g: unknown): string | null {
  if (g === null || typeof g !== 'object') return 'not a GeoJSON geometry';
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  const line = (cs: unknown, min: number): string | null => {
    if (!Array.isArray(cs) || cs.length < min) return `a line needs at least ${min} positions`;
    for (const c of cs) {
      const e = positionProblem(c);
      if (e) return e;
    }
    return null;
  };
  switch (type) {
    case 'Point':
      return positionProblem(coordinates);
    case 'LineString':
      return line(coordinates, 2);
    case 'MultiLineString':
      if (!Array.isArray(coordinates) || coordinates.length === 0) return 'a multi-line needs lines';
      for (const l of coordinates) {
        const e = line(l, 2);
        if (e) return e;
      }
      return null;
    case 'Polygon': {
      if (!Array.isArray(coordinates) || coordinates.length === 0) return 'a polygon needs a ring';
      for (const ring of coordinates) {
        const e = line(ring, 4);
        if (e) return e;
        const first = (ring as Position[])[0]!;
        const last = (ring as Position[])[(ring as Position[]).length - 1]!;
        if (first[0] !== last[0] || first[1] !== last[1]) return 'a polygon ring must close (first position = last)';
      }
      return null;
    }
    default:
      return 'geometry must be a Point, LineString, MultiLineString or Polygon';
  }
}

/** All positions of a geometry. */
export function positionsOf(g: Geometry): Position[] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
  }
}

export function bboxOfGeometry(g: Geometry): [number, number, number, number] {
  const ps = positionsOf(g);
  return [Math.min(...ps.map((q) => q[0])), Math.min(...ps.map((q) => q[1])), Math.max(...ps.map((q) => q[0])), Math.max(...ps.map((q) => q[1]))];
}

/** A point to pin the asset on a map: the middle position of its line, or its point. */
export function anchorOf(g: Geometry): Position {
  const ps = positionsOf(g);
  return ps[Math.floor(ps.length / 2)]!;
}

export function checkAssetSpec(s: AssetSpec): Problem[] {
  const out: Problem[] = [];
  if (!CODE_PATTERN.test(s.code ?? '')) out.push(p('code', 'LIFELINE.BAD_CODE', 'a code of letters, digits, - _ . (up to 64)'));
  if (!s.name?.trim() || s.name.length > 200) out.push(p('name', 'field.required', 'a name is required (up to 200 characters)'));
  if (!(ASSET_KINDS as readonly string[]).includes(s.kind)) out.push(p('kind', 'LIFELINE.BAD_ASSET_KIND', `unknown kind ${String(s.kind)}`, { value: String(s.kind) }));
  if (!(RISK_LEVELS as readonly string[]).includes(s.riskLevel)) out.push(p('risk', 'LIFELINE.BAD_RISK_LEVEL', `unknown risk level ${String(s.riskLevel)}`, { value: String(s.riskLevel) }));
  if (!s.ownerUnitCode) out.push(p('owner', 'field.required', 'the owning unit is required'));
  const g = geometryProblem(s.geometry);
  if (g) out.push(p('geometry', 'LIFELINE.BAD_GEOMETRY', g, { reason: g }));
  return out;
}

export function checkSensorSpec(s: SensorSpec): Problem[] {
  const out: Problem[] = [];
  if (!CODE_PATTERN.test(s.code ?? '')) out.push(p('code', 'LIFELINE.BAD_CODE', 'a code of letters, digits, - _ . (up to 64)'));
  if (!s.assetCode) out.push(p('asset', 'field.required', 'the asset is required'));
  if (!(SENSOR_KINDS as readonly string[]).includes(s.kind)) out.push(p('kind', 'LIFELINE.BAD_SENSOR_KIND', `unknown sensor kind ${String(s.kind)}`, { value: String(s.kind) }));
  if (!(QUANTITIES as readonly string[]).includes(s.quantity)) out.push(p('quantity', 'LIFELINE.BAD_QUANTITY', `unknown quantity ${String(s.quantity)}`, { value: String(s.quantity) }));
  const pos = positionProblem([s.lon, s.lat]);
  if (pos) out.push(p('lon', 'LIFELINE.BAD_GEOMETRY', pos, { reason: pos }));
  if (!Number.isInteger(s.intervalSeconds) || s.intervalSeconds < 1 || s.intervalSeconds > 86_400) out.push(p('interval_seconds', 'field.invalid', 'a whole number of seconds, 1 to 86400'));
  if (s.installedOn !== null && !/^\d{4}-\d{2}-\d{2}$/.test(s.installedOn)) out.push(p('installed_on', 'field.invalid', 'a date as YYYY-MM-DD'));
  for (const [field, v] of [['min', s.validMin], ['max', s.validMax], ['baseline', s.baseline]] as const) {
    if (v !== null && !Number.isFinite(v)) out.push(p(field, 'field.invalid', 'a number'));
  }
  if (s.validMin !== null && s.validMax !== null && s.validMin >= s.validMax) out.push(p('max', 'LIFELINE.BAD_RANGE', 'the range’s maximum must exceed its minimum'));
  return out;
}

/** Turns text fields (a CSV row or GeoJSON properties) into a number or null; NaN when present but not a number. */
const num = (v: unknown): number | null => (v === undefined || v === null || v === '' ? null : typeof v === 'number' ? v : Number(String(v).trim()));
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v).trim());

/** A path of `lon,lat;lon,lat;…` as used in CSV files. */
export function parsePath(text: string): Position[] | null {
  const parts = text.split(';').map((s) => s.trim()).filter(Boolean);
  const out: Position[] = [];
  for (const part of parts) {
    const [a, b, ...rest] = part.split(/[,\s]+/);
    if (rest.length || a === undefined || b === undefined) return null;
    out.push([Number(a), Number(b)]);
  }
  return out;
}

/** An asset from import fields: code, name, kind, owner, area, risk, and either lon + lat or path (or a GeoJSON geometry). */
export function assetFromFields(f: Record<string, unknown>, geometry?: unknown): { spec: AssetSpec; problems: Problem[] } {
  const problems: Problem[] = [];
  let g = geometry as Geometry | undefined;
  if (!g) {
    const path = str(f.path);
    if (path) {
      const ps = parsePath(path);
      if (!ps) problems.push(p('path', 'LIFELINE.BAD_GEOMETRY', 'a path is lon,lat;lon,lat;…', { reason: 'lon,lat;lon,lat;…' }));
      else g = ps.length === 1 ? { type: 'Point', coordinates: ps[0]! } : { type: 'LineString', coordinates: ps };
    } else g = { type: 'Point', coordinates: [num(f.lon) ?? Number.NaN, num(f.lat) ?? Number.NaN] };
  }
  const kindText = str(f.kind);
  const riskText = str(f.risk ?? f.risk_level);
  const spec: AssetSpec = {
    code: str(f.code),
    name: str(f.name),
    kind: assetKindOf(kindText) ?? (kindText as AssetKind),
    ownerUnitCode: str(f.owner ?? f.owner_code),
    areaUnitCode: str(f.area ?? f.area_code) || null,
    riskLevel: riskLevelOf(riskText) ?? (riskText as RiskLevel),
    geometry: g ?? { type: 'Point', coordinates: [Number.NaN, Number.NaN] },
    address: str(f.address) || null,
    description: str(f.description) || null,
  };
  return { spec, problems: problems.length ? problems : checkAssetSpec(spec) };
}

/** A sensor from import fields: code, asset, kind, quantity, profile, lon, lat, installed_on, interval_seconds, min, max, baseline. */
export function sensorFromFields(f: Record<string, unknown>, point?: Position): { spec: SensorSpec; problems: Problem[] } {
  const interval = num(f.interval_seconds ?? f.interval);
  const spec: SensorSpec = {
    code: str(f.code),
    assetCode: str(f.asset ?? f.asset_code),
    kind: str(f.kind) as SensorKind,
    quantity: str(f.quantity) as Quantity,
    profileCode: str(f.profile),
    lon: point ? point[0] : (num(f.lon) ?? Number.NaN),
    lat: point ? point[1] : (num(f.lat) ?? Number.NaN),
    installedOn: str(f.installed_on) || null,
    intervalSeconds: interval ?? 60,
    validMin: num(f.min),
    validMax: num(f.max),
    baseline: num(f.baseline),
  };
  return { spec, problems: checkSensorSpec(spec) };
}
