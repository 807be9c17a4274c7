import { describe, expect, it } from 'vitest';
import { takeTokens, type Bucket } from './throttle.rules.js';

const LIMITS = { ratePerSecond: 100, burst: 200, maxWaitMs: 1000 };

describe('device throttling', () => {
  it.each([
    ['a fresh device within its burst goes at once', undefined, 0, 150, 'go'],
    ['a device over its burst waits for the missing tokens', { tokens: 10, at: 0 }, 0, 60, 'wait 500'],
    ['a device that would wait over the limit is refused', { tokens: 0, at: 0 }, 0, 150, 'refuse'],
    ['tokens come back with time', { tokens: 0, at: 0 }, 1000, 100, 'go'],
    ['the bucket never fills beyond the burst', { tokens: 0, at: 0 }, 60_000, 250, 'wait 500'],
  ] as [string, Bucket | undefined, number, number, string][])('%s', (_, bucket, now, cost, expected) => {
    const { decision } = takeTokens(bucket, now, cost, LIMITS);
    expect(decision.action === 'wait' ? `wait ${decision.ms}` : decision.action).toBe(expected);
  });

  it('does not charge a refused message, so the device recovers once it slows down', () => {
    const refused = takeTokens({ tokens: 50, at: 0 }, 0, 500, LIMITS);
    expect(refused.decision.action).toBe('refuse');
    expect(refused.bucket.tokens).toBe(50);
    expect(takeTokens(refused.bucket, 0, 50, LIMITS).decision.action).toBe('go');
  });

  it('lets a flood through at no more than the configured rate on average', () => {
    let bucket: Bucket | undefined;
    let now = 0;
    let sent = 0;
    // A device trying 1,000 readings every 100 ms for 10 s.
    for (let i = 0; i < 100; i++, now += 100) {
      const r = takeTokens(bucket, now, 1000, LIMITS);
      bucket = r.bucket;
      if (r.decision.action !== 'refuse') sent += 1000;
    }
    expect(sent).toBeLessThanOrEqual(LIMITS.burst + 10 * LIMITS.ratePerSecond + 1000);
  });
});
