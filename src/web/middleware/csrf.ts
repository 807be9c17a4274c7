/**
 * CSRF protection for form posts, two layers deep:
 * 1. the request must not come from another site (Sec-Fetch-Site, else Origin, compared with our own origin);
 * 2. a form must echo a token derived from an HttpOnly cookie with the server's secret (HMAC), so a cookie
 *    planted by a sibling domain is useless without the secret.
 * Requests that carry a bearer token or target a machine API with its own key (Open311) are exempt: they do
 * not ride on the browser's ambient cookies (the bearer middleware drops the session of a token request). Other
 * Authorization schemes are not: a browser re-sends a proxy's Basic credentials on a cross-site form post.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { DomainError } from '../../kernel/errors.js';
import { randomToken } from '../../kernel/ids.js';
import type { AppEnv, Runtime } from '../context.js';
import { hasBearer } from './bearer.js';

export const CSRF_COOKIE = 'zz_csrf';
export const CSRF_FIELD = '_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export function formToken(secret: string, cookieToken: string): string {
  return createHmac('sha256', secret).update(`csrf:${cookieToken}`).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const refuse = (why: string) => new DomainError('Forbidden', 'REQUEST.CSRF', `Cross-site request refused: ${why}`);

export function csrf(runtime: Runtime, options: { exemptPrefixes: readonly string[] }): MiddlewareHandler<AppEnv> {
  const ownOrigin = new URL(runtime.config.publicUrl).origin;
  const secure = runtime.config.publicUrl.startsWith('https:');
  return async (c, next) => {
    const secret = runtime.signingSecret!;
    let cookieToken = getCookie(c, CSRF_COOKIE);
    if (!cookieToken || cookieToken.length < 20 || cookieToken.length > 100) {
      cookieToken = randomToken(24);
      setCookie(c, CSRF_COOKIE, cookieToken, { httpOnly: true, sameSite: 'Lax', path: '/', secure });
    }
    c.set('csrfToken', formToken(secret, cookieToken));

    if (!UNSAFE.has(c.req.method)) return next();
    if (hasBearer(c.req.header('authorization'))) return next();
    if (options.exemptPrefixes.some((p) => c.req.path.startsWith(p))) return next();

    const site = c.req.header('sec-fetch-site');
    if (site === 'cross-site') throw refuse('Sec-Fetch-Site is cross-site');
    const origin = c.req.header('origin');
    const requestOrigin = new URL(c.req.url).origin;
    if (origin && origin !== 'null' && origin !== ownOrigin && origin !== requestOrigin) throw refuse(`Origin ${origin}`);

    const type = (c.req.header('content-type') ?? '').toLowerCase();
    if (FORM_TYPES.some((t) => type.startsWith(t)) || type === '') {
      let sent: unknown;
      try {
        sent = (await c.req.parseBody())[CSRF_FIELD];
      } catch {
        throw new DomainError('BadRequest', 'REQUEST.MALFORMED_FORM', 'The form body could not be parsed');
      }
      if (typeof sent !== 'string' || !safeEqual(sent, c.get('csrfToken'))) throw refuse('missing or wrong form token');
    }
    return next();
  };
}
