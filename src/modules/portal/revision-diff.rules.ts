/**
 * A readable difference between two revisions: each field that changed, and the body's text compared word by
 * word (Chinese words found by Intl.Segmenter, so a changed phrase shows as a phrase, not as scattered characters),
 * one block per paragraph so the reader sees where in the text a change sits.
 */
import { diffArrays, diffWordsWithSpace } from 'diff';
import type { Revision } from './document.js';
import { htmlToText } from './rich-text.rules.js';

export interface DiffPart {
  readonly text: string;
  readonly change: 'same' | 'added' | 'removed';
}

export interface FieldDiff {
  readonly field: 'title' | 'source' | 'author' | 'docNumber' | 'summary' | 'attachments';
  readonly parts: readonly DiffPart[];
}

export interface RevisionDiff {
  readonly fields: readonly FieldDiff[];
  /** The body as paragraphs, each a list of parts; unchanged paragraphs far from a change are left out. */
  readonly body: readonly { readonly parts: readonly DiffPart[]; readonly changed: boolean }[];
  readonly unchanged: boolean;
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

function words(a: string, b: string): DiffPart[] {
  return diffWordsWithSpace(a, b, { intlSegmenter: segmenter }).map((p) => ({ text: p.value, change: p.added ? 'added' : p.removed ? 'removed' : 'same' }));
}

/** Compares two revisions of one document. */
export function diffRevisions(before: Revision, after: Revision): RevisionDiff {
  const fields: FieldDiff[] = [];
  for (const field of ['title', 'source', 'author', 'docNumber', 'summary'] as const) {
    const a = before[field] ?? '';
    const b = after[field] ?? '';
    if (a !== b) fields.push({ field, parts: words(a, b) });
  }
  const att = (r: Revision) => r.attachments.map((x) => `${x.title}（${x.name}）`).join('\n');
  if (att(before) !== att(after)) fields.push({ field: 'attachments', parts: words(att(before), att(after)) });

  const pa = htmlToText(before.bodyHtml).split('\n');
  const pb = htmlToText(after.bodyHtml).split('\n');
  const blocks: { parts: DiffPart[]; changed: boolean }[] = [];
  const chunks = diffArrays(pa, pb);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    const next = chunks[i + 1];
    if (c.removed && next?.added) {
      // Paragraphs replaced one for one are compared word by word; the rest whole.
      const n = Math.min(c.value.length, next.value.length);
      for (let k = 0; k < n; k++) blocks.push({ parts: words(c.value[k]!, next.value[k]!), changed: true });
      for (const p of c.value.slice(n)) blocks.push({ parts: [{ text: p, change: 'removed' }], changed: true });
      for (const p of next.value.slice(n)) blocks.push({ parts: [{ text: p, change: 'added' }], changed: true });
      i++;
    } else if (c.added || c.removed) {
      for (const p of c.value) blocks.push({ parts: [{ text: p, change: c.added ? 'added' : 'removed' }], changed: true });
    } else {
      for (const p of c.value) blocks.push({ parts: [{ text: p, change: 'same' }], changed: false });
    }
  }
  // Keep one unchanged paragraph of context on either side of a change.
  const keep = blocks.map((b, i) => b.changed || blocks[i - 1]?.changed === true || blocks[i + 1]?.changed === true);
  const body = blocks.filter((_, i) => keep[i]);
  return { fields, body, unchanged: fields.length === 0 && !blocks.some((b) => b.changed) };
}
