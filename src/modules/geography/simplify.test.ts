import { describe, expect, it } from 'vitest';
import { districtOutline } from './outline.js';
import { simplifyLine, simplifyRing } from './simplify.js';

describe('simplify', () => {
  it('drops points that lie within the tolerance of a straight line and keeps corners', () => {
    const line = [[0, 0], [1, 0.001], [2, 0], [3, 5], [4, 0]] as const;
    expect(simplifyLine(line, 0.01)).toEqual([[0, 0], [2, 0], [3, 5], [4, 0]]);
  });

  it('keeps a ring closed and at least a triangle', () => {
    const ring = [[0, 0], [1, 0], [1, 1], [0.5, 1.0001], [0, 1], [0, 0]] as const;
    const out = simplifyRing(ring, 0.01);
    expect(out[0]).toEqual(out[out.length - 1]);
    expect(out.length).toBeGreaterThanOrEqual(4);
    expect(out).not.toContainEqual([0.5, 1.0001]);
  });
});

describe('the shipped district outline', () => {
  it('is a closed WGS-84 multipolygon around Kaizhou', () => {
    const f = districtOutline();
    expect(f.properties.code).toBe('500154');
    const ring = f.geometry.coordinates[0]![0]!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    for (const [lon, lat] of ring) {
      expect(lon).toBeGreaterThan(107.9);
      expect(lon).toBeLessThan(108.95);
      expect(lat).toBeGreaterThan(30.8);
      expect(lat).toBeLessThan(31.72);
    }
  });
});
