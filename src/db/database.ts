/**
 * One small interface over two engines: PGlite (embedded, persistent in DATA_DIR) and a PostgreSQL 15+ server.
 * Both are driven through Kysely with the same SQL; the differences (connection model, multi-statement scripts,
 * type parsing) are settled here and nowhere else.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Dialect, type Driver, type LogEvent } from 'kysely';
import pg from 'pg';
import { registerDirectRunner, type Database, type Engine, type Executor, type TransactionOptions } from '../kernel/db.js';
import { DomainError } from '../kernel/errors.js';
import type { Logger } from '../kernel/logger.js';
import type { Metrics } from '../kernel/metrics.js';
import { acquireDirectoryLock, type DirectoryLock } from './lock-file.js';
import { Mutex } from './mutex.js';
import { PGliteDialect } from './pglite-dialect.js';
import { PGLITE_EXTENSIONS, emptyDirectory, readTemplate } from './pglite-template.js';
import { preparedStatements } from './statement-cache.js';

export type DatabaseTarget =
  | { readonly kind: 'pglite'; readonly dir: string }
  | { readonly kind: 'pglite-memory'; readonly loadDataDir?: Blob }
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize?: number; readonly preparedStatements?: boolean };

/** A raw session on one connection: for the migration runner, benchmarks and tests, not for modules. */
export interface RawSession {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of several statements (simple query protocol, no parameters). */
  exec(script: string): Promise<void>;
}

export interface DatabaseHandle extends Database {
  /** Runs `fn` with one connection held for its whole duration. */
  session<R>(fn: (s: RawSession) => Promise<R>): Promise<R>;
  /** The PGlite instance, when the engine is embedded; for benchmarks and test fixtures. */
  readonly pglite: PGlite | undefined;
  /** The pg pool, when the engine is PostgreSQL; for benchmarks. */
  readonly pool: pg.Pool | undefined;
  /** Records statement timings into these metrics from now on. */
  instrument(metrics: Metrics): void;
}

export interface OpenOptions {
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  /** The initdb template a new embedded directory starts from (default: the one `npm install` built; null: none). */
  readonly initdbTemplate?: string | null;
}

// Same JavaScript types from both engines: int8 as number (ids and counts stay far below 2^53), date as
// 'YYYY-MM-DD' text (pg would build a Date at local midnight), timestamptz as Date, numeric as text.
type Oid = Parameters<typeof pg.types.setTypeParser>[0];
const oid = (n: number) => n as Oid; // array type oids are missing from pg's TypeId enum
pg.types.setTypeParser(oid(20), (v: string) => Number(v));
pg.types.setTypeParser(oid(1016), pg.types.getTypeParser(oid(1007)));
pg.types.setTypeParser(oid(1082), (v: string) => v);
pg.types.setTypeParser(oid(1182), pg.types.getTypeParser(oid(1009)));
const PGLITE_PARSERS = { 1082: (v: string) => v };

/** Marks the async context of a running transaction callback, so stray queries fail instead of deadlocking. */
interface TransactionScope {
  readonly owner: object;
  active: boolean;
}
const transactionScope = new AsyncLocalStorage<TransactionScope>();

function outsideTransactionError(): DomainError {
  return new DomainError(
    'BadRequest',
    'DB.OUTSIDE_TRANSACTION',
    'A query was issued on the database handle while a transaction was running in the same call chain; use the transaction handle passed to the callback',
  );
}

const STATEMENT_KINDS = ['select', 'insert', 'update', 'delete', 'with'] as const;

/** The statement's first keyword (select, insert, …), read without a regular expression: this runs per query. */
function statementKind(text: string): string {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) <= 32) i++;
  const word = text.slice(i, i + 6).toLowerCase();
  for (const kind of STATEMENT_KINDS) if (word.startsWith(kind)) return kind;
  return 'other';
}

class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly guard: () => void,
  ) {}
  init() {
    return this.inner.init();
  }
  acquireConnection() {
    this.guard();
    return this.inner.acquireConnection();
  }
  beginTransaction(...a: Parameters<Driver['beginTransaction']>) {
    return this.inner.beginTransaction(...a);
  }
  commitTransaction(...a: Parameters<Driver['commitTransaction']>) {
    return this.inner.commitTransaction(...a);
  }
  rollbackTransaction(...a: Parameters<Driver['rollbackTransaction']>) {
    return this.inner.rollbackTransaction(...a);
  }
  savepoint(...a: Parameters<NonNullable<Driver['savepoint']>>) {
    return this.inner.savepoint!(...a);
  }
  rollbackToSavepoint(...a: Parameters<NonNullable<Driver['rollbackToSavepoint']>>) {
    return this.inner.rollbackToSavepoint!(...a);
  }
  releaseSavepoint(...a: Parameters<NonNullable<Driver['releaseSavepoint']>>) {
    return this.inner.releaseSavepoint!(...a);
  }
  releaseConnection(...a: Parameters<Driver['releaseConnection']>) {
    return this.inner.releaseConnection(...a);
  }
  destroy() {
    return this.inner.destroy();
  }
}

function guardDialect(dialect: Dialect, guard: () => void): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new GuardedDriver(dialect.createDriver(), guard),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

