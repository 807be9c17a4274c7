import { describe, expect, it } from 'vitest';
import { parseTimestamp, readingsOf, validateReading, type SensorRef, type ValidationContext } from './reading.rules.js';

const NOW = Date.parse('2026-03-02T09:00:00+08:00');
const SENSORS: Record<string, SensorRef> = {
  'GAS-1': { id: 1, code: 'GAS-1', quantity: 'methane', validMin: null, validMax: null, retired: false, ownerPath: '/1/50/' },
  'P-1': { id: 2, code: 'P-1', quantity: 'pressure', validMin: 0, validMax: 1600, retired: false, ownerPath: '/1/51/' },
  'OLD-1': { id: 3, code: 'OLD-1', quantity: 'pressure', validMin: null, validMax: null, retired: true, ownerPath: '/1/51/' },
};
const ctx: ValidationContext = {
  now: NOW,
  maxFutureMs: 5 * 60_000,
  maxPastMs: 7 * 86_400_000,
  lookup: (code) => SENSORS[code],
  mayReport: (s) => s.ownerPath.startsWith('/1/5'),
};
const at = (iso: string) => iso;

describe('reading validation', () => {
  it.each([
    ['a reading in the canonical unit', { sensor: 'GAS-1', ts: at('2026-03-02T08:59:00+08:00'), value: 12.5 }, { sensorId: 1, value: 12.5 }],
    ['a value converted from ppm', { sensor: 'GAS-1', ts: at('2026-03-02T00:59:00Z'), value: 5000, unit: 'ppm' }, { sensorId: 1, value: 10 }],
    ['a value converted from MPa', { sensor: 'P-1', ts: NOW - 1000, value: 0.35, unit: 'MPa' }, { sensorId: 2, value: 350 }],
    ['a numeric string', { sensor: 'P-1', ts: NOW, value: '301.5' }, { sensorId: 2, value: 301.5 }],
    ['epoch seconds', { sensor: 'P-1', ts: Math.floor(NOW / 1000), value: 1 }, { sensorId: 2, value: 1 }],
  ])('accepts %s', (_, raw, expected) => {
    const r = validateReading(raw, 0, ctx);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.reading).toMatchObject(expected);
  });

  it.each([
    ['not an object', 'x', 'malformed'],
    ['no sensor', { ts: NOW, value: 1 }, 'malformed'],
    ['an unknown sensor', { sensor: 'NOPE', ts: NOW, value: 1 }, 'unknown_sensor'],
    ['a retired sensor', { sensor: 'OLD-1', ts: NOW, value: 1 }, 'retired_sensor'],
    ['NaN as text', { sensor: 'GAS-1', ts: NOW, value: 'NaN' }, 'not_a_number'],
    ['a missing value', { sensor: 'GAS-1', ts: NOW }, 'not_a_number'],
    ['null as value', { sensor: 'GAS-1', ts: NOW, value: null }, 'not_a_number'],
    ['a unit of another quantity', { sensor: 'GAS-1', ts: NOW, value: 1, unit: 'kPa' }, 'unit_mismatch'],
    ['a value above the quantity’s range', { sensor: 'GAS-1', ts: NOW, value: 101 }, 'out_of_range'],
    ['a value above the sensor’s range', { sensor: 'P-1', ts: NOW, value: 1601 }, 'out_of_range'],
    ['a negative value below the sensor’s range', { sensor: 'P-1', ts: NOW, value: -1 }, 'out_of_range'],
    ['a local time without a zone', { sensor: 'GAS-1', ts: '2026-03-02T09:00:00', value: 1 }, 'bad_timestamp'],
    ['a date that does not exist', { sensor: 'GAS-1', ts: '2026-02-30T09:00:00Z', value: 1 }, 'bad_timestamp'],
    ['text that is no time', { sensor: 'GAS-1', ts: 'yesterday', value: 1 }, 'bad_timestamp'],
    ['a negative epoch', { sensor: 'GAS-1', ts: -5, value: 1 }, 'bad_timestamp'],
    ['a time 6 minutes ahead', { sensor: 'GAS-1', ts: NOW + 6 * 60_000, value: 1 }, 'too_far_future'],
    ['a time 8 days old', { sensor: 'GAS-1', ts: NOW - 8 * 86_400_000, value: 1 }, 'too_old'],
  ])('refuses %s', (_, raw, reason) => {
    const r = validateReading(raw, 3, ctx);
    expect(r.ok ? 'accepted' : r.refusal.reason).toBe(reason);
    if (!r.ok) expect(r.refusal.index).toBe(3);
  });

  it('refuses a sensor the credential may not report for', () => {
    const r = validateReading({ sensor: 'GAS-1', ts: NOW, value: 1 }, 0, { ...ctx, mayReport: () => false });
    expect(r.ok ? 'accepted' : r.refusal.reason).toBe('forbidden_sensor');
  });

  it('takes the sensor of a per-sensor credential when a reading names none', () => {
    const r = validateReading({ ts: NOW, value: 1 }, 0, { ...ctx, impliedSensor: 'P-1' });
    expect(r.ok && r.reading.sensorId).toBe(2);
  });

  it('reads the three payload shapes and refuses others', () => {
    expect(readingsOf({ readings: [1, 2] }, 10)).toEqual({ readings: [1, 2] });
    expect(readingsOf([1], 10)).toEqual({ readings: [1] });
    expect(readingsOf({ sensor: 'a', value: 1 }, 10)).toEqual({ readings: [{ sensor: 'a', value: 1 }] });
    expect(readingsOf({ foo: 1 }, 10)).toEqual({ error: 'malformed' });
    expect(readingsOf([], 10)).toEqual({ error: 'malformed' });
    expect(readingsOf(null, 10)).toEqual({ error: 'malformed' });
    expect(readingsOf([1, 2, 3], 2)).toEqual({ error: 'too_many_readings' });
  });

  it('parses epoch milliseconds, epoch seconds and zoned ISO times to the same instant', () => {
    const ms = Date.parse('2026-03-02T01:00:00Z');
    expect(parseTimestamp(ms)).toBe(ms);
    expect(parseTimestamp(ms / 1000)).toBe(ms);
    expect(parseTimestamp('2026-03-02T09:00:00+08:00')).toBe(ms);
    expect(parseTimestamp('2026-03-02 09:00:00+0800')).toBe(ms);
  });
});
