/**
 * bench/public-intake — reports per second and p95 latency through the real HTTP server, each report stored (and
 * committed) before it is acknowledged:
 *   - the portal form (POST /report, as a citizen's browser sends it without JavaScript: form token, a submission
 *     key issued by the server, a category, a place in the district, anonymous), and
 *   - Open311 (POST /open311/v2/requests.json with the demo API key),
 * against a trivial route on the same server (GET /healthz) in the same run. Rounds alternate the three so all
 * meet the same machine; each figure is the median of the rounds. Every request comes from its own address
 * (X-Forwarded-For behind TRUST_PROXY), as many citizens would, so the per-address throttles do not refuse the
 * load; Open311's per-key limit is raised for the run. Target (issue 5): at least 200 reports per second.
 *
 *   npm run bench:public-intake [-- --seconds 6 --rounds 3 --connections 16 --engine postgres|pglite]
 * Ends with one JSON line: the portal form's rate against the trivial route's.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { formToken } from '../src/web/middleware/csrf.js';
import { issueSubmissionKey } from '../src/web/portal/report-signing.js';
import { adminUrlFor } from '../test/db.js';
import { ROOT, freePort } from '../test/process.js';
import { benchServerReady, postgresReachable } from './support.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '6' }, rounds: { type: 'string', default: '3' }, connections: { type: 'string', default: '16' }, engine: { type: 'string', default: 'postgres' } },
});
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let engine = values.engine === 'pglite' ? 'PGlite' : 'PostgreSQL';
let dropDb: (() => Promise<void>) | undefined;
const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DEMO: 'true', LOG_LEVEL: 'warn', TRUST_PROXY: 'true', OPEN311_SUBMISSIONS_PER_KEY: '1000000' };
if (engine === 'PostgreSQL' && (await postgresReachable(PG_URL))) {
  process.env.DATABASE_URL ??= PG_URL;
  const db = await adminUrlFor('zz_bench_public');
  dropDb = db.drop;
  env.DATABASE_URL = db.database;
} else {
  if (engine === 'PostgreSQL') console.log(`(PostgreSQL at ${PG_URL} is unreachable: measuring the embedded engine)`);
  engine = 'PGlite';
}
const port = await freePort();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-bench-public-'));
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/public-intake-server.ts'], { cwd: ROOT, env: { ...env, PORT: String(port), DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'inherit'] });
const ready = await benchServerReady<{ secret: string; categoryIds: number[]; serviceCodes: string[]; points: [number, number][] }>(child);

// A citizen who loaded the form holds its cookie, its form token and a submission key the server issued.
const cookieToken = 'bench-citizen-cookie-0000000001';
const csrf = formToken(ready.secret, cookieToken);
const texts = ['小区门口路灯不亮，晚上出行不便。', '人行道地砖松动，老人容易绊倒。', '垃圾桶满溢，有异味。', '路边有积水，排水不畅。', '公园健身器材损坏。'];
let seq = 0;
let ipSeq = 0;
const address = () => {
  const n = ipSeq++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};
const pick = <T>(xs: readonly T[], i: number) => xs[i % xs.length]!;

type Target = { name: string; request(): { method: string; path: string; headers: Record<string, string>; body?: string }; ok(status: number, body: string): boolean };
const targets: Target[] = [
  {
    name: 'GET /healthz (baseline)',
    request: () => ({ method: 'GET', path: '/healthz', headers: {} }),
    ok: (status) => status === 200,
  },
  {
    name: 'POST /report (portal form)',
    request() {
      const i = seq++;
      const [lon, lat] = pick(ready.points, i);
      const body = new URLSearchParams({
        _csrf: csrf,
        idempotencyKey: issueSubmissionKey(ready.secret),
        website: '',
        crs: 'wgs84',
        categoryId: String(pick(ready.categoryIds, i)),
        description: `${pick(texts, i)}（压测 ${i}）`,
        address: '开州区汉丰街道',
        lon: lon.toFixed(6),
        lat: lat.toFixed(6),
        identity: 'anonymous',
        consent: 'yes',
      }).toString();
      return { method: 'POST', path: '/report', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zz_csrf=${cookieToken}`, 'sec-fetch-site': 'same-origin', 'x-forwarded-for': address() }, body };
    },
    ok: (status, body) => status === 200 && body.includes('KZ'),
  },
  {
    name: 'POST /open311/v2/requests.json',
    request() {
      const i = seq++;
      const [lon, lat] = pick(ready.points, i);
      const body = new URLSearchParams({ api_key: 'demo-key', service_code: pick(ready.serviceCodes, i), lat: lat.toFixed(6), long: lon.toFixed(6), description: `${pick(texts, i)}（Open311 压测 ${i}）` }).toString();
      return { method: 'POST', path: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address() }, body };
    },
    ok: (status, body) => status === 200 && body.includes('service_request_id'),
  },
];

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
function send(r: ReturnType<Target['request']>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    if (r.body) req.end(r.body);
    else req.end();
  });
}

/** Closed loop: CONNECTIONS clients, each sending its next request when the last is answered, for `seconds`. */
async function measure(target: Target, seconds: number): Promise<{ rps: number; p50: number; p95: number }> {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const r = target.request();
        const s = performance.now();
        const res = await send(r);
        latencies.push(performance.now() - s);
        if (!target.ok(res.status, res.body)) throw new Error(`${target.name}: status ${res.status}: ${res.body.slice(0, 300)}`);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
  return { rps: latencies.length / elapsed, p50: at(0.5), p95: at(0.95) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  console.log(`bench/public-intake on ${engine}: ${CONNECTIONS} clients, ${ROUNDS} rounds of ${SECONDS} s per target, load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores\n`);
  for (const t of targets) await measure(t, 2); // warm-up: JIT, caches, prepared statements
  const runs = targets.map(() => [] as { rps: number; p50: number; p95: number }[]);
  for (let round = 0; round < ROUNDS; round++) for (const [i, t] of targets.entries()) runs[i]!.push(await measure(t, SECONDS));
  const figures = runs.map((r) => ({ rps: median(r.map((x) => x.rps)), p50: median(r.map((x) => x.p50)), p95: median(r.map((x) => x.p95)) }));
  console.log('target                              requests/s    p50 ms    p95 ms');
  for (const [i, t] of targets.entries()) {
    const f = figures[i]!;
    console.log(`${t.name.padEnd(34)} ${f.rps.toFixed(0).padStart(12)} ${f.p50.toFixed(1).padStart(9)} ${f.p95.toFixed(1).padStart(9)}`);
  }
  const [base, form, open311] = figures as [(typeof figures)[0], (typeof figures)[0], (typeof figures)[0]];
  console.log(`\ntarget ≥ 200 reports/s: portal form ${form.rps >= 200 ? 'met' : 'NOT met'}, Open311 ${open311.rps >= 200 ? 'met' : 'NOT met'}; load average after ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(
    JSON.stringify({
      bench: 'public-intake',
      metric: `portal_form_reports_per_second_${engine.toLowerCase()} (p95 ${form.p95.toFixed(1)} ms; open311 ${open311.rps.toFixed(0)}/s p95 ${open311.p95.toFixed(1)} ms)`,
      value: Math.round(form.rps),
      unit: 'reports/s',
      baseline: Math.round(base.rps),
      ratio: Math.round((form.rps / base.rps) * 1000) / 1000,
    }),
  );
} finally {
  agent.destroy();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await dropDb?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
