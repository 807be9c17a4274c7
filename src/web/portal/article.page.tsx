/**
 * A document as the public sees it: title, source, author, date, document number, the policy mark (amended or
 * repealed, on the original page as 国办发〔2017〕47号 asks) with its replacement, the sanitised body, attachments,
 * and the 解读 linked both ways. The print view is the same content without the site's furniture.
 */
import type { FC } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Column, PublicDocument } from '../../modules/portal/index.js';
import { Layout, columnHref, type PageContext } from '../components/layout.js';
import { articleHref, formatDate, formatDateTime, PolicyMark } from './common.js';
import { columnCrumbs } from './column.page.js';

function formatBytes(n: number): string {
  return n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

const ArticleBody: FC<{ ctx: PageContext; doc: PublicDocument; column: Column | undefined }> = ({ ctx, doc, column }) => {
  const { t } = ctx;
  const { record, revision } = doc;
  return (
    <article class="article" aria-labelledby="article-title">
      <header class="article-head">
        <h1 id="article-title">
          {revision.title} {record.isDemo && <span class="badge badge-demo">{t('site.demoBadge')}</span>}
        </h1>
        <dl class="article-meta">
          {revision.docNumber && (
            <>
              <dt>{t('article.docNumber')}</dt>
              <dd>{revision.docNumber}</dd>
            </>
          )}
          <dt>{t('article.date')}</dt>
          <dd>
            <time datetime={record.publishedAt?.toISOString()}>{formatDate(record.publishedAt)}</time>
          </dd>
          {revision.source && (
            <>
              <dt>{t('article.source')}</dt>
              <dd>{revision.source}</dd>
            </>
          )}
          {revision.author && (
            <>
              <dt>{t('article.author')}</dt>
              <dd>{revision.author}</dd>
            </>
          )}
          {column && (
            <>
              <dt>{t('article.column')}</dt>
              <dd>
                <a href={columnHref(column)}>{column.name}</a>
              </dd>
            </>
          )}
        </dl>
      </header>
      {record.kind === 'policy' && record.policyStatus && record.policyStatus !== 'in_force' && (
        <div class={`policy-status policy-${record.policyStatus}`} role="note">
          <p>
            <strong>
              <PolicyMark ctx={ctx} status={record.policyStatus} /> {t(`policy.notice.${record.policyStatus}`)}
            </strong>
          </p>
          {record.policyStatusNote && <p>{record.policyStatusNote}</p>}
          {doc.supersededBy && (
            <p>
              {t('policy.replacedBy')}
              <a href={articleHref(doc.supersededBy.id)}>{doc.supersededBy.title}</a>
            </p>
          )}
        </div>
      )}
      {revision.summary && <p class="article-summary">{revision.summary}</p>}
      <div class="article-body">{raw(revision.bodyHtml)}</div>
      {revision.attachments.length > 0 && (
        <section class="attachments" aria-labelledby="attachments-heading">
          <h2 id="attachments-heading">{t('article.attachments')}</h2>
          <ul>
            {revision.attachments.map((a) => (
              <li>
                <a href={`/files/${a.sha256}/${encodeURIComponent(a.name)}`} download={a.name}>
                  {a.title}
                </a>{' '}
                <span class="muted">
                  （{a.name.split('.').pop()?.toUpperCase()}，{formatBytes(a.bytes)}）
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {doc.related.length > 0 && (
        <section class="related" aria-labelledby="related-heading">
          <h2 id="related-heading">{record.kind === 'policy' ? t('article.interpretations') : t('article.interprets')}</h2>
          <ul>
            {doc.related.map((r) => (
              <li>
                <a href={articleHref(r.id)}>{r.title}</a> <PolicyMark ctx={ctx} status={r.policyStatus} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <p class="muted article-updated">{t('article.updated', { at: formatDateTime(record.updatedAt) })}</p>
    </article>
  );
};

export const ArticlePage: FC<{ ctx: PageContext; doc: PublicDocument; columns: readonly Column[] }> = ({ ctx, doc, columns }) => {
  const column = columns.find((c) => c.id === doc.record.columnId);
  const path = articleHref(doc.record.id);
  return (
    <Layout
      ctx={ctx}
      title={doc.revision.title}
      crumbs={[...(column ? columnCrumbs(columns, column.id, true) : []), { label: ctx.t('article.crumb') }]}
      description={doc.revision.summary ?? undefined}
      canonicalPath={path}
      share={{ title: doc.revision.title, ...(doc.revision.summary ? { description: doc.revision.summary } : {}), type: 'article', publishedAt: doc.record.publishedAt, printHref: `${path}/print` }}
    >
      <ArticleBody ctx={ctx} doc={doc} column={column} />
    </Layout>
  );
};

/** The print view: the article alone, with the address it came from (no navigation, no furniture). */
export const PrintPage: FC<{ ctx: PageContext; doc: PublicDocument; columns: readonly Column[] }> = ({ ctx, doc, columns }) => {
  const { t, view } = ctx;
  const column = columns.find((c) => c.id === doc.record.columnId);
  const url = `${view.publicUrl}${articleHref(doc.record.id)}`;
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${doc.revision.title} - ${t('site.name')}`}</title>
        <link rel="canonical" href={url} />
        <link rel="stylesheet" href={view.asset('app.css')} />
        <link rel="stylesheet" href={view.asset('portal.css')} />
        <script src={view.asset('portal.js')} defer></script>
      </head>
      <body class="print-view">
        <main id="main" class="wrap">
          <p class="print-site">
            {t('site.name')} · {t('site.fullName')}
          </p>
          <p class="print-actions">
            <button type="button" class="button" data-print hidden>
              {t('tools.printNow')}
            </button>{' '}
            <a href={articleHref(doc.record.id)}>{t('tools.backToArticle')}</a>
          </p>
          <ArticleBody ctx={ctx} doc={doc} column={column} />
          <p class="print-url">
            {t('tools.printedFrom')}
            {url}
          </p>
        </main>
      </body>
    </html>
  );
};
