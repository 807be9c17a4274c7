/**
 * The editors' pages for the site's structure and furniture: the column tree, the footer link directories (with
 * what the dead-link job found), the word lists of the pre-publication check, the profiles of the 部门街镇
 * pages, and the freshness monitor with what to fix.
 */
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { Unit } from '../../../modules/organization/index.js';
import {
  COLUMN_KINDS,
  WORD_KINDS,
  childrenOf,
  type Column,
  type ColumnInput,
  type ColumnKind,
  type FreshnessReport,
  type Leader,
  type LinkCheck,
  type UnitProfile,
  type WordEntry,
  type WordKind,
} from '../../../modules/portal/index.js';
import { CsrfField, columnHref, pageContext, renderPage, type PageContext } from '../../components/layout.js';
import type { AppEnv } from '../../context.js';
import { initiatorOf } from '../../initiator.js';
import { describe } from '../../middleware/errors.js';
import { formatDateTime } from '../../portal/common.js';
import { Notice, ProblemAlert, attempt, optionalInt, readForm, text, type FormBody } from '../forms.js';
import { WorkbenchLayout, requireCan } from '../shell.js';

const ctxOf = (c: Context<AppEnv>) => ({ actor: c.get('actor')!, by: initiatorOf(c) });

// --- columns -------------------------------------------------------------------------------------------------

