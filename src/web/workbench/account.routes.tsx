/**
 * One's own account: the devices signed in (and signing out everywhere), changing the password, and the optional
 * second factor (set-up with a QR code drawn on the server, recovery codes shown once, renewal, turning it off).
 */
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import QRCode from 'qrcode';
import { DomainError } from '../../kernel/errors.js';
import { MIN_PASSWORD_LENGTH, type Enrollment, type SecondFactorStatus, type SessionInfo } from '../../modules/identity/index.js';
import { formatDate, formatDateTime } from '../components/format.js';
import { CsrfField, pageContext, renderPage, type PageContext } from '../components/layout.js';
import type { AppEnv, Runtime } from '../context.js';
import { initiatorOf } from '../initiator.js';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from '../middleware/session.js';
import { Notice, ProblemAlert, problemLines, readForm, text } from './forms.js';
import { WorkbenchLayout, requireActor } from './shell.js';

const clientMeta = (c: Context<AppEnv>) => ({ ip: c.get('clientIp'), userAgent: c.req.header('user-agent') ?? null });

/** Runs a form action; a domain error a person can act on (wrong input, a lock) comes back as lines to show. */
async function tryForm<R>(c: Context<AppEnv>, fn: () => Promise<R>): Promise<{ ok: true; value: R } | { ok: false; lines: string[]; error: DomainError; status: number }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (e instanceof DomainError && ['Invalid', 'Conflict', 'TooManyRequests'].includes(e.kind)) {
      const retry = e.details.params?.retryAfterSeconds;
      if (retry !== undefined) c.header('Retry-After', String(retry));
      return { ok: false, lines: problemLines(c.get('t'), e), error: e, status: e.kind === 'TooManyRequests' ? 429 : e.kind === 'Conflict' ? 409 : 422 };
    }
    throw e;
  }
}

const invalidFields = (error?: DomainError) => new Set((error?.details.fields ?? []).map((f) => f.path));

/** A short, readable name for a browser's User-Agent string. */
function browserName(ua: string | null): string {
  if (!ua) return '—';
  const match = /(MicroMessenger|Edg|Firefox|Chrome|Safari)\/[\d.]+/.exec(ua);
  const os = /(Windows|Android|iPhone|iPad|Mac OS X|Linux)/.exec(ua)?.[1];
  return [match?.[0].replace('Edg/', 'Edge/').replace(/\.[\d.]+$/, ''), os].filter(Boolean).join(' · ') || ua.slice(0, 40);
}

