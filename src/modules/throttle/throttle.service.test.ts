import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { FakeClock } from '../../kernel/clock.js';
import { createThrottleService } from './throttle.service.js';

describeEachEngine('request throttle', (suite) => {
  const clock = new FakeClock('2026-11-28T04:30:10Z');
  const rule = { limit: 3, windowS: 60 };

  it('lets a client make the limit of requests in a window and refuses the next, with the wait', async () => {
    const throttle = createThrottleService(suite.database, clock);
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push(await throttle.hit('report', '203.0.113.7', rule));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false, false]);
    expect(verdicts[3]).toEqual({ allowed: false, hits: 4, retryAfterS: 50 });
  });

  it('counts clients and buckets apart, and starts afresh in the next window', async () => {
    const throttle = createThrottleService(suite.database, clock);
    for (let i = 0; i < 3; i++) await throttle.hit('track', '198.51.100.1', rule);
    expect((await throttle.hit('track', '198.51.100.1', rule)).allowed).toBe(false);
    expect((await throttle.hit('track', '198.51.100.2', rule)).hits).toBe(1);
    expect((await throttle.hit('rate', '198.51.100.1', rule)).hits).toBe(1);
    clock.advance(60_000);
    expect(await throttle.hit('track', '198.51.100.1', rule)).toEqual({ allowed: true, hits: 1, retryAfterS: 0 });
  });

  it('counts parallel hits exactly, as several web processes would make them', async () => {
    const throttle = createThrottleService(suite.database, clock);
    const verdicts = await Promise.all(Array.from({ length: 20 }, () => throttle.hit('burst', '192.0.2.9', { limit: 10, windowS: 60 })));
    expect(verdicts.map((v) => v.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(10);
  });

  it('stores no client address, only a hash, and purges windows older than a day', async () => {
    const throttle = createThrottleService(suite.database, clock);
    await throttle.hit('privacy', '203.0.113.250', rule);
    const { rows } = await sql<{ key_hash: string }>`select key_hash from request_throttles where bucket = 'privacy'`.execute(suite.database.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key_hash).not.toContain('203.0.113');
    const count = async () => (await sql<{ n: number }>`select count(*)::int as n from request_throttles`.execute(suite.database.db)).rows[0]!.n;
    const before = await count();
    clock.advance(86_400_000 + 120_000);
    expect(await throttle.purge()).toBe(before);
    expect(await count()).toBe(0);
  });
});
