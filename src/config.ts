/**
 * Configuration: the only reader of `process.env`. A zod schema over the environment produces one frozen
 * Config; every problem is reported at once so an operator fixes them in one pass (.env.example documents each).
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export const ROLES = ['web', 'worker', 'broker', 'all'] as const;
export type Role = (typeof ROLES)[number];

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://zhizhi.example.gov.cn' }).optional(),
  OPEN311_SUBMISSIONS_PER_KEY: z.coerce.number().int().min(1).max(1_000_000).default(600),
  OPEN311_SUBMISSIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(60),
  OPEN311_JURISDICTION_ID: z.string().regex(/^[a-z0-9.-]{1,100}$/, 'must be a domain name such as kaizhou.gov.cn').default('kaizhou.gov.cn'),
  DATA_DIR: z.string().min(1).default('./data'),
  UPLOAD_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DB_PREPARED_STATEMENTS: bool.default(true),
  ROLE: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }).default('all'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  DEMO: bool.optional(),
  SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  REPORTER_KEY: z
    .string()
    .refine((v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)')
    .optional(),
  // false, true (= one proxy) or the number of proxies in front of Zhizhi (0–10); see forwardedClient in app.ts.
  TRUST_PROXY: z
    .string()
    .refine((v) => /^(true|false|yes|no|on|off|[0-9]|10)$/.test(v), 'must be true, false or the number of proxies in front (0–10)')
    .transform((v) => (['true', 'yes', 'on'].includes(v) ? 1 : ['false', 'no', 'off'].includes(v) ? 0 : Number(v)))
    .default(0),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  UPLOAD_LIMIT_BYTES: z.coerce.number().int().min(1024).default(20_971_520),
  CITIZEN_REOPEN_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  WORKER_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  LINK_CHECK_EXTERNAL: bool.default(false),
  MQTT_ENABLED: bool.default(true),
  MQTT_HOST: z.string().min(1).optional(),
  MQTT_PORT: port.default(1883),
  MQTT_URL: z
    .string()
    .regex(/^(mqtts?|tcp|ssl|wss?):\/\//, 'must start with mqtt://, mqtts://, tcp://, ssl://, ws:// or wss://')
    .optional(),
  MQTT_CLIENT_ID: z.string().min(1).max(64).optional(),
  MQTT_CONSUMERS: z.coerce.number().int().min(1).max(64).default(4),
  MQTT_SHARED_GROUP: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - and _ only').default('zhizhi'),
  MQTT_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(256).max(16_777_216).default(1_048_576),
  TELEMETRY_MAX_FUTURE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  TELEMETRY_MAX_PAST_SECONDS: z.coerce.number().int().min(60).max(366 * 86_400).default(7 * 86_400),
  TELEMETRY_MAX_READINGS_PER_MESSAGE: z.coerce.number().int().min(1).max(100_000).default(5000),
  TELEMETRY_BATCH_MAX: z.coerce.number().int().min(1).max(100_000).default(5000),
  TELEMETRY_DEVICE_RATE: z.coerce.number().min(1).max(10_000_000).default(2000),
  TELEMETRY_DEVICE_BURST: z.coerce.number().min(1).max(100_000_000).default(20_000),
  TELEMETRY_DEVICE_MAX_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  TELEMETRY_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(400),
  TELEMETRY_MINUTE_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(120),
  TELEMETRY_HOUR_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(3660),
  ALARM_WEBHOOK_URL: z.url({ message: 'must be an absolute URL' }).optional(),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absolute base address used for canonical links, QR codes and e-mails; derived from host and port if unset. */
  readonly publicUrl: string;
  /** Open311 GeoReport v2 `jurisdiction_id` this deployment answers to (the city's root domain). */
  readonly open311JurisdictionId: string;
  /** Open311 POST requests allowed per minute for one API key, and for one client address. */
  readonly open311Limits: { readonly perKeyPerMinute: number; readonly perAddressPerMinute: number };
  readonly dataDir: string;
  readonly uploadDir: string;
  readonly database: { readonly kind: 'pglite'; readonly dir: string } | { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number; readonly preparedStatements: boolean };
  readonly role: Role;
  readonly logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  readonly logFormat: 'json' | 'pretty';
  /** Seed demo data on first start. Defaults to on for the embedded database and off for PostgreSQL. */
  readonly demo: boolean;
  readonly secretKey: string | undefined;
  /** The key sealing 12350 reporters' identities (32 bytes, base64); unset on the embedded database, one is generated. */
  readonly reporterKey: string | undefined;
  /** How many reverse proxies in front append to X-Forwarded-For (0: the header is ignored). */
  readonly trustProxy: number;
  readonly shutdownTimeoutMs: number;
  readonly bodyLimitBytes: number;
  /** The larger limit for routes that take files (photos, CSV imports). */
  readonly uploadLimitBytes: number;
  /** Natural days after closure in which a citizen holding the lookup code may reopen their report. */
  readonly citizenReopenDays: number;
  readonly workerPollMs: number;
  /** Whether the dead-link job probes other sites' addresses (off: only this site's own links are checked). */
  readonly linkCheckExternal: boolean;
  /** MQTT ingest: an embedded broker on host:port, or a consumer of the external broker at `url`, or off. */
  readonly mqtt: {
    readonly enabled: boolean;
    readonly host: string;
    readonly port: number;
    readonly url: string | undefined;
    readonly clientId: string;
    readonly consumers: number;
    readonly sharedGroup: string;
    readonly maxPayloadBytes: number;
  };
  readonly telemetry: {
    readonly maxFutureSeconds: number;
    readonly maxPastSeconds: number;
    readonly maxReadingsPerMessage: number;
    readonly batchMaxReadings: number;
    readonly deviceRatePerSecond: number;
    readonly deviceBurst: number;
    readonly deviceMaxWaitMs: number;
    readonly retentionDays: number;
    readonly minuteRetentionDays: number;
    readonly hourRetentionDays: number;
  };
  readonly alarmWebhookUrl: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment into a frozen Config, or throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  // Empty strings are treated as unset, as shells and .env files commonly produce them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  // A message bigger than the burst could never pass the device throttle.
  if (e.TELEMETRY_DEVICE_BURST < e.TELEMETRY_MAX_READINGS_PER_MESSAGE) {
    throw new ConfigError(['TELEMETRY_DEVICE_BURST: must be at least TELEMETRY_MAX_READINGS_PER_MESSAGE']);
  }
  const dataDir = path.resolve(cwd, e.DATA_DIR);
  const shownHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${e.PORT}`).replace(/\/+$/, ''),
    open311JurisdictionId: e.OPEN311_JURISDICTION_ID,
    open311Limits: { perKeyPerMinute: e.OPEN311_SUBMISSIONS_PER_KEY, perAddressPerMinute: e.OPEN311_SUBMISSIONS_PER_ADDRESS },
    dataDir,
    uploadDir: e.UPLOAD_DIR ? path.resolve(cwd, e.UPLOAD_DIR) : path.join(dataDir, 'files'),
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DB_POOL_SIZE, preparedStatements: e.DB_PREPARED_STATEMENTS }
      : { kind: 'pglite', dir: path.join(dataDir, 'pg') },
    role: e.ROLE,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? 'json',
    demo: e.DEMO ?? !e.DATABASE_URL,
    secretKey: e.SECRET_KEY,
    reporterKey: e.REPORTER_KEY,
    trustProxy: e.TRUST_PROXY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    uploadLimitBytes: e.UPLOAD_LIMIT_BYTES,
    citizenReopenDays: e.CITIZEN_REOPEN_DAYS,
    workerPollMs: e.WORKER_POLL_MS,
    linkCheckExternal: e.LINK_CHECK_EXTERNAL,
    mqtt: {
      enabled: e.MQTT_ENABLED,
      host: e.MQTT_HOST ?? e.HOST,
      port: e.MQTT_PORT,
      url: e.MQTT_URL,
      clientId: e.MQTT_CLIENT_ID ?? `zhizhi-${os.hostname().replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'host'}`,
      consumers: e.MQTT_CONSUMERS,
      sharedGroup: e.MQTT_SHARED_GROUP,
      maxPayloadBytes: e.MQTT_MAX_PAYLOAD_BYTES,
    },
    telemetry: {
      maxFutureSeconds: e.TELEMETRY_MAX_FUTURE_SECONDS,
      maxPastSeconds: e.TELEMETRY_MAX_PAST_SECONDS,
      maxReadingsPerMessage: e.TELEMETRY_MAX_READINGS_PER_MESSAGE,
      batchMaxReadings: e.TELEMETRY_BATCH_MAX,
      deviceRatePerSecond: e.TELEMETRY_DEVICE_RATE,
      deviceBurst: e.TELEMETRY_DEVICE_BURST,
      deviceMaxWaitMs: e.TELEMETRY_DEVICE_MAX_WAIT_MS,
      retentionDays: e.TELEMETRY_RETENTION_DAYS,
      minuteRetentionDays: e.TELEMETRY_MINUTE_RETENTION_DAYS,
      hourRetentionDays: e.TELEMETRY_HOUR_RETENTION_DAYS,
    },
    alarmWebhookUrl: e.ALARM_WEBHOOK_URL,
  };
  return Object.freeze(config);
}
