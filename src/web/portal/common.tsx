/** Pieces shared by the portal's pages: dates, document lists, marks, pagination. */
import type { FC } from 'hono/jsx';
import type { Column, DocumentSummary, PolicyStatus } from '../../modules/portal/index.js';
import type { PageContext } from '../components/layout.js';

/** A date as the district shows it: YYYY-MM-DD in China Standard Time. */
export function formatDate(d: Date | null | undefined): string {
  if (!d) return '';
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function formatDateTime(d: Date | null | undefined): string {
  if (!d) return '';
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A form field's error message, referenced by the field's aria-describedby. */
export const FieldError: FC<{ id: string; text?: string }> = ({ id, text }) =>
  text ? (
    <p id={id} class="field-error">
      {text}
    </p>
  ) : null;

export const articleHref = (id: number) => `/articles/${id}`;

export const PolicyMark: FC<{ ctx: PageContext; status: PolicyStatus | null }> = ({ ctx, status }) =>
  status && status !== 'in_force' ? <span class={`mark mark-${status}`}>{ctx.t(`policy.status.${status}`)}</span> : null;

export const DocList: FC<{ ctx: PageContext; items: readonly DocumentSummary[]; dates?: boolean }> = ({ ctx, items, dates = true }) =>
  items.length === 0 ? (
    <p class="muted">{ctx.t('portal.empty')}</p>
  ) : (
    <ul class="doc-list">
      {items.map((d) => (
        <li>
          {d.pinned && <span class="mark mark-pinned">{ctx.t('portal.pinned')}</span>}
          <a href={articleHref(d.id)}>{d.title}</a>
          <PolicyMark ctx={ctx} status={d.policyStatus} />
          {d.isDemo && <span class="badge badge-demo">{ctx.t('site.demoBadge')}</span>}
          {dates && d.publishedAt && (
            <time class="doc-date" datetime={d.publishedAt.toISOString()}>
              {formatDate(d.publishedAt)}
            </time>
          )}
        </li>
      ))}
    </ul>
  );

export const Pager: FC<{ ctx: PageContext; page: number; total: number; pageSize: number; href: (page: number) => string }> = ({ ctx, page, total, pageSize, href }) => {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label={ctx.t('portal.pager')}>
      {page > 1 && (
        <a href={href(page - 1)} rel="prev">
          {ctx.t('portal.prev')}
        </a>
      )}
      <span>{ctx.t('portal.pageOf', { page, pages })}</span>
      {page < pages && (
        <a href={href(page + 1)} rel="next">
          {ctx.t('portal.next')}
        </a>
      )}
    </nav>
  );
};

/** The search box every public page can show (a GET form: works without JavaScript and without a token). */
export const SearchBox: FC<{ ctx: PageContext; q?: string; columns?: readonly Column[]; columnId?: number; from?: string; to?: string; id?: string }> = ({ ctx, q, columns, columnId, from, to, id = 'search' }) => (
  <form class="search-form" method="get" action="/search" role="search" aria-label={ctx.t('search.label')}>
    <div class="search-row">
      <label for={`${id}-q`} class="visually-hidden">
        {ctx.t('search.label')}
      </label>
      <input id={`${id}-q`} name="q" type="search" value={q ?? ''} maxlength={100} placeholder={ctx.t('search.placeholder')} />
      <button type="submit" class="button">
        {ctx.t('search.submit')}
      </button>
    </div>
    {columns && (
      <div class="search-filters">
        <div class="field">
          <label for={`${id}-column`}>{ctx.t('search.column')}</label>
          <select id={`${id}-column`} name="column">
            <option value="">{ctx.t('search.allColumns')}</option>
            {columns.map((c) => (
              <option value={String(c.id)} selected={c.id === columnId}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-from`}>{ctx.t('search.from')}</label>
          <input id={`${id}-from`} name="from" type="date" value={from ?? ''} />
        </div>
        <div class="field">
          <label for={`${id}-to`}>{ctx.t('search.to')}</label>
          <input id={`${id}-to`} name="to" type="date" value={to ?? ''} />
        </div>
      </div>
    )}
  </form>
);
