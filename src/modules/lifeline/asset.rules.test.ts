import { describe, expect, it } from 'vitest';
import { parseRules } from './alarm-rule.rules.js';
import { anchorOf, assetFromFields, bboxOfGeometry, geometryProblem, sensorFromFields } from './asset.rules.js';
import { REFERENCE_PROFILES } from './profiles.js';

describe('asset and sensor descriptions', () => {
  it.each([
    ['a point', { type: 'Point', coordinates: [108.39, 31.16] }, null],
    ['a line', { type: 'LineString', coordinates: [[108.39, 31.16], [108.4, 31.17]] }, null],
    ['a closed polygon', { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, null],
    ['a polygon whose ring does not close', { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }, 'a polygon ring must close (first position = last)'],
    ['a line of one position', { type: 'LineString', coordinates: [[108.39, 31.16]] }, 'a line needs at least 2 positions'],
    ['a latitude of 91', { type: 'Point', coordinates: [108, 91] }, 'longitude or latitude out of range'],
    ['a feature collection', { type: 'FeatureCollection', features: [] }, 'geometry must be a Point, LineString, MultiLineString or Polygon'],
    ['text', 'POINT(1 2)', 'not a GeoJSON geometry'],
  ])('geometry: %s', (_, g, expected) => {
    expect(geometryProblem(g)).toBe(expected);
  });

  it('reads a CSV asset row with Chinese kind and risk labels and a path', () => {
    const { spec, problems } = assetFromFields({ code: 'GAS-L1', name: '汉丰燃气中压干管', kind: '燃气管线', owner: 'U-GAS', area: '500154001', risk: '较大', path: '108.39,31.16;108.40,31.17;108.41,31.17' });
    expect(problems).toEqual([]);
    expect(spec).toMatchObject({ kind: 'gas_pipeline', riskLevel: 'high', ownerUnitCode: 'U-GAS', areaUnitCode: '500154001' });
    expect(spec.geometry.type).toBe('LineString');
    expect(bboxOfGeometry(spec.geometry)).toEqual([108.39, 31.16, 108.41, 31.17]);
    expect(anchorOf(spec.geometry)).toEqual([108.4, 31.17]);
  });

  it('reports every problem of a bad row, by field', () => {
    const { problems } = assetFromFields({ code: 'bad code!', name: '', kind: '地铁', owner: '', risk: '极高', lon: '200', lat: '31' });
    expect(problems.map((x) => x.field).sort()).toEqual(['code', 'geometry', 'kind', 'name', 'owner', 'risk']);
  });

  it('reads a sensor row and refuses a range upside down and a bad interval', () => {
    expect(sensorFromFields({ code: 'S1', asset: 'A1', kind: 'gas_detector', quantity: 'methane', profile: 'gas-methane', lon: '108.4', lat: '31.1', interval_seconds: '60' }).problems).toEqual([]);
    const { problems } = sensorFromFields({ code: 'S1', asset: 'A1', kind: 'gas_detector', quantity: 'methane', lon: '108.4', lat: '31.1', interval_seconds: '0', min: '5', max: '1' });
    expect(problems.map((x) => x.field).sort()).toEqual(['interval_seconds', 'max']);
  });

  it('ships reference profiles whose rules are all valid', () => {
    for (const profile of REFERENCE_PROFILES) expect(parseRules(profile.rules), profile.code).toMatchObject({ ok: true });
  });
});
