/**
 * The page shell shared by the portal and the workbench, modelled on the district portal page in
 * ../shared/seeds: a header with the site name and utility links, the main navigation, a breadcrumb
 * ("您当前的位置：首页 > …"), the content, and a footer with the four link directories. Readable without
 * JavaScript, responsive down to a 360 px phone, no inline script or style (see the CSP).
 */
import type { Context } from 'hono';
import type { Child, FC } from 'hono/jsx';
import type { Locale, MessageKey, Translate } from '../../locales/index.js';
import type { Actor } from '../../modules/identity/index.js';
import type { AppEnv, ViewShared } from '../context.js';
import { FOOTER_LINK_GROUPS } from './footer-links.js';

/** Everything a page template needs from the request, gathered once. */
export interface PageContext {
  readonly t: Translate;
  readonly locale: Locale;
  readonly actor: Actor | undefined;
  readonly csrfToken: string;
  readonly path: string;
  readonly view: ViewShared;
  readonly requestId: string;
}

export function pageContext(c: Context<AppEnv>): PageContext {
  const url = new URL(c.req.url);
  return {
    t: c.get('t'),
    locale: c.get('locale'),
    actor: c.get('actor'),
    csrfToken: c.get('csrfToken') ?? '',
    path: url.pathname,
    view: c.get('view'),
    requestId: c.get('requestId'),
  };
}

export interface Crumb {
  readonly label: string;
  readonly href?: string;
}

interface NavItem {
  readonly key: MessageKey;
  readonly href: string;
}

const NAV: readonly NavItem[] = [
  { key: 'nav.home', href: '/' },
  { key: 'nav.towns', href: '/towns' },
  { key: 'nav.map', href: '/map' },
  { key: 'nav.workbench', href: '/workbench' },
];

function isCurrent(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

function languageSwitch(ctx: PageContext): { href: string; lang: Locale } {
  const lang: Locale = ctx.locale === 'zh-CN' ? 'en' : 'zh-CN';
  return { href: `${ctx.path}?lang=${lang}`, lang };
}

export const CsrfField: FC<{ token: string }> = ({ token }) => <input type="hidden" name="_csrf" value={token} />;

export const Layout: FC<{
  ctx: PageContext;
  title: string;
  /** Trail after 首页; omit on the home page. */
  crumbs?: readonly Crumb[];
  description?: string;
  children?: Child;
}> = ({ ctx, title, crumbs, description, children }) => {
  const { t, view } = ctx;
  const other = languageSwitch(ctx);
  const fullTitle = ctx.path === '/' ? `${t('site.name')} · ${t('site.fullName')}` : `${title} - ${t('site.name')}`;
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {description && <meta name="description" content={description} />}
        <link rel="stylesheet" href={view.asset('app.css')} />
        <link rel="icon" href={view.asset('logo.svg')} type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('skip.toContent')}
        </a>
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
                <a href={other.href} lang={other.lang} hreflang={other.lang}>
                  {t('nav.language')}
                </a>
              </li>
              {ctx.actor ? (
                <li>
                  <form method="post" action="/logout" class="inline-form">
                    <CsrfField token={ctx.csrfToken} />
                    <span class="who">{ctx.actor.user.displayName}</span>
                    <button type="submit" class="link-button">
                      {t('nav.signOut')}
                    </button>
                  </form>
                </li>
              ) : (
                <li>
                  <a href="/login">{t('nav.signIn')}</a>
                </li>
              )}
            </ul>
          </div>
          <nav class="main-nav" aria-label={t('nav.label')}>
            <ul class="wrap">
              {NAV.map((item) => (
                <li>
                  <a href={item.href} aria-current={isCurrent(ctx.path, item.href) ? 'page' : undefined}>
                    {t(item.key)}
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
        <footer class="site-footer">
          <div class="wrap">
            <h2 class="footer-title">{t('footer.links')}</h2>
            <div class="link-groups">
              {FOOTER_LINK_GROUPS.map((group) => (
                <details class="link-group">
                  <summary>{t(group.titleKey)}</summary>
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
              {t('footer.about')} {t('footer.source')}
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
