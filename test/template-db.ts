/** Template databases for tests (see global-setup.ts). */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { loadMigrations, migrate } from '../src/db/migrate.js';
import { systemClock } from '../src/kernel/clock.js';
import { silentLogger } from '../src/kernel/logger.js';
import { createAuditService } from '../src/modules/audit/index.js';
import { createOrganizationService, REFERENCE_UNITS } from '../src/modules/organization/index.js';

export function templateKey(): string {
  const h = createHash('sha256');
  for (const m of loadMigrations()) h.update(m.file).update(m.checksum);
  h.update(JSON.stringify(REFERENCE_UNITS));
  return h.digest('hex').slice(0, 12);
}

async function prepare(database: DatabaseHandle): Promise<void> {
  await migrate(database);
  await createOrganizationService(database, systemClock, createAuditService(database, systemClock)).seedReferenceUnits();
  void silentLogger;
}

export async function ensurePgliteTemplate(): Promise<string> {
  const file = path.join(os.tmpdir(), `zhizhi-test-template-${templateKey()}.tar.gz`);
  if (fs.existsSync(file)) return file;
  const database = await openDatabase({ kind: 'pglite-memory' });
  try {
    await prepare(database);
    const dump = await database.pglite!.dumpDataDir('gzip');
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(tmp, file);
  } finally {
    await database.close();
  }
  return file;
}

export function adminUrl(url: string, database = 'postgres'): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function ensurePostgresTemplate(url: string): Promise<string> {
  const name = `zz_template_${templateKey()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    // Serialise concurrent test runs building the same template.
    await admin.query('select pg_advisory_lock(7262141002)');
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      const building = `${name}_building`;
      await admin.query(`drop database if exists ${building}`);
      await admin.query(`create database ${building}`);
      const database = await openDatabase({ kind: 'postgres', url: adminUrl(url, building), poolSize: 2 });
      try {
        await prepare(database);
      } finally {
        await database.close();
      }
      await admin.query(`alter database ${building} rename to ${name}`);
      // Templates of other migration sets are left alone: another checkout (a branch, a parallel run) may be
      // using one right now. `npm run test:clean-db` removes them all.
    }
    await admin.query('select pg_advisory_unlock(7262141002)');
  } finally {
    await admin.end();
  }
  return name;
}
