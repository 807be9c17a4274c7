/**
 * The page shell shared by the portal and the workbench, modelled on the district portal page in
 * ../shared/seeds: a header with the site name and utility links (关怀版, 无障碍, language, sign-in), the
 * accessibility toolbar, the main navigation (the portal's top-level columns), a breadcrumb ("您当前的位置：首页 >
 * …"), the content, the page tools ("扫一扫在手机打开当前页", 微博 and 微信 sharing, print) and a footer with the
 * link directories editors maintain. Readable without JavaScript, responsive down to a 360 px phone, usable at
 * 200 % text, no inline script or style (see the CSP).
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Child, FC } from 'hono/jsx';
import { hasMessage, type Locale, type Translate } from '../../locales/index.js';
import type { Actor } from '../../modules/identity/index.js';
import { childrenOf, type Column, type SiteFurniture } from '../../modules/portal/index.js';
import type { AppEnv, ViewShared } from '../context.js';
import { A11Y_COOKIE, isActive, parsePrefs, prefsClasses, TEXT_SIZES, type A11yPrefs } from './accessibility.js';
import { FOOTER_LINK_GROUPS } from './footer-links.js';

/** Everything a page template needs from the request, gathered once. */
export interface PageContext {
  readonly t: Translate;
  readonly locale: Locale;
  readonly actor: Actor | undefined;
  readonly csrfToken: string;
  readonly path: string;
  /** Path and query string, for links that return here. */
  readonly url: string;
  readonly view: ViewShared;
  readonly requestId: string;
  readonly a11y: A11yPrefs;
  readonly site: SiteFurniture | undefined;
}

export function pageContext(c: Context<AppEnv>): PageContext {
  const url = new URL(c.req.url);
  return {
    t: c.get('t'),
    locale: c.get('locale'),
    actor: c.get('actor'),
    csrfToken: c.get('csrfToken') ?? '',
    path: url.pathname,
    url: `${url.pathname}${url.search}`.slice(0, 500),
    view: c.get('view'),
    requestId: c.get('requestId'),
    a11y: parsePrefs(getCookie(c, A11Y_COOKIE)),
    site: c.get('site'),
  };
}

export interface Crumb {
  readonly label: string;
  readonly href?: string;
}

/** The address of a column's page: the directory column lives at /towns, the others at /columns/<slug>. */
export function columnHref(column: Pick<Column, 'kind' | 'slug'>): string {
  return column.kind === 'directory' ? '/towns' : `/columns/${column.slug}`;
}

/**
 * A column's name as shown: the editors' name, except that the shipped columns have an English name for the
 * English interface (the names editors type are Chinese content).
 */
export function columnName(ctx: Pick<PageContext, 't' | 'locale'>, column: Pick<Column, 'slug' | 'name'>): string {
  const key = `column.${column.slug}`;
  return ctx.locale !== 'zh-CN' && hasMessage(key) ? ctx.t(key) : column.name;
}

