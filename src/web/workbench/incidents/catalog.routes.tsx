/**
 * The catalogue administration (事项目录/派单目录): categories in two levels with their filing and closing
 * conditions, urgency and stage time limits (a change adds a version; running incidents keep theirs), and the
 * routing table (category × area → lead unit and co-handling units). Also the outgoing webhooks.
 */
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { MessageKey } from '../../../locales/index.js';
import { invalid } from '../../../kernel/errors.js';
import { can } from '../../../modules/access/index.js';
import {
  ATTRIBUTE_DATATYPES,
  CATEGORY_CLASSES,
  DEFAULT_LIMITS,
  DEFAULT_URGENT_LIMITS,
  STAGES,
  URGENCIES,
  type AttributeDatatype,
  type Category,
  type CategoryAttribute,
  type CategoryClass,
  type CategoryInput,
  type Limit,
  type LimitUnit,
  type Limits,
  type Route,
  type Stage,
  type Urgency,
} from '../../../modules/incidents/index.js';
import { CsrfField, pageContext, renderPage, type PageContext } from '../../components/layout.js';
import type { AppEnv } from '../../context.js';
import { initiatorOf } from '../../initiator.js';
import { Notice, ProblemAlert, attempt, readForm, text, type FormBody } from '../forms.js';
import { WorkbenchLayout, requireCan } from '../shell.js';

const UNITS: readonly LimitUnit[] = ['hours', 'days', 'natural_hours', 'natural_days'];

const LimitFields: FC<{ ctx: PageContext; limits: Limits; prefix: string }> = ({ ctx, limits, prefix }) => (
  <table class="data limits">
    <caption>{ctx.t('catalog.limits')}</caption>
    <thead>
      <tr>
        <th scope="col">{ctx.t('catalog.stage')}</th>
        <th scope="col">{ctx.t('catalog.normal')}</th>
        <th scope="col">{ctx.t('catalog.urgent')}</th>
      </tr>
    </thead>
    <tbody>
      {STAGES.map((stage) => (
        <tr>
          <th scope="row">{ctx.t(`catalog.stage.${stage}` as MessageKey)}</th>
          {(['normal', 'urgent'] as const).map((kind) => {
            const current = kind === 'normal' ? limits[stage] : limits.urgent?.[stage];
            const fallback = kind === 'normal' ? DEFAULT_LIMITS[stage] : DEFAULT_URGENT_LIMITS[stage];
            const id = `${prefix}-${kind}-${stage}`;
            return (
              <td>
                <input
                  id={`${id}-amount`}
                  name={`${kind}.${stage}.amount`}
                  type="number"
                  min="0.25"
                  max="365"
                  step="0.25"
                  value={current ? String(current.amount) : ''}
                  placeholder={String(fallback.amount)}
                  aria-label={`${ctx.t(`catalog.stage.${stage}` as MessageKey)} ${ctx.t(kind === 'normal' ? 'catalog.normal' : 'catalog.urgent')}`}
                />{' '}
                <select name={`${kind}.${stage}.unit`} aria-label={`${ctx.t('field.extraUnit')} ${ctx.t(`catalog.stage.${stage}` as MessageKey)} ${ctx.t(kind === 'normal' ? 'catalog.normal' : 'catalog.urgent')}`}>
                  {UNITS.map((u) => (
                    <option value={u} selected={(current ?? fallback).unit === u}>
                      {ctx.t(`unit.${u}`)}
                    </option>
                  ))}
                </select>
              </td>
            );
          })}
        </tr>
      ))}
    </tbody>
  </table>
);

/**
 * The attributes field (Open311 service attributes) as JSON: an array of {code, datatype, order, description,
 * required?, variable?, datatypeDescription?, values?}. The catalogue service checks the definition itself.
 */
