/**
 * The public portal: the front page, columns with RSS, articles with their print view, search, the 部门街镇
 * pages, the accessibility settings, the QR code of a page, uploaded files, sitemap.xml and robots.txt.
 */
import { INTERACTION_CHANNELS } from './interaction.js';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import QRCode from 'qrcode';
import { DomainError, invalid } from '../../kernel/errors.js';
import { TOWN_KINDS, type Unit } from '../../modules/organization/index.js';
import { MAX_QUERY_CHARS, hiddenFromPublic, subtreeIds, type Column, type SearchResult } from '../../modules/portal/index.js';
import { A11Y_COOKIE, applyChange, changeFromQuery, parsePrefs, safeBack, serializePrefs } from '../components/accessibility.js';
import { columnHref, columnName, pageContext, renderPage } from '../components/layout.js';
import type { AppEnv } from '../context.js';
import { describe } from '../middleware/errors.js';
import { AccessibilityPage } from './accessibility.page.js';
import { ArticlePage, PrintPage } from './article.page.js';
import { ColumnPage } from './column.page.js';
import { robots, rssFeed, sitemap } from './feeds.js';
import { HomePage, type HomeSection } from './home.page.js';
import { createPageCache, type PageCache } from './page-cache.js';
import { SearchPage, type SearchForm } from './search.page.js';
import { TownPage, TownsPage } from './towns.page.js';

const PAGE_SIZE = 20;

function columnsOf(c: Context<AppEnv>): readonly Column[] {
  return c.get('site')?.columns ?? [];
}

function visibleColumn(c: Context<AppEnv>, slug: string): Column | undefined {
  const columns = columnsOf(c);
  const column = columns.find((x) => x.slug === slug);
  return column && !hiddenFromPublic(columns, column.id) ? column : undefined;
}

function pageParam(c: Context<AppEnv>): number {
  const n = Number(c.req.query('page') ?? '1');
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : 1;
}

