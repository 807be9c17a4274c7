/**
 * The one entry point: `start` runs the roles chosen by ROLE (web, worker, broker or all); `migrate`, `seed --demo` and
 * `user create` are the operator's commands. Configuration comes from the environment (see .env.example).
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { createAdaptorServer } from '@hono/node-server';
import { createApp } from './app.js';
import { FatalStartupError, connectDatabase, preparePlatform } from './boot.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { MigrationError, migrate, migrationStatus } from './db/migrate.js';
import { allJobs } from './jobs/index.js';
import { createScheduler, type Scheduler } from './jobs/scheduler.js';
import { systemClock } from './kernel/clock.js';
import { isDomainError, type DomainError } from './kernel/errors.js';
import { createLogger, type Logger } from './kernel/logger.js';
import { createMetrics } from './kernel/metrics.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, pregenerateDemoGeography, seedDemo } from './modules/demo/index.js';
import { translator } from './locales/index.js';
import { INPUT_CRS, type ImportOptions, type InputCrs } from './modules/geography/index.js';
import type { MqttIngest } from './mqtt/index.js';
import { ROLES as ROLE_NAMES, type RoleName } from './modules/identity/index.js';
import type { Runtime } from './web/context.js';

const CLI = { userId: null, label: 'cli', ip: null } as const;

const USAGE = `Usage: zhizhi <command> [options]   (npm run cli -- <command>)

Commands:
  start                      run the platform (ROLE=web|worker|broker|all, default all)
  migrate [--status]         apply pending database migrations, or list them
  seed --demo                add the demo departments and accounts
  user create --username U --name N --unit CODE --role ROLE [--password-stdin]
                             create a staff account (asks for the password)
  audit verify               check the audit log's hash chain (exit 1 if broken)
  geo import FILE [--crs wgs84|gcj02] [--level town|village|grid] [--code-property code]
                  [--tolerance-m2 1] [--dry-run]
                             import unit boundaries from a GeoJSON FeatureCollection whose
                             features name their unit by code; all or nothing
  geo lookup LON LAT [--crs wgs84|gcj02]
                             which grid, village or community and town contain a point
  help                       show this text

Configuration is read from the environment; see .env.example.`;

function describeDatabase(config: Config): string {
  return config.database.kind === 'postgres'
    ? `PostgreSQL (${config.database.url.replace(/\/\/[^@/]*@/, '//***@')})`
    : `embedded PGlite (${config.database.dir})`;
}

function banner(config: Config, showDemo: boolean, mqtt?: string): string {
  const lines = [
    '',
    `  开州智治 Zhizhi is ready: ${config.publicUrl}`,
    `  role: ${config.role} · database: ${describeDatabase(config)}`,
  ];
  if (mqtt) lines.push(`  telemetry: ${mqtt}`);
  if (showDemo) {
    lines.push('', `  Demo accounts (password: ${DEMO_PASSWORD}) — sign in at ${config.publicUrl}/login`);
    for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.username.padEnd(12)} ${a.displayName}`);
  }
  lines.push('');
  return lines.join('\n');
}

function listen(server: Server, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') reject(new FatalStartupError(`Port ${config.port} on ${config.host} is already in use; set PORT to a free port.`));
      else if (e.code === 'EACCES') reject(new FatalStartupError(`Not allowed to listen on ${config.host}:${config.port}; choose a port above 1023.`));
      else reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(config.port, config.host);
  });
}

async function start(config: Config, logger: Logger): Promise<void> {
  const metrics = createMetrics();
  const runtime: Runtime = {
    config,
    logger,
    metrics,
    clock: systemClock,
    services: undefined,
    database: undefined,
    signingSecret: undefined,
    notReadyReason: 'starting',
  };
  const runsWeb = config.role === 'web' || config.role === 'all';
  const runsWorker = config.role === 'worker' || config.role === 'all';
  const runsBroker = config.role === 'broker' || config.role === 'all';
  const abort = new AbortController();
  let server: Server | undefined;
  let scheduler: Scheduler | undefined;
  let mqtt: MqttIngest | undefined;
  let shuttingDown = false;
  const background: { demoIncidents?: Promise<number> } = {};

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    abort.abort();
    const force = setTimeout(() => {
      logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timeout: closing remaining connections');
      server?.closeAllConnections();
    }, config.shutdownTimeoutMs);
    force.unref();
    // Stop accepting; in-flight requests finish; idle keep-alive connections are closed.
    if (server) {
      const s = server;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeIdleConnections();
      });
    }
    // Devices first: no new readings, and those in flight are committed (and acknowledged) before the database closes.
    await mqtt?.close();
    await scheduler?.stop();
    await background.demoIncidents; // a replay under way finishes (in one transaction per step) before the database closes
    await runtime.database?.close();
    clearTimeout(force);
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  if (runsWeb) {
    // The server answers /healthz and /readyz (false) while the database is still coming up.
    server = createAdaptorServer({ fetch: createApp(runtime).fetch }) as Server;
    server.keepAliveTimeout = 5000;
    await listen(server, config);
    logger.info({ url: config.publicUrl, host: config.host, port: config.port }, 'listening');
  }

  // A demo deployment generates its geography at first start. On the embedded engine a fresh directory is known
  // before it is opened, so the generator runs on the second core while the database initialises.
  const fresh = config.database.kind === 'pglite' && !fs.existsSync(path.join(config.database.dir, 'PG_VERSION'));
  const pregenerated = config.demo && fresh ? pregenerateDemoGeography() : undefined;
  const database = await connectDatabase(config, {
    logger,
    metrics,
    signal: abort.signal,
    onWaiting: (reason) => (runtime.notReadyReason = reason),
  });
  if (!database) return; // shutting down
  runtime.database = database;
  runtime.notReadyReason = 'applying migrations';
  // The month of demo incidents is replayed once the server answers: the replay is the slowest part of a first start.
  const platform = await preparePlatform(database, { config, logger, clock: systemClock, pregenerated, deferDemoIncidents: true });
  runtime.signingSecret = platform.signingSecret;
  runtime.services = platform.services;
  metrics.ready.set(1);

  // The demo incidents are replayed before the worker starts: its timers must not move an incident mid-replay.
  background.demoIncidents = platform.seedDemoIncidents().catch((err: unknown) => {
    if (!shuttingDown) logger.error({ err }, 'demo incidents not replayed');
    return 0;
  });
  if (runsBroker) {
    // Loaded only by the processes that run MQTT ingest: the client library costs web and worker processes start-up time.
    const { startMqttIngest } = await import('./mqtt/index.js');
    mqtt = await startMqttIngest(config, { telemetry: platform.services.lifeline.telemetry, metrics, logger });
  }
  if (runsWeb) process.stdout.write(banner(config, config.demo, mqtt?.description) + '\n');
  else if (mqtt) process.stdout.write(`  telemetry: ${mqtt.description}\n`);
  if (runsWorker) {
    await background.demoIncidents;
    if (shuttingDown) return;
    scheduler = createScheduler(allJobs(platform.services), { database, clock: systemClock, logger, metrics, pollMs: config.workerPollMs });
    await scheduler.start();
  }
  if (!runsWeb && !mqtt) logger.info({ role: config.role }, 'ready');
}

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  try {
    return await rl.question('Password: ');
  } finally {
    rl.close();
  }
}

async function withDatabase<R>(config: Config, logger: Logger, fn: (db: NonNullable<Awaited<ReturnType<typeof connectDatabase>>>) => Promise<R>): Promise<R> {
  const database = await connectDatabase(config, { logger });
  if (!database) throw new FatalStartupError('No database');
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

const t = translator('zh-CN');

/** Prints every problem of a failed import, one line each, in the operator's language (Chinese first). */
function printProblems(e: DomainError): void {
  process.stderr.write(`${t(e.code as never, e.details.params)}\n`);
  for (const f of e.details.fields ?? []) {
    const where = f.path === 'file' ? t('geo.import.file') : t('geo.import.feature', { feature: f.params?.feature ?? '', unit: f.params?.unit ?? '' });
    process.stderr.write(`  - ${where}：${t(f.code as never, f.params)}  [${f.code}]\n`);
  }
}