export function parseAttributesField(raw: string): CategoryAttribute[] {
  if (!raw.trim()) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid('CATALOG.ATTRIBUTES_JSON', 'attributes: not valid JSON', [{ path: 'attributes', code: 'CATALOG.ATTRIBUTES_JSON', message: 'not valid JSON' }]);
  }
  if (!Array.isArray(parsed) || !parsed.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
    throw invalid('CATALOG.ATTRIBUTES_JSON', 'attributes: an array of objects', [{ path: 'attributes', code: 'CATALOG.ATTRIBUTES_JSON', message: 'an array of objects' }]);
  }
  return (parsed as Record<string, unknown>[]).map((x) => ({
    code: String(x.code ?? ''),
    variable: x.variable !== false,
    datatype: ((ATTRIBUTE_DATATYPES as readonly string[]).includes(String(x.datatype)) ? x.datatype : String(x.datatype ?? '')) as AttributeDatatype,
    required: x.required === true,
    datatypeDescription: typeof x.datatypeDescription === 'string' && x.datatypeDescription.trim() ? x.datatypeDescription.trim() : null,
    order: Number(x.order),
    description: String(x.description ?? ''),
    values: Array.isArray(x.values) ? x.values.map((v: { key?: unknown; name?: unknown }) => ({ key: String(v?.key ?? ''), name: String(v?.name ?? v?.key ?? '') })) : [],
  }));
}

/** Reads a category form: empty stage amounts fall back to the defaults (they are left out). */
function inputFrom(body: FormBody): CategoryInput {
  const read = (kind: 'normal' | 'urgent') => {
    const out: Partial<Record<Stage, Limit>> = {};
    for (const stage of STAGES) {
      const amount = text(body, `${kind}.${stage}.amount`, 10);
      if (!amount) continue;
      out[stage] = { amount: Number(amount), unit: (UNITS as readonly string[]).includes(text(body, `${kind}.${stage}.unit`, 20)) ? (text(body, `${kind}.${stage}.unit`, 20) as LimitUnit) : 'hours' };
    }
    return out;
  };
  const urgent = read('urgent');
  const radius = text(body, 'duplicateRadiusM', 6);
  return {
    name: text(body, 'name', 100),
    description: text(body, 'description') || null,
    filingCondition: text(body, 'filingCondition') || null,
    closingCondition: text(body, 'closingCondition') || null,
    defaultUrgency: (URGENCIES as readonly string[]).includes(text(body, 'defaultUrgency', 10)) ? (text(body, 'defaultUrgency', 10) as Urgency) : 'normal',
    limits: { ...read('normal'), ...(Object.keys(urgent).length ? { urgent } : {}) },
    publicVisible: text(body, 'publicVisible', 5) === 'on',
    duplicateRadiusM: radius ? Number(radius) : undefined,
    // A form without the field (an older page) keeps the previous version's attributes.
    ...('attributes' in body ? { attributes: parseAttributesField(text(body, 'attributes', 20_000)) } : {}),
  };
}