/** A date field of the search form (YYYY-MM-DD, China Standard Time), or undefined. */
function dayStart(s: string | undefined, plusDays = 0): Date | undefined {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const d = new Date(`${s}T00:00:00+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : new Date(d.getTime() + plusDays * 86_400_000);
}

export function portalRoutes(options: { cache?: PageCache } = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const cache = options.cache ?? createPageCache();
  const qrCache = new Map<string, string>();

  const directoryTitle = (c: Context<AppEnv>) => {
    const column = columnsOf(c).find((x) => x.kind === 'directory');
    return column ? columnName({ t: c.get('t'), locale: c.get('locale') }, column) : c.get('t')('towns.title');
  };

  app.get(
    '/',
    cache.wrap(async (c) => {
      const { organization, portal } = c.get('services');
      const columns = columnsOf(c);
      const wanted: [string, number][] = [['news', 8], ['notices', 6], ['policies', 5], ['interpretations', 4], ['services', 5], ['interaction', 2]];
      const shown = wanted
        .map(([slug, limit]) => ({ column: columns.find((x) => x.slug === slug), limit }))
        .filter((w): w is { column: Column; limit: number } => w.column !== undefined && !hiddenFromPublic(columns, w.column.id));
      const [towns, departments, lists] = await Promise.all([
        organization.listTowns(),
        organization.listByKinds(['department']),
        portal.content.listPublicGroups(shown.map((w) => ({ columnIds: subtreeIds(columns, w.column.id).filter((id) => !hiddenFromPublic(columns, id)), limit: w.limit }))),
      ]);
      const section = (slug: string): HomeSection | undefined => {
        const i = shown.findIndex((w) => w.column.slug === slug);
        return i === -1 ? undefined : { column: shown[i]!.column, items: lists[i]! };
      };
      const [news, notices, policies, interpretations, services, interaction] = ['news', 'notices', 'policies', 'interpretations', 'services', 'interaction'].map(section);
      const props = { ctx: pageContext(c), towns, departments, news, notices, policies, interpretations, services, interaction };
      return renderPage(c, <HomePage {...props} />);
    }),
  );

  app.get(
    '/columns/:slug{[a-z0-9-]{1,40}}',
    cache.wrap(async (c) => {
      const column = visibleColumn(c, c.req.param('slug') ?? '');
      if (!column) return c.notFound();
      if (column.kind === 'directory') return c.redirect('/towns', 301);
      const columns = columnsOf(c);
      const page = pageParam(c);
      const ids = subtreeIds(columns, column.id).filter((id) => !hiddenFromPublic(columns, id));
      const { items, total } = await c.get('services').portal.content.listPublic(ids, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return renderPage(c, <ColumnPage ctx={pageContext(c)} column={column} columns={columns} items={items} total={total} page={page} pageSize={PAGE_SIZE} />);
    }),
  );

  app.get('/columns/:slug{[a-z0-9-]{1,40}}/feed.xml', async (c) => {
    const column = visibleColumn(c, c.req.param('slug') ?? '');
    if (!column) return c.notFound();
    const columns = columnsOf(c);
    const { items } = await c.get('services').portal.content.listPublic(subtreeIds(columns, column.id), { limit: 30, offset: 0, withTotal: false });
    const body = rssFeed({ siteName: c.get('t')('site.name'), baseUrl: c.get('view').publicUrl, column, items, now: new Date() });
    return c.body(body, 200, { 'Content-Type': 'application/rss+xml; charset=utf-8', 'Cache-Control': 'public, max-age=300' });
  });

  const article = (print: boolean) =>
    cache.wrap(async (c) => {
      const id = Number(c.req.param('id'));
      const doc = await c.get('services').portal.content.getPublic(id);
      const columns = columnsOf(c);
      if (hiddenFromPublic(columns, doc.record.columnId)) return c.notFound();
      return renderPage(c, print ? <PrintPage ctx={pageContext(c)} doc={doc} columns={columns} /> : <ArticlePage ctx={pageContext(c)} doc={doc} columns={columns} />);
    });
  app.get('/articles/:id{[0-9]{1,12}}', article(false));
  app.get('/articles/:id{[0-9]{1,12}}/print', article(true));

  app.get('/search', async (c) => {
    const q = c.req.query('q') ?? '';
    const columns = columnsOf(c).filter((x) => !hiddenFromPublic(columnsOf(c), x.id) && x.kind !== 'directory');
    const columnId = Number(c.req.query('column') ?? '') || undefined;
    const form: SearchForm = {
      q: q.slice(0, MAX_QUERY_CHARS * 2),
      ...(columnId && columns.some((x) => x.id === columnId) ? { columnId } : {}),
      ...(dayStart(c.req.query('from')) ? { from: c.req.query('from') } : {}),
      ...(dayStart(c.req.query('to')) ? { to: c.req.query('to') } : {}),
    };
    const ctx = pageContext(c);
    if ([...q].length > MAX_QUERY_CHARS) {
      // Refused cleanly: the page explains and keeps the form, nothing is searched.
      return renderPage(c, <SearchPage ctx={ctx} form={{ ...form, q: [...q].slice(0, MAX_QUERY_CHARS).join('') }} result={undefined} columns={columns} problem={ctx.t('SEARCH.TOO_LONG', { max: MAX_QUERY_CHARS })} />, 400);
    }
    let result: SearchResult | undefined;
    try {
      result = await c.get('services').portal.content.search(
        { q, ...(form.columnId ? { columnId: form.columnId } : {}), ...(form.from ? { from: dayStart(form.from) } : {}), ...(form.to ? { to: dayStart(form.to, 1) } : {}), page: pageParam(c) },
        columnsOf(c),
      );
    } catch (e) {
      if (e instanceof DomainError && e.kind === 'Invalid') {
        return renderPage(c, <SearchPage ctx={ctx} form={form} result={undefined} columns={columns} problem={describe(ctx.t, e.code, e.message, e.details.params)} />, 400);
      }
      throw e;
    }
    return renderPage(c, <SearchPage ctx={ctx} form={form} result={result} columns={columns} />);
  });

  app.get(
    '/towns',
    cache.wrap(async (c) => {
      const org = c.get('services').organization;
      const [towns, departments] = await Promise.all([org.listTowns(), org.listByKinds(['department'])]);
      return renderPage(c, <TownsPage ctx={pageContext(c)} towns={towns} departments={departments} title={directoryTitle(c)} />);
    }),
  );

  const unitPage = (accept: (u: Unit) => boolean) =>
    cache.wrap(async (c) => {
      const { organization, portal } = c.get('services');
      const unit = await organization.getUnitByCode(c.req.param('code')!);
      if (!accept(unit) || unit.retiredAt) return c.notFound();
      const [{ parent, children }, profile, news] = await Promise.all([organization.getUnitContext(unit), portal.site.profile(unit.id), portal.content.listByUnit(unit.id, 10)]);
      const shown = unit.kind === 'department' ? [] : children.filter((u) => !['command_center', 'board'].includes(u.kind));
      return renderPage(c, <TownPage ctx={pageContext(c)} town={unit} parent={parent} children={shown} profile={profile} news={news} directoryTitle={directoryTitle(c)} />);
    });
  app.get('/towns/:code{[0-9A-Za-z-]{1,40}}', unitPage((u) => (TOWN_KINDS as readonly string[]).includes(u.kind)));
  app.get('/departments/:code{[0-9A-Za-z-]{1,40}}', unitPage((u) => u.kind === 'department'));

  app.get('/accessibility', cache.wrap((c) => renderPage(c, <AccessibilityPage ctx={pageContext(c)} />)));

  // A GET, like ?lang=: it only changes a preference cookie of this browser, never anything on the server.
  app.get('/accessibility/set', (c) => {
    const change = changeFromQuery((name) => c.req.query(name));
    const back = safeBack(c.req.query('back'));
    if (change) {
      const next = serializePrefs(applyChange(parsePrefs(getCookie(c, A11Y_COOKIE)), change));
      if (next) setCookie(c, A11Y_COOKIE, next, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600 });
      else setCookie(c, A11Y_COOKIE, '', { path: '/', sameSite: 'Lax', maxAge: 0 });
    }
    return c.redirect(back, 303);
  });

  // "扫一扫在手机打开当前页": a QR code of this site's page at `path` (never of another site's address).
  app.get('/qr.svg', async (c) => {
    const path = c.req.query('path') ?? '/';
    if (!path.startsWith('/') || path.startsWith('//') || path.length > 300) throw invalid('REQUEST.INVALID', 'path must be a path on this site');
    let svg = qrCache.get(path);
    if (!svg) {
      svg = await QRCode.toString(`${c.get('view').publicUrl}${path}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } });
      if (qrCache.size > 2000) qrCache.clear();
      qrCache.set(path, svg);
    }
    return c.body(svg, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' });
  });

  // Uploaded images and attachments, by content hash: immutable, so cached for a year.
  app.get('/files/:sha{[0-9a-f]{64}}/:name?', async (c) => {
    const file = await c.get('services').portal.content.readFile(c.req.param('sha'));
    if (!file) return c.notFound();
    const image = file.mime.startsWith('image/');
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': file.mime,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Content-Disposition': `${image ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    });
  });

  app.get('/sitemap.xml', async (c) => {
    const columns = columnsOf(c).filter((x) => !hiddenFromPublic(columnsOf(c), x.id));
    const org = c.get('services').organization;
    const [docs, towns, departments] = await Promise.all([c.get('services').portal.content.sitemapEntries(5000), org.listTowns(), org.listByKinds(['department'])]);
    const entries = [
      { path: '/' },
      ...columns.map((x) => ({ path: columnHref(x) })),
      ...docs.map((d) => ({ path: `/articles/${d.id}`, lastmod: d.updatedAt })),
      ...towns.map((u) => ({ path: `/towns/${u.code}` })),
      ...departments.map((u) => ({ path: `/departments/${u.code}` })),
      { path: '/accessibility' },
      // The public channels: the reporting forms, tracking, the public list of reports and the published letters.
      ...INTERACTION_CHANNELS.flatMap((ch) => (ch.href ? [{ path: ch.href }] : [])),
      { path: '/track' },
      { path: '/reports' },
      { path: '/interaction/letters' },
    ];
    const unique = [...new Map(entries.map((e) => [e.path, e])).values()];
    return c.body(sitemap(c.get('view').publicUrl, unique), 200, { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=3600' });
  });

  app.get('/robots.txt', (c) => c.body(robots(c.get('view').publicUrl), 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=86400' }));

  return app;
}
