/**
 * The server bench/public-intake measures: the real platform (configuration from the environment, migrations,
 * demo data, the real app and HTTP server). It prints what a load generator needs to act as many citizens who
 * each loaded the form: the signing secret (to issue submission keys and form tokens exactly as the form does),
 * category ids and Open311 service codes, and points inside the district.
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from '../src/app.js';
import { benchServerRuntime } from './support.js';

const { runtime, database, platform } = await benchServerRuntime();
const { config } = runtime;
const { services } = platform;
const categories = (await services.catalog.list()).filter((c) => c.parentId !== null && !c.retiredAt);
// Points inside the district: for each town, the first point of a 5 × 5 lattice over its bounding box that the
// locator places inside the district (many reports, spread over the towns).
const map = await services.geography.map();
const points: [number, number][] = [];
for (const town of map.towns) {
  const coords = JSON.stringify(town.geometry).match(/-?\d+\.\d+/g)!.map(Number);
  const xs = coords.filter((_, i) => i % 2 === 0);
  const ys = coords.filter((_, i) => i % 2 === 1);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  lattice: for (let i = 1; i < 5; i++) {
    for (let j = 1; j < 5; j++) {
      const p: [number, number] = [x0 + ((x1 - x0) * i) / 5, y0 + ((y1 - y0) * j) / 5];
      if ((await services.geography.locate(p)).inside) {
        points.push(p);
        break lattice;
      }
    }
  }
}

const server = createAdaptorServer({ fetch: createApp(runtime).fetch }) as Server;
server.keepAliveTimeout = 5000;
server.listen(config.port, config.host, () => {
  process.stdout.write(
    `BENCH READY ${JSON.stringify({ secret: platform.signingSecret, categoryIds: categories.map((c) => c.id), serviceCodes: categories.filter((c) => c.current.publicVisible && !c.current.attributes?.some((a) => a.required)).map((c) => c.code), points })}\n`,
  );
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void database.close().then(() => process.exit(0));
});
