/** Administration of the organisation tree: browse, search, create, edit, move, merge, split, retire, import. */
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { can } from '../../../modules/access/index.js';
import type { ImportResult, Unit, UnitEvent } from '../../../modules/organization/index.js';
import { hasMessage } from '../../../locales/index.js';
import { CsrfField, pageContext, renderPage, type PageContext } from '../../components/layout.js';
import type { AppEnv } from '../../context.js';
import { initiatorOf } from '../../initiator.js';
import { describe } from '../../middleware/errors.js';
import { ImportProblemTable, Notice, ProblemAlert, attempt, file, optionalInt, readForm, text } from '../forms.js';
import { WorkbenchLayout, requireCan } from '../shell.js';
import type { DomainError } from '../../../kernel/errors.js';

const kindLabel = (ctx: PageContext, kind: string) => (hasMessage(`kind.${kind}`) ? ctx.t(`kind.${kind}` as never) : kind);
const subtypeLabel = (ctx: PageContext, subtype: string | null) =>
  subtype ? (hasMessage(`subtype.${subtype}`) ? ctx.t(`subtype.${subtype}` as never) : subtype) : '';

const Trail: FC<{ ctx: PageContext; ancestors: readonly Unit[]; current?: Unit }> = ({ ancestors, current }) => (
  <p class="muted">
    {ancestors.map((a) => (
      <>
        <a href={`/workbench/units/${a.id}`}>{a.name}</a> ›{' '}
      </>
    ))}
    {current?.name}
  </p>
);

const ChildList: FC<{ ctx: PageContext; items: readonly { unit: Unit; childCount: number }[] }> = ({ ctx, items }) =>
  items.length === 0 ? (
    <p class="muted">{ctx.t('units.none')}</p>
  ) : (
    <ul class="tree-children">
      {items.map(({ unit, childCount }) => (
        <li>
          <a href={`/workbench/units/${unit.id}`}>{unit.name}</a>
          <span class="pill">{kindLabel(ctx, unit.kind)}</span>
          {unit.subtype && <span class="muted">{subtypeLabel(ctx, unit.subtype)}</span>}
          <code>{unit.code}</code>
          {childCount > 0 && <span class="muted">{ctx.t('units.childCount', { count: childCount })}</span>}
          {unit.isDemo && <span class="badge badge-demo">{ctx.t('site.demoBadge')}</span>}
          {unit.retiredAt && <span class="pill pill-retired">{ctx.t('units.retired')}</span>}
        </li>
      ))}
    </ul>
  );

const ImportForm: FC<{ ctx: PageContext; result?: ImportResult; error?: DomainError }> = ({ ctx, result, error }) => {
  const { t } = ctx;
  const rows = error?.details.fields ?? [];
  return (
    <section class="card" aria-labelledby="import-heading">
      <h2 id="import-heading">{t('units.import')}</h2>
      <p class="muted">{t('units.importHelp')}</p>
      {result && <Notice text={t('units.importDone', { ...result })} />}
      {error && (
        <div class="alert alert-error" role="alert">
          <p>{describe(t, error.code, error.message, error.details.params)}</p>
          <ImportProblemTable t={t} rows={rows} />
        </div>
      )}
      <form method="post" action="/workbench/units/import" enctype="multipart/form-data">
        <CsrfField token={ctx.csrfToken} />
        <div class="field">
          <label for="csv">{t('units.importFile')}</label>
          <input id="csv" name="file" type="file" accept=".csv,text/csv" required />
        </div>
        <button class="button" type="submit">
          {t('units.importSubmit')}
        </button>
      </form>
    </section>
  );
};

const UnitFields: FC<{ ctx: PageContext; unit?: Partial<Unit>; prefix: string }> = ({ ctx, unit, prefix }) => {
  const { t } = ctx;
  const field = (name: string, label: string, value: string | number | null | undefined, type = 'text') => (
    <div class="field">
      <label for={`${prefix}-${name}`}>{label}</label>
      <input id={`${prefix}-${name}`} name={name} type={type} value={value ?? ''} />
    </div>
  );
  return (
    <>
      {field('name', t('units.name'), unit?.name)}
      {field('subtype', t('units.subtype'), unit?.subtype)}
      <div class="field">
        <label for={`${prefix}-duties`}>{t('units.duties')}</label>
        <textarea id={`${prefix}-duties`} name="duties" rows={3}>
          {unit?.duties ?? ''}
        </textarea>
      </div>
      {field('phone', t('units.phone'), unit?.phone, 'tel')}
      {field('address', t('units.address'), unit?.address)}
      {field('households', t('units.households'), unit?.households, 'number')}
      {field('residents', t('units.residents'), unit?.residents, 'number')}
    </>
  );
};

