/**
 * Builds the HTTP application. Middleware order matters and is read top to bottom: request context (id, log,
 * metrics) → security headers → body limit → language → static files and probes (served even while the
 * database is down) → readiness gate → session → bearer token (a machine request drops the session) → CSRF →
 * the page and API routes.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DomainError } from './kernel/errors.js';
import { loadAssets, type Assets } from './web/assets.js';
import type { AppEnv, Runtime } from './web/context.js';
import { tokenApiRoutes } from './web/api/token.routes.js';
import { bearer } from './web/middleware/bearer.js';
import { csrf } from './web/middleware/csrf.js';
import { onError, onNotFound } from './web/middleware/errors.js';
import { OPEN311_BASE, open311Routes, respondOpen311Error } from './web/open311/open311.routes.js';
import { locale } from './web/middleware/locale.js';
import { requestContext } from './web/middleware/request-context.js';
import { securityHeaders } from './web/middleware/security-headers.js';
import { passwordChangeGate, session } from './web/middleware/session.js';
import { MAP_ASSETS } from './web/portal/map.page.js';
import { mapRoutes } from './web/portal/map.routes.js';
import { portalRoutes } from './web/portal/portal.routes.js';
import { reportsRoutes } from './web/portal/reports.routes.js';
import { safetyRoutes } from './web/portal/safety.routes.js';
import { publicReportRoutes } from './web/portal/report.routes.js';
import { contentRoutes } from './web/workbench/content/content.routes.js';
import { siteRoutes } from './web/workbench/content/site.routes.js';
import { healthRoutes } from './web/system/health.routes.js';
import { accountRoutes } from './web/workbench/account.routes.js';
import { telemetryApiRoutes } from './web/api/telemetry.routes.js';
import { lifelineRoutes } from './web/workbench/lifeline/lifeline.routes.js';
import { auditRoutes } from './web/workbench/admin/audit.routes.js';
import { peopleAdminRoutes } from './web/workbench/admin/people.routes.js';
import { tokenAdminRoutes } from './web/workbench/admin/tokens.routes.js';
import { calendarAdminRoutes } from './web/workbench/admin/calendar.routes.js';
import { unitAdminRoutes } from './web/workbench/admin/units.routes.js';
import { apiRoutes } from './web/api/api.routes.js';
import { authRoutes } from './web/workbench/auth.routes.js';
import { catalogRoutes } from './web/workbench/incidents/catalog.routes.js';
import { incidentRoutes } from './web/workbench/incidents/incidents.routes.js';
import { safetyWorkbenchRoutes } from './web/workbench/safety/safety.routes.js';
import { publicationRoutes } from './web/workbench/incidents/publication.routes.js';
import { statsRoutes } from './web/workbench/incidents/stats.routes.js';

/** Routes that take files get UPLOAD_LIMIT_BYTES instead of BODY_LIMIT_BYTES. Each area adds its own. */
export const UPLOAD_PATHS: readonly RegExp[] = [
  /^\/workbench\/units\/import$/,
  /^\/workbench\/people\/import$/,
  /^\/api\/v1\/attachments$/,
  /^\/workbench\/incidents\/(new|\d+\/act\/\w+)$/,
  /^\/workbench\/patrol$/,
  /^\/workbench\/content\/\d+\/(images|attachments)$/,
  /^\/workbench\/lifeline\/assets\/import$/,
  /^\/interaction\/safety$/,
];

/** The citizen's report forms take up to 6 photos of 10 MB each (issue 5 §6): at least 62 MB. */
export const PUBLIC_UPLOAD_PATHS: readonly RegExp[] = [/^\/(report|interaction\/(consult|suggest|complain|report|mailbox))$/];
const PUBLIC_UPLOAD_MIN_BYTES = 62 * 1_048_576;

/** Longest address (path and query) accepted; longer ones are refused before any work is done. */
export const MAX_URL_CHARS = 2048;

export interface AppOptions {
  readonly assets?: Assets;
}

function formatBytes(n: number): string {
  return n >= 1_048_576 ? `${Math.round(n / 104_857.6) / 10} MB` : `${Math.round(n / 1024)} KB`;
}

/**
 * The client's address from X-Forwarded-For behind `hops` trusted proxies. Each proxy appends the address it was
 * connected from, so only the last `hops` entries were written by proxies we trust; anything to their left came
 * from the client and may be forged (a visitor sending "X-Forwarded-For: 1.2.3.4" must not get a fresh throttle
 * allowance per request). The entry the outermost trusted proxy appended is the client as it saw it.
 */
