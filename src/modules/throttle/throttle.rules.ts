/**
 * Fixed-window request limits: a client may make `limit` requests per `windowS` seconds in one bucket. Fixed
 * windows cost one upsert per request (no list of times to keep), at the price of letting up to twice the limit
 * through across a window edge, which is acceptable for flood protection (this is not a quota).
 */
export interface ThrottleRule {
  readonly limit: number;
  readonly windowS: number;
}

export interface ThrottleVerdict {
  readonly allowed: boolean;
  /** Hits counted in the current window, this one included. */
  readonly hits: number;
  /** Seconds until the window ends (0 when allowed). */
  readonly retryAfterS: number;
}

/** The start of the fixed window that contains `now`. */
export function windowStart(now: Date, windowS: number): Date {
  const ms = windowS * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/** Whether the `hits`-th request of the window is allowed, and when the client may try again. */
export function verdict(hits: number, rule: ThrottleRule, now: Date): ThrottleVerdict {
  if (hits <= rule.limit) return { allowed: true, hits, retryAfterS: 0 };
  const end = windowStart(now, rule.windowS).getTime() + rule.windowS * 1000;
  return { allowed: false, hits, retryAfterS: Math.max(1, Math.ceil((end - now.getTime()) / 1000)) };
}

/** Rules must be whole, positive numbers: a zero or fractional limit would lock everyone out or nobody. */
export function checkRule(rule: ThrottleRule): void {
  if (!Number.isInteger(rule.limit) || rule.limit < 1 || !Number.isInteger(rule.windowS) || rule.windowS < 1 || rule.windowS > 86_400) {
    throw new RangeError(`Invalid throttle rule ${JSON.stringify(rule)}`);
  }
}