interface UnitPageProps {
  ctx: PageContext;
  unit: Unit;
  ancestors: readonly Unit[];
  children: readonly { unit: Unit; childCount: number }[];
  history: readonly UnitEvent[];
  successor?: Unit;
  problems?: string[];
  notice?: string;
  importResult?: ImportResult;
  importError?: DomainError;
}

const UnitPage: FC<UnitPageProps> = ({ ctx, unit, ancestors, children, history, successor, problems, notice, importResult, importError }) => {
  const { t } = ctx;
  const manage = can(ctx.actor, 'unit.manage');
  const post = (action: string) => `/workbench/units/${unit.id}/${action}`;
  return (
    <WorkbenchLayout ctx={ctx} title={unit.name} crumbs={[{ label: t('units.title'), href: '/workbench/units' }, { label: unit.name }]}>
      <Trail ctx={ctx} ancestors={ancestors} current={unit} />
      <h1>
        {unit.name} {unit.isDemo && <span class="badge badge-demo">{t('site.demoBadge')}</span>}{' '}
        {unit.retiredAt && <span class="pill pill-retired">{t('units.retired')}</span>}
      </h1>
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      <dl class="facts">
        <dt>{t('units.code')}</dt>
        <dd>
          <code>{unit.code}</code>
        </dd>
        <dt>{t('units.kind')}</dt>
        <dd>
          {kindLabel(ctx, unit.kind)} {unit.subtype && `· ${subtypeLabel(ctx, unit.subtype)}`}
        </dd>
        {unit.duties && (
          <>
            <dt>{t('units.duties')}</dt>
            <dd>{unit.duties}</dd>
          </>
        )}
        {unit.phone && (
          <>
            <dt>{t('units.phone')}</dt>
            <dd>{unit.phone}</dd>
          </>
        )}
        {unit.households !== null && (
          <>
            <dt>{t('units.households')}</dt>
            <dd>{unit.households}</dd>
          </>
        )}
        {unit.residents !== null && (
          <>
            <dt>{t('units.residents')}</dt>
            <dd>{unit.residents}</dd>
          </>
        )}
        {successor && (
          <>
            <dt>{t('units.successor')}</dt>
            <dd>
              <a href={`/workbench/units/${successor.id}`}>{successor.name}</a>
            </dd>
          </>
        )}
      </dl>
      <h2>{t('units.children')}</h2>
      <ChildList ctx={ctx} items={children} />
      {manage && !unit.retiredAt && (
        <>
          <details class="card">
            <summary>{t('units.create')}</summary>
            <form method="post" action="/workbench/units" class="form">
              <CsrfField token={ctx.csrfToken} />
              <input type="hidden" name="parentCode" value={unit.code} />
              <div class="field">
                <label for="new-code">{t('units.code')}</label>
                <input id="new-code" name="code" type="text" required />
              </div>
              <div class="field">
                <label for="new-kind">{t('units.kind')}</label>
                <select id="new-kind" name="kind">
                  {['department', 'command_center', 'board', 'community', 'village', 'grid', 'utility', 'street', 'town', 'township'].map((k) => (
                    <option value={k}>{kindLabel(ctx, k)}</option>
                  ))}
                </select>
              </div>
              <UnitFields ctx={ctx} prefix="new" />
              <button class="button" type="submit">
                {t('wb.save')}
              </button>
            </form>
          </details>
          <details class="card">
            <summary>{t('units.edit')}</summary>
            <form method="post" action={post('edit')} class="form">
              <CsrfField token={ctx.csrfToken} />
              <UnitFields ctx={ctx} unit={unit} prefix="edit" />
              <button class="button" type="submit">
                {t('wb.save')}
              </button>
            </form>
          </details>
          <details class="card">
            <summary>{t('units.move')}</summary>
            <form method="post" action={post('move')} class="form">
              <CsrfField token={ctx.csrfToken} />
              <div class="field">
                <label for="move-parent">{t('units.newParentCode')}</label>
                <input id="move-parent" name="parentCode" type="text" required />
              </div>
              <button class="button" type="submit">
                {t('units.move')}
              </button>
            </form>
          </details>
          <details class="card">
            <summary>{t('units.merge')}</summary>
            <form method="post" action={post('merge')} class="form">
              <CsrfField token={ctx.csrfToken} />
              <div class="field">
                <label for="merge-sources">{t('units.mergeSources')}</label>
                <input id="merge-sources" name="sources" type="text" required />
              </div>
              <button class="button" type="submit">
                {t('units.merge')}
              </button>
            </form>
          </details>
          <details class="card">
            <summary>{t('units.split')}</summary>
            <form method="post" action={post('split')} class="form">
              <CsrfField token={ctx.csrfToken} />
              <div class="field">
                <label for="split-parts">{t('units.splitHelp')}</label>
                <textarea id="split-parts" name="parts" rows={4} required />
              </div>
              <button class="button" type="submit">
                {t('units.split')}
              </button>
            </form>
          </details>
          <details class="card">
            <summary>{t('units.retire')}</summary>
            <form method="post" action={post('retire')} class="form">
              <CsrfField token={ctx.csrfToken} />
              <div class="field">
                <label for="retire-successor">{t('units.successorCode')}</label>
                <input id="retire-successor" name="successorCode" type="text" />
              </div>
              <button class="button" type="submit">
                {t('units.retire')}
              </button>
            </form>
          </details>
          {unit.kind === 'district' && <ImportForm ctx={ctx} result={importResult} error={importError} />}
        </>
      )}
      <h2>{t('units.history')}</h2>
      {history.length === 0 ? (
        <p class="muted">{t('wb.empty')}</p>
      ) : (
        <ul>
          {history.map((h) => (
            <li>
              <time datetime={h.at.toISOString()}>{h.at.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}</time> ·{' '}
              {hasMessage(`units.event.${h.kind}`) ? t(`units.event.${h.kind}` as never) : h.kind} <code>{JSON.stringify(h.details)}</code>
            </li>
          ))}
        </ul>
      )}
    </WorkbenchLayout>
  );
};