/** Opens a database. For the embedded engine this takes the directory lock first. */
export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<DatabaseHandle> {
  const owner = {};
  const guard = () => {
    const scope = transactionScope.getStore();
    if (scope?.active && scope.owner === owner) throw outsideTransactionError();
  };
  let metrics = options.metrics;
  // Label children are looked up once per (statement, outcome), not hashed on every query.
  let children = new Map<string, { observe(v: number): void }>();
  const log = (event: LogEvent) => {
    if (!metrics) return;
    const statement = statementKind(event.query.sql);
    const outcome = event.level === 'error' ? 'error' : 'ok';
    const key = statement + outcome;
    let child = children.get(key);
    if (!child) children.set(key, (child = metrics.dbQueryDuration.labels(statement, outcome)));
    child.observe(event.queryDurationMillis / 1000);
  };

  let engine: Engine;
  let dialect: Dialect;
  let pglite: PGlite | undefined;
  let pool: pg.Pool | undefined;
  let lock: DirectoryLock | undefined;
  const mutex = new Mutex();
  let closeEngine: () => Promise<void>;

  if (target.kind === 'postgres') {
    engine = 'postgres';
    pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      application_name: 'zhizhi',
    });
    // An idle client losing its server connection emits 'error'; unhandled, it would end the process.
    pool.on('error', (err) => options.logger?.warn({ err }, 'database connection lost'));
    if (target.preparedStatements ?? true) preparedStatements(pool);
    dialect = new PostgresDialect({ pool });
    // Kysely's destroy() ends the pool.
    closeEngine = async () => {};
  } else {
    engine = 'pglite';
    if (target.kind === 'pglite') {
      fs.mkdirSync(path.dirname(target.dir), { recursive: true });
      lock = acquireDirectoryLock(`${target.dir}.lock`);
    }
    // A new embedded directory starts as a copy of the initdb template `npm install` built, when there is one.
    const empty = target.kind === 'pglite' && (!fs.existsSync(target.dir) || fs.readdirSync(target.dir).length === 0);
    const template = empty && options.initdbTemplate !== null ? readTemplate(options.initdbTemplate) : undefined;
    const create = (loadDataDir: Blob | undefined) =>
      PGlite.create({
        dataDir: target.kind === 'pglite' ? target.dir : undefined,
        loadDataDir: target.kind === 'pglite-memory' ? target.loadDataDir : loadDataDir,
        extensions: PGLITE_EXTENSIONS,
        parsers: PGLITE_PARSERS,
      });
    try {
      try {
        pglite = await create(template);
        if (template) options.logger?.info({ dir: (target as { dir: string }).dir }, 'embedded database created from the initdb template');
      } catch (e) {
        if (!template) throw e;
        // A damaged or foreign template: start over in the (formerly empty) directory with initdb.
        options.logger?.warn({ err: e }, 'the initdb template could not be used; running initdb');
        emptyDirectory((target as { dir: string }).dir);
        pglite = await create(undefined);
      }
    } catch (e) {
      lock?.release();
      throw e;
    }
    dialect = new PGliteDialect({ pglite, mutex });
    const p = pglite;
    closeEngine = async () => {
      // Wait for whoever holds the single connection, then close it for good.
      const release = await mutex.lock();
      try {
        await p.close();
      } finally {
        release();
        lock?.release();
      }
    };
  }

  const db: Executor = new Kysely({ dialect: guardDialect(dialect, guard), log });
  let closed = false;

  // The direct path for prepared queries on the root handle: the raw driver plus the guard and the timing hook.
  const observe = (text: string, started: number, failed: boolean) =>
    log({ level: failed ? 'error' : 'query', query: { sql: text }, queryDurationMillis: performance.now() - started } as LogEvent);
  if (pglite) {
    const p = pglite;
    registerDirectRunner(db, async (text, parameters) => {
      guard();
      const release = await mutex.lock();
      const started = performance.now();
      let failed = false;
      try {
        return (await p.query(text, parameters as unknown[])).rows;
      } catch (e) {
        failed = true;
        throw e;
      } finally {
        release();
        observe(text, started, failed);
      }
    });
  } else {
    const p = pool!;
    registerDirectRunner(db, async (text, parameters) => {
      guard();
      const started = performance.now();
      let failed = false;
      try {
        return (await p.query(text, parameters as unknown[])).rows;
      } catch (e) {
        failed = true;
        throw e;
      } finally {
        observe(text, started, failed);
      }
    });
  }

  const handle: DatabaseHandle = {
    engine,
    db,
    pglite,
    pool,
    async transaction<R>(fn: (tx: Executor) => Promise<R>, opts: TransactionOptions = {}): Promise<R> {
      let builder = db.transaction();
      if (opts.isolation) builder = builder.setIsolationLevel(opts.isolation);
      return builder.execute(async (tx) => {
        const scope: TransactionScope = { owner, active: true };
        try {
          return await transactionScope.run(scope, () => fn(tx));
        } finally {
          scope.active = false;
        }
      });
    },
    instrument(m) {
      metrics = m;
      children = new Map();
    },
    async ping(timeoutMs = 2000) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          sql`select 1`.execute(db),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    async session<R>(fn: (s: RawSession) => Promise<R>): Promise<R> {
      guard();
      if (pglite) {
        const p = pglite;
        const release = await mutex.lock();
        try {
          return await fn({
            query: async <T>(text: string, params: readonly unknown[] = []) => (await p.query<T>(text, params as unknown[])).rows,
            exec: async (script: string) => {
              await p.exec(script);
            },
          });
        } finally {
          release();
        }
      }
      const client = await pool!.connect();
      try {
        return await fn({
          query: async <T>(text: string, params: readonly unknown[] = []) =>
            (await client.query(text, params as unknown[])).rows as T[],
          exec: async (script: string) => {
            await client.query(script);
          },
        });
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      await closeEngine();
    },
  };
  return handle;
}
