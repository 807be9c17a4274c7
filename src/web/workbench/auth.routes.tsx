/** Staff sign-in, sign-out and the workbench landing page. */
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { DomainError } from '../../kernel/errors.js';
import { CsrfField, Layout, pageContext, renderPage, type PageContext } from '../components/layout.js';
import type { AppEnv, Runtime } from '../context.js';
import { describe } from '../middleware/errors.js';
import { initiatorOf } from '../initiator.js';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from '../middleware/session.js';
import { WorkbenchLayout, requireActor } from './shell.js';

const SignInForm = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
  next: z.string().max(500).optional(),
});

/** Only same-site paths are followed after sign-in, never another host (no open redirect). */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/workbench';
}

const SignInPage: FC<{ ctx: PageContext; username?: string; next?: string; error?: string }> = ({ ctx, username, next, error }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('signIn.title')} crumbs={[{ label: t('signIn.title') }]}>
      <h1>{t('signIn.title')}</h1>
      <form method="post" action="/login" class="form" novalidate>
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

  app.get('/login', (c) => {
    if (c.get('actor')) return c.redirect(safeNext(c.req.query('next')), 303);
    return renderPage(c, <SignInPage ctx={pageContext(c)} next={c.req.query('next')} />);
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
      const session = await identity.signIn(username, password, clientMeta(c), getCookie(c, SESSION_COOKIE));
      setSessionCookie(c, runtime, session.token, session.expiresAt);
      c.get('log').info({ userId: session.user.id }, 'signed in');
      return c.redirect(safeNext(next), 303);
    } catch (e) {
      if (e instanceof DomainError && e.kind === 'Unauthenticated') {
        c.get('log').info({ username }, 'sign-in refused');
        return renderPage(c, <SignInPage ctx={ctx} username={username} next={next} error={describe(ctx.t, e.code, e.message)} />, 401);
      }
      throw e;
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
