/**
 * Structured logs (pino JSON). Fixed message text, data in fields. Personal data — phone numbers, ID numbers,
 * reporter identities, passwords, tokens, cookies — is redacted wherever it appears under these keys.
 */
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'phone',
  '*.phone',
  '*.*.phone',
  'idNumber',
  '*.idNumber',
  'reporter',
  '*.reporter',
  'reporterName',
  '*.reporterName',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
];

export interface LoggerOptions {
  readonly level: string;
  readonly format?: 'json' | 'pretty';
  readonly destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.destination) return pino(base, options.destination);
  if (options.format === 'pretty' && canPrettyPrint()) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return pino(base);
}

function canPrettyPrint(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** A logger that discards everything; for tests and tools. */
export const silentLogger: Logger = pino({ level: 'silent' });
