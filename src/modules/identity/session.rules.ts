/**
 * When a staff session ends: 12 hours after sign-in whatever happens (a working day plus overtime), or after
 * 2 hours without a request (a screen left unlocked in a town office). OWASP's Session Management Cheat Sheet
 * recommends both an absolute and an idle timeout. Pure: `now` is passed in.
 */
const MINUTE = 60_000;

/** Sessions end this long after sign-in. */
export const SESSION_LIFETIME_MS = 12 * 60 * MINUTE;
/** Sessions end after this long without a request. */
export const SESSION_IDLE_MS = 2 * 60 * MINUTE;
/**
 * last_seen_at is written at most this often, so that reads stay reads; the idle limit is therefore exact to
 * within this interval (a session idle for 1 h 55 min may already have ended).
 */
export const TOUCH_INTERVAL_MS = 5 * MINUTE;

export type SessionState = 'live' | 'expired' | 'idle' | 'disabled';

export interface SessionFacts {
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
  readonly userDisabled: boolean;
}

/** Whether a stored session still admits requests at `now`, and if not, why. */
export function sessionState(s: SessionFacts, now: Date): SessionState {
  if (s.userDisabled) return 'disabled';
  if (s.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (now.getTime() - s.lastSeenAt.getTime() >= SESSION_IDLE_MS) return 'idle';
  return 'live';
}

/** Whether this request should move last_seen_at forward. */
export function needsTouch(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= TOUCH_INTERVAL_MS;
}
