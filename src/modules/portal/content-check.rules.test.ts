import { describe, expect, it } from 'vitest';
import { checkContent, errorCount, type WordEntry } from './content-check.rules.js';

const words: WordEntry[] = [
  { id: 1, kind: 'sensitive', word: '代开发票', suggestion: null, note: null },
  { id: 2, kind: 'typo', word: '按装', suggestion: '安装', note: null },
  { id: 3, kind: 'typo', word: '截止目前', suggestion: '截至目前', note: null },
];
const SHA = 'b'.repeat(64);

describe('the pre-publication check', () => {
  it('blocks a sensitive word and warns of a typo, with where it is', () => {
    const f = checkContent({ title: '通知', summary: null, bodyHtml: '<p>本周按装路灯。长期代开发票，联系电话略。</p>' }, words);
    expect(f.map((x) => [x.level, x.code, x.params.word])).toEqual([
      ['error', 'CHECK.SENSITIVE', '代开发票'],
      ['warning', 'CHECK.TYPO', '按装'],
    ]);
    expect(f[1]!.excerpt).toContain('按装路灯');
    expect(errorCount(f)).toBe(1);
  });

  it('refuses an image without alternative text and asks for a caption', () => {
    const f = checkContent({ title: '图', summary: null, bodyHtml: `<p>正文</p><img src="/files/${SHA}/x.png" alt=""><figure><img src="/files/${SHA}/y.png" alt="步道"></figure>` }, []);
    expect(f.map((x) => [x.level, x.code])).toEqual([
      ['error', 'CHECK.IMAGE_ALT'],
      ['warning', 'CHECK.IMAGE_CAPTION'],
    ]);
  });

  it('finds nothing in a clean text, and requires a title and a body', () => {
    expect(checkContent({ title: '汉丰湖步道完工', summary: '截至目前', bodyHtml: '<p>已安装路灯。</p>' }, words)).toEqual([]);
    expect(checkContent({ title: ' ', summary: null, bodyHtml: '' }, []).map((x) => x.code)).toEqual(['CHECK.TITLE_EMPTY', 'CHECK.BODY_EMPTY']);
  });
});
