/**
 * Forward-only migrations: plain `.sql` files named `NNNN_verb_object.sql`, applied in order, each in its own
 * transaction together with its row in `schema_migrations`, so a failing file leaves nothing half-applied.
 * On PostgreSQL a session advisory lock serialises processes starting at the same moment: the first applies,
 * the others wait and then find nothing to do. A file changed after it was applied is refused.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle, RawSession } from './database.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

// An arbitrary constant, the same in every Zhizhi process: pg_advisory_lock key for the migration runner.
const MIGRATION_LOCK_KEY = 7_262_141_001;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
  readonly checksum: string;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|start\s+transaction|end)\s*;/im;

/** The SQL outside dollar-quoted bodies and comments (a function body's BEGIN … END is not transaction control). */
function outsideBodies(text: string): string {
  return text
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, '')
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '');
}

export function checksum(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

/** Reads and validates the migration files of a directory, in version order. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations: Migration[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const m = FILE_PATTERN.exec(file);
    if (!m) throw new MigrationError(file, 'name must look like 0001_verb_object.sql');
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    if (TRANSACTION_CONTROL.test(outsideBodies(text))) {
      throw new MigrationError(file, 'must not contain BEGIN/COMMIT/ROLLBACK; the runner wraps each file in a transaction');
    }
    const version = Number(m[1]);
    if (migrations.some((x) => x.version === version)) throw new MigrationError(file, `version ${version} is used twice`);
    migrations.push({ version, name: m[2]!, file, sql: text, checksum: checksum(text) });
  }
  return migrations;
}

export interface MigrationStatus {
  readonly applied: readonly { version: number; name: string; appliedAt: Date }[];
  readonly pending: readonly Migration[];
}

const CREATE_TABLE = `
create table if not exists schema_migrations (
  version integer primary key,
  name text not null,
  checksum text not null,
  applied_at timestamptz not null default now(),
  duration_ms integer not null
)`;

async function appliedRows(s: RawSession) {
  return s.query<{ version: number; name: string; checksum: string; applied_at: Date }>(
    'select version, name, checksum, applied_at from schema_migrations order by version',
  );
}

function compare(migrations: readonly Migration[], applied: Awaited<ReturnType<typeof appliedRows>>): Migration[] {
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const m = byVersion.get(row.version);
    if (!m) continue; // applied by a newer release than this one; newer code is responsible for it
    if (m.checksum !== row.checksum) {
      throw new MigrationError(m.file, 'was changed after it was applied; migrations are never edited once they land — add a new one');
    }
  }
  const done = new Set(applied.map((r) => r.version));
  return migrations.filter((m) => !done.has(m.version));
}

/** Which migrations are applied and which are pending, without changing anything. */
export async function migrationStatus(database: DatabaseHandle, migrations = loadMigrations()): Promise<MigrationStatus> {
  return database.session(async (s) => {
    const exists = await s.query<{ t: string | null }>(`select to_regclass('schema_migrations')::text as t`);
    const applied = exists[0]?.t ? await appliedRows(s) : [];
    return {
      applied: applied.map((r) => ({ version: r.version, name: r.name, appliedAt: r.applied_at })),
      pending: compare(migrations, applied),
    };
  });
}

export interface MigrateResult {
  readonly applied: readonly Migration[];
}

/** Applies every pending migration, once, even when several processes call this at the same moment. */
export async function migrate(
  database: DatabaseHandle,
  options: { migrations?: readonly Migration[]; onApplied?: (m: Migration, ms: number) => void } = {},
): Promise<MigrateResult> {
  const migrations = options.migrations ?? loadMigrations();
  return database.session(async (s) => {
    if (database.engine === 'postgres') await s.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await s.exec(CREATE_TABLE);
      const pending = compare(migrations, await appliedRows(s));
      const applied: Migration[] = [];
      for (const m of pending) {
        const started = performance.now();
        await s.exec('begin');
        try {
          await s.exec(m.sql);
          const ms = Math.round(performance.now() - started);
          await s.query('insert into schema_migrations (version, name, checksum, duration_ms) values ($1, $2, $3, $4)', [
            m.version,
            m.name,
            m.checksum,
            ms,
          ]);
          await s.exec('commit');
          applied.push(m);
          options.onApplied?.(m, ms);
        } catch (e) {
          await s.exec('rollback').catch(() => undefined);
          throw new MigrationError(m.file, e instanceof Error ? e.message : String(e), { cause: e });
        }
      }
      return { applied };
    } finally {
      if (database.engine === 'postgres') await s.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  });
}
