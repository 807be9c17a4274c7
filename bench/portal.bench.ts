/**
 * bench/portal — how fast the portal serves its two busiest pages, and how much a first visit downloads.
 *
 * 1. Requests per second and p99 latency for the home page and an article page, through the real HTTP server on
 *    the embedded database (a visitor who is not signed in, as almost all are), against the same HTML served as a
 *    static file by the same server in the same run. Rounds alternate page/static so both meet the same machine.
 *    Target: at least half the static-file rate.
 * 2. The bytes of HTML, CSS and JavaScript a first visit to the home page downloads (images excluded).
 *    Target: under 100 KB.
 *
 *   npm run bench:portal [-- --seconds 5 --rounds 3 --connections 16]
 * Ends with one JSON line (the home page's rate against the static file's).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { ROOT, freePort } from '../test/process.js';
import { benchServerReady } from './support.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' }, connections: { type: 'string', default: '16' } } });
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-bench-portal-'));
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/portal-server.ts'], {
  cwd: ROOT,
  env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), DATA_DIR: dataDir, DEMO: 'true', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const ready = await benchServerReady<{ articleId: string; homeBytes: number; articleBytes: number; home: string; article: string }>(child);

interface Figures {
  rps: number;
  p99: number;
}

async function measure(url: string, seconds: number): Promise<Figures> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, pipelining: 1 });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

/** Every request with a new query string: the page cache never hits, so this is the rate of rendering. */
async function measureRendered(url: string, seconds: number): Promise<Figures> {
  let n = 0;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, path: `${new URL(url).pathname}?render=${n++}` }) }],
  });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  const targets = {
    home: `${base}/`,
    homeStatic: `${base}${ready.home}`,
    article: `${base}/articles/${ready.articleId}`,
    articleStatic: `${base}${ready.article}`,
  };
  // Warm-up: JIT, the page cache, connection set-up (the first seconds after start run markedly slower).
  for (const url of Object.values(targets)) await measure(url, 3);
  const runs: Record<keyof typeof targets, Figures[]> = { home: [], homeStatic: [], article: [], articleStatic: [] };
  const keys = Object.keys(targets) as (keyof typeof targets)[];
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with a different target, so no target always runs first.
    for (let k = 0; k < keys.length; k++) {
      const key = keys[(k + round) % keys.length]!;
      runs[key].push(await measure(targets[key], SECONDS));
    }
  }
  const homeRendered = await measureRendered(targets.home, SECONDS);
  const articleRendered = await measureRendered(targets.article, SECONDS);
  const fig = (key: keyof typeof targets) => ({ rps: Math.round(median(runs[key].map((r) => r.rps))), p99: median(runs[key].map((r) => r.p99)) });
  const home = fig('home');
  const homeStatic = fig('homeStatic');
  const article = fig('article');
  const articleStatic = fig('articleStatic');

  // First visit: the home page's HTML and every style sheet and script it links (images are not counted).
  const html = await (await fetch(targets.home)).text();
  const links = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"/g)].map((m) => m[1] ?? m[2]!);
  const sizes = await Promise.all(links.map(async (href) => ({ href, bytes: (await (await fetch(`${base}${href}`)).arrayBuffer()).byteLength })));
  const htmlBytes = Buffer.byteLength(html);
  const css = sizes.filter((s) => s.href.includes('.css')).reduce((a, s) => a + s.bytes, 0);
  const js = sizes.filter((s) => s.href.includes('.js')).reduce((a, s) => a + s.bytes, 0);
  const total = htmlBytes + css + js;

  const line = (name: string, f: Figures, s: Figures) =>
    console.log(`${name.padEnd(14)} ${String(f.rps).padStart(6)} req/s  p99 ${String(f.p99).padStart(4)} ms   static file: ${String(s.rps).padStart(6)} req/s  p99 ${String(s.p99).padStart(4)} ms   ratio ${(f.rps / s.rps).toFixed(2)}`);
  console.log(`bench/portal: ${ROUNDS} rounds × ${SECONDS} s per target, ${CONNECTIONS} connections, embedded database, median round shown`);
  line('home page', home, homeStatic);
  line('article page', article, articleStatic);
  console.log(`rendered every time (page cache bypassed, as for signed-in staff): home ${Math.round(homeRendered.rps)} req/s p99 ${homeRendered.p99} ms; article ${Math.round(articleRendered.rps)} req/s p99 ${articleRendered.p99} ms`);
  console.log(`first visit (home, no images): HTML ${htmlBytes} B + CSS ${css} B + JS ${js} B = ${total} B (${(total / 1024).toFixed(1)} KB; target < 100 KB)`);
  console.log(`targets: page rate ≥ 0.5 × static rate — home ${home.rps / homeStatic.rps >= 0.5 ? 'met' : 'NOT met'}, article ${article.rps / articleStatic.rps >= 0.5 ? 'met' : 'NOT met'}; first visit ${total < 102_400 ? 'met' : 'NOT met'}`);
  console.log(
    JSON.stringify({
      bench: 'portal',
      metric: 'home_page_requests_per_second',
      value: home.rps,
      unit: 'req/s',
      baseline: homeStatic.rps,
      ratio: Math.round((home.rps / homeStatic.rps) * 100) / 100,
    }),
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
