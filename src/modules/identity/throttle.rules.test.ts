import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../kernel/clock.js';
import { ACCOUNT_THROTTLE, ADDRESS_THROTTLE, UNTOUCHED, activeLock, isStale, minutesUntil, recordFailure, type ThrottleState } from './throttle.rules.js';

const MIN = 60_000;

/** Replays failures at the given minutes after 09:00 and reports the state after each. */
function replay(minutes: readonly number[], policy = ACCOUNT_THROTTLE) {
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  const start = clock.now().getTime();
  let state: ThrottleState = UNTOUCHED;
  const locks: string[] = [];
  for (const m of minutes) {
    clock.set(new Date(start + m * MIN));
    const out = recordFailure(state, clock.now(), policy);
    state = out.state;
    if (out.lockedNow) locks.push(`${m}→${(out.lockedNow.getTime() - start) / MIN}`);
  }
  return { state, locks, at: (m: number) => new Date(start + m * MIN) };
}

describe('account throttle: 5 failures in 15 minutes lock the account for 15 minutes', () => {
  it.each([
    ['four quick failures', [0, 1, 2, 3], []],
    ['five quick failures', [0, 1, 2, 3, 4], ['4→19']],
    ['five failures spread over 14 minutes', [0, 4, 8, 12, 14], ['14→29']],
    ['five failures spread over 20 minutes (the first has left the window)', [0, 5, 10, 15, 20], []],
    ['a sixth failure during the lock starts no second lock', [0, 1, 2, 3, 4, 5], ['4→19']],
    ['five more failures after the lock ended lock again', [0, 1, 2, 3, 4, 20, 21, 22, 23, 24], ['4→19', '24→39']],
    ['one failure after the lock ended does not lock again', [0, 1, 2, 3, 4, 20], ['4→19']],
  ] as const)('%s', (_name, minutes, locks) => {
    expect(replay(minutes).locks).toEqual(locks);
  });

  it('reports the lock as active until its end, and not after', () => {
    const { state, at } = replay([0, 1, 2, 3, 4]);
    expect(activeLock(state, at(4))).toEqual(at(19));
    expect(activeLock(state, at(18.99))).toEqual(at(19));
    expect(activeLock(state, at(19))).toBeUndefined();
  });

  it('keeps no more failure times than the limit', () => {
    const { state } = replay([0, 0.1, 0.2, 0.3, 4, 4.1, 4.2, 4.3, 4.4].map((m) => m + 100), { ...ACCOUNT_THROTTLE, maxFailures: 50 });
    expect(state.failureTimes).toHaveLength(9);
    expect(replay([0, 1, 2, 3]).state.failureTimes).toHaveLength(4);
  });
});

describe('address throttle: a spray across accounts', () => {
  it('locks an address after 30 failures in 15 minutes, not after 29', () => {
    const times = Array.from({ length: 30 }, (_, i) => i * 0.4);
    expect(replay(times.slice(0, 29), ADDRESS_THROTTLE).locks).toEqual([]);
    expect(replay(times, ADDRESS_THROTTLE).locks).toEqual([`${times[29]}→${times[29]! + 15}`]);
  });
});

describe('clean-up and messages', () => {
  it('calls a row stale once its lock and its failures are over', () => {
    const { state, at } = replay([0, 1]);
    expect(isStale(state, at(10), ACCOUNT_THROTTLE)).toBe(false);
    expect(isStale(state, at(16), ACCOUNT_THROTTLE)).toBe(true);
    const locked = replay([0, 1, 2, 3, 4]);
    expect(isStale(locked.state, locked.at(18), ACCOUNT_THROTTLE)).toBe(false);
    expect(isStale(locked.state, locked.at(19), ACCOUNT_THROTTLE)).toBe(true);
  });

  it.each([
    [15 * MIN, 15],
    [14 * MIN + 1, 15],
    [30_000, 1],
    [0, 1],
  ])('rounds %i ms up to %i minute(s)', (ms, minutes) => {
    const now = new Date('2026-03-02T09:00:00Z');
    expect(minutesUntil(new Date(now.getTime() + ms), now)).toBe(minutes);
  });
});
