/** A column's page: its sub-columns, its documents (pinned first, newest first) with pages, and its RSS feed. */
import type { FC } from 'hono/jsx';
import { childrenOf, trail, type Column, type DocumentSummary } from '../../modules/portal/index.js';
import { Layout, columnHref, type Crumb, type PageContext } from '../components/layout.js';
import { DocList, Pager, SearchBox } from './common.js';
import { InteractionChannels } from './interaction.js';

export function columnCrumbs(columns: readonly Column[], id: number, lastLinked = false): Crumb[] {
  const path = trail(columns, id);
  return path.map((c, i) => (i < path.length - 1 || lastLinked ? { label: c.name, href: columnHref(c) } : { label: c.name }));
}

export const ColumnPage: FC<{ ctx: PageContext; column: Column; columns: readonly Column[]; items: readonly DocumentSummary[]; total: number; page: number; pageSize: number }> = ({
  ctx,
  column,
  columns,
  items,
  total,
  page,
  pageSize,
}) => {
  const { t } = ctx;
  const subs = childrenOf(columns, column.id);
  const feed = `/columns/${column.slug}/feed.xml`;
  return (
    <Layout
      ctx={ctx}
      title={column.name}
      crumbs={columnCrumbs(columns, column.id)}
      description={column.description ?? undefined}
      canonicalPath={page > 1 ? `/columns/${column.slug}?page=${page}` : `/columns/${column.slug}`}
      feeds={[{ title: `${column.name} - ${t('site.name')}`, href: feed }]}
      share={{ title: column.name, ...(column.description ? { description: column.description } : {}) }}
    >
      <h1>{column.name}</h1>
      {column.description && <p class="lead">{column.description}</p>}
      {subs.length > 0 && (
        <nav class="sub-columns" aria-label={t('portal.subColumns')}>
          <ul>
            {subs.map((s) => (
              <li>
                <a href={columnHref(s)}>{s.name}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {column.kind === 'interaction' && (
        <section aria-labelledby="channels-heading" class="card">
          <h2 id="channels-heading">{t('interaction.channels')}</h2>
          <InteractionChannels ctx={ctx} />
        </section>
      )}
      <section aria-labelledby="docs-heading">
        <h2 id="docs-heading" class={column.kind === 'interaction' ? undefined : 'visually-hidden'}>
          {column.kind === 'interaction' ? t('interaction.replies') : t('portal.documentsOf', { column: column.name })}
        </h2>
        <DocList ctx={ctx} items={items} />
        <Pager ctx={ctx} page={page} total={total} pageSize={pageSize} href={(p) => `/columns/${column.slug}?page=${p}`} />
      </section>
      <p class="feed-link">
        <a href={feed}>{t('portal.rss')}</a>
      </p>
      <SearchBox ctx={ctx} id="column-search" />
    </Layout>
  );
};
