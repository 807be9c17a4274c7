/** Watched infrastructure (assets), the sensors on it, sensor profiles and device credentials. */
import type { AlarmRule } from './alarm-rule.rules.js';
import type { Quantity } from './quantity.rules.js';

export const ASSET_KINDS = ['gas_pipeline', 'water_pipeline', 'drainage_pipeline', 'bridge', 'utility_tunnel', 'risk_point'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** 风险四色: 重大 (red), 较大 (orange), 一般 (yellow), 低 (blue). */
export const RISK_LEVELS = ['major', 'high', 'medium', 'low'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const SENSOR_KINDS = [
  'gas_detector',
  'pressure_gauge',
  'flow_meter',
  'level_gauge',
  'strain_gauge',
  'displacement_meter',
  'thermometer',
  'accelerometer',
  'inclinometer',
  'rain_gauge',
  'leak_noise_logger',
  'gas_analyzer',
] as const;
export type SensorKind = (typeof SENSOR_KINDS)[number];

export type Position = [number, number];
/** GeoJSON geometry in WGS-84 (RFC 7946), the kinds an asset may have. */
export type Geometry =
  | { readonly type: 'Point'; readonly coordinates: Position }
  | { readonly type: 'LineString'; readonly coordinates: Position[] }
  | { readonly type: 'MultiLineString'; readonly coordinates: Position[][] }
  | { readonly type: 'Polygon'; readonly coordinates: Position[][] };

export interface Asset {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly kind: AssetKind;
  readonly ownerUnitId: number;
  readonly ownerUnitName: string;
  readonly ownerPath: string;
  readonly areaUnitId: number | null;
  readonly areaUnitName: string | null;
  readonly areaPath: string | null;
  readonly riskLevel: RiskLevel;
  readonly geometry: Geometry;
  readonly bbox: readonly [number, number, number, number];
  readonly address: string | null;
  readonly description: string | null;
  readonly isDemo: boolean;
  readonly retiredAt: Date | null;
}

/** An asset as an import or a form describes it. */
export interface AssetSpec {
  readonly code: string;
  readonly name: string;
  readonly kind: AssetKind;
  readonly ownerUnitCode: string;
  readonly areaUnitCode: string | null;
  readonly riskLevel: RiskLevel;
  readonly geometry: Geometry;
  readonly address?: string | null;
  readonly description?: string | null;
}

export interface Sensor {
  readonly id: number;
  readonly code: string;
  readonly assetId: number;
  readonly kind: SensorKind;
  readonly quantity: Quantity;
  readonly unit: string;
  readonly profileId: number;
  readonly profileCode: string;
  readonly lon: number;
  readonly lat: number;
  readonly installedOn: string | null;
  readonly intervalSeconds: number;
  readonly validMin: number | null;
  readonly validMax: number | null;
  readonly baseline: number | null;
  readonly isDemo: boolean;
  readonly retiredAt: Date | null;
}

export interface SensorSpec {
  readonly code: string;
  readonly assetCode: string;
  readonly kind: SensorKind;
  readonly quantity: Quantity;
  readonly profileCode: string;
  readonly lon: number;
  readonly lat: number;
  readonly installedOn: string | null;
  readonly intervalSeconds: number;
  readonly validMin: number | null;
  readonly validMax: number | null;
  readonly baseline: number | null;
}

export interface SensorProfile {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly quantity: Quantity;
  readonly rules: readonly AlarmRule[];
  readonly isReference: boolean;
}

export const CREDENTIAL_KINDS = ['gateway', 'sensor'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export interface Credential {
  readonly id: number;
  readonly key: string;
  readonly name: string;
  readonly kind: CredentialKind;
  readonly unitId: number;
  readonly unitName: string;
  readonly unitPath: string;
  readonly sensorId: number | null;
  readonly sensorCode: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}
