import { describe, expect, it } from 'vitest';
import { excerpt, highlight } from './search.rules.js';
import { indexTokens, queryTokens } from './segmenter.js';

describe('Chinese search', () => {
  it('segments with jieba, keeping the district’s place names and phrases whole', () => {
    expect(queryTokens('汉丰街道的城市更新')).toEqual(['汉丰街道', '城市更新']);
    const index = indexTokens('开州区人民政府关于印发城市更新实施办法的通知');
    expect(index).toEqual(expect.arrayContaining(['开州区', '人民政府', '政府', '城市更新', '实施办法']));
    expect(index).not.toContain('的');
    expect(queryTokens('  ，。！ ')).toEqual([]);
  });

  it('highlights every occurrence of the words, longest first', () => {
    expect(highlight('城市更新和城市管理', ['城市', '城市更新'])).toEqual([
      { text: '城市更新', hit: true },
      { text: '和', hit: false },
      { text: '城市', hit: true },
      { text: '管理', hit: false },
    ]);
    expect(highlight('ABC abc', ['b'])).toEqual([
      { text: 'A', hit: false },
      { text: 'B', hit: true },
      { text: 'C a', hit: false },
      { text: 'b', hit: true },
      { text: 'c', hit: false },
    ]);
  });

  it('cuts an excerpt around the first hit', () => {
    const text = `${'甲'.repeat(200)}城市更新${'乙'.repeat(200)}`;
    const e = excerpt(text, ['城市更新'], 60);
    expect(e.startsWith('…')).toBe(true);
    expect(e).toContain('城市更新');
    expect([...e].length).toBeLessThanOrEqual(62);
  });
});
