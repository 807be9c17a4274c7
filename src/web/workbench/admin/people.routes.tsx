/**
 * Administration of people and posts: search (within the reader's scope), create, edit, disable, posts with their
 * "1+3+N" team place, explicit permissions, new passwords, sign-in locks, second-factor reset, and CSV import.
 * What each person may see and change comes from the people service, which asks the access policy.
 */
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { DomainError } from '../../../kernel/errors.js';
import { can } from '../../../modules/access/index.js';
import { GRANTABLE, MIN_PASSWORD_LENGTH, ROLES, TEAM_ROLES, type PersonDetail, type PersonPost, type PersonSummary, type SignInLock, type StaffImportResult } from '../../../modules/identity/index.js';
import { hasMessage } from '../../../locales/index.js';
import { formatDate, formatDateTime } from '../../components/format.js';
import { CsrfField, pageContext, renderPage, type PageContext } from '../../components/layout.js';
import type { AppEnv } from '../../context.js';
import { initiatorOf } from '../../initiator.js';
import { describe } from '../../middleware/errors.js';
import { ImportProblemTable, Notice, ProblemAlert, attempt, file, readForm, text } from '../forms.js';
import { WorkbenchLayout, requireCan } from '../shell.js';

const label = (ctx: PageContext, key: string, fallback: string) => (hasMessage(key) ? ctx.t(key) : fallback);
const roleLabel = (ctx: PageContext, role: string) => label(ctx, `role.${role}`, role);
const teamLabel = (ctx: PageContext, team: string | null) => (team ? label(ctx, `team.${team}`, team) : '');

const PostList: FC<{ ctx: PageContext; posts: readonly PersonPost[] }> = ({ ctx, posts }) =>
  posts.length === 0 ? (
    <span class="muted">{ctx.t('people.noPosts')}</span>
  ) : (
    <ul class="plain-list">
      {posts.map((p) => (
        <li>
          {p.unitName} · {roleLabel(ctx, p.role)}
          {p.teamRole && ` · ${teamLabel(ctx, p.teamRole)}`}
        </li>
      ))}
    </ul>
  );

const RoleFields: FC<{ ctx: PageContext; prefix: string }> = ({ ctx, prefix }) => (
  <>
    <div class="field">
      <label for={`${prefix}-unit`}>{ctx.t('people.unitCode')}</label>
      <input id={`${prefix}-unit`} name="unitCode" type="text" maxlength={40} />
    </div>
    <div class="field">
      <label for={`${prefix}-role`}>{ctx.t('people.role')}</label>
      <select id={`${prefix}-role`} name="role">
        {ROLES.map((r) => (
          <option value={r} selected={r === 'grid_worker'}>
            {roleLabel(ctx, r)}
          </option>
        ))}
      </select>
    </div>
    <div class="field">
      <label for={`${prefix}-team`}>{ctx.t('people.teamRole')}</label>
      <select id={`${prefix}-team`} name="teamRole">
        <option value="">{ctx.t('people.teamRole.none')}</option>
        {TEAM_ROLES.map((r) => (
          <option value={r}>{teamLabel(ctx, r)}</option>
        ))}
      </select>
    </div>
  </>
);

const ImportResultTable: FC<{ ctx: PageContext; error: DomainError }> = ({ ctx, error }) => {
  const { t } = ctx;
  const rows = error.details.fields ?? [];
  return (
    <div class="alert alert-error" role="alert">
      <p>{describe(t, error.code, error.message, error.details.params)}</p>
      <ImportProblemTable t={t} rows={rows} />
    </div>
  );
};

interface ListProps {
  ctx: PageContext;
  people: readonly PersonSummary[];
  query: { q: string; unit: string; disabled: boolean; page: number };
  hasMore: boolean;
  locks: readonly SignInLock[];
  importResult?: StaffImportResult;
  importError?: DomainError;
  problems?: string[];
  notice?: string;
}

