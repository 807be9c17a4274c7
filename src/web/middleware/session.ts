/**
 * Loads the signed-in actor from the session cookie, if any. A cookie whose session has ended (12 hours after
 * sign-in, 2 hours idle, signed out elsewhere) or never existed is removed, and the reason kept for the message.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv, Runtime } from '../context.js';

export const SESSION_COOKIE = 'zz_session';
/** The second step of a sign-in (a pending sign-in, not a session), valid for a few minutes on /login only. */
export const PENDING_COOKIE = 'zz_pending';

export function session(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    c.set('actor', undefined);
    c.set('sessionEnded', undefined);
    if (token) {
      const check = await c.get('services').identity.checkSession(token);
      if (check.ok) c.set('actor', check.actor);
      else {
        c.set('sessionEnded', check.ended);
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
      }
    }
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

export function setPendingCookie(c: Context<AppEnv>, runtime: Runtime, token: string, expiresAt: Date): void {
  setCookie(c, PENDING_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/login',
    secure: runtime.config.publicUrl.startsWith('https:'),
    expires: expiresAt,
  });
}

export function clearPendingCookie(c: Context<AppEnv>): void {
  deleteCookie(c, PENDING_COOKIE, { path: '/login' });
}
