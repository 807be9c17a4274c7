/**
 * Per-address limits on public submissions (issue 5 §6). The client's address comes from the socket, or from
 * X-Forwarded-For only when TRUST_PROXY is set (see clientIp in app.ts). Each transport answers a refusal in
 * its own format (a zh-CN page, an Open311 error body), so the caller passes `onLimited`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ThrottleRule, ThrottleVerdict } from '../../modules/throttle/index.js';
import type { AppEnv } from '../context.js';

/** Counts this request against `bucket` for the client's address (and `extraKey`, e.g. an API token id). */
export async function checkThrottle(c: Context<AppEnv>, bucket: string, rule: ThrottleRule, extraKey = ''): Promise<ThrottleVerdict> {
  const key = `${c.get('clientIp') ?? 'unknown'}${extraKey ? `|${extraKey}` : ''}`;
  return c.get('services').throttle.hit(bucket, key, rule);
}

/** A middleware that refuses requests over `rule` with `onLimited` and Retry-After; other methods pass untouched. */
export function throttleByAddress(
  bucket: string,
  rule: ThrottleRule,
  onLimited: (c: Context<AppEnv>, verdict: ThrottleVerdict) => Response | Promise<Response>,
  methods: readonly string[] = ['POST'],
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!methods.includes(c.req.method)) return next();
    const verdict = await checkThrottle(c, bucket, rule);
    if (verdict.allowed) return next();
    c.header('Retry-After', String(verdict.retryAfterS));
    return onLimited(c, verdict);
  };
}
