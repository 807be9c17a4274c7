/** Loads the signed-in actor from the session cookie, if any. */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv, Runtime } from '../context.js';

export const SESSION_COOKIE = 'zz_session';

export function session(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    c.set('actor', token ? await c.get('services').identity.resolveSession(token) : undefined);
    if (token && !c.get('actor')) deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return next();
  };
}

export function setSessionCookie(c: Context<AppEnv>, runtime: Runtime, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: runtime.config.publicUrl.startsWith('https:'),
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
