/**
 * Loads the signed-in actor from the session cookie, if any. A cookie whose session has ended (12 hours after
 * sign-in, 2 hours idle, signed out elsewhere) or never existed is removed, and the reason kept for the message.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { DomainError } from '../../kernel/errors.js';
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

/** Where a person whose password an administrator chose must go first, and the only staff page open to them. */
export const PASSWORD_CHANGE_PATH = '/workbench/account/password';

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * A signed-in person whose password was chosen by someone else (an administrator's reset, a new account) may do
 * nothing as themselves but replace it, or sign out (which reads the cookie, not the actor):
 * - a staff page is redirected to the password form (GET, HEAD); any other staff request is refused;
 * - the session API is refused (AUTH.PASSWORD_CHANGE_REQUIRED, 403), as JSON, never a redirect to a page;
 * - everywhere else the request goes on as an anonymous visitor's, so a staff route outside these prefixes (the
 *   incident files, say) finds no actor and refuses: the gate fails closed, not open.
 * Runs after `bearer()`, so a machine's token (never a person) is not affected.
 */
export function passwordChangeGate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const actor = c.get('actor');
    if (!actor?.user.passwordChangeRequired) return next();
    const path = c.req.path;
    if (path === PASSWORD_CHANGE_PATH) return next();
    const refuse = () => {
      throw new DomainError('Forbidden', 'AUTH.PASSWORD_CHANGE_REQUIRED', 'Replace the password an administrator set before doing anything else');
    };
    if (under(path, '/api')) return refuse();
    if (under(path, '/workbench')) {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect(PASSWORD_CHANGE_PATH, 303);
      return refuse();
    }
    c.set('actor', undefined);
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
