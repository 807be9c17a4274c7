/**
 * The staff workbench shell: the site layout with a navigation of the pages this person may use (by their
 * posts), and helpers every workbench route uses to require a signed-in, permitted actor.
 */
import type { Context } from 'hono';
import type { Child, FC } from 'hono/jsx';
import { DomainError } from '../../kernel/errors.js';
import { authorize, can, type Action, type Resource } from '../../modules/access/index.js';
import type { Actor } from '../../modules/identity/index.js';
import { Layout, type Crumb, type PageContext } from '../components/layout.js';
import type { AppEnv } from '../context.js';
import { NAV_GROUPS, NAV_ITEMS } from './nav.js';

const ENDED_CODES = { expired: 'AUTH.SESSION_EXPIRED', idle: 'AUTH.SESSION_IDLE', invalid: 'AUTH.SESSION_INVALID' } as const;

/**
 * The signed-in actor, or AUTH.REQUIRED — or, when the request came with a session that has ended, why it
 * ended (AUTH.SESSION_EXPIRED, AUTH.SESSION_IDLE, AUTH.SESSION_INVALID). A GET is redirected to the sign-in page.
 */
export function requireActor(c: Context<AppEnv>): Actor {
  const actor = c.get('actor');
  if (actor) return actor;
  const ended = c.get('sessionEnded');
  if (ended) throw new DomainError('Unauthenticated', ENDED_CODES[ended], `Your session has ended (${ended}); sign in again`);
  if (c.get('machine')) throw new DomainError('Forbidden', 'TOKEN.NOT_FOR_PAGES', 'API tokens do not open staff pages');
  throw new DomainError('Unauthenticated', 'AUTH.REQUIRED', 'Sign in first');
}

/** The signed-in actor, provided they may do `action` (to `resource`); otherwise AUTH.REQUIRED or AUTH.FORBIDDEN. */
export function requireCan(c: Context<AppEnv>, action: Action, resource?: Resource): Actor {
  const actor = requireActor(c);
  authorize(actor, action, resource);
  return actor;
}

export const WorkbenchNav: FC<{ ctx: PageContext }> = ({ ctx }) => {
  const { t, actor } = ctx;
  // A person who must first replace an administrator's password has nowhere else to go yet (see passwordChangeGate).
  if (actor?.user.passwordChangeRequired) return null;
  const groups = NAV_GROUPS.map((g) => ({ ...g, items: NAV_ITEMS.filter((i) => i.group === g.group && can(actor, i.action)) })).filter((g) => g.items.length);
  // The one current entry: the longest address the page is at or under (/workbench/lifeline/alarms, not /workbench/lifeline too).
  const current = NAV_ITEMS.filter((i) => ctx.path === i.href || ctx.path.startsWith(`${i.href}/`)).sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <nav class="wb-nav" aria-label={t('wb.nav.label')}>
      <ul class="wb-nav-list">
        <li>
          <a href="/workbench" aria-current={ctx.path === '/workbench' ? 'page' : undefined}>
            {t('wb.nav.home')}
          </a>
        </li>
        <li>
          <a href="/workbench/account" aria-current={ctx.path.startsWith('/workbench/account') ? 'page' : undefined}>
            {t('wb.nav.account')}
          </a>
        </li>
        {groups.map((g) => (
          <li>
            <span class="wb-nav-group">{t(g.labelKey)}</span>
            <ul>
              {g.items.map((item) => (
                <li>
                  <a href={item.href} aria-current={item.href === current ? 'page' : undefined}>
                    {t(item.labelKey)}
                  </a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </nav>
  );
};

export const WorkbenchLayout: FC<{ ctx: PageContext; title: string; crumbs?: readonly Crumb[]; children?: Child }> = ({ ctx, title, crumbs, children }) => (
  <Layout ctx={ctx} title={title} crumbs={[{ label: ctx.t('workbench.title'), href: '/workbench' }, ...(crumbs ?? [{ label: title }])]}>
    <div class="wb">
      <WorkbenchNav ctx={ctx} />
      <div class="wb-main">{children}</div>
    </div>
  </Layout>
);
