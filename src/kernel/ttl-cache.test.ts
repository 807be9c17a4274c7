import { describe, expect, it } from 'vitest';
import { ttlCache } from './ttl-cache.js';

describe('ttlCache', () => {
  it('loads once within the time to live, again after it, and never remembers a failure', async () => {
    let t = 0;
    let loads = 0;
    const cache = ttlCache<string, number>(1000, () => t);
    const load = async () => ++loads;
    expect(await cache.get('a', load)).toBe(1);
    t = 999;
    expect(await cache.get('a', load)).toBe(1);
    t = 1000;
    expect(await cache.get('a', load)).toBe(2);
    await expect(cache.get('b', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('b', async () => 7)).toBe(7);
    cache.clear();
    expect(await cache.get('a', load)).toBe(3);
  });
});
