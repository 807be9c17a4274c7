/**
 * One place maps errors to responses. Domain error kinds map to statuses; anything unknown becomes a 500 whose
 * body names only the request id (the message and stack go to the log, never to the client). API clients get
 * JSON, browsers a zh-CN page in the site's shell.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DomainError, type ErrorKind, type FieldProblem } from '../../kernel/errors.js';
import { hasMessage, translator, type MessageKey, type Translate } from '../../locales/index.js';
import { childrenOf } from '../../modules/portal/index.js';
import { Layout, columnHref, pageContext, renderPage } from '../components/layout.js';
import { SearchBox } from '../portal/common.js';
import type { AppEnv } from '../context.js';

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  BadRequest: 400,
  Unauthenticated: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  TooLarge: 413,
  Invalid: 422,
  TooManyRequests: 429,
  Unavailable: 503,
};

const TITLE_BY_KIND: Record<ErrorKind, MessageKey> = {
  BadRequest: 'error.badRequest.title',
  Unauthenticated: 'error.unauthenticated.title',
  Forbidden: 'error.forbidden.title',
  NotFound: 'error.notFound.title',
  Conflict: 'error.conflict.title',
  TooLarge: 'error.tooLarge.title',
  Invalid: 'error.invalid.title',
  TooManyRequests: 'error.tooMany.title',
  Unavailable: 'error.unavailable.title',
};

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly requestId: string;
    readonly fields?: readonly (FieldProblem & { readonly text: string })[];
  };
}

/** The user-facing text for an error code, in the request's language, falling back to the English message. */
export function describe(t: Translate, code: string, fallback: string, params?: Readonly<Record<string, string | number>>): string {
  return hasMessage(code) ? t(code, params) : fallback;
}

export function wantsJson(c: Context): boolean {
  const path = c.req.path;
  if (path.startsWith('/api/') || path === '/api') return true;
  const accept = c.req.header('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function translate(c: Context<AppEnv>): Translate {
  return c.get('t') ?? translator('zh-CN');
}

export function errorBody(c: Context<AppEnv>, e: DomainError): ErrorBody {
  const t = translate(c);
  return {
    error: {
      code: e.code,
      message: describe(t, e.code, e.message, e.details.params),
      requestId: c.get('requestId'),
      ...(e.details.fields?.length
        ? { fields: e.details.fields.map((f) => ({ ...f, text: describe(t, f.code, f.message, f.params) })) }
        : {}),
    },
  };
}

async function errorPage(c: Context<AppEnv>, status: number, title: string, body: string, fields?: readonly string[], helpful = false) {
  // Error pages can be reached before the locale or view middleware ran (e.g. a body that is too large).
  if (!c.get('t')) c.set('t', translator('zh-CN'));
  if (!c.get('locale')) c.set('locale', 'zh-CN');
  if (!c.get('view')) c.set('view', { demo: false, publicUrl: '', asset: (n: string) => `/static/${n}`, now: () => new Date() });
  const ctx = pageContext(c);
  return renderPage(
    c,
    <Layout ctx={ctx} title={title} crumbs={[{ label: title }]}>
      <section class="error-page" aria-labelledby="error-title">
        <h1 id="error-title">{title}</h1>
        <p>{body}</p>
        {fields && fields.length > 0 && (
          <ul class="field-errors">
            {fields.map((f) => (
              <li>{f}</li>
            ))}
          </ul>
        )}
        {helpful && <NotFoundHelp ctx={ctx} />}
        <p class="muted">
          {ctx.t('error.requestId')}：<code>{ctx.requestId}</code>
        </p>
        <p>
          <a href="/">{ctx.t('error.back')}</a>
        </p>
      </section>
    </Layout>,
    status,
  );
}

export async function respondWithDomainError(c: Context<AppEnv>, e: DomainError): Promise<Response> {
  const status = STATUS_BY_KIND[e.kind];
  if (e.kind === 'Unavailable') c.header('Retry-After', '5');
  if (wantsJson(c)) return c.json(errorBody(c, e), status as 400);
  const t = translate(c);
  const body = errorBody(c, e);
  if (e.kind === 'Unauthenticated' && c.req.method === 'GET') {
    return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
  }
  return errorPage(
    c,
    status,
    t(TITLE_BY_KIND[e.kind]),
    body.error.message,
    body.error.fields?.map((f) => `${f.path}: ${f.text}`),
  );
}

export const onError: ErrorHandler<AppEnv> = async (err, c) => {
  if (err instanceof DomainError) {
    if (err.kind === 'Unavailable') c.get('log')?.warn({ err }, 'dependency unavailable');
    return respondWithDomainError(c, err);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const kind: ErrorKind =
      status === 413 ? 'TooLarge' : status === 401 ? 'Unauthenticated' : status === 403 ? 'Forbidden' : status === 404 ? 'NotFound' : 'BadRequest';
    return respondWithDomainError(c, new DomainError(kind, status === 413 ? 'REQUEST.BODY_TOO_LARGE' : 'REQUEST.INVALID', err.message));
  }
  if (isConnectionError(err)) {
    c.get('log')?.warn({ err }, 'database unavailable');
    return respondWithDomainError(c, new DomainError('Unavailable', 'SYSTEM.UNAVAILABLE', 'The database is unavailable', { cause: err }));
  }
  c.get('log')?.error({ err }, 'unhandled error');
  const t = translate(c);
  if (wantsJson(c)) {
    return c.json({ error: { code: 'SYSTEM.INTERNAL', message: t('SYSTEM.INTERNAL'), requestId: c.get('requestId') } }, 500);
  }
  return errorPage(c, 500, t('error.internal.title'), t('error.internal.body'));
};

export const onNotFound: NotFoundHandler<AppEnv> = async (c) => {
  const t = translate(c);
  if (wantsJson(c)) {
    return c.json({ error: { code: 'REQUEST.NOT_FOUND', message: t('REQUEST.NOT_FOUND'), requestId: c.get('requestId') } }, 404);
  }
  return errorPage(c, 404, t('error.notFound.title'), t('error.notFound.body'), undefined, true);
};

/** What a lost visitor can do next: search the site, or start from a top-level column. */
const NotFoundHelp = ({ ctx }: { ctx: ReturnType<typeof pageContext> }) => {
  const columns = ctx.site ? childrenOf(ctx.site.columns, null) : [];
  return (
    <div class="not-found-help">
      <p>{ctx.t('error.notFound.search')}</p>
      <SearchBox ctx={ctx} id="notfound-search" />
      {columns.length > 0 && (
        <ul class="town-list">
          {columns.map((col) => (
            <li>
              <a href={columnHref(col)}>{col.name}</a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
};

/** Connection-level failures from either engine, which mean "try again later" rather than "bug". */
function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003'].includes(code)) {
    return true;
  }
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|PGlite is closed/i.test(message);
}
