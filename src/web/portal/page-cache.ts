/**
 * Rendered public pages kept in memory for visitors who are not signed in. The key holds the site version (which
 * every change to anything public bumps, in the same transaction), so a cached page is never older than the
 * database: a web process asks for the version (one indexed row) on each request and renders again when it
 * moved. The language and the accessibility choices are part of the key; staff always get a fresh page.
 */
import type { Context, Handler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../context.js';
import { A11Y_COOKIE } from '../components/accessibility.js';

const MAX_ENTRIES = 500;
const MAX_BYTES = 64 * 1024 * 1024;

export interface PageCache {
  wrap(handler: Handler<AppEnv>): Handler<AppEnv>;
  clear(): void;
  readonly size: number;
}

export function createPageCache(): PageCache {
  // Pages are kept encoded, so a hit costs no UTF-8 encoding of a 10–20 KB string.
  const entries = new Map<string, Uint8Array>();
  let bytes = 0;
  const keyOf = (c: Context<AppEnv>) => {
    const url = new URL(c.req.url);
    return `${c.get('site')?.version ?? 0}|${c.get('locale')}|${getCookie(c, A11Y_COOKIE) ?? ''}|${url.pathname}${url.search}`;
  };
  return {
    wrap(handler) {
      return async (c, next) => {
        if (c.req.method !== 'GET' || c.get('actor') || !c.get('site')) return handler(c, next);
        const key = keyOf(c);
        const hit = entries.get(key);
        if (hit !== undefined) {
          // Move to the end: the map's order is the eviction order (least recently used first).
          entries.delete(key);
          entries.set(key, hit);
          return c.body(hit as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'text/html; charset=UTF-8', 'X-Page-Cache': 'hit' });
        }
        const res = await handler(c, next);
        if (res instanceof Response && res.status === 200 && (res.headers.get('content-type') ?? '').startsWith('text/html')) {
          const html = new Uint8Array(await res.clone().arrayBuffer());
          if (html.byteLength < 1_000_000) {
            entries.set(key, html);
            bytes += html.byteLength;
            for (const [k, v] of entries) {
              if (entries.size <= MAX_ENTRIES && bytes <= MAX_BYTES) break;
              entries.delete(k);
              bytes -= v.byteLength;
            }
          }
        }
        return res;
      };
    },
    clear() {
      entries.clear();
      bytes = 0;
    },
    get size() {
      return entries.size;
    },
  };
}
