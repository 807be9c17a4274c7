/**
 * Bringing the platform up: open the database (retrying PostgreSQL with backoff while it is unreachable),
 * apply migrations, seed reference data (and demo data on a demo deployment's first start), build the services.
 * Shared by every role and CLI command so that they all start the same way.
 */
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle, type DatabaseTarget } from './db/database.js';
import { DirectoryLockedError } from './db/lock-file.js';
import { migrate } from './db/migrate.js';
import type { Clock } from './kernel/clock.js';
import type { Logger } from './kernel/logger.js';
import type { Metrics } from './kernel/metrics.js';
import { seedDemo, seedMissingDemoIncidents, type PregeneratedGeography } from './modules/demo/index.js';
import { createServices, type Services } from './services.js';

export function databaseTarget(config: Config): DatabaseTarget {
  return config.database.kind === 'postgres'
    ? { kind: 'postgres', url: config.database.url, poolSize: config.database.poolSize, preparedStatements: config.database.preparedStatements }
    : { kind: 'pglite', dir: config.database.dir };
}

export class FatalStartupError extends Error {
  override readonly name = 'FatalStartupError';
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

/**
 * Opens the configured database. PostgreSQL that does not answer is retried with exponential backoff (0.5 s
 * doubling to 30 s, with jitter) until it does or `signal` aborts; the embedded engine is opened once, and a
 * directory held by another process is a fatal error with a clear message.
 */
export async function connectDatabase(
  config: Config,
  deps: { logger: Logger; metrics?: Metrics; signal?: AbortSignal; onWaiting?: (reason: string) => void },
): Promise<DatabaseHandle | undefined> {
  const target = databaseTarget(config);
  if (target.kind !== 'postgres') {
    try {
      return await openDatabase(target, deps);
    } catch (e) {
      if (e instanceof DirectoryLockedError) throw new FatalStartupError(e.message);
      throw e;
    }
  }
  const database = await openDatabase(target, deps);
  for (let attempt = 0; !deps.signal?.aborted; attempt++) {
    try {
      await database.ping(5000);
      if (attempt > 0) deps.logger.info({ attempts: attempt + 1 }, 'database reachable');
      return database;
    } catch (e) {
      const delayMs = Math.round(Math.min(30_000, 500 * 2 ** attempt) * (0.8 + Math.random() * 0.4));
      const reason = `database unreachable: ${(e as Error).message}`;
      deps.onWaiting?.(reason);
      deps.logger.warn({ attempt: attempt + 1, retryInMs: delayMs, error: (e as Error).message }, 'database unreachable, retrying');
      await sleep(delayMs, deps.signal);
    }
  }
  await database.close();
  return undefined;
}

export interface Platform {
  readonly database: DatabaseHandle;
  readonly services: Services;
  readonly signingSecret: string;
  readonly demoSeededNow: boolean;
  /** Replays the demo incidents if this demo database has none yet (under the seed lock); returns how many. */
  readonly seedDemoIncidents: () => Promise<number>;
}

// An arbitrary constant, the same in every Zhizhi process: pg_advisory_lock key for seeding (migrations use …001).
const SEED_LOCK_KEY = 7_262_141_003;

async function withSeedLock<T>(database: DatabaseHandle, fn: () => Promise<T>): Promise<T> {
  // The embedded engine has one process by construction (the directory lock) and one connection: no lock needed.
  if (database.engine !== 'postgres') return fn();
  return database.session(async (s) => {
    await s.query('select pg_advisory_lock($1)', [SEED_LOCK_KEY]);
    try {
      return await fn();
    } finally {
      await s.query('select pg_advisory_unlock($1)', [SEED_LOCK_KEY]).catch(() => undefined);
    }
  });
}

/** Migrates, seeds and builds services over an open database. A failing migration is fatal. */
export async function preparePlatform(
  database: DatabaseHandle,
  deps: {
    config: Config;
    logger: Logger;
    clock: Clock;
    seedDemoData?: boolean;
    pregenerated?: PregeneratedGeography;
    /** Leave the demo incidents' replay to Platform.seedDemoIncidents (a starting server runs it once it answers). */
    deferDemoIncidents?: boolean;
  },
): Promise<Platform> {
  const { logger, config } = deps;
  await migrate(database, {
    onApplied: (m, ms) => logger.info({ migration: m.file, ms }, 'migration applied'),
  });
  const services = createServices({ database, clock: deps.clock, config, logger });
  // Processes starting at the same moment against one PostgreSQL seed one after the other: the first seeds,
  // the others find the reference units and the demo marker already there.
  const demoSeededNow = await withSeedLock(database, async () => {
    const added = await services.organization.seedReferenceUnits();
    if (added > 0) logger.info({ units: added }, 'reference units added');
    if (await services.geography.seedDistrictOutline()) logger.info('district outline stored as the district boundary');
    const profiles = await services.lifeline.assets.seedReferenceProfiles();
    if (profiles > 0) logger.info({ profiles }, 'reference sensor profiles added');
    const partitions = await services.lifeline.telemetry.ensurePartitions();
    if (partitions.length) logger.info({ partitions }, 'telemetry partitions created');
    const seeded = (deps.seedDemoData ?? config.demo)
      ? await seedDemo({ ...services, logger, clock: deps.clock }, { pregenerated: deps.pregenerated?.result, incidents: deps.deferDemoIncidents ? 'later' : 'now' })
      : false;
    deps.pregenerated?.cancel();
    return seeded;
  });
  const signingSecret = await services.settings.signingSecret(config.secretKey);
  const seedDemoIncidents = async () => {
    if (!(deps.seedDemoData ?? config.demo)) return 0;
    const n = await withSeedLock(database, () => seedMissingDemoIncidents({ ...services, logger, clock: deps.clock, hasDemoIncidents: () => services.incidents.hasDemoIncidents() }));
    if (n > 0) logger.info({ incidents: n }, 'demo incidents replayed');
    return n;
  };
  return { database, services, signingSecret, demoSeededNow, seedDemoIncidents };
}
