/**
 * `npm test`: every check the project has, in one command.
 *   1. type checking (tsc), lint (eslint) and import boundaries (dependency-cruiser), in parallel;
 *   2. the test suite (vitest): pure, database (PGlite, and PostgreSQL when DATABASE_URL is set), HTTP,
 *      process and browser tests.
 * It ends by saying what it skipped for lack of PostgreSQL or Chromium. With CI set, skipping anything fails.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const isCi = Boolean(process.env.CI);

function runStep(name: string, cmd: string, args: string[], quiet: boolean): Promise<{ name: string; code: number; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: process.env });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ name, code: code ?? 1, output, ms: Date.now() - started }));
  });
}

async function postgresStatus(): Promise<{ ok: boolean; note: string }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { ok: false, note: 'DATABASE_URL is not set' };
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const v = await client.query<{ server_version: string }>('show server_version');
    return { ok: true, note: `PostgreSQL ${v.rows[0]!.server_version}` };
  } catch (e) {
    return { ok: false, note: `DATABASE_URL is set but PostgreSQL is unreachable: ${(e as Error).message}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgStatus = await postgresStatus();
const hasChromium = fs.existsSync(CHROMIUM);
console.log(`Engines: PGlite (embedded)${pgStatus.ok ? ` and ${pgStatus.note}` : ''}; browser: ${hasChromium ? CHROMIUM : 'none'}`);
if (process.env.DATABASE_URL && !pgStatus.ok) {
  console.error(`\n${pgStatus.note}\nUnset DATABASE_URL to test on the embedded database only.`);
  process.exit(1);
}

console.log('\n▶ static checks: tsc, eslint, dependency-cruiser');
const checks = await Promise.all([
  runStep('typecheck (tsc)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], true),
  runStep('lint (eslint)', 'npx', ['eslint', '.', '--max-warnings', '0'], true),
  runStep('boundaries (dependency-cruiser)', 'npx', ['depcruise', 'src', '--config', '.dependency-cruiser.cjs'], true),
]);
for (const c of checks) {
  console.log(`  ${c.code === 0 ? '✓' : '✗'} ${c.name} (${(c.ms / 1000).toFixed(1)} s)`);
  if (c.code !== 0) console.log(c.output.replace(/^/gm, '    '));
}

console.log('\n▶ tests: vitest');
const tests = await runStep('tests (vitest)', 'npx', ['vitest', 'run', ...process.argv.slice(2)], false);

const skipped: string[] = [];
if (!pgStatus.ok) skipped.push(`PostgreSQL variants of every database test and the multi-process test (${pgStatus.note})`);
if (!hasChromium) skipped.push(`browser tests (no Chromium at ${CHROMIUM}; apt-get install chromium fonts-noto-cjk)`);

console.log('\n▶ summary');
for (const c of [...checks, tests]) console.log(`  ${c.code === 0 ? '✓' : '✗'} ${c.name}`);
if (skipped.length) {
  console.log(`\nSkipped:\n${skipped.map((s) => `  - ${s}`).join('\n')}`);
  if (isCi) console.log('\nCI is set, and CI skips nothing: failing.');
} else {
  console.log('\nNothing skipped: both database engines and the browser were tested.');
}
const failed = [...checks, tests].some((c) => c.code !== 0) || (isCi && skipped.length > 0);
process.exit(failed ? 1 : 0);
