/**
 * Staff sign-in (a password, then a one-time code when the person has a second factor), sign-out and the
 * workbench landing page. Refusals say precisely why (wrong name or password — never which —, locked until when,
 * wrong or reused code, a session that ended) and keep what was typed, except passwords.
 */
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { DomainError } from '../../kernel/errors.js';
import { CsrfField, Layout, pageContext, renderPage, type PageContext } from '../components/layout.js';
import type { AppEnv, Runtime } from '../context.js';
import { describe } from '../middleware/errors.js';
import { initiatorOf } from '../initiator.js';
import { PENDING_COOKIE, SESSION_COOKIE, clearPendingCookie, clearSessionCookie, setPendingCookie, setSessionCookie } from '../middleware/session.js';
import { WorkbenchLayout, requireActor } from './shell.js';

const SignInForm = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
  next: z.string().max(500).optional(),
});

const VerifyForm = z.object({
  code: z.string().trim().min(1).max(40),
  next: z.string().max(500).optional(),
});

/** Notices the sign-in page shows for `?reason=` (a session that ended, a sign-out everywhere). */
const REASON_NOTICES = {
  expired: 'signIn.notice.expired',
  idle: 'signIn.notice.idle',
  invalid: 'signIn.notice.invalid',
  everywhere: 'signIn.notice.signedOutEverywhere',
} as const;

/** Only same-site paths are followed after sign-in, never another host (no open redirect). */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/workbench';
}

const SignInPage: FC<{ ctx: PageContext; username?: string; next?: string; error?: string; notice?: string }> = ({ ctx, username, next, error, notice }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('signIn.title')} crumbs={[{ label: t('signIn.title') }]}>
      <h1>{t('signIn.title')}</h1>
      <form method="post" action="/login" class="form" novalidate>
        {notice && !error && (
          <p class="alert alert-info" role="status">
            {notice}
          </p>
        )}
        {error && (
          <p class="alert alert-error" role="alert" id="signin-error">
            {error}
          </p>
        )}
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="next" value={safeNext(next)} />
        <div class="field">
          <label for="username">{t('signIn.username')}</label>
          <input
            id="username"
            name="username"
            type="text"
            autocomplete="username"
            required
            value={username ?? ''}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'signin-error' : undefined}
          />
        </div>
        <div class="field">
          <label for="password">{t('signIn.password')}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required aria-invalid={error ? 'true' : undefined} />
        </div>
        <button type="submit" class="button">
          {t('signIn.submit')}
        </button>
        {ctx.view.demo && <p class="muted">{t('signIn.demoHint')}</p>}
      </form>
    </Layout>
  );
};

const VerifyPage: FC<{ ctx: PageContext; next?: string; error?: string }> = ({ ctx, next, error }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('signIn.verify.title')} crumbs={[{ label: t('signIn.title'), href: '/login' }, { label: t('signIn.verify.title') }]}>
      <h1>{t('signIn.verify.title')}</h1>
      <form method="post" action="/login/verify" class="form" novalidate>
        {error && (
          <p class="alert alert-error" role="alert" id="verify-error">
            {error}
          </p>
        )}
        <p>{t('signIn.verify.intro')}</p>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="next" value={safeNext(next)} />
        <div class="field">
          <label for="code">{t('signIn.verify.code')}</label>
          <input
            id="code"
            name="code"
            type="text"
            inputmode="text"
            autocomplete="one-time-code"
            autocapitalize="characters"
            spellcheck={false}
            maxlength={20}
            required
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'verify-error code-hint' : 'code-hint'}
          />
          <p class="muted field-hint" id="code-hint">
            {t('signIn.verify.codeHint')}
          </p>
        </div>
        <button type="submit" class="button">
          {t('signIn.verify.submit')}
        </button>
        <p>
          <a href={`/login?next=${encodeURIComponent(safeNext(next))}`}>{t('signIn.verify.restart')}</a>
        </p>
      </form>
    </Layout>
  );
};

const WorkbenchPage: FC<{ ctx: PageContext }> = ({ ctx }) => {
  const { t } = ctx;
  const actor = ctx.actor!;
  return (
    <WorkbenchLayout ctx={ctx} title={t('workbench.title')} crumbs={[]}>
      <h1>{t('workbench.welcome', { name: actor.user.displayName })}</h1>
      <section class="card" aria-labelledby="posts-heading">
        <h2 id="posts-heading">{t('workbench.posts')}</h2>
        <ul>
          {actor.posts.map((p) => (
            <li>
              {p.unitName} · {t(`role.${p.role}`)}
            </li>
          ))}
        </ul>
      </section>
    </WorkbenchLayout>
  );
};

function clientMeta(c: Context<AppEnv>) {
  return { ip: c.get('clientIp'), userAgent: c.req.header('user-agent') ?? null };
}

