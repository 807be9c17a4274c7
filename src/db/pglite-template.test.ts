/**
 * The initdb template: a new embedded directory created from it is a working cluster that migrations run on and
 * that opens again later; a damaged template falls back to initdb in the same directory; a directory that already
 * holds files is never loaded over.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { migrate } from './migrate.js';
import { buildTemplate, readTemplate } from './pglite-template.js';

describe('the initdb template of the embedded database', () => {
  let root: string;
  let template: string;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-template-'));
    template = path.join(root, 'cache', 'template.tar.gz');
    const built = await buildTemplate(template);
    expect(built.bytes).toBeGreaterThan(100_000);
    expect(fs.readdirSync(path.dirname(template))).toEqual(['template.tar.gz']); // no partial file left behind
  }, 60_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates a new directory from the template, migrates it, and opens it again', async () => {
    const dir = path.join(root, 'a', 'pg');
    const db = await openDatabase({ kind: 'pglite', dir }, { initdbTemplate: template });
    expect(fs.existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
    await migrate(db);
    await db.session((s) => s.exec("insert into app_settings (key, value) values ('template-test', '\"kept\"'::jsonb)"));
    await db.close();
    const again = await openDatabase({ kind: 'pglite', dir }, { initdbTemplate: template });
    const rows = await again.session((s) => s.query<{ value: string }>("select value from app_settings where key = 'template-test'"));
    expect(rows).toEqual([{ value: 'kept' }]);
    await again.close();
  }, 60_000);

  it('runs initdb instead when the template is damaged, in the same directory', async () => {
    const broken = path.join(root, 'broken.tar.gz');
    fs.writeFileSync(broken, Buffer.from('not a tarball at all'));
    expect(readTemplate(broken)).toBeDefined();
    const dir = path.join(root, 'b', 'pg');
    const db = await openDatabase({ kind: 'pglite', dir }, { initdbTemplate: broken });
    expect((await db.session((s) => s.query<{ ok: number }>('select 1 as ok')))[0]!.ok).toBe(1);
    expect(fs.existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
    await db.close();
  }, 60_000);

  it('has no template to read where none was built', () => {
    expect(readTemplate(path.join(root, 'missing.tar.gz'))).toBeUndefined();
  });
});
