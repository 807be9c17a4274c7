/**
 * A token bucket per device credential: `ratePerSecond` readings on average with bursts up to `burst`. A device
 * over its budget is slowed down first (its message waits, which through MQTT flow control slows the device),
 * and only refused when it would have to wait longer than `maxWaitMs`: a flooding device is throttled, never
 * allowed to crowd out the others, and the broker keeps running.
 */
export interface Bucket {
  readonly tokens: number;
  readonly at: number;
}

export interface BucketLimits {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly maxWaitMs: number;
}

export type ThrottleDecision = { readonly action: 'go' } | { readonly action: 'wait'; readonly ms: number } | { readonly action: 'refuse' };

export function takeTokens(bucket: Bucket | undefined, now: number, cost: number, limits: BucketLimits): { bucket: Bucket; decision: ThrottleDecision } {
  const start = bucket ?? { tokens: limits.burst, at: now };
  const refilled = Math.min(limits.burst, start.tokens + ((now - start.at) / 1000) * limits.ratePerSecond);
  const left = refilled - cost;
  if (left >= 0) return { bucket: { tokens: left, at: now }, decision: { action: 'go' } };
  const waitMs = Math.ceil((-left / limits.ratePerSecond) * 1000);
  if (waitMs > limits.maxWaitMs) return { bucket: { tokens: refilled, at: now }, decision: { action: 'refuse' } };
  return { bucket: { tokens: left, at: now }, decision: { action: 'wait', ms: waitMs } };
}