export function authRoutes(runtime: Runtime): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  /** A refusal the sign-in pages show in place (401, or 429 with Retry-After for a lock). */
  function refusal(c: Context<AppEnv>, e: unknown): { status: 401 | 422 | 429; text: string } | undefined {
    if (!(e instanceof DomainError) || !['Unauthenticated', 'TooManyRequests', 'Invalid'].includes(e.kind)) return undefined;
    const retry = e.details.params?.retryAfterSeconds;
    if (retry !== undefined) c.header('Retry-After', String(retry));
    c.get('log').info({ code: e.code }, 'sign-in refused');
    const status = e.kind === 'TooManyRequests' ? 429 : e.kind === 'Invalid' ? 422 : 401;
    return { status, text: describe(c.get('t'), e.code, e.message, e.details.params) };
  }

  app.get('/login', (c) => {
    if (c.get('actor')) return c.redirect(safeNext(c.req.query('next')), 303);
    const reason = c.req.query('reason') ?? c.get('sessionEnded');
    const notice = reason && reason in REASON_NOTICES ? c.get('t')(REASON_NOTICES[reason as keyof typeof REASON_NOTICES]) : undefined;
    return renderPage(c, <SignInPage ctx={pageContext(c)} next={c.req.query('next')} notice={notice} />);
  });

  app.post('/login', async (c) => {
    const parsed = SignInForm.safeParse(await c.req.parseBody());
    const ctx = pageContext(c);
    if (!parsed.success) {
      return renderPage(c, <SignInPage ctx={ctx} error={ctx.t('AUTH.INVALID_CREDENTIALS')} />, 422);
    }
    const { username, password, next } = parsed.data;
    const identity = c.get('services').identity;
    try {
      // A new token at every sign-in (no session fixation); the previous session, if any, ends.
      const outcome = await identity.signIn(username, password, clientMeta(c), getCookie(c, SESSION_COOKIE));
      if (outcome.kind === 'second_factor') {
        setPendingCookie(c, runtime, outcome.pendingToken, outcome.expiresAt);
        return c.redirect(`/login/verify?next=${encodeURIComponent(safeNext(next))}`, 303);
      }
      setSessionCookie(c, runtime, outcome.token, outcome.expiresAt);
      c.get('log').info({ userId: outcome.user.id }, 'signed in');
      return c.redirect(safeNext(next), 303);
    } catch (e) {
      const r = refusal(c, e);
      if (!r) throw e;
      return renderPage(c, <SignInPage ctx={ctx} username={username} next={next} error={r.text} />, r.status);
    }
  });

  app.get('/login/verify', async (c) => {
    const pending = getCookie(c, PENDING_COOKIE);
    if (!pending || !(await c.get('services').identity.pendingSignInOpen(pending))) {
      clearPendingCookie(c);
      const ctx = pageContext(c);
      return renderPage(c, <SignInPage ctx={ctx} next={c.req.query('next')} error={ctx.t('AUTH.SECOND_FACTOR_EXPIRED')} />, 401);
    }
    return renderPage(c, <VerifyPage ctx={pageContext(c)} next={c.req.query('next')} />);
  });

  app.post('/login/verify', async (c) => {
    const parsed = VerifyForm.safeParse(await c.req.parseBody());
    const ctx = pageContext(c);
    const pending = getCookie(c, PENDING_COOKIE);
    if (!pending) return renderPage(c, <SignInPage ctx={ctx} error={ctx.t('AUTH.SECOND_FACTOR_EXPIRED')} />, 401);
    if (!parsed.success) return renderPage(c, <VerifyPage ctx={ctx} error={ctx.t('signIn.verify.missing')} />, 422);
    const { code, next } = parsed.data;
    try {
      const session = await c.get('services').identity.completeSignIn(pending, code, clientMeta(c), getCookie(c, SESSION_COOKIE));
      clearPendingCookie(c);
      setSessionCookie(c, runtime, session.token, session.expiresAt);
      c.get('log').info({ userId: session.user.id, method: session.method }, 'signed in');
      return c.redirect(safeNext(next), 303);
    } catch (e) {
      const r = refusal(c, e);
      if (!r) throw e;
      const code = (e as DomainError).code;
      // A wrong or reused code may be tried again on the same page; anything else starts over.
      if (code === 'AUTH.CODE_INVALID' || code === 'AUTH.CODE_REPLAYED') return renderPage(c, <VerifyPage ctx={ctx} next={next} error={r.text} />, r.status);
      clearPendingCookie(c);
      return renderPage(c, <SignInPage ctx={ctx} next={next} error={r.text} />, r.status);
    }
  });

  app.post('/logout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await c.get('services').identity.signOut(token, initiatorOf(c));
    clearSessionCookie(c);
    return c.redirect('/', 303);
  });

  app.get('/workbench', (c) => {
    requireActor(c);
    return renderPage(c, <WorkbenchPage ctx={pageContext(c)} />);
  });

  return app;
}
