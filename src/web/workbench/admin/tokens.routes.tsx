/** Administration of API tokens: issue (the secret is shown once), list, revoke. */
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { TOKEN_ACTIONS, tokenStatus, type ApiToken } from '../../../modules/tokens/index.js';
import { hasMessage } from '../../../locales/index.js';
import { formatDateTime } from '../../components/format.js';
import { CsrfField, pageContext, renderPage, type PageContext } from '../../components/layout.js';
import type { AppEnv, Runtime } from '../../context.js';
import { initiatorOf } from '../../initiator.js';
import { Notice, ProblemAlert, attempt, readForm, text, type FormBody } from '../forms.js';
import { WorkbenchLayout, requireCan } from '../shell.js';

const actionLabel = (ctx: PageContext, action: string) => {
  const key = `tokens.action.${action}`;
  return hasMessage(key) ? ctx.t(key) : action;
};

interface TokensPageProps {
  ctx: PageContext;
  tokens: readonly ApiToken[];
  includeRevoked: boolean;
  now: Date;
  issued?: { token: ApiToken; secret: string };
  problems?: string[];
  notice?: string;
  values?: { name: string; actions: string[]; scope: string; days: string };
}

const TokensPage: FC<TokensPageProps> = ({ ctx, tokens, includeRevoked, now, issued, problems, notice, values }) => {
  const { t, locale } = ctx;
  return (
    <WorkbenchLayout ctx={ctx} title={t('tokens.title')}>
      <h1>{t('tokens.title')}</h1>
      <p class="muted">{t('tokens.intro')}</p>
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      {issued && (
        <section class="card card-highlight" aria-labelledby="secret-heading">
          <h2 id="secret-heading">{t('tokens.secretTitle')}</h2>
          <p>{t('tokens.secretIntro')}</p>
          <p>
            <strong>{issued.token.name}</strong>
          </p>
          <p>
            <code class="secret" id="token-secret">
              {issued.secret}
            </code>
          </p>
        </section>
      )}
      <details class="card" open={!!problems || tokens.length === 0}>
        <summary>{t('tokens.issue')}</summary>
        <form method="post" action="/workbench/tokens" class="form" novalidate>
          <CsrfField token={ctx.csrfToken} />
          <div class="field">
            <label for="token-name">{t('tokens.name')}</label>
            <input id="token-name" name="name" type="text" maxlength={100} required value={values?.name ?? ''} />
          </div>
          <fieldset class="fieldset">
            <legend>{t('tokens.actions')}</legend>
            {TOKEN_ACTIONS.map((a) => (
              <div class="checkbox">
                <input id={`token-action-${a}`} name="actions" type="checkbox" value={a} checked={values?.actions.includes(a)} />
                <label for={`token-action-${a}`}>
                  {actionLabel(ctx, a)} <code>{a}</code>
                </label>
              </div>
            ))}
          </fieldset>
          <div class="field">
            <label for="token-scope">{t('tokens.scope')}</label>
            <input id="token-scope" name="scopeUnitCode" type="text" maxlength={40} value={values?.scope ?? ''} />
          </div>
          <div class="field">
            <label for="token-days">{t('tokens.expiresInDays')}</label>
            <input id="token-days" name="expiresInDays" type="number" min={1} max={3650} value={values?.days ?? ''} />
          </div>
          <button class="button" type="submit">
            {t('tokens.submit')}
          </button>
        </form>
      </details>
      <h2 id="tokens-list-heading">{t('tokens.list')}</h2>
      <form method="get" action="/workbench/tokens" class="toolbar">
        <div class="checkbox">
          <input id="tokens-revoked" name="revoked" type="checkbox" value="1" checked={includeRevoked} />
          <label for="tokens-revoked">{t('tokens.includeRevoked')}</label>
        </div>
        <button class="button button-secondary" type="submit">
          {t('wb.filter')}
        </button>
      </form>
      {tokens.length === 0 ? (
        <p class="muted">{t('tokens.none')}</p>
      ) : (
        <div class="table-scroll" role="region" tabindex={0} aria-labelledby="tokens-list-heading">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{t('tokens.col.name')}</th>
                <th scope="col">{t('tokens.prefix')}</th>
                <th scope="col">{t('tokens.actions')}</th>
                <th scope="col">{t('tokens.col.scope')}</th>
                <th scope="col">{t('tokens.issuedBy')}</th>
                <th scope="col">{t('tokens.expiresAt')}</th>
                <th scope="col">{t('tokens.lastUsed')}</th>
                <th scope="col">{t('tokens.status')}</th>
                <th scope="col">{t('wb.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((tok) => {
                const status = tokenStatus(tok, now);
                return (
                  <tr>
                    <td>
                      {tok.name} {tok.isDemo && <span class="badge badge-demo">{t('site.demoBadge')}</span>}
                    </td>
                    <td class="nowrap">
                      <code>{tok.displayPrefix}…</code>
                    </td>
                    <td>
                      <ul class="plain-list">
                        {tok.actions.map((a) => (
                          <li>{actionLabel(ctx, a)}</li>
                        ))}
                      </ul>
                    </td>
                    <td>{tok.scopeUnit ? `${tok.scopeUnit.name} (${tok.scopeUnit.code})` : t('tokens.scopeAll')}</td>
                    <td>
                      {tok.issuedBy ?? t('tokens.system')}
                      <br />
                      <span class="muted">{formatDateTime(tok.createdAt, locale)}</span>
                    </td>
                    <td class="nowrap">{tok.expiresAt ? formatDateTime(tok.expiresAt, locale) : t('tokens.never')}</td>
                    <td class="nowrap">{tok.lastUsedAt ? formatDateTime(tok.lastUsedAt, locale) : t('tokens.neverUsed')}</td>
                    <td class="nowrap">{t(`tokens.status.${status}`)}</td>
                    <td class="nowrap">
                      {!tok.revokedAt && (
                        <form method="post" action={`/workbench/tokens/${tok.id}/revoke`} class="inline-form">
                          <CsrfField token={ctx.csrfToken} />
                          <button type="submit" class="link-button" aria-label={`${t('tokens.revoke')}：${tok.name}`}>
                            {t('tokens.revoke')}
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </WorkbenchLayout>
  );
};

function checked(body: FormBody, name: string): string[] {
  const v = body[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string').slice(0, 50);
}

const STATUS = { Conflict: 409, Forbidden: 403 } as Record<string, number>;

export function tokenAdminRoutes(runtime: Runtime): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  async function show(c: Context<AppEnv>, extra: Partial<TokensPageProps> = {}, status = 200) {
    const actor = requireCan(c, 'token.manage');
    const includeRevoked = c.req.query('revoked') === '1';
    const tokens = await c.get('services').tokens.list(actor, { includeRevoked });
    return renderPage(c, <TokensPage ctx={pageContext(c)} tokens={tokens} includeRevoked={includeRevoked} now={runtime.clock.now()} {...extra} />, status);
  }

  app.get('/workbench/tokens', (c) => show(c, { notice: c.req.query('done') === 'revoked' ? c.get('t')('tokens.revoked') : undefined }));

  app.post('/workbench/tokens', async (c) => {
    const ctx = { actor: requireCan(c, 'token.manage'), by: initiatorOf(c) };
    const body = await readForm(c);
    const values = { name: text(body, 'name', 200), actions: checked(body, 'actions'), scope: text(body, 'scopeUnitCode', 40), days: text(body, 'expiresInDays', 10) };
    const result = await attempt(c.get('t'), () =>
      c.get('services').tokens.issue(ctx, { name: values.name, actions: values.actions, scopeUnitCode: values.scope || null, expiresInDays: values.days ? Number(values.days) : null }),
      { alsoForbidden: true },
    );
    if (!result.ok) return show(c, { problems: result.lines, values }, STATUS[result.error.kind] ?? 422);
    // The secret is in this response only: never cached, never repeated.
    c.header('Cache-Control', 'no-store');
    return show(c, { issued: result.value }, 201);
  });

  app.post('/workbench/tokens/:id{[0-9]+}/revoke', async (c) => {
    const ctx = { actor: requireCan(c, 'token.manage'), by: initiatorOf(c) };
    await c.get('services').tokens.revoke(ctx, Number(c.req.param('id')));
    return c.redirect('/workbench/tokens?done=revoked', 303);
  });

  return app;
}
