/** Chooses the interface language: `?lang=` (remembered in a cookie), else the cookie, else Simplified Chinese. */
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { DEFAULT_LOCALE, isLocale, translator } from '../../locales/index.js';
import type { AppEnv } from '../context.js';

export const LOCALE_COOKIE = 'zz_lang';

export function locale(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const asked = c.req.query('lang');
    let chosen = DEFAULT_LOCALE;
    if (isLocale(asked)) {
      chosen = asked;
      setCookie(c, LOCALE_COOKIE, asked, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600 });
    } else {
      const remembered = getCookie(c, LOCALE_COOKIE);
      if (isLocale(remembered)) chosen = remembered;
    }
    c.set('locale', chosen);
    c.set('t', translator(chosen));
    return next();
  };
}
