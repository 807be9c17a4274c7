/**
 * What the HTTP layer needs from the rest of the process, and the per-request variables middleware sets.
 * The database may come up after the server (PostgreSQL down at start is retried with backoff), so services
 * are reached through `runtime.services`, which is undefined until the platform is ready.
 */
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import type { Clock } from '../kernel/clock.js';
import type { Logger } from '../kernel/logger.js';
import type { Metrics } from '../kernel/metrics.js';
import type { Locale, Translate } from '../locales/index.js';
import type { Actor } from '../modules/identity/index.js';
import type { SiteFurniture } from '../modules/portal/index.js';
import type { Services } from '../services.js';

export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  /** Set once the database is open, migrated and seeded. */
  services: Services | undefined;
  database: DatabaseHandle | undefined;
  /** The secret that signs cookies; set together with services. */
  signingSecret: string | undefined;
  /** Why the platform is not ready yet, for /readyz and logs. */
  notReadyReason: string;
}

export interface ViewShared {
  readonly demo: boolean;
  readonly publicUrl: string;
  asset(name: string): string;
  /** The runtime clock's now, for countdowns (a fake clock in tests). */
  now(): Date;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    locale: Locale;
    t: Translate;
    clientIp: string | null;
    services: Services;
    actor: Actor | undefined;
    /** The token forms must echo in their `_csrf` field. */
    csrfToken: string;
    /** Shared by every page: whether this is a demo deployment and the address of each static asset. */
    view: ViewShared;
    /** The portal's columns and footer link directories (absent before the database is ready). */
    site: SiteFurniture | undefined;
  };
}
