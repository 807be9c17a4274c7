/**
 * HTTP-tier helpers: a Runtime over a test database, and a tiny browser-like client for `app.request()` that
 * keeps cookies and reads the CSRF token out of forms.
 */
import type { Hono } from 'hono';
import { createApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { FakeClock, type Clock } from '../src/kernel/clock.js';
import { silentLogger } from '../src/kernel/logger.js';
import { createMetrics } from '../src/kernel/metrics.js';
import { seedDemo } from '../src/modules/demo/index.js';
import { createServices } from '../src/services.js';
import type { AppEnv, Runtime } from '../src/web/context.js';

export interface TestApp {
  readonly app: Hono<AppEnv>;
  readonly runtime: Runtime;
  readonly clock: Clock;
}

export async function createTestApp(
  database: DatabaseHandle | undefined,
  options: { env?: Record<string, string>; demo?: boolean; clock?: Clock } = {},
): Promise<TestApp> {
  const config: Config = loadConfig({ DEMO: options.demo === false ? 'false' : 'true', ...options.env });
  const clock = options.clock ?? new FakeClock(new Date());
  const runtime: Runtime = {
    config,
    logger: silentLogger,
    metrics: createMetrics({ defaultMetrics: false }),
    clock,
    services: undefined,
    database: undefined,
    signingSecret: undefined,
    notReadyReason: 'database unreachable: test',
  };
  if (database) {
    const services = createServices({ database, clock, config, logger: silentLogger });
    if (options.demo !== false) await seedDemo({ ...services, incidentsAt: undefined, logger: silentLogger });
    database.instrument(runtime.metrics);
    runtime.database = database;
    runtime.signingSecret = await services.settings.signingSecret(undefined);
    runtime.services = services;
  }
  return { app: createApp(runtime), runtime, clock };
}

/** A cookie-keeping client over app.request(), like a browser that never runs JavaScript. */
export class Client {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly app: Hono<AppEnv>) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await this.app.request(path, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string, headers?: Record<string, string>): Promise<Response> {
    return this.request(path, { headers });
  }

  /** Loads `formPage`, takes its CSRF token and posts `fields` to `action` as a form would. */
  async submit(formPage: string, action: string, fields: Record<string, string>): Promise<Response> {
    const page = await (await this.get(formPage)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    if (!token) throw new Error(`No CSRF token on ${formPage}`);
    return this.post(action, { ...fields, _csrf: token });
  }

  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }
}