function isCurrent(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

function languageSwitch(ctx: PageContext): { href: string; lang: Locale } {
  const lang: Locale = ctx.locale === 'zh-CN' ? 'en' : 'zh-CN';
  return { href: `${ctx.path}?lang=${lang}`, lang };
}

/** A link that changes one accessibility choice and comes back here (JavaScript applies it in place). */
export function a11yHref(ctx: PageContext, param: string): string {
  return `/accessibility/set?${param}&back=${encodeURIComponent(ctx.url)}`;
}

export const CsrfField: FC<{ token: string }> = ({ token }) => <input type="hidden" name="_csrf" value={token} />;

const A11yToolbar: FC<{ ctx: PageContext }> = ({ ctx }) => {
  const { t, a11y } = ctx;
  const open = a11y.toolbar || isActive(a11y);
  const opt = (param: string, label: string, on: boolean, hint?: string) => (
    <li>
      <a href={a11yHref(ctx, param)} class={on ? 'a11y-opt is-on' : 'a11y-opt'} data-a11y={param}>
        {label}
        {hint && <span class="visually-hidden">{hint}</span>}
        {on && <span class="visually-hidden">{t('a11y.selected')}</span>}
      </a>
    </li>
  );
  return (
    <section id="a11y-toolbar" class="a11y-bar" aria-label={t('a11y.toolbar')} hidden={!open}>
      <div class="wrap">
        <ul class="a11y-group" aria-label={t('a11y.textSize')}>
          <li class="a11y-label" aria-hidden="true">
            {t('a11y.textSize')}
          </li>
          {opt('size=down', t('a11y.smaller'), false, t('a11y.smallerLabel'))}
          <li class="a11y-value" data-a11y-size>
            {a11y.size}%
          </li>
          {opt('size=up', t('a11y.larger'), false, t('a11y.largerLabel'))}
        </ul>
        <ul class="a11y-group" aria-label={t('a11y.contrast')}>
          <li class="a11y-label" aria-hidden="true">
            {t('a11y.contrast')}
          </li>
          {opt('contrast=normal', t('a11y.contrastNormal'), a11y.contrast === 'normal')}
          {opt('contrast=high', t('a11y.contrastHigh'), a11y.contrast === 'high')}
          {opt('contrast=dark', t('a11y.contrastDark'), a11y.contrast === 'dark')}
        </ul>
        <ul class="a11y-group" aria-label={t('a11y.more')}>
          {opt('toggle=spacing', t('a11y.spacing'), a11y.spacing)}
          {opt('toggle=cursor', t('a11y.cursor'), a11y.cursor)}
          {opt('toggle=guide', t('a11y.guide'), a11y.guide)}
          <li hidden data-js-only>
            <button type="button" class="a11y-opt" data-speak data-stop-label={t('a11y.stopReading')}>
              {t('a11y.readAloud')}
            </button>
          </li>
          {opt('toggle=elder', t('a11y.elder'), a11y.elder)}
          {opt('reset=1', t('a11y.reset'), false)}
          <li>
            <a class="a11y-opt" href="/accessibility">
              {t('a11y.help')}
            </a>
          </li>
        </ul>
      </div>
    </section>
  );
};

export interface ShareInfo {
  readonly title: string;
  readonly description?: string;
  readonly type?: 'article' | 'website';
  readonly publishedAt?: Date | null;
  /** The print view, when the page has one. */
  readonly printHref?: string;
}

/** "扫一扫在手机打开当前页", 微博 and 微信 sharing, and print: the tools at the foot of a public page. */
const PageTools: FC<{ ctx: PageContext; share: ShareInfo; sharePath: string }> = ({ ctx, share, sharePath }) => {
  const { t, view } = ctx;
  const url = `${view.publicUrl}${sharePath}`;
  const weibo = `https://service.weibo.com/share/share.php?url=${encodeURIComponent(url)}&title=${encodeURIComponent(share.title)}`;
  return (
    <section class="page-tools wrap" aria-labelledby="page-tools-title">
      <h2 id="page-tools-title" class="visually-hidden">
        {t('tools.title')}
      </h2>
      <figure class="qr" id="page-qr">
        <img src={`/qr.svg?path=${encodeURIComponent(sharePath)}`} alt={t('tools.qrAlt')} width="132" height="132" />
        <figcaption>{t('tools.qrCaption')}</figcaption>
      </figure>
      <ul class="share-list">
        <li>
          <a href={weibo} rel="noopener" class="share-weibo">
            {t('tools.weibo')}
          </a>
        </li>
        <li>
          <a href="#page-qr" class="share-wechat" aria-describedby="wechat-help">
            {t('tools.wechat')}
          </a>
          <span id="wechat-help" class="share-help">
            {t('tools.wechatHelp')}
          </span>
        </li>
        {share.printHref && (
          <li>
            <a href={share.printHref}>{t('tools.print')}</a>
          </li>
        )}
      </ul>
    </section>
  );
};

export const Layout: FC<{
  ctx: PageContext;
  title: string;
  /** Trail after 首页; omit on the home page. */
  crumbs?: readonly Crumb[];
  description?: string;
  /** The page's canonical path (default: its path without a query). */
  canonicalPath?: string;
  /** RSS feeds to announce in the head. */
  feeds?: readonly { title: string; href: string }[];
  /** Share metadata and the page tools (QR code, 微博, 微信, print); public pages pass it. */
  share?: ShareInfo;
  noindex?: boolean;
  children?: Child;
}> = ({ ctx, title, crumbs, description, canonicalPath, feeds, share, noindex, children }) => {
  const { t, view } = ctx;
  const other = languageSwitch(ctx);
  const fullTitle = ctx.path === '/' ? `${t('site.name')} · ${t('site.fullName')}` : `${title} - ${t('site.name')}`;
  const canonical = `${view.publicUrl}${canonicalPath ?? ctx.path}`;
  const columns = ctx.site ? childrenOf(ctx.site.columns, null) : [];
  const nav = [
    { label: t('nav.home'), href: '/' },
    ...(columns.length ? columns.map((c) => ({ label: columnName(ctx, c), href: columnHref(c) })) : [{ label: t('nav.towns'), href: '/towns' }]),
    { label: t('nav.map'), href: '/map' },
  ];
  const groups = ctx.site?.linkGroups.map((g) => ({ title: g.title, links: g.links.map((l) => ({ label: l.label, href: l.url })) })) ?? FOOTER_LINK_GROUPS.map((g) => ({ title: t(g.titleKey), links: g.links }));
  const htmlClass = prefsClasses(ctx.a11y) || undefined;
  return (
    <html lang={ctx.locale} class={htmlClass}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {description && <meta name="description" content={description} />}
        {noindex && <meta name="robots" content="noindex" />}
        <link rel="canonical" href={canonical} />
        {share && (
          <>
            <meta property="og:site_name" content={t('site.name')} />
            <meta property="og:type" content={share.type ?? 'website'} />
            <meta property="og:title" content={share.title} />
            {(share.description ?? description) && <meta property="og:description" content={share.description ?? description} />}
            <meta property="og:url" content={canonical} />
            <meta property="og:locale" content={ctx.locale === 'zh-CN' ? 'zh_CN' : 'en_US'} />
            {share.publishedAt && <meta property="article:published_time" content={share.publishedAt.toISOString()} />}
          </>
        )}
        {feeds?.map((f) => <link rel="alternate" type="application/rss+xml" title={f.title} href={f.href} />)}
        <link rel="stylesheet" href={view.asset('app.css')} />
        <link rel="stylesheet" href={view.asset('portal.css')} />
        <link rel="icon" href={view.asset('logo.svg')} type="image/svg+xml" />
        <script src={view.asset('portal.js')} defer></script>
      </head>
      <body>
        <ul class="skip-links">
          <li>
            <a class="skip-link" href="#main">
              {t('skip.toContent')}
            </a>
          </li>
          <li>
            <a class="skip-link" href="#main-nav">
              {t('skip.toNav')}
            </a>
          </li>
          <li>
            <a class="skip-link" href="#a11y-entry">
              {t('skip.toA11y')}
            </a>
          </li>
        </ul>
        {view.demo && (
          <p class="demo-banner" role="note">
            {t('site.demoBanner')}
          </p>
        )}
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href="/">
              <img src={view.asset('logo.svg')} alt="" width="44" height="44" />
              <span class="brand-text">
                <span class="brand-name">{t('site.name')}</span>
                <span class="brand-sub">{t('site.fullName')}</span>
              </span>
            </a>
            <ul class="utility">
              <li>
                <a href={a11yHref(ctx, 'toggle=elder')} data-a11y="toggle=elder" class={ctx.a11y.elder ? 'is-on' : undefined}>
                  {ctx.a11y.elder ? t('a11y.elderOff') : t('a11y.elder')}
                </a>
              </li>
              <li>
                <a id="a11y-entry" href={a11yHref(ctx, 'toggle=toolbar')} data-a11y="toggle=toolbar" aria-controls="a11y-toolbar" aria-expanded={ctx.a11y.toolbar || isActive(ctx.a11y) ? 'true' : 'false'}>
                  {t('a11y.entry')}
                </a>
              </li>
              <li>
                <a href={other.href} lang={other.lang} hreflang={other.lang}>
                  {t('nav.language')}
                </a>
              </li>
              {ctx.actor ? (
                <>
                  <li>
                    <a href="/workbench">{t('nav.workbench')}</a>
                  </li>
                  <li>
                    <form method="post" action="/logout" class="inline-form">
                      <CsrfField token={ctx.csrfToken} />
                      <span class="who">{ctx.actor.user.displayName}</span>
                      <button type="submit" class="link-button">
                        {t('nav.signOut')}
                      </button>
                    </form>
                  </li>
                </>
              ) : (
                <li>
                  <a href="/login">{t('nav.signIn')}</a>
                </li>
              )}
            </ul>
          </div>
          <A11yToolbar ctx={ctx} />
          <nav class="main-nav" id="main-nav" aria-label={t('nav.label')} tabindex={-1}>
            <ul class="wrap">
              {nav.map((item) => (
                <li>
                  <a href={item.href} aria-current={isCurrent(ctx.path, item.href) ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <nav class="breadcrumb wrap" aria-label={t('breadcrumb.label')}>
          <span class="breadcrumb-label">{t('breadcrumb.label')}：</span>
          <ol>
            {crumbs && crumbs.length > 0 ? (
              <>
                <li>
                  <a href="/">{t('breadcrumb.home')}</a>
                </li>
                {crumbs.map((crumb, i) =>
                  crumb.href && i < crumbs.length - 1 ? (
                    <li>
                      <a href={crumb.href}>{crumb.label}</a>
                    </li>
                  ) : (
                    <li aria-current="page">{crumb.label}</li>
                  ),
                )}
              </>
            ) : (
              <li aria-current="page">{t('breadcrumb.home')}</li>
            )}
          </ol>
        </nav>
        <main id="main" class="wrap" tabindex={-1}>
          {children}
        </main>
        {share && <PageTools ctx={ctx} share={share} sharePath={canonicalPath ?? ctx.path} />}
        <footer class="site-footer">
          <div class="wrap">
            <h2 class="footer-title">{t('footer.links')}</h2>
            <div class="link-groups">
              {groups.map((group) => (
                <details class="link-group" open={ctx.a11y.elder || undefined}>
                  <summary>{group.title}</summary>
                  <ul>
                    {group.links.map((link) => (
                      <li>
                        <a href={link.href} rel={link.href.startsWith('http') ? 'noopener' : undefined}>
                          {link.label}
                        </a>
                      </li>
                    ))}
                  </ul>
                </details>
              ))}
            </div>
            <p class="footer-note">
              {t('footer.about')} {t('footer.source')} <a href="/accessibility">{t('a11y.statement')}</a> · <a href="/sitemap.xml">{t('footer.sitemap')}</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
};

/** Renders a full page with its doctype (Hono's c.html does not add one). */
export async function renderPage(c: Context<AppEnv>, page: Child, status = 200): Promise<Response> {
  const html = await (page as { toString(): string | Promise<string> }).toString();
  return c.html(`<!DOCTYPE html>${html}`, status as 200);
}

export { TEXT_SIZES };
