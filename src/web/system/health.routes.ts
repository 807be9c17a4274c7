/**
 * Probes and metrics: /healthz (the process is alive), /readyz (the database answers and every migration this
 * release knows is applied), /metrics (Prometheus text format).
 */
import { Hono } from 'hono';
import { loadMigrations, migrationStatus } from '../../db/migrate.js';
import type { AppEnv, Runtime } from '../context.js';

export interface ReadyReport {
  readonly ready: boolean;
  readonly checks: { readonly database: string; readonly migrations: string };
}

export async function checkReady(runtime: Runtime): Promise<ReadyReport> {
  const database = runtime.database;
  if (!database || !runtime.services) {
    return { ready: false, checks: { database: runtime.notReadyReason, migrations: 'unknown' } };
  }
  try {
    await database.ping(1500);
  } catch (e) {
    return { ready: false, checks: { database: `unreachable: ${(e as Error).message}`, migrations: 'unknown' } };
  }
  try {
    const status = await migrationStatus(database, knownMigrations());
    const pending = status.pending.map((m) => m.file);
    return {
      ready: pending.length === 0,
      checks: { database: 'ok', migrations: pending.length === 0 ? `ok (${status.applied.length} applied)` : `pending: ${pending.join(', ')}` },
    };
  } catch (e) {
    return { ready: false, checks: { database: 'ok', migrations: `error: ${(e as Error).message}` } };
  }
}

let migrations: ReturnType<typeof loadMigrations> | undefined;
const knownMigrations = () => (migrations ??= loadMigrations());

export function healthRoutes(runtime: Runtime): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    const report = await checkReady(runtime);
    runtime.metrics.ready.set(report.ready ? 1 : 0);
    return c.json(report, report.ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.body(await runtime.metrics.registry.metrics(), 200, { 'Content-Type': runtime.metrics.registry.contentType });
  });
  return app;
}
