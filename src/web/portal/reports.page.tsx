/**
 * The public list and map of reports (issue 5 §2: "an optional public list and map of non-sensitive reports,
 * per category setting"). Filters are a GET form, so the list works without JavaScript; the map view draws the
 * same filter's points with Leaflet from /reports.geojson and falls back to a link to the list. Each report
 * links to its public page, /reports/{number}.
 */
import type { FC } from 'hono/jsx';
import { MAX_PUBLIC_PAGE, type Category, type PublicReportRow } from '../../modules/incidents/index.js';
import { Layout, type PageContext } from '../components/layout.js';
import { formatDateTime, Pager } from './common.js';

export interface ReportsForm {
  readonly category?: string;
  readonly status?: 'open' | 'closed';
  readonly town?: string;
  readonly view: 'list' | 'map';
}

export const REPORTS_PAGE_SIZE = 20;

export const reportHref = (number: string) => `/reports/${encodeURIComponent(number)}`;

/** The query string of a filter (and page), shared by the list, the map and the pager. */
export function reportsQuery(form: ReportsForm, page = 1, view = form.view): string {
  const sp = new URLSearchParams();
  if (form.category) sp.set('category', form.category);
  if (form.status) sp.set('status', form.status);
  if (form.town) sp.set('town', form.town);
  if (view === 'map') sp.set('view', 'map');
  if (page > 1) sp.set('page', String(page));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

const Filters: FC<{ ctx: PageContext; form: ReportsForm; categories: readonly Category[]; towns: readonly { code: string; name: string }[] }> = ({ ctx, form, categories, towns }) => {
  const { t } = ctx;
  const groups = categories.filter((c) => c.parentId === null);
  return (
    <form class="search-form reports-filter" method="get" action="/reports" aria-label={t('reports.filter')}>
      {form.view === 'map' && <input type="hidden" name="view" value="map" />}
      <div class="search-filters">
        <div class="field">
          <label for="reports-category">{t('reports.category')}</label>
          <select id="reports-category" name="category">
            <option value="">{t('reports.all')}</option>
            {groups.map((g) => (
              <optgroup label={g.current.name}>
                <option value={g.code} selected={form.category === g.code}>
                  {g.current.name}（{t('reports.all')}）
                </option>
                {categories
                  .filter((c) => c.parentId === g.id)
                  .map((c) => (
                    <option value={c.code} selected={form.category === c.code}>
                      {c.current.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="reports-status">{t('reports.status')}</label>
          <select id="reports-status" name="status">
            <option value="">{t('reports.all')}</option>
            <option value="open" selected={form.status === 'open'}>
              {t('reports.open')}
            </option>
            <option value="closed" selected={form.status === 'closed'}>
              {t('reports.closed')}
            </option>
          </select>
        </div>
        <div class="field">
          <label for="reports-town">{t('reports.town')}</label>
          <select id="reports-town" name="town">
            <option value="">{t('reports.all')}</option>
            {towns.map((x) => (
              <option value={x.code} selected={form.town === x.code}>
                {x.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field reports-apply">
          <button type="submit" class="button">
            {t('reports.apply')}
          </button>
        </div>
      </div>
    </form>
  );
};

const ViewSwitch: FC<{ ctx: PageContext; form: ReportsForm }> = ({ ctx, form }) => (
  <p class="reports-views">
    {form.view === 'list' ? <strong aria-current="page">{ctx.t('reports.listView')}</strong> : <a href={`/reports${reportsQuery(form, 1, 'list')}`}>{ctx.t('reports.listView')}</a>}
    {' · '}
    {form.view === 'map' ? <strong aria-current="page">{ctx.t('reports.mapView')}</strong> : <a href={`/reports${reportsQuery(form, 1, 'map')}`}>{ctx.t('reports.mapView')}</a>}
  </p>
);

const StatusMark: FC<{ ctx: PageContext; r: PublicReportRow }> = ({ ctx, r }) => {
  const closed = ['closed', 'rejected', 'merged', 'voided'].includes(r.state);
  return <span class={`mark ${closed ? 'mark-closed' : 'mark-open'}`}>{ctx.t(closed ? 'reports.closed' : 'reports.open')}</span>;
};

export const ReportsPage: FC<{
  ctx: PageContext;
  form: ReportsForm;
  categories: readonly Category[];
  towns: readonly { code: string; name: string }[];
  result: { items: readonly PublicReportRow[]; total: number };
  page: number;
}> = ({ ctx, form, categories, towns, result, page }) => {
  const { t, view } = ctx;
  const title = form.view === 'map' ? t('reports.mapTitle') : t('reports.title');
  return (
    <Layout ctx={ctx} title={title} crumbs={[{ label: t('reports.title'), href: '/reports' }, ...(form.view === 'map' ? [{ label: t('reports.mapView') }] : [])]}>
      {form.view === 'map' && <link rel="stylesheet" href={view.asset('leaflet/leaflet.css')} />}
      {form.view === 'map' && <link rel="stylesheet" href={view.asset('map.css')} />}
      <h1>{title}</h1>
      <p>{form.view === 'map' ? t('reports.mapIntro') : t('reports.intro')}</p>
      <Filters ctx={ctx} form={form} categories={categories} towns={towns} />
      <ViewSwitch ctx={ctx} form={form} />
      {form.view === 'map' ? (
        <section aria-label={t('reports.mapTitle')}>
          <div id="reports-map" class="geo-map reports-map" hidden data-points={`/reports.geojson${reportsQuery({ ...form, view: 'list' })}`} data-district="/geo/district.geojson" data-open={t('reports.open')} data-closed={t('reports.closed')}></div>
          <p class="map-fallback reports-map-fallback">
            {t('reports.mapFallback')} <a href={`/reports${reportsQuery(form, 1, 'list')}`}>{t('reports.listView')}</a>
          </p>
          <p role="status">
            {t('reports.total', { total: result.total })}
            {result.total > MAX_PUBLIC_PAGE && ` · ${t('reports.mapCapped', { max: MAX_PUBLIC_PAGE })}`}
          </p>
          <script src={view.asset('leaflet/leaflet.js')} defer></script>
          <script src={view.asset('reports-map.js')} defer></script>
        </section>
      ) : (
        <section aria-labelledby="reports-results">
          <h2 id="reports-results" role="status">
            {t('reports.results')} · {t('reports.total', { total: result.total })}
          </h2>
          {result.items.length === 0 ? (
            <p class="muted">{t('reports.none')}</p>
          ) : (
            <ol class="reports-list" start={(page - 1) * REPORTS_PAGE_SIZE + 1}>
              {result.items.map((r) => (
                <li>
                  <h3>
                    <a href={reportHref(r.number)}>{r.title}</a> <StatusMark ctx={ctx} r={r} />
                  </h3>
                  <p class="muted result-meta">
                    <span>{r.number}</span> · <span>{r.categoryName}</span>
                    {r.townName && <> · <span>{r.townName}</span></>} · {t('reports.reportedAt')} <time datetime={r.reportedAt.toISOString()}>{formatDateTime(r.reportedAt)}</time>
                  </p>
                  {r.address && <p class="reports-address">{r.address}</p>}
                </li>
              ))}
            </ol>
          )}
          <Pager ctx={ctx} page={page} total={result.total} pageSize={REPORTS_PAGE_SIZE} href={(p) => `/reports${reportsQuery(form, p)}`} />
        </section>
      )}
    </Layout>
  );
};
