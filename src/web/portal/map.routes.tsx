/**
 * The public map page and its GeoJSON: /map, /geo/district.geojson, /geo/towns.geojson and, per town,
 * /geo/towns/:code/grids.geojson and /geo/towns/:code/villages.geojson. Boundaries change rarely, so each
 * response carries the boundary revision and unit tree version as its ETag (a revalidation costs no serialisation) and may be cached
 * for a minute; the serialised text is kept per version.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { BoundaryRecord, GeoMap } from '../../modules/geography/index.js';
import { pageContext, renderPage } from '../components/layout.js';
import type { AppEnv } from '../context.js';
import { MapPage } from './map.page.js';

const CODE = '[0-9A-Za-z-]{1,40}';

// 6 decimals is about 0.1 m: plenty for a map, and identical positions stay identical.
const round = (x: number) => Math.round(x * 1e6) / 1e6;

function featureCollection(records: readonly BoundaryRecord[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: records.map((r) => ({
      type: 'Feature',
      id: r.unit.code,
      properties: { code: r.unit.code, name: r.unit.name, kind: r.unit.kind, level: r.level, demo: r.source === 'demo' || r.unit.isDemo },
      geometry:
        r.geometry.type === 'Polygon'
          ? { type: 'Polygon', coordinates: r.geometry.coordinates.map((ring) => ring.map(([x, y]) => [round(x), round(y)])) }
          : { type: 'MultiPolygon', coordinates: r.geometry.coordinates.map((p) => p.map((ring) => ring.map(([x, y]) => [round(x), round(y)]))) },
    })),
  });
}

const serialised = new WeakMap<GeoMap, Map<string, string>>();

function cached(map: GeoMap, key: string, build: () => readonly BoundaryRecord[]): string {
  let byKey = serialised.get(map);
  if (!byKey) serialised.set(map, (byKey = new Map()));
  let text = byKey.get(key);
  if (text === undefined) byKey.set(key, (text = featureCollection(build())));
  return text;
}

async function geojson(c: Context<AppEnv>, key: string, pick: (map: GeoMap) => readonly BoundaryRecord[] | undefined): Promise<Response> {
  const map = await c.get('services').geography.map();
  const etag = `"geo-${map.version}-${key}"`;
  const headers = { 'Cache-Control': 'public, max-age=60', ETag: etag, 'Content-Type': 'application/geo+json; charset=utf-8' };
  if (pick(map) === undefined) return c.notFound();
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
  return c.body(cached(map, key, () => pick(map)!), 200, headers);
}

const townOf = (map: GeoMap, code: string) => map.towns.find((r) => r.unit.code === code);

export function mapRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/map', async (c) => {
    const map = await c.get('services').geography.map();
    const code = c.req.query('town');
    const town = code ? townOf(map, code) : undefined;
    if (code && !town) return c.notFound();
    return renderPage(c, <MapPage ctx={pageContext(c)} map={map} town={town} />);
  });

  app.get('/geo/district.geojson', (c) => geojson(c, 'district', (map) => (map.district ? [map.district] : [])));
  app.get('/geo/towns.geojson', (c) => geojson(c, 'towns', (map) => map.towns));
  app.get(`/geo/towns/:code{${CODE}}/grids.geojson`, (c) => {
    const code = c.req.param('code');
    return geojson(c, `grids-${code}`, (map) => (townOf(map, code) ? map.areasOf(code).grids : undefined));
  });
  app.get(`/geo/towns/:code{${CODE}}/villages.geojson`, (c) => {
    const code = c.req.param('code');
    return geojson(c, `villages-${code}`, (map) => (townOf(map, code) ? map.areasOf(code).villages : undefined));
  });
  return app;
}
