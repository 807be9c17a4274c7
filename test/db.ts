/**
 * Test databases. Every database test runs on the embedded engine and, when DATABASE_URL is set, on PostgreSQL
 * too: `describeEachEngine` declares the same suite once per engine, each with its own fresh database copied
 * from the migrated template.
 */
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import type { Engine } from '../src/kernel/db.js';
import { adminUrl } from './template-db.js';

export const ENGINES: readonly Engine[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

let counter = 0;

/** A fresh, migrated, reference-seeded database; closing it also drops it on PostgreSQL. */
export async function createTestDatabase(engine: Engine): Promise<DatabaseHandle> {
  if (engine === 'pglite') {
    const file = inject('pgliteTemplate');
    return openDatabase({ kind: 'pglite-memory', loadDataDir: new Blob([fs.readFileSync(file)]) });
  }
  const url = process.env.DATABASE_URL!;
  const template = inject('postgresTemplate');
  if (!template) throw new Error('DATABASE_URL is set but no PostgreSQL template was built');
  const name = `zz_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ kind: 'postgres', url: adminUrl(url, name), poolSize: 5 });
  const close = database.close.bind(database);
  return Object.assign(database, {
    async close() {
      await close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      try {
        await a.query(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  });
}

/** An empty PostgreSQL database (no migrations) for tests of the migration runner itself. */
export async function adminUrlFor(prefix: string): Promise<{ database: string; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL!;
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const run = async (statement: string) => {
    const a = new pg.Client({ connectionString: url });
    await a.connect();
    try {
      await a.query(statement);
    } finally {
      await a.end();
    }
  };
  await run(`create database ${name}`);
  return { database: adminUrl(url, name), drop: () => run(`drop database if exists ${name} with (force)`) };
}

export interface EngineSuite {
  readonly engine: Engine;
  /** The suite's database (available inside tests and hooks). */
  readonly database: DatabaseHandle;
}

/** Declares `fn`'s tests once per available engine, each block with its own database. */
export function describeEachEngine(title: string, fn: (suite: EngineSuite) => void): void {
  for (const engine of ENGINES) {
    describe(`${title} [${engine}]`, () => {
      let handle: DatabaseHandle | undefined;
      beforeAll(async () => {
        handle = await createTestDatabase(engine);
      });
      afterAll(async () => {
        await handle?.close();
      });
      fn({
        engine,
        get database() {
          if (!handle) throw new Error('The test database is not open yet; use it inside tests or hooks');
          return handle;
        },
      });
    });
  }
}
