import { describe, expect, it } from 'vitest';
import { checkRule, verdict, windowStart } from './throttle.rules.js';

describe('fixed-window throttle rules', () => {
  const rule = { limit: 3, windowS: 60 };
  const at = new Date('2026-11-28T04:30:45.500Z');

  it('puts a moment in the window that contains it', () => {
    expect(windowStart(at, 60).toISOString()).toBe('2026-11-28T04:30:00.000Z');
    expect(windowStart(at, 3600).toISOString()).toBe('2026-11-28T04:00:00.000Z');
    expect(windowStart(new Date('2026-11-28T04:31:00.000Z'), 60).toISOString()).toBe('2026-11-28T04:31:00.000Z');
  });

  it.each([
    [1, true, 0],
    [3, true, 0],
    [4, false, 15],
    [100, false, 15],
  ])('hit %i of a limit of 3: allowed %s, retry after %i s', (hits, allowed, retry) => {
    expect(verdict(hits, rule, at)).toEqual({ allowed, hits, retryAfterS: retry });
  });

  it('never asks a refused client to wait zero seconds', () => {
    expect(verdict(4, rule, new Date('2026-11-28T04:30:59.999Z')).retryAfterS).toBe(1);
  });

  it.each([
    [{ limit: 0, windowS: 60 }],
    [{ limit: 1.5, windowS: 60 }],
    [{ limit: 5, windowS: 0 }],
    [{ limit: 5, windowS: 86_401 }],
  ])('refuses the rule %j', (r) => {
    expect(() => checkRule(r)).toThrow(RangeError);
  });
});