const ColumnFields: FC<{ ctx: PageContext; columns: readonly Column[]; column?: Column; prefix: string }> = ({ ctx, columns, column, prefix }) => {
  const { t } = ctx;
  const id = (n: string) => `${prefix}-${n}`;
  return (
    <>
      <div class="field">
        <label for={id('name')}>{t('columns.name')}</label>
        <input id={id('name')} name="name" type="text" required maxlength={40} value={column?.name ?? ''} />
      </div>
      <div class="field">
        <label for={id('slug')}>{t('columns.slug')}</label>
        <input id={id('slug')} name="slug" type="text" required maxlength={40} pattern="[a-z0-9][a-z0-9-]*" value={column?.slug ?? ''} aria-describedby={id('slug-help')} />
        <p class="help" id={id('slug-help')}>
          {t('columns.slugHelp')}
        </p>
      </div>
      <div class="field">
        <label for={id('parent')}>{t('columns.parent')}</label>
        <select id={id('parent')} name="parentId">
          <option value="">{t('columns.top')}</option>
          {columns
            .filter((c) => c.id !== column?.id)
            .map((c) => (
              <option value={String(c.id)} selected={c.id === column?.parentId}>
                {c.name}
              </option>
            ))}
        </select>
      </div>
      <div class="field">
        <label for={id('kind')}>{t('columns.kind')}</label>
        <select id={id('kind')} name="kind">
          {COLUMN_KINDS.map((k) => (
            <option value={k} selected={k === (column?.kind ?? 'news')}>
              {t(`columns.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={id('description')}>{t('columns.description')}</label>
        <input id={id('description')} name="description" type="text" maxlength={200} value={column?.description ?? ''} />
      </div>
      <div class="field">
        <label for={id('sort')}>{t('columns.sortOrder')}</label>
        <input id={id('sort')} name="sortOrder" type="number" value={String(column?.sortOrder ?? 100)} />
      </div>
      <div class="field">
        <label for={id('fresh')}>{t('columns.freshnessDays')}</label>
        <input id={id('fresh')} name="freshnessDays" type="number" min={1} max={3650} value={column?.freshnessDays == null ? '' : String(column.freshnessDays)} aria-describedby={id('fresh-help')} />
        <p class="help" id={id('fresh-help')}>
          {t('columns.freshnessHelp')}
        </p>
      </div>
      <div class="field field-check">
        <input id={id('hidden')} name="hidden" type="checkbox" value="1" checked={column?.hidden} />
        <label for={id('hidden')}>{t('columns.hidden')}</label>
      </div>
    </>
  );
};

function readColumn(body: FormBody): ColumnInput {
  const kind = text(body, 'kind', 20) as ColumnKind;
  return {
    name: text(body, 'name', 80),
    slug: text(body, 'slug', 80).toLowerCase(),
    parentId: optionalInt(body, 'parentId') ?? null,
    kind: (COLUMN_KINDS as readonly string[]).includes(kind) ? kind : 'news',
    description: text(body, 'description', 400) || null,
    sortOrder: optionalInt(body, 'sortOrder') ?? 100,
    freshnessDays: optionalInt(body, 'freshnessDays') ?? null,
    hidden: text(body, 'hidden', 2) === '1',
  };
}

const ColumnTree: FC<{ ctx: PageContext; columns: readonly Column[]; parentId: number | null }> = ({ ctx, columns, parentId }) => {
  const kids = childrenOf(columns, parentId, true);
  if (kids.length === 0) return null;
  return (
    <ul class="column-tree">
      {kids.map((col) => (
        <li>
          <details>
            <summary>
              {col.name} <code>{col.slug}</code> <span class="pill">{ctx.t(`columns.kind.${col.kind}`)}</span>
              {col.hidden && <span class="pill pill-retired">{ctx.t('columns.hiddenMark')}</span>}
            </summary>
            <p>
              <a href={columnHref(col)}>{ctx.t('columns.view')}</a>
            </p>
            <form method="post" action={`/workbench/columns/${col.id}`} class="form">
              <CsrfField token={ctx.csrfToken} />
              <ColumnFields ctx={ctx} columns={columns} column={col} prefix={`col-${col.id}`} />
              <button class="button" type="submit">
                {ctx.t('wb.save')}
              </button>
            </form>
          </details>
          <ColumnTree ctx={ctx} columns={columns} parentId={col.id} />
        </li>
      ))}
    </ul>
  );
};

const ColumnsPage: FC<{ ctx: PageContext; columns: readonly Column[]; problems?: string[]; notice?: string }> = ({ ctx, columns, problems, notice }) => (
  <WorkbenchLayout ctx={ctx} title={ctx.t('columns.title')}>
    <h1>{ctx.t('columns.title')}</h1>
    <p class="help">{ctx.t('columns.intro')}</p>
    <ProblemAlert lines={problems} />
    <Notice text={notice} />
    <ColumnTree ctx={ctx} columns={columns} parentId={null} />
    <details class="card">
      <summary>{ctx.t('columns.create')}</summary>
      <form method="post" action="/workbench/columns" class="form">
        <CsrfField token={ctx.csrfToken} />
        <ColumnFields ctx={ctx} columns={columns} prefix="new-col" />
        <button class="button" type="submit">
          {ctx.t('columns.create')}
        </button>
      </form>
    </details>
  </WorkbenchLayout>
);

// --- links ---------------------------------------------------------------------------------------------------

const LinksPage: FC<{ ctx: PageContext; checks: readonly LinkCheck[]; external: boolean; problems?: string[]; notice?: string }> = ({ ctx, checks, external, problems, notice }) => {
  const { t } = ctx;
  const groups = ctx.site?.linkGroups ?? [];
  const checkOf = (url: string) => checks.find((c) => c.url === url);
  return (
    <WorkbenchLayout ctx={ctx} title={t('links.title')}>
      <h1>{t('links.title')}</h1>
      <p class="help">{t('links.intro')}</p>
      {!external && <p class="help">{t('links.externalOff')}</p>}
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      <form method="post" action="/workbench/links/check" class="form">
        <CsrfField token={ctx.csrfToken} />
        <button class="button button-secondary" type="submit">
          {t('links.checkNow')}
        </button>
      </form>
      {groups.map((g) => (
        <section class="card" aria-labelledby={`group-${g.id}`}>
          <h2 id={`group-${g.id}`}>{g.title}</h2>
          <ul class="link-admin">
            {g.links.map((l) => {
              const check = checkOf(l.url);
              return (
                <li>
                  <form method="post" action={`/workbench/links/${l.id}`} class="form-inline">
                    <CsrfField token={ctx.csrfToken} />
                    <label for={`l-${l.id}-label`} class="visually-hidden">
                      {t('links.label')}
                    </label>
                    <input id={`l-${l.id}-label`} name="label" type="text" value={l.label} maxlength={60} required />
                    <label for={`l-${l.id}-url`} class="visually-hidden">
                      {t('links.url')}
                    </label>
                    <input id={`l-${l.id}-url`} name="url" type="text" value={l.url} maxlength={500} required />
                    <label for={`l-${l.id}-sort`} class="visually-hidden">
                      {t('columns.sortOrder')}
                    </label>
                    <input id={`l-${l.id}-sort`} name="sortOrder" type="number" value={String(l.sortOrder)} class="input-short" />
                    <button type="submit" class="button button-secondary" aria-label={t('links.saveLabel', { label: l.label })}>
                      {t('wb.save')}
                    </button>
                    <button type="submit" name="remove" value="1" class="link-button" aria-label={t('links.removeLabel', { label: l.label })}>
                      {t('content.remove')}
                    </button>
                  </form>
                  <span class={check ? (check.ok ? 'ok-text' : 'bad-text') : 'muted'}>
                    {check ? (check.ok ? t('links.ok', { at: formatDateTime(check.checkedAt) }) : t('links.dead', { status: String(check.status ?? check.error ?? '-'), failures: check.failures })) : t('links.unchecked')}
                  </span>
                </li>
              );
            })}
          </ul>
          <form method="post" action={`/workbench/link-groups/${g.id}/links`} class="form-inline">
            <CsrfField token={ctx.csrfToken} />
            <label for={`g-${g.id}-label`}>{t('links.label')}</label>
            <input id={`g-${g.id}-label`} name="label" type="text" maxlength={60} required />
            <label for={`g-${g.id}-url`}>{t('links.url')}</label>
            <input id={`g-${g.id}-url`} name="url" type="text" maxlength={500} required placeholder="https://" />
            <input type="hidden" name="sortOrder" value="100" />
            <button type="submit" class="button">
              {t('links.add')}
            </button>
          </form>
        </section>
      ))}
    </WorkbenchLayout>
  );
};

// --- words ---------------------------------------------------------------------------------------------------

const WordsPage: FC<{ ctx: PageContext; words: readonly WordEntry[]; problems?: string[]; notice?: string }> = ({ ctx, words, problems, notice }) => {
  const { t } = ctx;
  return (
    <WorkbenchLayout ctx={ctx} title={t('words.title')}>
      <h1>{t('words.title')}</h1>
      <p class="help">{t('words.intro')}</p>
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      {WORD_KINDS.map((kind) => (
        <section class="card" aria-labelledby={`words-${kind}`}>
          <h2 id={`words-${kind}`}>{t(`words.kind.${kind}`)}</h2>
          <ul class="word-list">
            {words
              .filter((w) => w.kind === kind)
              .map((w) => (
                <li>
                  <strong>{w.word}</strong>
                  {w.suggestion && <> → {w.suggestion}</>}
                  {w.note && <span class="muted"> （{w.note}）</span>}
                  <form method="post" action={`/workbench/words/${w.id}/remove`} class="inline-form">
                    <CsrfField token={ctx.csrfToken} />
                    <button type="submit" class="link-button" aria-label={t('words.removeLabel', { word: w.word })}>
                      {t('content.remove')}
                    </button>
                  </form>
                </li>
              ))}
          </ul>
        </section>
      ))}
      <section class="card" aria-labelledby="word-add">
        <h2 id="word-add">{t('words.add')}</h2>
        <form method="post" action="/workbench/words" class="form">
          <CsrfField token={ctx.csrfToken} />
          <div class="field">
            <label for="w-kind">{t('words.kindLabel')}</label>
            <select id="w-kind" name="kind">
              {WORD_KINDS.map((k) => (
                <option value={k}>{t(`words.kind.${k}`)}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="w-word">{t('words.word')}</label>
            <input id="w-word" name="word" type="text" required maxlength={40} />
          </div>
          <div class="field">
            <label for="w-suggestion">{t('words.suggestion')}</label>
            <input id="w-suggestion" name="suggestion" type="text" maxlength={40} />
          </div>
          <div class="field">
            <label for="w-note">{t('words.note')}</label>
            <input id="w-note" name="note" type="text" maxlength={200} />
          </div>
          <button type="submit" class="button">
            {t('words.add')}
          </button>
        </form>
      </section>
    </WorkbenchLayout>
  );
};

// --- profiles (部门街镇 pages) ----------------------------------------------------------------------------------

const ProfilesPage: FC<{ ctx: PageContext; units: readonly Unit[] }> = ({ ctx, units }) => (
  <WorkbenchLayout ctx={ctx} title={ctx.t('profiles.title')}>
    <h1>{ctx.t('profiles.title')}</h1>
    <p class="help">{ctx.t('profiles.intro')}</p>
    <ul class="town-list">
      {units.map((u) => (
        <li>
          <a href={`/workbench/profiles/${u.code}`}>{u.name}</a>
        </li>
      ))}
    </ul>
  </WorkbenchLayout>
);

const leadersText = (leaders: readonly Leader[]) => leaders.map((l) => [l.name, l.title, l.portfolio ?? ''].join(' | ')).join('\n');

export function parseLeaders(s: string): Leader[] {
  return s
    .split(/\r?\n/)
    .map((line) => line.split('|').map((x) => x.trim()))
    .filter((parts) => parts[0])
    .map(([name, title, portfolio]) => ({ name: name!, title: title ?? '', ...(portfolio ? { portfolio } : {}) }));
}

const ProfilePage: FC<{ ctx: PageContext; unit: Unit; profile: UnitProfile | undefined; notice?: string }> = ({ ctx, unit, profile, notice }) => {
  const { t } = ctx;
  const publicHref = unit.kind === 'department' ? `/departments/${unit.code}` : `/towns/${unit.code}`;
  return (
    <WorkbenchLayout ctx={ctx} title={unit.name} crumbs={[{ label: t('profiles.title'), href: '/workbench/profiles' }, { label: unit.name }]}>
      <h1>{unit.name}</h1>
      <Notice text={notice} />
      <p>
        <a href={publicHref}>{t('profiles.view')}</a> · {t('profiles.factsHelp')}
      </p>
      <form method="post" action={`/workbench/profiles/${unit.code}`} class="form form-wide">
        <CsrfField token={ctx.csrfToken} />
        <div class="field">
          <label for="p-intro">{t('profiles.introLabel')}</label>
          <textarea id="p-intro" name="intro" rows={5} maxlength={5000}>
            {profile?.intro ?? ''}
          </textarea>
        </div>
        <div class="field">
          <label for="p-leaders">{t('profiles.leaders')}</label>
          <textarea id="p-leaders" name="leaders" rows={5} aria-describedby="p-leaders-help">
            {leadersText(profile?.leaders ?? [])}
          </textarea>
          <p class="help" id="p-leaders-help">
            {t('profiles.leadersHelp')}
          </p>
        </div>
        <div class="field">
          <label for="p-hours">{t('units.officeHours')}</label>
          <input id="p-hours" name="officeHours" type="text" maxlength={200} value={profile?.officeHours ?? ''} />
        </div>
        <button class="button" type="submit">
          {t('wb.save')}
        </button>
      </form>
    </WorkbenchLayout>
  );
};

// --- freshness -----------------------------------------------------------------------------------------------

const FreshnessPage: FC<{ ctx: PageContext; report: FreshnessReport | undefined; notice?: string }> = ({ ctx, report, notice }) => {
  const { t } = ctx;
  const order = { fail: 0, warn: 1, info: 2, ok: 3 } as const;
  return (
    <WorkbenchLayout ctx={ctx} title={t('fresh.title')}>
      <h1>{t('fresh.title')}</h1>
      <p class="help">{t('fresh.intro')}</p>
      <Notice text={notice} />
      <form method="post" action="/workbench/freshness" class="form">
        <CsrfField token={ctx.csrfToken} />
        <button class="button" type="submit">
          {t('fresh.runNow')}
        </button>
      </form>
      {report ? (
        <section aria-labelledby="fresh-report">
          <h2 id="fresh-report">
            {t('fresh.reportAt', { at: formatDateTime(report.checkedAt) })} — <span class={report.failed ? 'bad-text' : 'ok-text'}>{report.failed ? t('fresh.failed') : t('fresh.passed')}</span>
          </h2>
          <ul class="findings">
            {[...report.findings]
              .sort((a, b) => order[a.level] - order[b.level])
              .map((f) => (
                <li class={`finding finding-${f.level}`}>
                  <span class="pill">{t(`fresh.level.${f.level}`)}</span> {describe(t, f.code, f.code, f.params)}
                  {f.href && (
                    <>
                      {' '}
                      <a href={f.href}>{t('fresh.fix')}</a>
                    </>
                  )}
                </li>
              ))}
          </ul>
        </section>
      ) : (
        <p>{t('fresh.none')}</p>
      )}
    </WorkbenchLayout>
  );
};

export function siteRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const done = (c: Context<AppEnv>, key: string) => (c.req.query('done') ? c.get('t')(key as never) : undefined);

  const showColumns = (c: Context<AppEnv>, extra: { problems?: string[]; notice?: string } = {}, status = 200) =>
    renderPage(c, <ColumnsPage ctx={pageContext(c)} columns={c.get('site')?.columns ?? []} {...extra} />, status);

  app.get('/workbench/columns', (c) => {
    requireCan(c, 'content.publish');
    return showColumns(c, { ...(done(c, 'columns.saved') ? { notice: done(c, 'columns.saved') } : {}) });
  });
  app.post('/workbench/columns', async (c) => {
    requireCan(c, 'content.publish');
    const input = readColumn(await readForm(c));
    const r = await attempt(c.get('t'), () => c.get('services').portal.site.createColumn(ctxOf(c), input));
    if (!r.ok) return showColumns(c, { problems: r.lines }, 422);
    return c.redirect('/workbench/columns?done=1', 303);
  });
  app.post('/workbench/columns/:id{[0-9]{1,12}}', async (c) => {
    requireCan(c, 'content.publish');
    const input = readColumn(await readForm(c));
    const r = await attempt(c.get('t'), () => c.get('services').portal.site.updateColumn(ctxOf(c), Number(c.req.param('id')), input));
    if (!r.ok) return showColumns(c, { problems: r.lines }, 422);
    return c.redirect('/workbench/columns?done=1', 303);
  });

  const showLinks = async (c: Context<AppEnv>, extra: { problems?: string[]; notice?: string } = {}, status = 200) => {
    const { portal } = c.get('services');
    const urls = (c.get('site')?.linkGroups ?? []).flatMap((g) => g.links.map((l) => l.url));
    const checks = await portal.links.checks(urls);
    return renderPage(c, <LinksPage ctx={pageContext(c)} checks={checks} external={portal.links.externalEnabled} {...extra} />, status);
  };

  app.get('/workbench/links', (c) => {
    requireCan(c, 'content.publish');
    return showLinks(c, { ...(done(c, 'links.saved') ? { notice: done(c, 'links.saved') } : {}) });
  });
  app.post('/workbench/link-groups/:id{[0-9]{1,12}}/links', async (c) => {
    requireCan(c, 'content.publish');
    const body = await readForm(c);
    const r = await attempt(c.get('t'), () =>
      c.get('services').portal.site.addLink(ctxOf(c), Number(c.req.param('id')), { label: text(body, 'label', 120), url: text(body, 'url', 600), sortOrder: optionalInt(body, 'sortOrder') ?? 100 }),
    );
    if (!r.ok) return showLinks(c, { problems: r.lines }, 422);
    return c.redirect('/workbench/links?done=1', 303);
  });
  app.post('/workbench/links/check', async (c) => {
    requireCan(c, 'content.publish');
    const r = await c.get('services').portal.links.findDeadLinks();
    return showLinks(c, { notice: c.get('t')('links.checked', r) });
  });
  app.post('/workbench/links/:id{[0-9]{1,12}}', async (c) => {
    requireCan(c, 'content.publish');
    const body = await readForm(c);
    const site = c.get('services').portal.site;
    const id = Number(c.req.param('id'));
    const r = await attempt(c.get('t'), async (): Promise<unknown> =>
      text(body, 'remove', 2) === '1' ? site.removeLink(ctxOf(c), id) : site.updateLink(ctxOf(c), id, { label: text(body, 'label', 120), url: text(body, 'url', 600), sortOrder: optionalInt(body, 'sortOrder') ?? 100 }),
    );
    if (!r.ok) return showLinks(c, { problems: r.lines }, 422);
    return c.redirect('/workbench/links?done=1', 303);
  });

  const showWords = async (c: Context<AppEnv>, extra: { problems?: string[]; notice?: string } = {}, status = 200) =>
    renderPage(c, <WordsPage ctx={pageContext(c)} words={await c.get('services').portal.site.words(c.get('actor')!)} {...extra} />, status);

  app.get('/workbench/words', (c) => {
    requireCan(c, 'content.review');
    return showWords(c, { ...(done(c, 'words.saved') ? { notice: done(c, 'words.saved') } : {}) });
  });
  app.post('/workbench/words', async (c) => {
    requireCan(c, 'content.review');
    const body = await readForm(c);
    const kind = text(body, 'kind', 20) as WordKind;
    const r = await attempt(c.get('t'), () =>
      c.get('services').portal.site.addWord(ctxOf(c), { kind, word: text(body, 'word', 80), suggestion: text(body, 'suggestion', 80) || null, note: text(body, 'note', 400) || null }),
    );
    if (!r.ok) return showWords(c, { problems: r.lines }, 422);
    return c.redirect('/workbench/words?done=1', 303);
  });
  app.post('/workbench/words/:id{[0-9]{1,12}}/remove', async (c) => {
    requireCan(c, 'content.review');
    await c.get('services').portal.site.removeWord(ctxOf(c), Number(c.req.param('id')));
    return c.redirect('/workbench/words?done=1', 303);
  });

  app.get('/workbench/profiles', async (c) => {
    requireCan(c, 'content.publish');
    const org = c.get('services').organization;
    const units = [...(await org.listByKinds(['department'])), ...(await org.listTowns())];
    return renderPage(c, <ProfilesPage ctx={pageContext(c)} units={units} />);
  });
  const profileUnit = async (c: Context<AppEnv>) => {
    const unit = await c.get('services').organization.getUnitByCode(c.req.param('code')!);
    if (!['department', 'street', 'town', 'township'].includes(unit.kind)) return undefined;
    return unit;
  };
  app.get('/workbench/profiles/:code{[0-9A-Za-z-]{1,40}}', async (c) => {
    requireCan(c, 'content.publish');
    const unit = await profileUnit(c);
    if (!unit) return c.notFound();
    const profile = await c.get('services').portal.site.profile(unit.id);
    return renderPage(c, <ProfilePage ctx={pageContext(c)} unit={unit} profile={profile} {...(c.req.query('done') ? { notice: c.get('t')('profiles.saved') } : {})} />);
  });
  app.post('/workbench/profiles/:code{[0-9A-Za-z-]{1,40}}', async (c) => {
    requireCan(c, 'content.publish');
    const unit = await profileUnit(c);
    if (!unit) return c.notFound();
    const body = await readForm(c);
    await c.get('services').portal.site.saveProfile(ctxOf(c), unit.id, { intro: text(body, 'intro', 6000) || null, leaders: parseLeaders(text(body, 'leaders', 6000)), officeHours: text(body, 'officeHours', 400) || null });
    return c.redirect(`/workbench/profiles/${unit.code}?done=1`, 303);
  });

  app.get('/workbench/freshness', async (c) => {
    requireCan(c, 'content.edit');
    return renderPage(c, <FreshnessPage ctx={pageContext(c)} report={await c.get('services').portal.freshness.latest()} />);
  });
  app.post('/workbench/freshness', async (c) => {
    requireCan(c, 'content.edit');
    const report = await c.get('services').portal.freshness.run();
    return renderPage(c, <FreshnessPage ctx={pageContext(c)} report={report} notice={c.get('t')('fresh.ran')} />);
  });

  return app;
}