const AccountPage: FC<{ ctx: PageContext; sessions: readonly SessionInfo[]; status: SecondFactorStatus; notice?: string }> = ({ ctx, sessions, status, notice }) => {
  const { t, locale } = ctx;
  const actor = ctx.actor!;
  return (
    <WorkbenchLayout ctx={ctx} title={t('account.title')}>
      <h1>{t('account.title')}</h1>
      <Notice text={notice} />
      <section class="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t('account.profile')}</h2>
        <dl class="facts">
          <dt>{t('account.username')}</dt>
          <dd>
            <code>{actor.user.username}</code>
          </dd>
          <dt>{t('account.displayName')}</dt>
          <dd>{actor.user.displayName}</dd>
          <dt>{t('account.password')}</dt>
          <dd>
            <a href="/workbench/account/password">{t('account.changePassword')}</a>
          </dd>
          <dt>{t('account.secondFactor')}</dt>
          <dd>
            {status.enrolled ? t('account.secondFactorOn', { date: formatDate(status.enrolledAt!, locale), left: status.recoveryCodesLeft }) : t('account.secondFactorOff')}{' '}
            <a href="/workbench/account/second-factor">{t('account.manageSecondFactor')}</a>
          </dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">{t('account.sessions')}</h2>
        <p class="muted">{t('account.sessionsHelp')}</p>
        <div class="table-scroll" role="region" tabindex={0} aria-labelledby="sessions-heading">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{t('account.session.signedInAt')}</th>
                <th scope="col">{t('account.session.lastSeen')}</th>
                <th scope="col">{t('account.session.address')}</th>
                <th scope="col">{t('account.session.browser')}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr>
                  <td>
                    {formatDateTime(s.createdAt, locale)} {s.current && <span class="pill">{t('account.session.current')}</span>}
                  </td>
                  <td>{formatDateTime(s.lastSeenAt, locale)}</td>
                  <td>{s.ip ?? '—'}</td>
                  <td>{browserName(s.userAgent)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form method="post" action="/workbench/account/sign-out-everywhere" class="toolbar">
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" class="button button-secondary" aria-describedby="everywhere-help">
            {t('account.signOutEverywhere')}
          </button>
          <span class="muted" id="everywhere-help">
            {t('account.signOutEverywhereHelp')}
          </span>
        </form>
      </section>
    </WorkbenchLayout>
  );
};

const PasswordPage: FC<{ ctx: PageContext; problems?: string[]; error?: DomainError }> = ({ ctx, problems, error }) => {
  const { t } = ctx;
  const bad = invalidFields(error);
  const field = (name: string, label: string, autocomplete: string, describedBy?: string) => (
    <div class="field">
      <label for={name}>{label}</label>
      <input id={name} name={name} type="password" autocomplete={autocomplete} required aria-invalid={bad.has(name) ? 'true' : undefined} aria-describedby={describedBy} />
    </div>
  );
  return (
    <WorkbenchLayout ctx={ctx} title={t('password.title')} crumbs={[{ label: t('account.title'), href: '/workbench/account' }, { label: t('password.title') }]}>
      <h1>{t('password.title')}</h1>
      {ctx.actor?.user.passwordChangeRequired && (
        <p class="alert alert-warn" role="status">
          {t('password.required')}
        </p>
      )}
      <form method="post" action="/workbench/account/password" class="form" novalidate>
        <ProblemAlert lines={problems} />
        <CsrfField token={ctx.csrfToken} />
        {field('currentPassword', t('password.current'), 'current-password')}
        {field('newPassword', t('password.new'), 'new-password', 'password-rules')}
        <p class="muted field-hint" id="password-rules">
          {t('password.rules', { min: MIN_PASSWORD_LENGTH })}
        </p>
        {field('confirmPassword', t('password.confirm'), 'new-password')}
        <button type="submit" class="button">
          {t('password.submit')}
        </button>
      </form>
    </WorkbenchLayout>
  );
};

function escapeAttribute(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
}

/** The otpauth URI as an SVG QR code drawn on the server (no script, no external service). */
async function qrSvg(uri: string, label: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return svg.replace('<svg ', `<svg class="qr-code" role="img" aria-label="${escapeAttribute(label)}" focusable="false" `);
}

interface SecondFactorPageProps {
  ctx: PageContext;
  status: SecondFactorStatus;
  enrollment?: Enrollment & { svg: string };
  recoveryCodes?: readonly string[];
  problems?: string[];
  error?: DomainError;
  notice?: string;
}

const SecondFactorPage: FC<SecondFactorPageProps> = ({ ctx, status, enrollment, recoveryCodes, problems, error, notice }) => {
  const { t, locale } = ctx;
  const bad = invalidFields(error);
  const title = recoveryCodes ? t('totp.recoveryTitle') : t('totp.title');
  const passwordForm = (action: string, id: string, submit: string, help: string) => (
    <form method="post" action={`/workbench/account/second-factor/${action}`} class="form card">
      <CsrfField token={ctx.csrfToken} />
      <div class="field">
        <label for={`${id}-password`}>{t('totp.passwordToConfirm')}</label>
        <input id={`${id}-password`} name="password" type="password" autocomplete="current-password" required aria-describedby={`${id}-help`} />
      </div>
      <p class="muted" id={`${id}-help`}>
        {help}
      </p>
      <button type="submit" class="button button-secondary">
        {submit}
      </button>
    </form>
  );
  return (
    <WorkbenchLayout ctx={ctx} title={title} crumbs={[{ label: t('account.title'), href: '/workbench/account' }, { label: title }]}>
      <h1>{title}</h1>
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      {recoveryCodes ? (
        <section class="card" aria-labelledby="codes-heading">
          <h2 id="codes-heading" class="visually-hidden">
            {t('totp.recoveryTitle')}
          </h2>
          <p>{t('totp.recoveryIntro')}</p>
          <ol class="recovery-codes">
            {recoveryCodes.map((code) => (
              <li>
                <code>{code}</code>
              </li>
            ))}
          </ol>
          <p>
            <a class="button" href="/workbench/account">
              {t('totp.recoveryDone')}
            </a>
          </p>
        </section>
      ) : status.enrolled ? (
        <>
          <p>{t('totp.status', { date: formatDate(status.enrolledAt!, locale), left: status.recoveryCodesLeft })}</p>
          {passwordForm('recovery-codes', 'renew', t('totp.renew'), t('totp.renewHelp'))}
          {passwordForm('disable', 'disable', t('totp.disable'), t('totp.disableHelp'))}
        </>
      ) : (
        <>
          <p>{t('totp.intro')}</p>
          {enrollment ? (
            <>
              <section class="card" aria-labelledby="step1-heading">
                <h2 id="step1-heading">{t('totp.step1')}</h2>
                <div class="totp-qr">{raw(enrollment.svg)}</div>
                <p>
                  {t('totp.manualEntry')} <code class="secret">{enrollment.secretText}</code>
                </p>
              </section>
              <section class="card" aria-labelledby="step2-heading">
                <h2 id="step2-heading">{t('totp.step2')}</h2>
                <form method="post" action="/workbench/account/second-factor/confirm" class="form" novalidate>
                  <CsrfField token={ctx.csrfToken} />
                  <div class="field">
                    <label for="totp-code">{t('totp.code')}</label>
                    <input id="totp-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength={7} required aria-invalid={bad.has('code') ? 'true' : undefined} />
                  </div>
                  <button type="submit" class="button">
                    {t('totp.confirm')}
                  </button>
                </form>
              </section>
            </>
          ) : null}
          <form method="post" action="/workbench/account/second-factor/start" class="toolbar">
            <CsrfField token={ctx.csrfToken} />
            <button type="submit" class={enrollment ? 'button button-secondary' : 'button'}>
              {enrollment ? t('totp.restart') : t('totp.start')}
            </button>
          </form>
        </>
      )}
    </WorkbenchLayout>
  );
};

export function accountRoutes(runtime: Runtime): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  async function showAccount(c: Context<AppEnv>, notice?: string) {
    const actor = requireActor(c);
    const { identity, secondFactor } = c.get('services');
    const [sessions, status] = await Promise.all([identity.listSessions(actor.userId, getCookie(c, SESSION_COOKIE)), secondFactor.status(actor.userId)]);
    return renderPage(c, <AccountPage ctx={pageContext(c)} sessions={sessions} status={status} notice={notice} />);
  }

  async function showSecondFactor(c: Context<AppEnv>, extra: Partial<SecondFactorPageProps> = {}, status = 200) {
    const actor = requireActor(c);
    const t = c.get('t');
    const { secondFactor } = c.get('services');
    const factor = await secondFactor.status(actor.userId);
    let enrollment: SecondFactorPageProps['enrollment'];
    if (!factor.enrolled && factor.enrolling && !extra.recoveryCodes) {
      const pending = await secondFactor.pendingEnrollment(actor, t('site.name'));
      if (pending) enrollment = { ...pending, svg: await qrSvg(pending.uri, t('totp.qrLabel')) };
      else extra = { ...extra, problems: [...(extra.problems ?? []), t('totp.unreadable')] };
    }
    // The secret and recovery codes must not linger in a cache.
    c.header('Cache-Control', 'no-store');
    return renderPage(c, <SecondFactorPage ctx={pageContext(c)} status={factor} enrollment={enrollment} {...extra} />, status);
  }

  app.get('/workbench/account', (c) => showAccount(c, c.req.query('done') === 'password' ? c.get('t')('password.changed') : undefined));

  app.post('/workbench/account/sign-out-everywhere', async (c) => {
    const actor = requireActor(c);
    await c.get('services').identity.signOutEverywhere(actor, initiatorOf(c));
    clearSessionCookie(c);
    return c.redirect('/login?reason=everywhere', 303);
  });

  app.get('/workbench/account/password', (c) => {
    requireActor(c);
    return renderPage(c, <PasswordPage ctx={pageContext(c)} />);
  });

  app.post('/workbench/account/password', async (c) => {
    const actor = requireActor(c);
    const body = await readForm(c);
    const t = c.get('t');
    const [currentPassword, newPassword, confirmPassword] = ['currentPassword', 'newPassword', 'confirmPassword'].map((n) => {
      const v = body[n];
      return typeof v === 'string' ? v.slice(0, 200) : '';
    }) as [string, string, string];
    if (newPassword !== confirmPassword) {
      const error = new DomainError('Invalid', 'AUTH.PASSWORD_MISMATCH', 'The new passwords differ', {
        fields: [{ path: 'confirmPassword', code: 'AUTH.PASSWORD_MISMATCH', message: 'the new passwords differ' }],
      });
      return renderPage(c, <PasswordPage ctx={pageContext(c)} problems={[t('AUTH.PASSWORD_MISMATCH')]} error={error} />, 422);
    }
    const result = await tryForm(c, () => c.get('services').identity.changePassword(actor, { currentPassword, newPassword }, clientMeta(c)));
    if (!result.ok) return renderPage(c, <PasswordPage ctx={pageContext(c)} problems={result.lines} error={result.error} />, result.status);
    setSessionCookie(c, runtime, result.value.token, result.value.expiresAt);
    return c.redirect('/workbench/account?done=password', 303);
  });

  app.get('/workbench/account/second-factor', (c) => {
    const done = c.req.query('done');
    const t = c.get('t');
    return showSecondFactor(c, { notice: done === 'disabled' ? t('totp.disabled') : undefined });
  });

  app.post('/workbench/account/second-factor/start', async (c) => {
    const actor = requireActor(c);
    const result = await tryForm(c, () => c.get('services').secondFactor.startEnrollment(actor, c.get('t')('site.name')));
    if (!result.ok) return showSecondFactor(c, { problems: result.lines, error: result.error }, result.status);
    return c.redirect('/workbench/account/second-factor', 303);
  });

  app.post('/workbench/account/second-factor/confirm', async (c) => {
    const actor = requireActor(c);
    const code = text(await readForm(c), 'code', 20);
    const result = await tryForm(c, () => c.get('services').secondFactor.confirmEnrollment(actor, code, initiatorOf(c), getCookie(c, SESSION_COOKIE)));
    if (!result.ok) return showSecondFactor(c, { problems: result.lines, error: result.error }, result.status);
    return showSecondFactor(c, { recoveryCodes: result.value, notice: c.get('t')('totp.enabled') });
  });

  app.post('/workbench/account/second-factor/recovery-codes', async (c) => {
    const actor = requireActor(c);
    const body = await readForm(c);
    const password = typeof body.password === 'string' ? body.password.slice(0, 200) : '';
    const result = await tryForm(c, () => c.get('services').secondFactor.renewRecoveryCodes(actor, password, clientMeta(c)));
    if (!result.ok) return showSecondFactor(c, { problems: result.lines, error: result.error }, result.status);
    return showSecondFactor(c, { recoveryCodes: result.value });
  });

  app.post('/workbench/account/second-factor/disable', async (c) => {
    const actor = requireActor(c);
    const body = await readForm(c);
    const password = typeof body.password === 'string' ? body.password.slice(0, 200) : '';
    const result = await tryForm(c, () => c.get('services').secondFactor.disable(actor, password, clientMeta(c)));
    if (!result.ok) return showSecondFactor(c, { problems: result.lines, error: result.error }, result.status);
    return c.redirect('/workbench/account/second-factor?done=disabled', 303);
  });

  return app;
}
