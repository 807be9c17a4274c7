/**
 * Database handle types shared by every module. The implementation lives in `src/db`; modules see only these.
 * A repository function takes an `Executor`: the database itself or, inside a transaction, the transaction's
 * handle. Inside a transaction only its handle may be used — the embedded engine has one connection, so any
 * other query would wait forever; the layer detects that and throws DB.OUTSIDE_TRANSACTION instead.
 */
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

// Each repository narrows this to its own tables: `(db: Executor<IncidentTables>, ...)`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Executor<T = any> = Kysely<T>;

export type Engine = 'pglite' | 'postgres';

export interface TransactionOptions {
  readonly isolation?: 'read committed' | 'repeatable read' | 'serializable';
}

export interface Database {
  readonly engine: Engine;
  /** The handle for queries outside a transaction. */
  readonly db: Executor;
  /** Runs `fn` in one transaction: commits if it resolves, rolls back if it throws. */
  transaction<R>(fn: (tx: Executor) => Promise<R>, options?: TransactionOptions): Promise<R>;
  /** Resolves when the database answers a trivial query within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A query compiled once and run many times. Building and compiling a Kysely query costs tens of microseconds,
 * a noticeable share of a 200 µs point query, so repository functions on hot paths (intake, telemetry,
 * lookups per request) prepare their statement once: `p('name')` marks where each argument goes.
 *
 *   const byId = prepare<{ id: number }, Row>((db, p) => db.selectFrom('units').selectAll().where('id', '=', p('id')));
 *   const rows = await byId.execute(tx, { id: 7 });
 *
 * Arguments must be plain values (for a list use `= any(p('ids'))`, not `in`), since the SQL text is fixed.
 */
export interface Prepared<A, R> {
  execute(db: Executor, args: A): Promise<R[]>;
}

/** Runs compiled SQL straight on the engine's driver, skipping Kysely's executor; registered per root handle. */
export type DirectRunner = (sql: string, parameters: readonly unknown[]) => Promise<unknown[]>;
const directRunners = new WeakMap<object, DirectRunner>();

/**
 * Registers the direct path for a root database handle (called by src/db when it opens a database). Prepared
 * queries on that handle then cost about what the raw driver costs; on a transaction handle they go through
 * the transaction's connection as any query does.
 */
export function registerDirectRunner(db: Executor, run: DirectRunner): void {
  directRunners.set(db, run);
}

const PLACEHOLDER = Symbol('placeholder');
interface Placeholder {
  readonly [PLACEHOLDER]: string;
}

export function prepare<A extends Record<string, unknown>, R>(
  build: (db: Executor, p: <K extends keyof A & string>(name: K) => A[K]) => Compilable<R>,
): Prepared<A, R> {
  let compiled: { sql: string; slots: readonly (string | { value: unknown })[] } | undefined;
  return {
    async execute(db, args) {
      if (!compiled) {
        const query = build(db, (name) => ({ [PLACEHOLDER]: name }) as never).compile();
        const slots = query.parameters.map((v) =>
          v !== null && typeof v === 'object' && PLACEHOLDER in v ? (v as Placeholder)[PLACEHOLDER] : { value: v },
        );
        compiled = { sql: query.sql, slots };
      }
      const { sql, slots } = compiled;
      const parameters = slots.map((s) => (typeof s === 'string' ? args[s] : s.value));
      const direct = directRunners.get(db);
      if (direct) return (await direct(sql, parameters)) as R[];
      const result = await db.getExecutor().provideConnection((conn) => conn.executeQuery<R>(CompiledQuery.raw(sql, parameters)));
      return result.rows;
    },
  };
}

/** Whether `e` is PostgreSQL's unique_violation (23505), optionally on the named constraint; same on both engines. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: unknown; constraint?: unknown; message?: unknown };
  if (err?.code !== '23505') return false;
  if (!constraint) return true;
  return err.constraint === constraint || (typeof err.message === 'string' && err.message.includes(`"${constraint}"`));
}
