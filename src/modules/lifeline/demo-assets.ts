/**
 * The demo district's lifeline, written by this project and marked 演示: pipelines, bridges, a utility tunnel and
 * a risk point around the district seat (汉丰湖), owned by the demo departments and utilities. Positions are
 * approximate (WGS-84) and for orientation only; the simulator (`npm run simulate`) drives these sensors with the
 * demo gateway credential below.
 */
import type { AssetSpec, SensorSpec } from './asset.js';

/** The demo gateway: reports for every sensor of the district (demo deployments only; the secret is public). */
export const DEMO_GATEWAY = { key: 'demo-gateway', name: '演示网关（全区）', secret: 'demo-gateway-Kaizhou-2026', unitCode: '500154' } as const;

const line = (...coords: [number, number][]) => ({ type: 'LineString' as const, coordinates: coords });

const assets: AssetSpec[] = [
  { code: 'GAS-HF-001', name: '汉丰街道燃气中压干管（开州大道段）（演示）', kind: 'gas_pipeline', ownerUnitCode: 'U-GAS', areaUnitCode: '500154001', riskLevel: 'high', geometry: line([108.385, 31.162], [108.394, 31.165], [108.404, 31.166]), address: '开州大道中段' },
  { code: 'GAS-WF-002', name: '文峰街道燃气管网（安康路段）（演示）', kind: 'gas_pipeline', ownerUnitCode: 'U-GAS', areaUnitCode: '500154002', riskLevel: 'medium', geometry: line([108.412, 31.171], [108.421, 31.174]), address: '安康路' },
  { code: 'WAT-HF-001', name: '汉丰街道供水主干管DN600（演示）', kind: 'water_pipeline', ownerUnitCode: 'U-WATER', areaUnitCode: '500154001', riskLevel: 'high', geometry: line([108.379, 31.158], [108.389, 31.16], [108.398, 31.161]), address: '滨湖路' },
  { code: 'WAT-YF-002', name: '云枫街道供水管网（演示）', kind: 'water_pipeline', ownerUnitCode: 'U-WATER', areaUnitCode: '500154003', riskLevel: 'medium', geometry: line([108.367, 31.151], [108.376, 31.155]) },
  { code: 'DRN-HF-001', name: '汉丰湖片区雨水干管（演示）', kind: 'drainage_pipeline', ownerUnitCode: 'D-CGJ', areaUnitCode: '500154001', riskLevel: 'high', geometry: line([108.392, 31.156], [108.399, 31.153], [108.405, 31.151]), address: '汉丰湖东岸' },
  { code: 'DRN-ZD-002', name: '镇东街道易涝点排水管（演示）', kind: 'drainage_pipeline', ownerUnitCode: 'D-CGJ', areaUnitCode: '500154004', riskLevel: 'major', geometry: line([108.431, 31.179], [108.436, 31.182]), address: '镇东下穿通道' },
  { code: 'BRG-HF-001', name: '汉丰湖大桥（演示）', kind: 'bridge', ownerUnitCode: 'D-JTW', areaUnitCode: '500154001', riskLevel: 'major', geometry: line([108.401, 31.159], [108.407, 31.155]) },
  { code: 'BRG-WF-002', name: '南河二桥（演示）', kind: 'bridge', ownerUnitCode: 'D-CGJ', areaUnitCode: '500154002', riskLevel: 'high', geometry: line([108.415, 31.162], [108.418, 31.167]) },
  { code: 'UTN-HF-001', name: '开州大道综合管廊（演示）', kind: 'utility_tunnel', ownerUnitCode: 'D-ZJW', areaUnitCode: '500154001', riskLevel: 'medium', geometry: line([108.383, 31.164], [108.396, 31.168]) },
  { code: 'RSK-BH-001', name: '白鹤街道加气站周边风险点（演示）', kind: 'risk_point', ownerUnitCode: 'D-YJJ', areaUnitCode: '500154006', riskLevel: 'high', geometry: { type: 'Point', coordinates: [108.445, 31.19] } },
];

const sensor = (code: string, assetCode: string, kind: SensorSpec['kind'], quantity: SensorSpec['quantity'], profileCode: string, lon: number, lat: number, intervalSeconds: number, baseline: number | null = null): SensorSpec => ({
  code,
  assetCode,
  kind,
  quantity,
  profileCode,
  lon,
  lat,
  installedOn: '2025-06-30',
  intervalSeconds,
  validMin: null,
  validMax: null,
  baseline,
});

const sensors: SensorSpec[] = [
  sensor('GAS-HF-001-CH4-01', 'GAS-HF-001', 'gas_detector', 'methane', 'gas-methane', 108.387, 31.1625, 30),
  sensor('GAS-HF-001-CH4-02', 'GAS-HF-001', 'gas_detector', 'methane', 'gas-methane', 108.394, 31.165, 30),
  sensor('GAS-HF-001-CH4-03', 'GAS-HF-001', 'gas_detector', 'methane', 'gas-methane', 108.402, 31.1658, 30),
  sensor('GAS-WF-002-CH4-01', 'GAS-WF-002', 'gas_detector', 'methane', 'gas-methane', 108.415, 31.172, 30),
  sensor('GAS-WF-002-CH4-02', 'GAS-WF-002', 'gas_detector', 'methane', 'gas-methane', 108.42, 31.1738, 30),
  sensor('WAT-HF-001-P-01', 'WAT-HF-001', 'pressure_gauge', 'pressure', 'water-pressure', 108.381, 31.1585, 10),
  sensor('WAT-HF-001-P-02', 'WAT-HF-001', 'pressure_gauge', 'pressure', 'water-pressure', 108.392, 31.1603, 10),
  sensor('WAT-HF-001-Q-01', 'WAT-HF-001', 'flow_meter', 'flow', 'water-flow', 108.385, 31.1594, 10, 820),
  sensor('WAT-YF-002-P-01', 'WAT-YF-002', 'pressure_gauge', 'pressure', 'water-pressure', 108.371, 31.153, 10),
  sensor('DRN-HF-001-L-01', 'DRN-HF-001', 'level_gauge', 'water_level', 'drainage-level', 108.395, 31.1548, 60),
  sensor('DRN-HF-001-L-02', 'DRN-HF-001', 'level_gauge', 'water_level', 'drainage-level', 108.403, 31.1518, 60),
  sensor('DRN-ZD-002-L-01', 'DRN-ZD-002', 'level_gauge', 'water_level', 'drainage-level', 108.433, 31.1805, 60),
  sensor('BRG-HF-001-S-01', 'BRG-HF-001', 'strain_gauge', 'strain', 'bridge-strain', 108.403, 31.1578, 1),
  sensor('BRG-HF-001-S-02', 'BRG-HF-001', 'strain_gauge', 'strain', 'bridge-strain', 108.405, 31.1565, 1),
  sensor('BRG-HF-001-D-01', 'BRG-HF-001', 'displacement_meter', 'displacement', 'bridge-displacement', 108.404, 31.157, 10),
  sensor('BRG-WF-002-S-01', 'BRG-WF-002', 'strain_gauge', 'strain', 'bridge-strain', 108.4165, 31.1645, 1),
  sensor('UTN-HF-001-O2-01', 'UTN-HF-001', 'gas_analyzer', 'oxygen', 'tunnel-oxygen', 108.389, 31.166, 60),
  sensor('RSK-BH-001-CH4-01', 'RSK-BH-001', 'gas_detector', 'methane', 'gas-methane', 108.445, 31.19, 30),
];

export const DEMO_LIFELINE = { assets, sensors, gateway: DEMO_GATEWAY } as const;
