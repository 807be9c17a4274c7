/**
 * The body of an article as sanitised rich text. Editors type HTML (or plain paragraphs); on save it goes through
 * sanitize-html with an allowlist of structural elements, and what was removed is reported back so the editor
 * knows (scripts, event handlers, `javascript:` links, styles, frames …). Images may only come from this site's
 * uploads (/files/…), links may be http(s), mailto, tel or site-relative.
 */
import sanitizeHtml from 'sanitize-html';
import type { Removal } from './document.js';

const ALLOWED_TAGS = [
  'p', 'br', 'h2', 'h3', 'h4', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'blockquote', 'ul', 'ol', 'li',
  'a', 'figure', 'figcaption', 'img', 'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'hr', 'span', 'abbr', 'code', 'pre',
];

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'hreflang'],
  img: ['src', 'alt', 'width', 'height'],
  th: ['scope', 'colspan', 'rowspan'],
  td: ['colspan', 'rowspan'],
  abbr: ['title'],
  ol: ['start'],
  '*': ['lang'],
};

const LINK_SCHEMES = ['http', 'https', 'mailto', 'tel'];
/** Images are served by this site (/files/<sha256>/<name>); remote images would leak readers to third parties. */
const IMAGE_SRC = /^\/files\/[0-9a-f]{64}(\/[^\s"'<>]*)?$/;

function attributeAllowed(tag: string, name: string): boolean {
  return (ALLOWED_ATTRIBUTES[tag] ?? []).includes(name) || ALLOWED_ATTRIBUTES['*']!.includes(name);
}

function urlAllowed(tag: string, attr: string, value: string): boolean {
  const v = value.trim();
  if (tag === 'img' && attr === 'src') return IMAGE_SRC.test(v);
  if (tag === 'a' && attr === 'href') {
    if (v.startsWith('/') && !v.startsWith('//')) return true;
    if (v.startsWith('#')) return true;
    // Browsers ignore control characters and spaces inside a scheme ("java\tscript:"), so they are dropped first.
    // eslint-disable-next-line no-control-regex
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(v.replace(/[\u0000-\u0020]/g, ''))?.[1]?.toLowerCase();
    return scheme !== undefined && LINK_SCHEMES.includes(scheme);
  }
  return true;
}

export interface SanitizedHtml {
  readonly html: string;
  readonly removed: readonly Removal[];
}

/** Plain text with blank lines between paragraphs becomes <p> paragraphs; anything with tags is taken as HTML. */
export function normaliseBody(input: string): string {
  const text = input.replace(/\r\n?/g, '\n').trim();
  if (text === '' || /<[a-z][^>]*>/i.test(text)) return text;
  return text
    .split(/\n\s*\n/)
    .map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/** Sanitises an article body and lists what was taken out. */
export function sanitizeBody(input: string): SanitizedHtml {
  const counts = new Map<string, Removal>();
  const note = (kind: Removal['kind'], what: string) => {
    const key = `${kind}:${what}`;
    const prev = counts.get(key);
    counts.set(key, { kind, what, count: (prev?.count ?? 0) + 1 });
  };
  const html = sanitizeHtml(normaliseBody(input), {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedSchemes: LINK_SCHEMES,
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'math'],
    onOpenTag(name, attribs) {
      if (!ALLOWED_TAGS.includes(name)) {
        note('element', name);
        return;
      }
      for (const [attr, value] of Object.entries(attribs)) {
        if (!attributeAllowed(name, attr)) note('attribute', /^on/i.test(attr) ? 'on*' : attr);
        else if (!urlAllowed(name, attr, value)) {
          const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
          note('url', scheme ? `${scheme}:` : `${name}[${attr}]`);
        }
      }
    },
    transformTags: {
      a: (tagName, attribs) => {
        const href = attribs.href;
        if (href !== undefined && !urlAllowed('a', 'href', href)) {
          const { href: _drop, ...rest } = attribs;
          return { tagName, attribs: rest };
        }
        return { tagName, attribs };
      },
      b: 'strong',
      i: 'em',
    },
    // Only this site's uploads may be images; any other image is dropped (and reported above).
    exclusiveFilter: (frame) => frame.tag === 'img' && !IMAGE_SRC.test((frame.attribs.src ?? '').trim()),
  });
  return { html, removed: [...counts.values()] };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ', apos: "'" };

/** The readable text of sanitised HTML, one line per block, for search, snippets, checks and diffs. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(br|hr)\s*\/?>/gi, '\n')
    .replace(/<\/(p|h[1-6]|li|figcaption|caption|tr|blockquote|pre|figure)>/gi, '\n')
    .replace(/<img[^>]*\balt="([^"]*)"[^>]*>/gi, ' $1 ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#?\w+);/g, (m, e: string) => ENTITIES[e] ?? (e.startsWith('#') ? String.fromCodePoint(Number(e.startsWith('#x') ? `0${e.slice(1)}` : e.slice(1))) : m))
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

export interface BodyImage {
  readonly src: string;
  readonly alt: string | null;
  readonly caption: string | null;
}

/** The images of sanitised HTML with their alt text and the caption of their figure, if any. */
export function bodyImages(html: string): BodyImage[] {
  const images: BodyImage[] = [];
  const figureRe = /<figure>([\s\S]*?)<\/figure>|<img\b[^>]*>/gi;
  for (const m of html.matchAll(figureRe)) {
    const chunk = m[0];
    const caption = /<figcaption>([\s\S]*?)<\/figcaption>/i.exec(chunk)?.[1];
    for (const img of chunk.matchAll(/<img\b[^>]*>/gi)) {
      const src = /\bsrc="([^"]*)"/i.exec(img[0])?.[1] ?? '';
      const alt = /\balt="([^"]*)"/i.exec(img[0])?.[1];
      images.push({ src, alt: alt === undefined ? null : htmlToText(alt), caption: caption === undefined ? null : htmlToText(caption) || null });
    }
  }
  return images;
}

/** The link targets of sanitised HTML. */
export function bodyLinks(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"]+)"/gi)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

/** A figure as the image form adds it to a body. */
export function figureHtml(src: string, alt: string, caption: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<figure><img src="${esc(src)}" alt="${esc(alt)}">${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
}
