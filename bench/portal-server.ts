/**
 * The server bench/portal measures: the real platform (configuration from the environment, migrations, demo
 * data, the real app and HTTP server), plus two static files holding the very HTML that the home page and an
 * article page render, served by the same server's static-file route as the baseline.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from '../src/app.js';
import { STATIC_DIR, loadAssets } from '../src/web/assets.js';
import { benchServerRuntime } from './support.js';

const { runtime, database } = await benchServerRuntime();
const { config } = runtime;

// Render the two pages once, in process, and keep their HTML as static files.
const probe = createApp(runtime);
const home = await (await probe.request('/')).text();
const articleId = /<a href="\/articles\/(\d+)">/.exec(home)![1]!;
const article = await (await probe.request(`/articles/${articleId}`)).text();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-bench-static-'));
fs.writeFileSync(path.join(dir, 'home.html'), home);
fs.writeFileSync(path.join(dir, 'article.html'), article);
const assets = loadAssets(STATIC_DIR, { 'bench/home.html': { file: path.join(dir, 'home.html') }, 'bench/article.html': { file: path.join(dir, 'article.html') } });

const server = createAdaptorServer({ fetch: createApp(runtime, { assets }).fetch }) as Server;
server.keepAliveTimeout = 5000;
server.listen(config.port, config.host, () => {
  process.stdout.write(`BENCH READY ${JSON.stringify({ articleId, homeBytes: Buffer.byteLength(home), articleBytes: Buffer.byteLength(article), home: assets.url('bench/home.html'), article: assets.url('bench/article.html') })}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void database.close().then(() => process.exit(0));
});
