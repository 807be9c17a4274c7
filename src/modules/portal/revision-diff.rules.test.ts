import { describe, expect, it } from 'vitest';
import type { Revision } from './document.js';
import { diffRevisions } from './revision-diff.rules.js';

const rev = (n: number, title: string, body: string): Revision => ({
  documentId: 1,
  number: n,
  title,
  source: '区政府',
  author: null,
  docNumber: null,
  summary: null,
  bodyHtml: body,
  attachments: [],
  removed: [],
  note: null,
  createdAt: new Date(0),
  createdBy: null,
});

describe('the difference between revisions', () => {
  it('shows a changed phrase word by word, and leaves far-away paragraphs out', () => {
    const a = rev(1, '汉丰湖步道完工', '<p>第一段不变。</p><p>第二段不变。</p><p>步道全长三公里。</p><p>第四段不变。</p><p>第五段不变。</p>');
    const b = rev(2, '汉丰湖步道提质改造完工', '<p>第一段不变。</p><p>第二段不变。</p><p>步道全长五公里。</p><p>第四段不变。</p><p>第五段不变。</p>');
    const d = diffRevisions(a, b);
    expect(d.unchanged).toBe(false);
    expect(d.fields.map((f) => f.field)).toEqual(['title']);
    expect(d.fields[0]!.parts.filter((p) => p.change === 'added').map((p) => p.text).join('')).toContain('提质改造');
    expect(d.body.map((p) => p.parts.map((x) => x.text).join(''))).toEqual(['第二段不变。', expect.stringContaining('公里'), '第四段不变。']);
    const changed = d.body[1]!.parts;
    expect(changed.find((p) => p.change === 'removed')?.text).toContain('三');
    expect(changed.find((p) => p.change === 'added')?.text).toContain('五');
  });

  it('reports added and removed paragraphs whole, and identical revisions as unchanged', () => {
    const a = rev(1, 't', '<p>甲</p>');
    expect(diffRevisions(a, rev(2, 't', '<p>甲</p><p>乙</p>')).body).toEqual([
      { parts: [{ text: '甲', change: 'same' }], changed: false },
      { parts: [{ text: '乙', change: 'added' }], changed: true },
    ]);
    expect(diffRevisions(a, rev(2, 't', '<p>甲</p>')).unchanged).toBe(true);
  });
});
