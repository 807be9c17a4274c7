/**
 * What several benches share: whether PostgreSQL answers, the in-process runtime a bench server serves, and the
 * handshake with a bench server started as a child process (it prints `BENCH READY <json>` when it listens).
 */
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { connectDatabase, preparePlatform } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import { systemClock } from '../src/kernel/clock.js';
import { createLogger } from '../src/kernel/logger.js';
import { createMetrics } from '../src/kernel/metrics.js';
import type { DatabaseHandle } from '../src/db/database.js';
import type { Runtime } from '../src/web/context.js';

/** Whether a PostgreSQL server answers at `url` within 2 seconds. */
export async function postgresReachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** A bench server's platform: configured from the environment, migrated, demo data seeded, ready to serve. */
export async function benchServerRuntime(): Promise<{ runtime: Runtime; database: DatabaseHandle; platform: Awaited<ReturnType<typeof preparePlatform>> }> {
  const config = loadConfig();
  const logger = createLogger({ level: 'warn', format: 'json' });
  const database = (await connectDatabase(config, { logger }))!;
  const platform = await preparePlatform(database, { config, logger, clock: systemClock, seedDemoData: true });
  const runtime: Runtime = {
    config,
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    clock: systemClock,
    services: platform.services,
    database,
    signingSecret: platform.signingSecret,
    notReadyReason: '',
  };
  return { runtime, database, platform };
}

/** What a bench server child printed after `BENCH READY `, once it listens; rejects if it exits first. */
export function benchServerReady<T>(child: ChildProcess): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /BENCH READY (.*)\n/.exec(out);
      if (m) resolve(JSON.parse(m[1]!) as T);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}
