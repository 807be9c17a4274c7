/** Public portal pages available so far: the home page and the directory of towns. */
import { Hono } from 'hono';
import { TOWN_KINDS } from '../../modules/organization/index.js';
import { pageContext, renderPage } from '../components/layout.js';
import type { AppEnv } from '../context.js';
import { HomePage } from './home.page.js';
import { TownPage, TownsPage } from './towns.page.js';

export function portalRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const towns = await c.get('services').organization.listTowns();
    return renderPage(c, <HomePage ctx={pageContext(c)} towns={towns} />);
  });

  app.get('/towns', async (c) => {
    const towns = await c.get('services').organization.listTowns();
    return renderPage(c, <TownsPage ctx={pageContext(c)} towns={towns} />);
  });

  app.get('/towns/:code{[0-9A-Za-z-]{1,40}}', async (c) => {
    const org = c.get('services').organization;
    const town = await org.getUnitByCode(c.req.param('code'));
    if (!(TOWN_KINDS as readonly string[]).includes(town.kind)) return c.notFound();
    const { parent, children } = await org.getUnitContext(town);
    return renderPage(c, <TownPage ctx={pageContext(c)} town={town} parent={parent} children={children} />);
  });

  return app;
}
