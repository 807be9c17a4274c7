/**
 * Static assets (CSS, icons, small scripts) from src/web/static, read once at start and served from memory with
 * a content hash in the address, so browsers may cache them for a year and still never see a stale file.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

interface Asset {
  readonly body: Uint8Array;
  readonly type: string;
  readonly hash: string;
}

export interface Assets {
  /** The cache-busting address of an asset, e.g. /static/app.css?v=1a2b3c4d. */
  url(name: string): string;
  mount(app: Hono<never>): void;
  /** Names and sizes, for the first-visit weight figure in bench/portal. */
  list(): { name: string; bytes: number }[];
}

export const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

function walk(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
}

export function loadAssets(dir = STATIC_DIR, extra: Record<string, { file: string }> = {}): Assets {
  const table = new Map<string, Asset>();
  const add = (name: string, file: string) => {
    const body = fs.readFileSync(file);
    table.set(name, {
      body,
      type: TYPES[path.extname(name)] ?? 'application/octet-stream',
      hash: createHash('sha256').update(body).digest('hex').slice(0, 10),
    });
  };
  for (const name of walk(dir)) add(name, path.join(dir, name));
  for (const [name, { file }] of Object.entries(extra)) add(name, file);
  return {
    url(name) {
      const a = table.get(name);
      if (!a) throw new Error(`Unknown static asset ${name}`);
      return `/static/${name}?v=${a.hash}`;
    },
    mount(app) {
      app.get('/static/:name{.+}', (c) => {
        const a = table.get(c.req.param('name'));
        if (!a) return c.notFound();
        const etag = `"${a.hash}"`;
        const versioned = c.req.query('v') === a.hash;
        const headers = {
          'Content-Type': a.type,
          ETag: etag,
          'Cache-Control': versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
        };
        if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
        return c.body(a.body as Uint8Array<ArrayBuffer>, 200, headers);
      });
    },
    list: () => [...table].map(([name, a]) => ({ name, bytes: a.body.byteLength })),
  };
}
