/**
 * Outermost middleware: a request id (kept from X-Request-Id when it looks sane), a child logger, one access log
 * line per request, and request metrics labelled by the matched route pattern (never the raw path, which would
 * explode the label set).
 */
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { newId } from '../../kernel/ids.js';
import type { AppEnv, Runtime } from '../context.js';

const SANE_ID = /^[A-Za-z0-9._-]{8,128}$/;

export function requestContext(runtime: Runtime): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && SANE_ID.test(incoming) ? incoming : newId();
    c.set('requestId', requestId);
    const log = runtime.logger.child({ requestId });
    c.set('log', log);
    c.header('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const status = c.res.status;
      const route = routeLabel(c);
      runtime.metrics.httpRequests.inc({ method: c.req.method, route, status: String(status) });
      runtime.metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
      log[status === 500 ? 'error' : status >= 500 ? 'warn' : 'info'](
        { method: c.req.method, path: c.req.path, route, status, ms: Math.round(seconds * 10000) / 10, userId: c.get('actor')?.user.id },
        'request',
      );
    }
  };
}

/** The pattern of the route that handled the request; middleware (registered as ALL /*) does not count. */
function routeLabel(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const path = routes[i]!.path;
    if (path !== '/*' && path !== '*') return path;
  }
  return 'unmatched';
}