const CategoryForm: FC<{ ctx: PageContext; category?: Category; action: string; creating?: boolean }> = ({ ctx, category, action, creating }) => {
  const { t } = ctx;
  const v = category?.current;
  const field = (name: string, label: string, value: string | null | undefined, multiline = false) => (
    <div class="field">
      <label for={`cat-${name}`}>{label}</label>
      {multiline ? (
        <textarea id={`cat-${name}`} name={name} rows={2}>
          {value ?? ''}
        </textarea>
      ) : (
        <input id={`cat-${name}`} name={name} type="text" value={value ?? ''} />
      )}
    </div>
  );
  return (
    <form method="post" action={action} class="form wide">
      <CsrfField token={ctx.csrfToken} />
      {creating && (
        <>
          {field('code', t('catalog.code'), '')}
          {field('parentCode', t('catalog.parent'), '')}
          <div class="field">
            <label for="cat-class">{t('catalog.class')}</label>
            <select id="cat-class" name="class">
              {CATEGORY_CLASSES.map((c) => (
                <option value={c}>{t(`catalog.class.${c}` as MessageKey)}</option>
              ))}
            </select>
          </div>
        </>
      )}
      {field('name', t('units.name'), v?.name)}
      {field('filingCondition', t('catalog.filing'), v?.filingCondition, true)}
      {field('closingCondition', t('catalog.closing'), v?.closingCondition, true)}
      <div class="field">
        <label for="cat-urgency">{t('inc.urgency')}</label>
        <select id="cat-urgency" name="defaultUrgency">
          {URGENCIES.map((u) => (
            <option value={u} selected={v?.defaultUrgency === u}>
              {t(`urgency.${u}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="cat-radius">{t('catalog.radius')}</label>
        <input id="cat-radius" name="duplicateRadiusM" type="number" min="10" max="5000" value={String(v?.duplicateRadiusM ?? 250)} />
      </div>
      <div class="field">
        <label>
          <input type="checkbox" name="publicVisible" checked={v ? v.publicVisible : true} /> {t('catalog.public')}
        </label>
      </div>
      <LimitFields ctx={ctx} limits={v?.limits ?? {}} prefix={creating ? 'new' : `c${category!.id}`} />
      <div class="field">
        <label for={`cat-attributes-${category?.id ?? 'new'}`}>{t('catalog.attributesJson')}</label>
        <textarea id={`cat-attributes-${category?.id ?? 'new'}`} name="attributes" rows={6} class="code" aria-describedby={`cat-attributes-help-${category?.id ?? 'new'}`}>
          {v && v.attributes.length ? JSON.stringify(v.attributes, null, 2) : ''}
        </textarea>
        <p class="muted" id={`cat-attributes-help-${category?.id ?? 'new'}`}>
          {t('catalog.attributesHelp')}
        </p>
      </div>
      <button class="button" type="submit">
        {creating ? t('catalog.create') : t('catalog.revise')}
      </button>
    </form>
  );
};

const CatalogPage: FC<{ ctx: PageContext; categories: readonly Category[]; problems?: string[]; notice?: string }> = ({ ctx, categories, problems, notice }) => {
  const { t } = ctx;
  const top = categories.filter((c) => c.parentId === null);
  return (
    <WorkbenchLayout ctx={ctx} title={t('inc.catalog')}>
      <h1>{t('inc.catalog')}</h1>
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      {top.map((parent) => (
        <section class="card catalog-class">
          <h2>
            {parent.current.name} <code>{parent.code}</code> <span class="pill">{t(`catalog.class.${parent.class}` as MessageKey)}</span>
            {parent.isDemo && <span class="badge badge-demo"> {t('site.demoBadge')}</span>}
          </h2>
          <ul class="tree-children">
            {categories
              .filter((c) => c.parentId === parent.id)
              .map((c) => (
                <li>
                  <a href={`/workbench/catalog/${c.id}`}>{c.current.name}</a> <code>{c.code}</code>
                  <span class="muted">
                    v{c.current.version} · {t(`urgency.${c.current.defaultUrgency}`)}
                  </span>
                </li>
              ))}
          </ul>
        </section>
      ))}
      {can(ctx.actor, 'catalog.manage') && (
        <details class="card">
          <summary>{t('catalog.create')}</summary>
          <CategoryForm ctx={ctx} action="/workbench/catalog" creating />
        </details>
      )}
    </WorkbenchLayout>
  );
};

/** The category's extra questions, as Open311 clients see them in the service definition. */
const AttributeTable: FC<{ ctx: PageContext; attributes: readonly CategoryAttribute[] }> = ({ ctx, attributes }) => {
  const { t } = ctx;
  return (
    <>
      <h2>{t('catalog.attributes')}</h2>
      {attributes.length === 0 ? (
        <p class="muted">{t('catalog.noAttributes')}</p>
      ) : (
        <div class="table-scroll" role="region" tabindex={0} aria-label={t('catalog.attributes')}>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{t('catalog.attr.order')}</th>
              <th scope="col">{t('catalog.attr.code')}</th>
              <th scope="col">{t('catalog.attr.description')}</th>
              <th scope="col">{t('catalog.attr.datatype')}</th>
              <th scope="col">{t('catalog.attr.required')}</th>
              <th scope="col">{t('catalog.attr.values')}</th>
            </tr>
          </thead>
          <tbody>
            {[...attributes]
              .sort((a, b) => a.order - b.order)
              .map((a) => (
                <tr>
                  <td>{a.order}</td>
                  <td>
                    <code>{a.code}</code>
                  </td>
                  <td>
                    {a.description}
                    {a.datatypeDescription && <span class="muted">（{a.datatypeDescription}）</span>}
                  </td>
                  <td>{a.variable ? a.datatype : t('catalog.attr.informational')}</td>
                  <td>{a.required ? t('wb.yes') : t('wb.no')}</td>
                  <td>{a.values.map((v) => `${v.key}=${v.name}`).join('、')}</td>
                </tr>
              ))}
          </tbody>
        </table>
        </div>
      )}
    </>
  );
};

const CategoryPage: FC<{ ctx: PageContext; category: Category; routes: readonly (Route & { areaName: string; leadName: string; coNames: string[] })[]; problems?: string[]; notice?: string }> = ({
  ctx,
  category,
  routes,
  problems,
  notice,
}) => {
  const { t } = ctx;
  const manage = can(ctx.actor, 'catalog.manage');
  return (
    <WorkbenchLayout ctx={ctx} title={category.current.name} crumbs={[{ label: t('inc.catalog'), href: '/workbench/catalog' }, { label: category.current.name }]}>
      <h1>
        {category.current.name} <code>{category.code}</code> <span class="muted">v{category.current.version}</span>
      </h1>
      <ProblemAlert lines={problems} />
      <Notice text={notice} />
      <p class="muted">{t('catalog.versionNote')}</p>
      <AttributeTable ctx={ctx} attributes={category.current.attributes} />
      <h2>{t('catalog.routes')}</h2>
      {routes.length === 0 ? (
        <p class="muted">{t('catalog.noRoutes')}</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{t('catalog.area')}</th>
              <th scope="col">{t('inc.lead')}</th>
              <th scope="col">{t('inc.co')}</th>
              {manage && <th scope="col">{t('wb.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {routes.map((r) => (
              <tr>
                <td>{r.areaName}</td>
                <td>{r.leadName}</td>
                <td>{r.coNames.join('、')}</td>
                {manage && (
                  <td>
                    <form method="post" action={`/workbench/catalog/${category.id}/routes/${r.id}/delete`}>
                      <CsrfField token={ctx.csrfToken} />
                      <button type="submit" class="link-button">
                        {t('catalog.removeRoute')}
                      </button>
                    </form>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manage && (
        <>
          <details class="card">
            <summary>{t('catalog.addRoute')}</summary>
            <form method="post" action={`/workbench/catalog/${category.id}/routes`} class="form">
              <CsrfField token={ctx.csrfToken} />
              <div class="field">
                <label for="route-area">{t('catalog.areaCode')}</label>
                <input id="route-area" name="areaCode" type="text" />
              </div>
              <div class="field">
                <label for="route-lead">{t('catalog.leadCode')}</label>
                <input id="route-lead" name="leadCode" type="text" required />
              </div>
              <div class="field">
                <label for="route-co">{t('field.coUnits')}</label>
                <input id="route-co" name="coCodes" type="text" />
              </div>
              <button class="button" type="submit">
                {t('wb.save')}
              </button>
            </form>
          </details>
          <details class="card" open>
            <summary>{t('catalog.revise')}</summary>
            <CategoryForm ctx={ctx} category={category} action={`/workbench/catalog/${category.id}`} />
          </details>
        </>
      )}
    </WorkbenchLayout>
  );
};

export function catalogRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const change = (c: Context<AppEnv>) => ({ actor: requireCan(c, 'catalog.manage'), by: initiatorOf(c) });

  const list = async (c: Context<AppEnv>, extra: { problems?: string[]; notice?: string } = {}, status = 200) => {
    requireCan(c, 'incident.read');
    return renderPage(c, <CatalogPage ctx={pageContext(c)} categories={await c.get('services').catalog.list()} {...extra} />, status);
  };

  const show = async (c: Context<AppEnv>, id: number, extra: { problems?: string[]; notice?: string } = {}, status = 200) => {
    requireCan(c, 'incident.read');
    const services = c.get('services');
    const category = await services.catalog.get(id);
    const routes = await services.catalog.routes(id);
    const name = async (unitId: number | null) => (unitId === null ? c.get('t')('catalog.wholeDistrict') : (await services.organization.getUnitById(unitId)).name);
    const named = await Promise.all(routes.map(async (r) => ({ ...r, areaName: await name(r.areaUnitId), leadName: await name(r.leadUnitId), coNames: await Promise.all(r.coUnitIds.map(name)) })));
    return renderPage(c, <CategoryPage ctx={pageContext(c)} category={category} routes={named} {...extra} />, status);
  };

  app.get('/workbench/catalog', (c) => list(c));
  app.get('/workbench/catalog/:id{[0-9]+}', (c) => show(c, Number(c.req.param('id'))));

  app.post('/workbench/catalog', async (c) => {
    const ch = change(c);
    const body = await readForm(c);
    const result = await attempt(c.get('t'), () =>
      c.get('services').catalog.create(ch, {
        ...inputFrom(body),
        code: text(body, 'code', 40),
        parentCode: text(body, 'parentCode', 40) || undefined,
        class: (CATEGORY_CLASSES as readonly string[]).includes(text(body, 'class', 20)) ? (text(body, 'class', 20) as CategoryClass) : 'event',
        sortOrder: 1000,
      }),
    );
    if (!result.ok) return list(c, { problems: result.lines }, 422);
    return c.redirect(`/workbench/catalog/${result.value.id}`, 303);
  });

  app.post('/workbench/catalog/:id{[0-9]+}', async (c) => {
    const ch = change(c);
    const id = Number(c.req.param('id'));
    const body = await readForm(c);
    const result = await attempt(c.get('t'), () => c.get('services').catalog.revise(ch, id, inputFrom(body)));
    if (!result.ok) return show(c, id, { problems: result.lines }, 422);
    return show(c, id, { notice: c.get('t')('catalog.revised', { version: result.value.version }) });
  });

  app.post('/workbench/catalog/:id{[0-9]+}/routes', async (c) => {
    const ch = change(c);
    const id = Number(c.req.param('id'));
    const body = await readForm(c);
    const services = c.get('services');
    const result = await attempt(c.get('t'), async () => {
      const unit = async (code: string) => (await services.organization.getUnitByCode(code)).id;
      const area = text(body, 'areaCode', 40);
      await services.catalog.setRoute(ch, {
        categoryId: id,
        areaUnitId: area ? await unit(area) : null,
        leadUnitId: await unit(text(body, 'leadCode', 40)),
        coUnitIds: await Promise.all(text(body, 'coCodes').split(/[\s,，]+/).filter(Boolean).map(unit)),
      });
    });
    if (!result.ok) return show(c, id, { problems: result.lines }, 422);
    return c.redirect(`/workbench/catalog/${id}`, 303);
  });

  app.post('/workbench/catalog/:id{[0-9]+}/routes/:route{[0-9]+}/delete', async (c) => {
    const ch = change(c);
    const id = Number(c.req.param('id'));
    await c.get('services').catalog.removeRoute(ch, id, Number(c.req.param('route')));
    return c.redirect(`/workbench/catalog/${id}`, 303);
  });

  return app;
}
