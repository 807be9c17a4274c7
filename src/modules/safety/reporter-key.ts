/**
 * Where the reporter key comes from: REPORTER_KEY (configuration), else — on the embedded database only — a key
 * generated once into DATA_DIR/reporter.key (mode 0600) with a warning to back it up; with PostgreSQL and no key,
 * none: the 12350 form then refuses rather than store an identity in plain text.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../kernel/logger.js';
import { createReporterCipher, type ReporterCipher } from './reporter-cipher.js';

export interface ReporterKeySource {
  /** The cipher, or undefined when no key is configured (and none may be generated). Call outside transactions. */
  cipher(): Promise<ReporterCipher | undefined>;
}

export const REPORTER_KEY_FILE = 'reporter.key';

/**
 * `key`: the configured key (base64, validated by the configuration); `generateIn`: the data directory where a
 * key may be generated when none is configured (the embedded database), or undefined (PostgreSQL).
 */
export function reporterKeySource(options: { key?: string; previousKeys?: readonly string[]; generateIn?: string; logger: Logger }): ReporterKeySource {
  let loaded: Promise<ReporterCipher | undefined> | undefined;
  const previous = (options.previousKeys ?? []).map((k) => Buffer.from(k, 'base64'));
  const load = async (): Promise<ReporterCipher | undefined> => {
    if (options.key) return createReporterCipher(Buffer.from(options.key, 'base64'), previous);
    if (!options.generateIn) return undefined;
    const file = path.join(options.generateIn, REPORTER_KEY_FILE);
    await fs.promises.mkdir(options.generateIn, { recursive: true });
    try {
      // 'wx': two processes starting at once cannot both write a key; the loser reads the winner's.
      await fs.promises.writeFile(file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
      options.logger.warn({ file }, 'REPORTER_KEY is not set: generated a reporter key for 12350 identities; back it up, or set REPORTER_KEY');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      options.logger.warn({ file }, 'REPORTER_KEY is not set: using the generated reporter key in the data directory');
    }
    const key = Buffer.from((await fs.promises.readFile(file, 'utf8')).trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return createReporterCipher(key, previous);
  };
  return {
    cipher() {
      loaded ??= load().catch((e: unknown) => {
        loaded = undefined;
        throw e;
      });
      return loaded;
    },
  };
}
