/** Search results: the query's words highlighted in the title and an excerpt, filters by column and date, pages. */
import type { FC } from 'hono/jsx';
import { excerpt, highlight, type Column, type SearchResult } from '../../modules/portal/index.js';
import { Layout, type PageContext } from '../components/layout.js';
import { articleHref, formatDate, Pager, PolicyMark, SearchBox } from './common.js';

const Marked: FC<{ text: string; words: readonly string[] }> = ({ text, words }) => (
  <>{highlight(text, words).map((p) => (p.hit ? <mark>{p.text}</mark> : p.text))}</>
);

export interface SearchForm {
  readonly q: string;
  readonly columnId?: number;
  readonly from?: string;
  readonly to?: string;
}

export const SearchPage: FC<{ ctx: PageContext; form: SearchForm; result: SearchResult | undefined; columns: readonly Column[]; problem?: string }> = ({ ctx, form, result, columns, problem }) => {
  const { t } = ctx;
  const params = (page: number) => {
    const sp = new URLSearchParams({ q: form.q });
    if (form.columnId) sp.set('column', String(form.columnId));
    if (form.from) sp.set('from', form.from);
    if (form.to) sp.set('to', form.to);
    if (page > 1) sp.set('page', String(page));
    return `/search?${sp.toString()}`;
  };
  const byId = new Map(columns.map((c) => [c.id, c]));
  return (
    <Layout ctx={ctx} title={form.q ? t('search.titleFor', { q: form.q.slice(0, 40) }) : t('search.title')} crumbs={[{ label: t('search.title') }]} noindex>
      <h1>{t('search.title')}</h1>
      <SearchBox ctx={ctx} q={form.q} columns={columns} {...(form.columnId ? { columnId: form.columnId } : {})} {...(form.from ? { from: form.from } : {})} {...(form.to ? { to: form.to } : {})} />
      {problem && (
        <p class="alert alert-error" role="alert">
          {problem}
        </p>
      )}
      {result && form.q && (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading" role="status">
            {result.total > 0 ? t('search.count', { count: result.total, q: form.q }) : t('search.none', { q: form.q })}
          </h2>
          {result.total === 0 && <p>{t('search.tips')}</p>}
          <ol class="results" start={(result.page - 1) * result.pageSize + 1}>
            {result.hits.map((h) => (
              <li>
                <h3>
                  <a href={articleHref(h.id)}>
                    <Marked text={h.title} words={result.words} />
                  </a>{' '}
                  <PolicyMark ctx={ctx} status={h.policyStatus} />
                </h3>
                <p class="result-excerpt">
                  <Marked text={excerpt(h.text, result.words)} words={result.words} />
                </p>
                <p class="muted result-meta">
                  {byId.get(h.columnId)?.name} · <time datetime={h.publishedAt.toISOString()}>{formatDate(h.publishedAt)}</time>
                </p>
              </li>
            ))}
          </ol>
          <Pager ctx={ctx} page={result.page} total={result.total} pageSize={result.pageSize} href={params} />
        </section>
      )}
    </Layout>
  );
};
