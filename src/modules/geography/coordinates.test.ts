import { describe, expect, it } from 'vitest';
import { distanceMeters, gcj02ToWgs84, wgs84ToGcj02 } from './coordinates.js';

describe('GCJ-02 conversion', () => {
  it('moves a point in Kaizhou by a few hundred metres, as the obfuscation does', () => {
    const wgs = [108.393, 31.161] as const; // near 汉丰湖
    const gcj = wgs84ToGcj02(wgs);
    const d = distanceMeters(wgs, gcj);
    expect(d).toBeGreaterThan(100);
    expect(d).toBeLessThan(700);
  });

  it('inverts the forward transform to within a millimetre across the district', () => {
    for (const lon of [107.94, 108.2, 108.41, 108.89]) {
      for (const lat of [30.83, 31.0, 31.27, 31.68]) {
        const back = gcj02ToWgs84(wgs84ToGcj02([lon, lat]));
        expect(distanceMeters([lon, lat], back)).toBeLessThan(0.001);
      }
    }
  });

  it('leaves points outside China unchanged', () => {
    expect(wgs84ToGcj02([-71.06, 42.36])).toEqual([-71.06, 42.36]);
    expect(gcj02ToWgs84([2.35, 48.85])).toEqual([2.35, 48.85]);
  });

  it('measures the distance between two points', () => {
    // One degree of latitude is about 111.2 km.
    expect(distanceMeters([108, 31], [108, 32])).toBeCloseTo(111_195, -2);
  });
});