const SearchPage: FC<{ ctx: PageContext; q: string; results: readonly Unit[] }> = ({ ctx, q, results }) => (
  <WorkbenchLayout ctx={ctx} title={ctx.t('units.title')}>
    <h1>{ctx.t('units.title')}</h1>
    <SearchForm ctx={ctx} q={q} />
    <ChildList ctx={ctx} items={results.map((unit) => ({ unit, childCount: 0 }))} />
  </WorkbenchLayout>
);

const SearchForm: FC<{ ctx: PageContext; q?: string }> = ({ ctx, q }) => (
  <form method="get" action="/workbench/units" class="toolbar" role="search">
    <div class="field">
      <label for="unit-q">{ctx.t('units.search')}</label>
      <input id="unit-q" name="q" type="text" value={q ?? ''} maxlength={50} />
    </div>
    <button class="button button-secondary" type="submit">
      {ctx.t('wb.search')}
    </button>
  </form>
);

export function unitAdminRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  async function show(c: Context<AppEnv>, unitId: number, extra: Partial<UnitPageProps> = {}, status = 200) {
    const actor = requireCan(c, 'unit.read');
    const org = c.get('services').organization;
    const unit = await org.getUnitById(unitId);
    const [ancestors, children, history, successor] = await Promise.all([
      org.ancestors(unit),
      org.browse(actor, unit.id, c.req.query('retired') === '1'),
      org.history(actor, unit.id),
      unit.successorId ? org.getUnitById(unit.successorId) : Promise.resolve(undefined),
    ]);
    return renderPage(c, <UnitPage ctx={pageContext(c)} unit={unit} ancestors={ancestors} children={children} history={history} successor={successor} {...extra} />, status);
  }

  const ctxOf = (c: Context<AppEnv>) => ({ actor: requireCan(c, 'unit.manage'), by: initiatorOf(c) });

  app.get('/workbench/units', async (c) => {
    const actor = requireCan(c, 'unit.read');
    const q = (c.req.query('q') ?? '').trim();
    const org = c.get('services').organization;
    if (q) return renderPage(c, <SearchPage ctx={pageContext(c)} q={q} results={await org.search(actor, q)} />);
    const district = (await org.listByKinds(['district']))[0]!;
    return show(c, district.id);
  });

  app.get('/workbench/units/:id{[0-9]+}', (c) => show(c, Number(c.req.param('id'))));

  app.post('/workbench/units', async (c) => {
    const ctx = ctxOf(c);
    const body = await readForm(c);
    const org = c.get('services').organization;
    const parent = await org.getUnitByCode(text(body, 'parentCode', 40));
    const result = await attempt(c.get('t'), () =>
      org.create(ctx, {
        code: text(body, 'code', 40),
        name: text(body, 'name', 200),
        kind: text(body, 'kind', 40) as Unit['kind'],
        parentCode: parent.code,
        subtype: text(body, 'subtype', 40) || null,
        duties: text(body, 'duties') || null,
        phone: text(body, 'phone', 40) || null,
        address: text(body, 'address', 200) || null,
        households: optionalInt(body, 'households') ?? null,
        residents: optionalInt(body, 'residents') ?? null,
        sortOrder: 0,
      }),
    );
    if (!result.ok) return show(c, parent.id, { problems: result.lines }, 422);
    return c.redirect(`/workbench/units/${result.value.id}`, 303);
  });

  app.post('/workbench/units/:id{[0-9]+}/:op{edit|move|merge|split|retire}', async (c) => {
    const ctx = ctxOf(c);
    const id = Number(c.req.param('id'));
    const body = await readForm(c);
    const org = c.get('services').organization;
    const t = c.get('t');
    const codeToId = async (code: string) => (await org.getUnitByCode(code)).id;
    const result = await attempt(t, async () => {
      switch (c.req.param('op')) {
        case 'edit':
          await org.update(ctx, id, {
            name: text(body, 'name', 200),
            subtype: text(body, 'subtype', 40) || null,
            duties: text(body, 'duties') || null,
            phone: text(body, 'phone', 40) || null,
            address: text(body, 'address', 200) || null,
            households: optionalInt(body, 'households') ?? null,
            residents: optionalInt(body, 'residents') ?? null,
          });
          return id;
        case 'move':
          return (await org.move(ctx, id, await codeToId(text(body, 'parentCode', 40)))).id;
        case 'merge': {
          const sources = await Promise.all(text(body, 'sources').split(/[\s,，]+/).filter(Boolean).map(codeToId));
          return (await org.merge(ctx, sources, id)).id;
        }
        case 'split': {
          const lines = text(body, 'parts', 10_000).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
          const parts = await Promise.all(
            lines.map(async (line) => {
              const [code = '', name = '', children = ''] = line.split(/[,，]/).map((s) => s.trim());
              return { code, name, childIds: await Promise.all(children.split(/\s+/).filter(Boolean).map(codeToId)) };
            }),
          );
          return (await org.split(ctx, id, parts))[0]!.id;
        }
        default: {
          const successor = text(body, 'successorCode', 40);
          await org.retire(ctx, id, successor ? await codeToId(successor) : undefined);
          return id;
        }
      }
    });
    if (!result.ok) return show(c, id, { problems: result.lines }, result.error.kind === 'NotFound' ? 404 : 422);
    return c.redirect(`/workbench/units/${result.value}`, 303);
  });

  app.post('/workbench/units/import', async (c) => {
    const ctx = ctxOf(c);
    const body = await readForm(c);
    const upload = file(body, 'file');
    const org = c.get('services').organization;
    const district = (await org.listByKinds(['district']))[0]!;
    const t = c.get('t');
    if (!upload) return show(c, district.id, { problems: [describe(t, 'CSV.EMPTY', 'No file')] }, 422);
    const bytes = new Uint8Array(await upload.arrayBuffer());
    const result = await attempt(t, () => org.importCsv(ctx, bytes));
    if (!result.ok) return show(c, district.id, { importError: result.error }, 422);
    return show(c, district.id, { importResult: result.value });
  });

  return app;
}