const PeopleListPage: FC<ListProps> = ({ ctx, people, query, hasMore, locks, importResult, importError, problems, notice }) => {
  const { t, locale } = ctx;
  const manage = can(ctx.actor, 'user.manage');
  const pageLink = (page: number) => `/workbench/people?${new URLSearchParams({ q: query.q, unit: query.unit, ...(query.disabled ? { disabled: '1' } : {}), page: String(page) })}`;
  return (
    <WorkbenchLayout ctx={ctx} title={t('people.title')}>
      <h1>{t('people.title')}</h1>
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      <form method="get" action="/workbench/people" class="toolbar" role="search">
        <div class="field">
          <label for="people-q">{t('people.search')}</label>
          <input id="people-q" name="q" type="text" value={query.q} maxlength={50} />
        </div>
        <div class="field">
          <label for="people-unit">{t('people.unitFilter')}</label>
          <input id="people-unit" name="unit" type="text" value={query.unit} maxlength={40} />
        </div>
        <div class="field checkbox">
          <input id="people-disabled" name="disabled" type="checkbox" value="1" checked={query.disabled} />
          <label for="people-disabled">{t('people.includeDisabled')}</label>
        </div>
        <button class="button button-secondary" type="submit">
          {t('wb.search')}
        </button>
        {manage && (
          <a class="button" href="/workbench/people/new">
            {t('people.create')}
          </a>
        )}
      </form>
      {people.length === 0 ? (
        <p class="muted">{t('people.none')}</p>
      ) : (
        <div class="table-scroll" role="region" tabindex={0} aria-label={t('people.title')}>
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{t('people.username')}</th>
                <th scope="col">{t('people.displayName')}</th>
                <th scope="col">{t('people.posts')}</th>
                <th scope="col">{t('people.status')}</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr>
                  <td>
                    <a href={`/workbench/people/${p.id}`}>{p.username}</a>
                  </td>
                  <td>
                    {p.displayName} {p.isDemo && <span class="badge badge-demo">{t('site.demoBadge')}</span>}
                  </td>
                  <td>
                    <PostList ctx={ctx} posts={p.posts} />
                  </td>
                  <td>
                    {p.disabledAt ? t('people.disabled') : t('people.active')}
                    {!p.hasPassword && <span class="muted"> · {t('people.noPassword')}</span>}
                    {p.passwordChangeRequired && <span class="muted"> · {t('people.passwordChangePending')}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(query.page > 1 || hasMore) && (
        <nav class="toolbar" aria-label={t('people.title')}>
          {query.page > 1 && <a href={pageLink(query.page - 1)}>{t('people.previous')}</a>}
          {hasMore && <a href={pageLink(query.page + 1)}>{t('people.next')}</a>}
        </nav>
      )}
      {manage && (
        <>
          <section class="card" aria-labelledby="locks-heading">
            <h2 id="locks-heading">{t('people.locks')}</h2>
            {locks.length === 0 ? (
              <p class="muted">{t('people.locksNone')}</p>
            ) : (
              <div class="table-scroll" role="region" tabindex={0} aria-labelledby="locks-heading">
                <table class="data">
                  <thead>
                    <tr>
                      <th scope="col">{t('people.lock.account')}</th>
                      <th scope="col">{t('people.lock.until')}</th>
                      <th scope="col">{t('wb.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {locks.map((l) => (
                      <tr>
                        <td>
                          {l.scope === 'account' ? t('people.lock.account') : t('people.lock.address')}: <code>{l.key}</code>
                        </td>
                        <td>{formatDateTime(l.lockedUntil, locale)}</td>
                        <td>
                          {l.scope === 'address' && (
                            <form method="post" action="/workbench/people/unlock-address" class="inline-form">
                              <CsrfField token={ctx.csrfToken} />
                              <input type="hidden" name="address" value={l.key} />
                              <button type="submit" class="link-button">
                                {t('people.unlock')}
                              </button>
                            </form>
                          )}
                          {l.scope === 'account' && <a href={`/workbench/people?q=${encodeURIComponent(l.key)}`}>{t('wb.search')}</a>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section class="card" aria-labelledby="import-heading">
            <h2 id="import-heading">{t('people.import')}</h2>
            <p class="muted">{t('people.importHelp')}</p>
            {importResult && <Notice text={t('people.importDone', { ...importResult })} />}
            {importError && <ImportResultTable ctx={ctx} error={importError} />}
            <form method="post" action="/workbench/people/import" enctype="multipart/form-data">
              <CsrfField token={ctx.csrfToken} />
              <div class="field">
                <label for="people-csv">{t('people.importFile')}</label>
                <input id="people-csv" name="file" type="file" accept=".csv,text/csv" required />
              </div>
              <button class="button" type="submit">
                {t('people.importSubmit')}
              </button>
            </form>
          </section>
        </>
      )}
    </WorkbenchLayout>
  );
};

const NewPersonPage: FC<{ ctx: PageContext; values?: Record<string, string>; problems?: string[] }> = ({ ctx, values = {}, problems }) => {
  const { t } = ctx;
  const input = (name: string, labelText: string, type = 'text', autocomplete?: string, describedBy?: string) => (
    <div class="field">
      <label for={`new-${name}`}>{labelText}</label>
      <input id={`new-${name}`} name={name} type={type} value={type === 'password' ? '' : (values[name] ?? '')} autocomplete={autocomplete} aria-describedby={describedBy} />
    </div>
  );
  return (
    <WorkbenchLayout ctx={ctx} title={t('people.create')} crumbs={[{ label: t('people.title'), href: '/workbench/people' }, { label: t('people.create') }]}>
      <h1>{t('people.create')}</h1>
      <form method="post" action="/workbench/people" class="form" novalidate>
        <ProblemAlert lines={problems} />
        <CsrfField token={ctx.csrfToken} />
        {input('username', t('people.username'), 'text', 'off')}
        {input('displayName', t('people.displayName'))}
        {input('phone', t('people.phone'), 'tel')}
        {input('password', t('people.password'), 'password', 'new-password', 'new-password-help')}
        <p class="muted field-hint" id="new-password-help">
          {t('people.createHelp')} {t('password.rules', { min: MIN_PASSWORD_LENGTH })}
        </p>
        <fieldset class="fieldset">
          <legend>{t('people.firstPost')}</legend>
          <RoleFields ctx={ctx} prefix="new" />
        </fieldset>
        <button class="button" type="submit">
          {t('people.save')}
        </button>
      </form>
    </WorkbenchLayout>
  );
};

const PersonPage: FC<{ ctx: PageContext; person: PersonDetail; problems?: string[]; notice?: string }> = ({ ctx, person, problems, notice }) => {
  const { t, locale } = ctx;
  const op = (name: string) => `/workbench/people/${person.id}/${name}`;
  const manage = person.manageable;
  const button = (action: string, textLabel: string, secondary = true, hidden?: Record<string, string>, help?: string) => (
    <form method="post" action={op(action)} class="toolbar">
      <CsrfField token={ctx.csrfToken} />
      {hidden && Object.entries(hidden).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <button type="submit" class={secondary ? 'button button-secondary' : 'button'}>
        {textLabel}
      </button>
      {help && <span class="muted">{help}</span>}
    </form>
  );
  return (
    <WorkbenchLayout ctx={ctx} title={person.displayName} crumbs={[{ label: t('people.title'), href: '/workbench/people' }, { label: person.displayName }]}>
      <h1>
        {person.displayName} {person.isDemo && <span class="badge badge-demo">{t('site.demoBadge')}</span>}
      </h1>
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      <section class="card" aria-labelledby="facts-heading">
        <h2 id="facts-heading">{t('people.detail.facts')}</h2>
        <dl class="facts">
          <dt>{t('people.username')}</dt>
          <dd>
            <code>{person.username}</code>
          </dd>
          <dt>{t('people.phone')}</dt>
          <dd>{person.phone ?? '—'}</dd>
          <dt>{t('people.status')}</dt>
          <dd>{person.disabledAt ? t('people.disabled') : t('people.active')}</dd>
          <dt>{t('people.detail.canSignIn')}</dt>
          <dd>
            {person.hasPassword && !person.disabledAt ? t('wb.yes') : t('people.noPassword')}
            {person.passwordChangeRequired && <span class="muted"> · {t('people.passwordChangePending')}</span>}
          </dd>
          <dt>{t('people.detail.sessions')}</dt>
          <dd>{person.sessions}</dd>
          <dt>{t('people.detail.secondFactor')}</dt>
          <dd>{person.secondFactor ? t('people.secondFactorOn') : t('wb.no')}</dd>
          <dt>{t('people.detail.lock')}</dt>
          <dd>{person.lockedUntil ? t('people.lockedUntil', { time: formatDateTime(person.lockedUntil, locale) }) : t('people.detail.notLocked')}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="posts-heading">
        <h2 id="posts-heading">{t('people.detail.currentPosts')}</h2>
        {person.posts.length === 0 ? (
          <p class="muted">{t('people.noPosts')}</p>
        ) : (
          <div class="table-scroll" role="region" tabindex={0} aria-labelledby="posts-heading">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{t('units.name')}</th>
                  <th scope="col">{t('people.role')}</th>
                  <th scope="col">{t('people.teamRole')}</th>
                  <th scope="col">{t('people.detail.since')}</th>
                  {manage && <th scope="col">{t('wb.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {person.posts.map((p) => (
                  <tr>
                    <td>
                      {p.unitName} <code>{p.unitCode}</code>
                    </td>
                    <td>{roleLabel(ctx, p.role)}</td>
                    <td>{teamLabel(ctx, p.teamRole) || '—'}</td>
                    <td>{formatDate(p.createdAt, locale)}</td>
                    {manage && (
                      <td>
                        <form method="post" action={op('end-post')} class="inline-form">
                          <CsrfField token={ctx.csrfToken} />
                          <input type="hidden" name="postId" value={String(p.id)} />
                          <button type="submit" class="link-button">
                            {t('people.endPost')}
                          </button>
                        </form>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {person.endedPosts.length > 0 && (
          <>
            <h3>{t('people.detail.endedPosts')}</h3>
            <ul class="plain-list muted">
              {person.endedPosts.map((p) => (
                <li>
                  {p.unitName} · {roleLabel(ctx, p.role)}
                  {p.teamRole && ` · ${teamLabel(ctx, p.teamRole)}`} · {formatDate(p.createdAt, locale)} – {formatDate(p.endedAt!, locale)}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section class="card" aria-labelledby="grants-heading">
        <h2 id="grants-heading">{t('people.detail.grants')}</h2>
        {person.grants.length === 0 ? (
          <p class="muted">{t('people.detail.noGrants')}</p>
        ) : (
          <ul class="plain-list">
            {person.grants.map((g) => (
              <li>
                {label(ctx, `permission.${g.permission}`, g.permission)} · {formatDate(g.grantedAt, locale)}
                {g.grantedBy && ` · ${t('people.detail.grantedBy')} ${g.grantedBy}`}
                {manage && (
                  <form method="post" action={op('revoke')} class="inline-form">
                    <CsrfField token={ctx.csrfToken} />
                    <input type="hidden" name="permission" value={g.permission} />{' '}
                    <button type="submit" class="link-button">
                      {t('people.revoke')}
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      {manage && (
        <>
          <details class="card">
            <summary>{t('people.edit')}</summary>
            <form method="post" action={op('edit')} class="form">
              <CsrfField token={ctx.csrfToken} />
              <div class="field">
                <label for="edit-name">{t('people.displayName')}</label>
                <input id="edit-name" name="displayName" type="text" value={person.displayName} />
              </div>
              <div class="field">
                <label for="edit-phone">{t('people.phone')}</label>
                <input id="edit-phone" name="phone" type="tel" value={person.phone ?? ''} />
              </div>
              <button class="button" type="submit">
                {t('wb.save')}
              </button>
            </form>
          </details>
          <details class="card">
            <summary>{t('people.addPost')}</summary>
            <form method="post" action={op('add-post')} class="form">
              <CsrfField token={ctx.csrfToken} />
              <RoleFields ctx={ctx} prefix="post" />
              <button class="button" type="submit">
                {t('people.addPost')}
              </button>
            </form>
          </details>
          <details class="card">
            <summary>{t('people.grant')}</summary>
            <form method="post" action={op('grant')} class="form">
              <CsrfField token={ctx.csrfToken} />
              <div class="field">
                <label for="grant-permission">{t('people.permission')}</label>
                <select id="grant-permission" name="permission">
                  {GRANTABLE.map((p) => (
                    <option value={p}>{label(ctx, `permission.${p}`, p)}</option>
                  ))}
                </select>
              </div>
              <button class="button" type="submit">
                {t('people.grant')}
              </button>
            </form>
          </details>
          <details class="card">
            <summary>{t('people.setPassword')}</summary>
            <form method="post" action={op('password')} class="form">
              <CsrfField token={ctx.csrfToken} />
              <p class="muted" id="reset-help">
                {t('people.setPasswordHelp')} {t('password.rules', { min: MIN_PASSWORD_LENGTH })}
              </p>
              <div class="field">
                <label for="reset-password">{t('people.newPassword')}</label>
                <input id="reset-password" name="password" type="password" autocomplete="new-password" required aria-describedby="reset-help" />
              </div>
              <button class="button" type="submit">
                {t('people.setPassword')}
              </button>
            </form>
          </details>
          {person.lockedUntil && button('unlock', t('people.unlock'), false)}
          {person.secondFactor && button('reset-second-factor', t('people.resetSecondFactor'), true, undefined, t('people.resetSecondFactorHelp'))}
          {person.disabledAt ? button('enable', t('people.enable'), false) : button('disable', t('people.disable'), true, undefined, t('people.disableHelp'))}
        </>
      )}
    </WorkbenchLayout>
  );
};

const STATUS = { Conflict: 409, Forbidden: 403, NotFound: 404 } as Record<string, number>;
const OPS = 'edit|disable|enable|add-post|end-post|grant|revoke|password|unlock|reset-second-factor';

export function peopleAdminRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  async function showList(c: Context<AppEnv>, extra: Partial<ListProps> = {}, status = 200) {
    const actor = requireCan(c, 'user.read');
    const { people } = c.get('services');
    const query = {
      q: (c.req.query('q') ?? '').trim().slice(0, 50),
      unit: (c.req.query('unit') ?? '').trim().slice(0, 40),
      disabled: c.req.query('disabled') === '1',
      page: Math.max(1, Number(c.req.query('page')) || 1),
    };
    const [found, locks] = await Promise.all([
      people.search(actor, { text: query.q, unitCode: query.unit, includeDisabled: query.disabled, page: query.page }),
      can(actor, 'user.manage') ? people.activeLocks(actor) : Promise.resolve([]),
    ]);
    return renderPage(c, <PeopleListPage ctx={pageContext(c)} people={found.people} hasMore={found.hasMore} query={query} locks={locks} {...extra} />, status);
  }

  async function showPerson(c: Context<AppEnv>, id: number, extra: { problems?: string[]; notice?: string } = {}, status = 200) {
    const actor = requireCan(c, 'user.read');
    const person = await c.get('services').people.get(actor, id);
    return renderPage(c, <PersonPage ctx={pageContext(c)} person={person} {...extra} />, status);
  }

  const ctxOf = (c: Context<AppEnv>) => ({ actor: requireCan(c, 'user.manage'), by: initiatorOf(c) });

  app.get('/workbench/people', (c) => showList(c, { notice: c.req.query('done') === 'unlocked' ? c.get('t')('people.done') : undefined }));

  app.get('/workbench/people/new', (c) => {
    requireCan(c, 'user.manage');
    return renderPage(c, <NewPersonPage ctx={pageContext(c)} />);
  });

  app.post('/workbench/people', async (c) => {
    const ctx = ctxOf(c);
    const body = await readForm(c);
    const values = Object.fromEntries(['username', 'displayName', 'phone', 'unitCode', 'role', 'teamRole'].map((k) => [k, text(body, k, 200)]));
    const password = typeof body.password === 'string' ? body.password.slice(0, 200) : '';
    const result = await attempt(c.get('t'), () =>
      c.get('services').people.create(ctx, {
        username: values.username!,
        displayName: values.displayName!,
        phone: values.phone || null,
        password: password || null,
        posts: values.unitCode ? [{ unitCode: values.unitCode, role: values.role!, teamRole: values.teamRole || null }] : [],
      }),
      { alsoForbidden: true },
    );
    if (!result.ok) return renderPage(c, <NewPersonPage ctx={pageContext(c)} values={values} problems={result.lines} />, STATUS[result.error.kind] ?? 422);
    return c.redirect(`/workbench/people/${result.value.id}?done=created`, 303);
  });

  app.get('/workbench/people/:id{[0-9]+}', (c) => {
    const done = c.req.query('done');
    return showPerson(c, Number(c.req.param('id')), { notice: done ? c.get('t')('people.done') : undefined });
  });

  app.post(`/workbench/people/:id{[0-9]+}/:op{${OPS}}`, async (c) => {
    const ctx = ctxOf(c);
    const id = Number(c.req.param('id'));
    const body = await readForm(c);
    const people = c.get('services').people;
    const result = await attempt(c.get('t'), async () => {
      switch (c.req.param('op')) {
        case 'edit':
          return people.update(ctx, id, { displayName: text(body, 'displayName', 200), phone: text(body, 'phone', 40) || null });
        case 'disable':
          return people.setDisabled(ctx, id, true);
        case 'enable':
          return people.setDisabled(ctx, id, false);
        case 'add-post':
          return people.addPost(ctx, id, { unitCode: text(body, 'unitCode', 40), role: text(body, 'role', 40), teamRole: text(body, 'teamRole', 40) || null });
        case 'end-post':
          return people.endPost(ctx, id, Number(text(body, 'postId', 20)));
        case 'grant':
          return people.grant(ctx, id, text(body, 'permission', 100));
        case 'revoke':
          return people.revoke(ctx, id, text(body, 'permission', 100));
        case 'password':
          return people.setPassword(ctx, id, typeof body.password === 'string' ? body.password.slice(0, 200) : '');
        case 'unlock':
          return void (await people.unlock(ctx, id));
        default:
          return people.resetSecondFactor(ctx, id);
      }
    }, { alsoForbidden: true });
    if (!result.ok) {
      // A person outside the reader's scope is not found, and the page cannot be shown either.
      if (result.error.code === 'USER.NOT_FOUND') throw result.error;
      return showPerson(c, id, { problems: result.lines }, STATUS[result.error.kind] ?? 422);
    }
    return c.redirect(`/workbench/people/${id}?done=${c.req.param('op')}`, 303);
  });

  app.post('/workbench/people/import', async (c) => {
    const ctx = ctxOf(c);
    const body = await readForm(c);
    const upload = file(body, 'file');
    const t = c.get('t');
    if (!upload) return showList(c, { problems: [describe(t, 'CSV.EMPTY', 'No file')] }, 422);
    const bytes = new Uint8Array(await upload.arrayBuffer());
    const result = await attempt(t, () => c.get('services').people.importCsv(ctx, bytes));
    if (!result.ok) return showList(c, { importError: result.error }, 422);
    return showList(c, { importResult: result.value });
  });

  app.post('/workbench/people/unlock-address', async (c) => {
    const ctx = ctxOf(c);
    const body = await readForm(c);
    await c.get('services').people.unlockAddress(ctx, text(body, 'address', 100));
    return c.redirect('/workbench/people?done=unlocked', 303);
  });

  return app;
}
