/**
 * /reports: the public list (and map) of reports whose category the catalogue makes public, and
 * /reports.geojson, the same filter's points for the map. Thin: read the filter, call incidents.listPublic.
 * The page of one report, /reports/{number}, belongs to the public tracking pages.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { MAX_PUBLIC_PAGE, type PublicFilter } from '../../modules/incidents/index.js';
import { pageContext, renderPage } from '../components/layout.js';
import type { AppEnv } from '../context.js';
import { REPORTS_PAGE_SIZE, ReportsPage, reportHref, type ReportsForm } from './reports.page.js';

type C = Context<AppEnv>;

/** The filter as asked, keeping only values that exist (an unknown category or town is dropped, not an error page). */
async function readFilter(c: C) {
  const services = c.get('services');
  const [categories, map] = await Promise.all([services.catalog.list(), services.geography.map()]);
  const visible = categories.filter((x) => x.current.publicVisible && !x.retiredAt);
  const towns = map.towns.map((r) => ({ id: r.unit.id, code: r.unit.code, name: r.unit.name }));
  const category = visible.find((x) => x.code === c.req.query('category'));
  const town = towns.find((x) => x.code === c.req.query('town'));
  const status = c.req.query('status');
  const form: ReportsForm = {
    ...(category ? { category: category.code } : {}),
    ...(status === 'open' || status === 'closed' ? { status } : {}),
    ...(town ? { town: town.code } : {}),
    view: c.req.query('view') === 'map' ? 'map' : 'list',
  };
  const filter: PublicFilter = {
    ...(category ? { categoryId: category.id } : {}),
    ...(form.status ? { status: [form.status] } : {}),
    ...(town ? { townUnitId: town.id } : {}),
  };
  return { form, filter, categories: visible, towns };
}

export function reportsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/reports', async (c) => {
    const { form, filter, categories, towns } = await readFilter(c);
    const raw = Number(c.req.query('page') ?? '1');
    const page = Number.isInteger(raw) && raw >= 1 && raw <= 100_000 ? raw : 1;
    const result = await c.get('services').incidents.listPublic(filter, { limit: REPORTS_PAGE_SIZE, offset: (page - 1) * REPORTS_PAGE_SIZE });
    return renderPage(c, <ReportsPage ctx={pageContext(c)} form={form} categories={categories} towns={towns} result={result} page={page} />);
  });

  app.get('/reports.geojson', async (c) => {
    const { filter } = await readFilter(c);
    const result = await c.get('services').incidents.listPublic(filter, { limit: MAX_PUBLIC_PAGE, offset: 0 });
    const features = result.items
      .filter((r) => r.lon !== null && r.lat !== null)
      .map((r) => ({
        type: 'Feature',
        id: r.number,
        properties: { number: r.number, title: r.title, category: r.categoryName, closed: ['closed', 'rejected', 'merged', 'voided'].includes(r.state), href: reportHref(r.number) },
        geometry: { type: 'Point', coordinates: [Math.round(r.lon! * 1e6) / 1e6, Math.round(r.lat! * 1e6) / 1e6] },
      }));
    c.header('X-Total-Count', String(result.total));
    c.header('Cache-Control', 'public, max-age=30');
    return c.body(JSON.stringify({ type: 'FeatureCollection', features }), 200, { 'Content-Type': 'application/geo+json; charset=utf-8' });
  });
  return app;
}
