/**
 * A freshly initialised, empty PGlite cluster kept as a tarball, so that a first start copies it into DATA_DIR
 * instead of running initdb (about 1.5 s against 4–6 s on a 2-core machine, where initdb also competes with the
 * demo geography generator). `npm install` builds it (the `postinstall` script); without it, or if it cannot be
 * read, a first start runs initdb as before. Nothing in it is data: it is exactly what initdb would write.
 *
 * The tarball is named after the PGlite version and the extensions loaded, and lives in node_modules/.cache, so
 * an upgrade of PGlite or a fresh `npm ci` never reuses an old one.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/** The extensions every embedded database loads (their SQL is installed at open, `create extension` by migration). */
export const PGLITE_EXTENSIONS = { pg_trgm, btree_gist };

const require = createRequire(import.meta.url);

/** Where the template for the installed PGlite lives: node_modules/.cache/zhizhi/pglite-<version>-<extensions>.tar.gz. */
export function templatePath(): string {
  // The package exports no package.json: walk up from its entry point to its folder.
  let dir = path.dirname(require.resolve('@electric-sql/pglite'));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  // …/node_modules/@electric-sql/pglite → …/node_modules/.cache/zhizhi
  const nodeModules = path.resolve(dir, '..', '..');
  return path.join(nodeModules, '.cache', 'zhizhi', `pglite-${version}-${Object.keys(PGLITE_EXTENSIONS).sort().join('+')}.tar.gz`);
}

/** The template, if one was built for this PGlite; undefined otherwise (the caller runs initdb). */
export function readTemplate(file = templatePath()): Blob | undefined {
  try {
    return new Blob([fs.readFileSync(file)]);
  } catch {
    return undefined;
  }
}

/** Runs initdb in memory and writes the cluster as a gzipped tarball, atomically (a reader never sees half a file). */
export async function buildTemplate(file = templatePath()): Promise<{ file: string; bytes: number; ms: number }> {
  const started = performance.now();
  const pglite = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
  let dump: Blob;
  try {
    dump = await pglite.dumpDataDir('gzip');
  } finally {
    await pglite.close();
  }
  const bytes = Buffer.from(await dump.arrayBuffer());
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, bytes);
  fs.renameSync(partial, file);
  return { file, bytes: bytes.length, ms: Math.round(performance.now() - started) };
}

/** Removes what a failed load left in a data directory that was empty before, so initdb can run there. */
export function emptyDirectory(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
}
