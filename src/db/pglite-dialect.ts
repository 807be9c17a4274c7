/**
 * A Kysely dialect that talks to PGlite directly. PGlite has a single connection, so a mutex hands it to one
 * user at a time: a transaction holds it from BEGIN to COMMIT, and other queries queue behind it. Going through
 * PGlite's node-postgres adapter instead costs a further 25–50 % per query (../shared/reference/stack.md §1),
 * and the community dialects either leak transactions (kysely-pglite) or pin an old PGlite.
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { Mutex } from './mutex.js';

const MUTATIONS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiled.sql, compiled.parameters as unknown[]);
    const command = compiled.sql.trimStart().slice(0, 6).toUpperCase();
    if (result.affectedRows !== undefined && MUTATIONS.has(command.replace(/\s.*$/, ''))) {
      return { rows: result.rows, numAffectedRows: BigInt(result.affectedRows) };
    }
    return { rows: result.rows };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded database');
  }
}

export interface PGliteDriverOptions {
  readonly pglite: PGlite;
  readonly mutex: Mutex;
  /** Called before a connection is handed out; throws to refuse (used to catch queries outside a transaction). */
  readonly beforeAcquire?: () => void;
}

class PGliteDriver implements Driver {
  // One connection object, handed to one holder at a time (the mutex sees to that). Handing out the same object
  // matters: Kysely wraps each new connection object for logging, and a fresh object per query cost ~60 µs.
  private readonly connection: PGliteConnection;
  private release: (() => void) | undefined;

  constructor(private readonly options: PGliteDriverOptions) {
    this.connection = new PGliteConnection(options.pglite);
  }

  async init(): Promise<void> {
    await this.options.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    this.options.beforeAcquire?.();
    this.release = await this.options.mutex.lock();
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (settings.isolationLevel || settings.accessMode) {
      let sql = 'begin transaction';
      if (settings.isolationLevel) sql += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) sql += ` ${settings.accessMode}`;
      await conn.executeQuery(CompiledQuery.raw(sql));
    } else {
      await conn.executeQuery(CompiledQuery.raw('begin'));
    }
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }

  async rollbackToSavepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }

  async releaseSavepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    // The owner of the PGlite instance closes it.
  }
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export class PGliteDialect implements Dialect {
  constructor(private readonly options: PGliteDriverOptions) {}
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.options);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
