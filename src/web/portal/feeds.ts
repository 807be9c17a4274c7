/** RSS 2.0 per column, sitemap.xml and robots.txt, written as text (no XML library needed for these shapes). */
import type { Column, DocumentSummary } from '../../modules/portal/index.js';

/** Escapes text for XML 1.0, dropping the control characters it cannot carry at all. */
export function xmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export function rssFeed(o: { siteName: string; baseUrl: string; column: Column; items: readonly DocumentSummary[]; now: Date }): string {
  const link = `${o.baseUrl}/columns/${o.column.slug}`;
  const items = o.items
    .map((d) => {
      const url = `${o.baseUrl}/articles/${d.id}`;
      return [
        '<item>',
        `<title>${xmlEscape(d.title)}</title>`,
        `<link>${xmlEscape(url)}</link>`,
        `<guid isPermaLink="true">${xmlEscape(url)}</guid>`,
        d.publishedAt ? `<pubDate>${d.publishedAt.toUTCString()}</pubDate>` : '',
        d.summary ? `<description>${xmlEscape(d.summary)}</description>` : '',
        `<category>${xmlEscape(o.column.name)}</category>`,
        '</item>',
      ].join('');
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${xmlEscape(`${o.column.name} - ${o.siteName}`)}</title>
<link>${xmlEscape(link)}</link>
<atom:link href="${xmlEscape(`${link}/feed.xml`)}" rel="self" type="application/rss+xml"/>
<description>${xmlEscape(o.column.description ?? o.column.name)}</description>
<language>zh-cn</language>
<lastBuildDate>${o.now.toUTCString()}</lastBuildDate>
${items}
</channel>
</rss>
`;
}

export function sitemap(baseUrl: string, entries: readonly { path: string; lastmod?: Date }[]): string {
  const urls = entries.map((e) => `<url><loc>${xmlEscape(`${baseUrl}${e.path}`)}</loc>${e.lastmod ? `<lastmod>${e.lastmod.toISOString()}</lastmod>` : ''}</url>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls}
</urlset>
`;
}

export function robots(baseUrl: string): string {
  return ['User-agent: *', 'Disallow: /workbench', 'Disallow: /login', 'Disallow: /search', 'Disallow: /accessibility/set', 'Disallow: /qr.svg', 'Allow: /', `Sitemap: ${baseUrl}/sitemap.xml`, ''].join('\n');
}