export function forwardedClient(header: string | undefined, hops: number): string | null {
  if (!header || hops < 1) return null;
  const entries = header.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) return null;
  return entries[Math.max(0, entries.length - hops)]!;
}

function clientIp(runtime: Runtime): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let ip: string | null = forwardedClient(c.req.header('x-forwarded-for'), runtime.config.trustProxy);
    if (!ip) {
      try {
        ip = getConnInfo(c).remote.address ?? null;
      } catch {
        ip = null; // no socket, e.g. app.request() in tests
      }
    }
    c.set('clientIp', ip);
    return next();
  };
}

export function createApp(runtime: Runtime, options: AppOptions = {}): Hono<AppEnv> {
  const assets = options.assets ?? loadAssets(undefined, MAP_ASSETS);
  const app = new Hono<AppEnv>();
  const view = { demo: runtime.config.demo, publicUrl: runtime.config.publicUrl, asset: (n: string) => assets.url(n), now: () => runtime.clock.now() };

  app.use(requestContext(runtime));
  app.use(securityHeaders({ https: runtime.config.publicUrl.startsWith('https:') }));
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new DomainError('TooLarge', 'REQUEST.BODY_TOO_LARGE', `Request body over ${maxSize} bytes`, { params: { limit: formatBytes(maxSize) } });
      },
    });
  const ordinaryLimit = limit(runtime.config.bodyLimitBytes);
  const uploadLimit = limit(runtime.config.uploadLimitBytes);
  const publicUploadLimit = limit(Math.max(runtime.config.uploadLimitBytes, PUBLIC_UPLOAD_MIN_BYTES));
  app.use((c, next) =>
    PUBLIC_UPLOAD_PATHS.some((p) => p.test(c.req.path)) ? publicUploadLimit(c, next) : UPLOAD_PATHS.some((p) => p.test(c.req.path)) ? uploadLimit(c, next) : ordinaryLimit(c, next),
  );
  app.use(locale());
  app.use(async (c, next) => {
    // A huge query string (or search term) is refused cleanly, before any work is done.
    const url = new URL(c.req.url);
    if (url.pathname.length + url.search.length > MAX_URL_CHARS) {
      throw new DomainError('BadRequest', 'REQUEST.URL_TOO_LONG', `Address over ${MAX_URL_CHARS} characters`, { params: { max: MAX_URL_CHARS } });
    }
    return next();
  });
  app.use(async (c, next) => {
    c.set('view', view);
    return next();
  });
  app.use(clientIp(runtime));
  // Open311 clients get every refusal in the spec's error format, even one raised before the routes (body size).
  app.onError((err, c) => (c.req.path.startsWith(`${OPEN311_BASE}/`) ? respondOpen311Error(err, c) : onError(err, c)));
  app.notFound(onNotFound);

  assets.mount(app as never);
  app.route('/', healthRoutes(runtime));

  // Everything below needs the database.
  app.use(async (c, next) => {
    const services = runtime.services;
    if (!services) throw new DomainError('Unavailable', 'SYSTEM.UNAVAILABLE', `Not ready: ${runtime.notReadyReason}`);
    c.set('services', services);
    // The portal's columns and link directories, for the navigation and footer of every page (cached per process).
    c.set('site', await services.portal.site.furniture());
    return next();
  });
  app.use(session());
  app.use(bearer());
  app.use(csrf(runtime, { exemptPrefixes: ['/open311/'] }));
  app.use(passwordChangeGate());

  app.route('/', portalRoutes());
  app.route('/', publicReportRoutes(runtime));
  app.route('/', mapRoutes());
  app.route('/', reportsRoutes());
  app.route('/', safetyRoutes(runtime));
  app.route('/', authRoutes(runtime));
  app.route('/', accountRoutes(runtime));
  app.route('/', unitAdminRoutes());
  app.route('/', peopleAdminRoutes());
  app.route('/', tokenAdminRoutes(runtime));
  app.route('/', auditRoutes());
  app.route('/', calendarAdminRoutes(runtime));
  app.route('/', incidentRoutes());
  app.route('/', safetyWorkbenchRoutes());
  app.route('/', publicationRoutes());
  app.route('/', statsRoutes());
  app.route('/', telemetryApiRoutes(runtime.metrics));
  app.route('/', lifelineRoutes());
  app.route('/', catalogRoutes());
  app.route('/api', apiRoutes());
  app.route('/', contentRoutes());
  app.route('/', siteRoutes());
  app.route('/', tokenApiRoutes());
  app.route('/', open311Routes({ jurisdictionId: runtime.config.open311JurisdictionId, limits: runtime.config.open311Limits }));
  return app;
}
