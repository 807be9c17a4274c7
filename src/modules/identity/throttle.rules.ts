/**
 * Sign-in throttling: after too many failures in a sliding window, a temporary lock. Two counters apply to every
 * attempt: one per account name (guessing one person's password) and one per client address (spraying a common
 * password across many names). NIST SP 800-63B §5.2.2 asks for at most 100 consecutive failures per account;
 * we lock far earlier, for a short time, and let administrators lift a lock. Pure: `now` is passed in.
 */
const MINUTE = 60_000;

export interface ThrottlePolicy {
  /** Failures within `windowMs` that start a lock. */
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockMs: number;
}

/** 5 wrong passwords for one account name within 15 minutes lock it for 15 minutes. */
export const ACCOUNT_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
/**
 * 30 failures from one address within 15 minutes lock the address for 15 minutes. Higher than the account limit
 * because a town office's staff often share one outgoing address.
 */
export const ADDRESS_THROTTLE: ThrottlePolicy = { maxFailures: 30, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };

export type ThrottleScope = 'account' | 'address';
export const THROTTLE_POLICIES: Readonly<Record<ThrottleScope, ThrottlePolicy>> = { account: ACCOUNT_THROTTLE, address: ADDRESS_THROTTLE };

export interface ThrottleState {
  /** Times (epoch ms) of the failures still inside the window, oldest first. */
  readonly failureTimes: readonly number[];
  readonly lockedUntil: Date | null;
}

export const UNTOUCHED: ThrottleState = Object.freeze({ failureTimes: [], lockedUntil: null });

/** The end of the lock in force at `now`, if any. */
export function activeLock(state: ThrottleState, now: Date): Date | undefined {
  return state.lockedUntil && state.lockedUntil.getTime() > now.getTime() ? state.lockedUntil : undefined;
}

export interface FailureOutcome {
  readonly state: ThrottleState;
  /** Set when this failure started a lock (not when one was already in force). */
  readonly lockedNow?: Date;
  /** Failures inside the window after this one (before a new lock clears them). */
  readonly failures: number;
}

/**
 * Records one failure. Failures older than the window fall away; reaching the limit starts a lock and clears
 * the count, so that after the lock the person has the full number of attempts again. A failure that arrives
 * while a lock is in force (it raced with the one that started it) is counted but starts nothing.
 */
export function recordFailure(state: ThrottleState, now: Date, policy: ThrottlePolicy): FailureOutcome {
  const t = now.getTime();
  const recent = [...state.failureTimes.filter((x) => x > t - policy.windowMs), t].slice(-policy.maxFailures);
  const locked = activeLock(state, now);
  if (locked) return { state: { failureTimes: recent, lockedUntil: state.lockedUntil }, failures: recent.length };
  if (recent.length >= policy.maxFailures) {
    const until = new Date(t + policy.lockMs);
    return { state: { failureTimes: [], lockedUntil: until }, lockedNow: until, failures: recent.length };
  }
  return { state: { failureTimes: recent, lockedUntil: null }, failures: recent.length };
}

/** Whether a row can be deleted: no lock in force and no failure inside the window. */
export function isStale(state: ThrottleState, now: Date, policy: ThrottlePolicy): boolean {
  return !activeLock(state, now) && state.failureTimes.every((x) => x <= now.getTime() - policy.windowMs);
}

/** Whole minutes until `until`, at least 1, for "try again in N minutes". */
export function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MINUTE));
}
