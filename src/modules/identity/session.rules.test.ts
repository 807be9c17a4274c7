import { describe, expect, it } from 'vitest';
import { SESSION_IDLE_MS, SESSION_LIFETIME_MS, needsTouch, sessionState } from './session.rules.js';

const MIN = 60_000;
const signIn = new Date('2026-03-02T09:00:00+08:00');
const at = (minutes: number) => new Date(signIn.getTime() + minutes * MIN);
const expiresAt = new Date(signIn.getTime() + SESSION_LIFETIME_MS);

describe('sessionState', () => {
  it.each([
    ['just signed in', 0, 0, false, 'live'],
    ['used a minute ago', 100, 101, false, 'live'],
    ['idle for 1 h 59 min', 0, 119, false, 'live'],
    ['idle for 2 h', 0, 120, false, 'idle'],
    ['active all day, at 11 h 59 min', 700, 719, false, 'live'],
    ['active all day, at 12 h', 719, 720, false, 'expired'],
    ['both past the absolute and the idle limit', 0, 800, false, 'expired'],
    ['its person disabled meanwhile', 0, 1, true, 'disabled'],
  ] as const)('%s: %s', (_name, lastSeen, now, disabled, expected) => {
    expect(sessionState({ lastSeenAt: at(lastSeen), expiresAt, userDisabled: disabled }, at(now))).toBe(expected);
  });

  it('uses a 2-hour idle limit under a 12-hour absolute one', () => {
    expect(SESSION_IDLE_MS).toBe(120 * MIN);
    expect(SESSION_LIFETIME_MS).toBe(720 * MIN);
  });
});

describe('needsTouch', () => {
  it.each([
    [0, false],
    [4.9, false],
    [5, true],
    [60, true],
  ])('after %f minutes: %s', (minutes, expected) => {
    expect(needsTouch(signIn, at(minutes))).toBe(expected);
  });
});
