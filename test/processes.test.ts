/**
 * The platform as processes: the embedded directory lock, configuration errors, an unreachable database, and
 * two web processes plus a worker sharing one PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { adminUrlFor } from './db.js';
import { DEMO_CASES } from '../src/modules/demo/demo-incidents.js';
import { FIRST_START_TIMEOUT_MS, freePort, run, waitForHttp, type Running } from './process.js';

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
});
const start = (args: string[], env: Record<string, string>) => {
  const p = run(args, env);
  running.push(p);
  return p;
};
const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'zz-proc-'));

describe('processes', () => {
  it('refuses a second process on an embedded database directory that is in use, and releases it on SIGTERM', async () => {
    const dataDir = tmpDir();
    const a = start(['start'], { ROLE: 'worker', DATA_DIR: dataDir });
    await a.waitFor(/"msg":"ready"/, 90_000);
    const b = start(['migrate'], { DATA_DIR: dataDir });
    expect(await b.exited()).toBe(1);
    expect(b.output()).toMatch(/embedded database is in use by another process \(pid \d+/);
    expect(await a.stop('SIGTERM')).toBe(0);
    expect(a.output()).toContain('"msg":"stopped"');
    expect(fs.existsSync(path.join(dataDir, 'pg.lock'))).toBe(false);
    // Reopened after the first process ended, the data are still there and the migrations are current.
    const c = start(['migrate', '--status'], { DATA_DIR: dataDir });
    expect(await c.exited()).toBe(0);
    expect(c.output()).toMatch(/applied\s+0001_create_extensions/);
    expect(c.output()).not.toMatch(/^pending /m); // a status line, not a migration whose name says pending
  }, 120_000);

  it('exits 1 on invalid configuration, listing every problem', async () => {
    const p = start(['start'], { PORT: 'x', ROLE: 'boss', LOG_LEVEL: 'loud' });
    expect(await p.exited()).toBe(1);
    for (const key of ['PORT', 'ROLE', 'LOG_LEVEL']) expect(p.output()).toContain(key);
    expect(p.output()).toContain('.env.example');
  });

  it('keeps answering /healthz and reports /readyz false while PostgreSQL is unreachable, then stops cleanly', async () => {
    const port = await freePort();
    const dead = await freePort();
    const p = start(['start'], { ROLE: 'web', PORT: String(port), DATABASE_URL: `postgres://postgres@127.0.0.1:${dead}/none` });
    await waitForHttp(`http://127.0.0.1:${port}/healthz`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { database: string } }).checks.database).toMatch(/unreachable/);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(503);
    await p.waitFor(/database unreachable, retrying/);
    expect(await p.stop('SIGTERM')).toBe(0);
  }, 60_000);
});

describe.skipIf(!process.env.DATABASE_URL)('processes on one PostgreSQL', () => {
  it('runs two web processes and a worker at once, applying each migration exactly once', async () => {
    const db = await adminUrlFor('zz_multi');
    try {
      const [p1, p2] = [await freePort(), await freePort()];
      const env = { DATABASE_URL: db.database, DEMO: 'true' };
      const web1 = start(['start'], { ...env, ROLE: 'web', PORT: String(p1) });
      const web2 = start(['start'], { ...env, ROLE: 'web', PORT: String(p2) });
      const worker = start(['start'], { ...env, ROLE: 'worker' });
      await Promise.all([waitForHttp(`http://127.0.0.1:${p1}/readyz`, FIRST_START_TIMEOUT_MS), waitForHttp(`http://127.0.0.1:${p2}/readyz`, FIRST_START_TIMEOUT_MS)]);
      await worker.waitFor(/"msg":"ready"/, 60_000);
      for (const port of [p1, p2]) {
        const home = await fetch(`http://127.0.0.1:${port}/`);
        expect(home.status).toBe(200);
        expect(await home.text()).toContain('汉丰街道');
      }
      const client = new pg.Client({ connectionString: db.database });
      await client.connect();
      try {
        const versions = await client.query('select version, count(*)::int as n from schema_migrations group by version');
        expect(versions.rows.every((r: { n: number }) => r.n === 1)).toBe(true);
        const users = await client.query(`select count(*)::int as n from users where username = 'admin'`);
        expect(users.rows[0].n).toBe(1);
        const towns = await client.query(`select count(*)::int as n from units where kind in ('street','town','township')`);
        expect(towns.rows[0].n).toBe(40);
        // Seeded once, not three times: the seed lock serialises the three first starts.
        // (replayed once a server answers, so poll)
        await expect
          .poll(async () => (await client.query(`select count(*)::int as n from incidents where is_demo`)).rows[0].n, { timeout: 60_000, interval: 500 })
          .toBe(DEMO_CASES.length);
        await new Promise((r) => setTimeout(r, 1500));
        expect((await client.query(`select count(*)::int as n from incidents where is_demo`)).rows[0].n).toBe(DEMO_CASES.length);
        // The worker runs every job once soon after it starts (each job in turn, so poll).
        await expect
          .poll(async () => (await client.query(`select run_count from job_schedules where name = 'purge-expired-sessions'`)).rows[0]?.run_count ?? 0, { timeout: 60_000, interval: 500 })
          .toBeGreaterThanOrEqual(1);
      } finally {
        await client.end();
      }
      expect(await Promise.all([web1.stop(), web2.stop(), worker.stop()])).toEqual([0, 0, 0]);
      for (const p of [web1, web2, worker]) expect(p.output()).not.toMatch(/"level":(50|60)/);
    } finally {
      await db.drop();
    }
  }, FIRST_START_TIMEOUT_MS + 60_000);
});
