import { describe, expect, it } from 'vitest';
import { QUANTITIES, QUANTITY_SPECS, canonicalUnit, unitFactor } from './quantity.rules.js';

describe('units of measured quantities', () => {
  it.each([
    ['methane', '%LEL', 1],
    ['methane', 'ppm', 1 / 500],
    ['methane', '%VOL', 20],
    ['pressure', 'MPa', 1000],
    ['pressure', 'kPa', 1],
    ['pressure', 'Pa', 0.001],
    ['flow', 'm3/h', 1],
    ['flow', 'L/s', 3.6],
    ['water_level', 'cm', 0.01],
    ['strain', 'um/m', 1],
    ['strain', 'με', 1],
    ['temperature', '℃', 1],
  ] as const)('converts %s in %s by %d', (q, unit, factor) => {
    expect(unitFactor(q, unit)).toBeCloseTo(factor, 12);
  });

  it.each([
    ['pressure', '%LEL'],
    ['methane', 'kPa'],
    ['water_level', 'm3/h'],
    ['strain', 'mm'],
  ] as const)('refuses %s in %s (a unit of another quantity)', (q, unit) => {
    expect(unitFactor(q, unit)).toBeUndefined();
  });

  it('accepts every quantity’s canonical unit as itself', () => {
    for (const q of QUANTITIES) expect(unitFactor(q, canonicalUnit(q))).toBe(1);
    for (const q of QUANTITIES) expect(QUANTITY_SPECS[q].range[0]).toBeLessThan(QUANTITY_SPECS[q].range[1]);
  });
});
