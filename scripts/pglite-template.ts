/**
 * `npm install` runs this (postinstall): it builds the initdb template of the embedded database once per PGlite
 * version (src/db/pglite-template.ts), so the first `npm start` copies it instead of running initdb. It never
 * fails the install: without a template a first start runs initdb, only slower.
 */
import fs from 'node:fs';
import { buildTemplate, templatePath } from '../src/db/pglite-template.js';

const file = templatePath();
if (fs.existsSync(file)) {
  process.stdout.write(`zhizhi: embedded database template present (${file})\n`);
} else {
  try {
    const built = await buildTemplate(file);
    process.stdout.write(`zhizhi: embedded database template built in ${built.ms} ms (${Math.round(built.bytes / 1024)} KB): a first start skips initdb\n`);
  } catch (e) {
    process.stderr.write(`zhizhi: no embedded database template (${(e as Error).message}); a first start runs initdb instead\n`);
  }
}
process.exit(0);
