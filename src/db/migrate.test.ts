import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { adminUrlFor, describeEachEngine } from '../../test/db.js';
import type { Executor } from '../kernel/db.js';
import { openDatabase } from './database.js';
import { MigrationError, loadMigrations, migrate, migrationStatus } from './migrate.js';

function migrationDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-migrations-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const tableExists = async (db: Executor, name: string) =>
  (await sql<{ t: string | null }>`select to_regclass(${name})::text as t`.execute(db)).rows[0]!.t !== null;

describe('loadMigrations', () => {
  it('reads the shipped migrations in order, with checksums', () => {
    const all = loadMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((m) => m.version)).toEqual([...all.map((m) => m.version)].sort((a, b) => a - b));
    expect(all[0]!.file).toBe('0001_create_extensions.sql');
    expect(all[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses files that manage their own transaction, badly named files and reused versions', () => {
    expect(() => loadMigrations(migrationDir({ '0001_a.sql': 'begin;\ncreate table x (i int);\ncommit;' }))).toThrow(/must not contain BEGIN/);
    expect(() => loadMigrations(migrationDir({ '1_a.sql': 'select 1;' }))).toThrow(/name must look like/);
    expect(() => loadMigrations(migrationDir({ '0001_a.sql': 'select 1;', '0001_b.sql': 'select 1;' }))).toThrow(/used twice/);
  });
});

describeEachEngine('migrate', (suite) => {
  it('finds nothing pending on a migrated database and applies nothing twice', async () => {
    expect((await migrationStatus(suite.database)).pending).toEqual([]);
    expect((await migrate(suite.database)).applied).toEqual([]);
  });

  it('applies files in order and leaves nothing of a failing file behind', async () => {
    const dir = migrationDir({
      '9001_create_alpha.sql': 'create table alpha (i int);\ninsert into alpha values (1);',
      '9002_create_beta.sql': 'create table beta (i int);\ninsert into beta select i from no_such_table;',
      '9003_create_gamma.sql': 'create table gamma (i int);',
    });
    const migrations = loadMigrations(dir);
    const err = await migrate(suite.database, { migrations }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).file).toBe('9002_create_beta.sql');
    expect((err as MigrationError).message).toMatch(/no_such_table/);
    const { db } = suite.database;
    expect(await tableExists(db, 'alpha')).toBe(true);
    expect(await tableExists(db, 'beta')).toBe(false);
    expect(await tableExists(db, 'gamma')).toBe(false);
    const status = await migrationStatus(suite.database, migrations);
    expect(status.pending.map((m) => m.file)).toEqual(['9002_create_beta.sql', '9003_create_gamma.sql']);
  });

  it('refuses to run when an applied file was edited', async () => {
    const dir = migrationDir({ '9101_create_delta.sql': 'create table delta (i int);' });
    await migrate(suite.database, { migrations: loadMigrations(dir) });
    fs.writeFileSync(path.join(dir, '9101_create_delta.sql'), 'create table delta (i int, j int);');
    await expect(migrate(suite.database, { migrations: loadMigrations(dir) })).rejects.toThrow(/changed after it was applied/);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('migrate on PostgreSQL from several processes at once', () => {
  it('applies each migration exactly once when two runners start at the same moment', async () => {
    const url = await adminUrlFor('zz_mig_race');
    const [a, b] = await Promise.all([
      openDatabase({ kind: 'postgres', url: url.database, poolSize: 2 }),
      openDatabase({ kind: 'postgres', url: url.database, poolSize: 2 }),
    ]);
    try {
      const migrations = loadMigrations(
        migrationDir({
          '0001_create_slow.sql': 'select pg_sleep(0.3);\ncreate table slow (i int);',
          '0002_create_fast.sql': 'create table fast (i int);',
        }),
      );
      const [ra, rb] = await Promise.all([migrate(a, { migrations }), migrate(b, { migrations })]);
      expect(ra.applied.length + rb.applied.length).toBe(2);
      expect([ra.applied.length, rb.applied.length].sort()).toEqual([0, 2]);
      const rows = await sql<{ version: number }>`select version from schema_migrations order by version`.execute(a.db);
      expect(rows.rows.map((r) => r.version)).toEqual([1, 2]);
    } finally {
      await a.close();
      await b.close();
      await url.drop();
    }
  });
});
