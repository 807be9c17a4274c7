/**
 * Security headers on every response. The Content-Security-Policy allows scripts and styles only from this
 * origin: pages carry no inline script or style, so an injected tag cannot run.
 */
import type { MiddlewareHandler } from 'hono';

export interface SecurityOptions {
  /** Extra origins for images, e.g. an optional map tile server. */
  readonly imageOrigins?: readonly string[];
  readonly https: boolean;
}

export function contentSecurityPolicy(options: SecurityOptions): string {
  const img = ["'self'", 'data:', 'blob:', ...(options.imageOrigins ?? [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${img}`,
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(options: SecurityOptions): MiddlewareHandler {
  const csp = contentSecurityPolicy(options);
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('Content-Security-Policy', csp);
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('X-Frame-Options', 'DENY');
    h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    h.set('Cross-Origin-Resource-Policy', 'same-origin');
    h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(self), payment=(), usb=()');
    if (options.https) h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    h.delete('X-Powered-By');
  };
}