async function geoCommand(config: Config, logger: Logger, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      crs: { type: 'string', default: 'wgs84' },
      level: { type: 'string' },
      'code-property': { type: 'string', default: 'code' },
      'tolerance-m2': { type: 'string', default: '1' },
      'dry-run': { type: 'boolean' },
    },
  });
  const crs = values.crs!.toLowerCase();
  if (!(INPUT_CRS as readonly string[]).includes(crs)) {
    process.stderr.write(`${t('GEO.UNKNOWN_CRS', { crs })}\n`);
    return 1;
  }
  if (sub === 'import' && positionals.length === 1) {
    const level = values.level;
    if (level !== undefined && !['town', 'village', 'grid'].includes(level)) {
      process.stderr.write(`${t('GEO.UNKNOWN_LEVEL', { level })}\n`);
      return 1;
    }
    const file = positionals[0]!;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      process.stderr.write(`${t('GEO.FILE_UNREADABLE', { file, reason: (e as Error).message })}\n`);
      return 1;
    }
    return await withDatabase(config, logger, async (database) => {
      const platform = await preparePlatform(database, { config, logger, clock: systemClock, seedDemoData: false });
      try {
        const report = await platform.services.geography.importBoundaries(text, {
          crs: crs as InputCrs,
          level: level as ImportOptions['level'],
          codeProperty: values['code-property'],
          toleranceM2: Number(values['tolerance-m2']),
          dryRun: values['dry-run'] ?? false,
          fileName: path.basename(file),
          actor: `cli:${os.userInfo().username}`,
        });
        if (report.warnings.length) {
          process.stdout.write(`${t('geo.import.warnings')}\n`);
          for (const w of report.warnings) process.stdout.write(`  - ${t(w.code as never, w.params)}  [${w.code}]\n`);
        }
        if (report.ignoredSlivers) process.stdout.write(`${t('geo.import.slivers', { count: report.ignoredSlivers })}\n`);
        process.stdout.write(
          report.revision === null ? `${t('geo.import.dryRun', { units: report.units })}\n` : `${t('geo.import.ok', { units: report.units, revision: report.revision })}\n`,
        );
        return 0;
      } catch (e) {
        if (isDomainError(e) && e.code.startsWith('GEO.')) {
          printProblems(e);
          return 1;
        }
        throw e;
      }
    });
  }
  if (sub === 'lookup' && positionals.length === 2) {
    const point = [Number(positionals[0]), Number(positionals[1])] as const;
    return await withDatabase(config, logger, async (database) => {
      const platform = await preparePlatform(database, { config, logger, clock: systemClock, seedDemoData: false });
      const place = await platform.services.geography.locate(point, { crs: crs as InputCrs });
      if (!place.inside) process.stdout.write(`${t('geo.lookup.outside')}\n`);
      else
        for (const [label, unit] of [['town', place.town], ['village', place.village], ['grid', place.grid]] as const)
          process.stdout.write(`${label.padEnd(8)} ${unit ? `${unit.code}  ${unit.name}` : t('geo.lookup.none')}\n`);
      return 0;
    });
  }
  process.stderr.write(`Unknown command: geo ${args.join(' ')}\n\n${USAGE}\n`);
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  const [command = 'start', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee .env.example for every setting and its default.\n`);
      return 1;
    }
    throw e;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  try {
    switch (command) {
      case 'start':
        await start(config, logger);
        return -1; // keep running
      case 'migrate': {
        const { values } = parseArgs({ args: rest, options: { status: { type: 'boolean' } } });
        return await withDatabase(config, logger, async (database) => {
          if (values.status) {
            const s = await migrationStatus(database);
            for (const a of s.applied) process.stdout.write(`applied  ${String(a.version).padStart(4, '0')}_${a.name}  ${a.appliedAt.toISOString()}\n`);
            for (const p of s.pending) process.stdout.write(`pending  ${p.file}\n`);
            return 0;
          }
          const r = await migrate(database, { onApplied: (m, ms) => process.stdout.write(`applied ${m.file} (${ms} ms)\n`) });
          process.stdout.write(r.applied.length ? `${r.applied.length} migration(s) applied\n` : 'database is up to date\n');
          return 0;
        });
      }
      case 'seed': {
        const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean' } } });
        if (!values.demo) {
          process.stderr.write('Nothing to seed: use `seed --demo` (reference data is seeded at every start).\n');
          return 1;
        }
        return await withDatabase(config, logger, async (database) => {
          const platform = await preparePlatform(database, { config, logger, clock: systemClock, seedDemoData: false });
          const seeded = await seedDemo({ ...platform.services, logger, clock: systemClock });
          process.stdout.write(seeded ? banner(config, true) : 'Demo data were already seeded in this database.\n');
          return 0;
        });
      }
      case 'audit': {
        if (rest[0] !== 'verify') break;
        return await withDatabase(config, logger, async (database) => {
          const platform = await preparePlatform(database, { config, logger, clock: systemClock, seedDemoData: false });
          const result = await platform.services.audit.verify();
          await platform.services.audit.record({ action: 'audit.verify', details: { ok: result.ok, checked: result.checked } }, CLI);
          if (result.ok) {
            process.stdout.write(`audit chain intact: ${result.checked} entries, latest seq ${result.lastSeq}\n`);
            return 0;
          }
          process.stdout.write(`audit chain BROKEN: chain ${result.broken!.chain}, position ${result.broken!.chainSeq} (entry ${result.broken!.seq}): ${result.broken!.reason}; ${result.checked} entries checked before\n`);
          return 1;
        });
      }
      case 'geo':
        return await geoCommand(config, logger, rest);
      case 'user': {
        const [sub, ...args] = rest;
        if (sub !== 'create') break;
        const { values } = parseArgs({
          args,
          options: {
            username: { type: 'string' },
            name: { type: 'string' },
            unit: { type: 'string' },
            role: { type: 'string' },
            'password-stdin': { type: 'boolean' },
          },
        });
        const missing = ['username', 'name', 'unit', 'role'].filter((k) => !values[k as keyof typeof values]);
        if (missing.length) {
          process.stderr.write(`Missing: ${missing.map((m) => `--${m}`).join(', ')}\n\n${USAGE}\n`);
          return 1;
        }
        if (!(ROLE_NAMES as readonly string[]).includes(values.role!)) {
          process.stderr.write(`Unknown role ${values.role}; one of: ${ROLE_NAMES.join(', ')}\n`);
          return 1;
        }
        const password = await readPassword(values['password-stdin'] ?? false);
        return await withDatabase(config, logger, async (database) => {
          const platform = await preparePlatform(database, { config, logger, clock: systemClock, seedDemoData: false });
          const user = await platform.services.identity.createUser({
            username: values.username!,
            displayName: values.name!,
            password,
            posts: [{ unitCode: values.unit!, role: values.role as RoleName }],
          }, CLI);
          process.stdout.write(`created user ${user.username} (id ${user.id})\n`);
          return 0;
        });
      }
    }
    process.stderr.write(`Unknown command: ${[command, ...rest].join(' ')}\n\n${USAGE}\n`);
    return 1;
  } catch (e) {
    if (e instanceof FatalStartupError) {
      logger.fatal(e.message);
      process.stderr.write(`\n${e.message}\n`);
    } else if (e instanceof MigrationError) {
      logger.fatal({ file: e.file, error: e.message }, 'migration failed');
      process.stderr.write(`\nMigration failed: ${e.message}\nNothing of that migration was applied.\n`);
    } else if (isDomainError(e)) {
      const fields = e.details.fields?.map((f) => `\n  - ${f.path}: ${f.message}`).join('') ?? '';
      process.stderr.write(`${e.code}: ${e.message}${fields}\n`);
    } else {
      logger.fatal({ err: e }, 'startup failed');
    }
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) {
  // Let pino flush before exiting.
  setTimeout(() => process.exit(code), 50).unref();
  process.exitCode = code;
}
