import { describe, expect, it } from 'vitest';
import type { Column } from './column.js';
import { checkColumn, childrenOf, hiddenFromPublic, subtreeIds, trail } from './column.rules.js';

const col = (id: number, slug: string, parentId: number | null, extra: Partial<Column> = {}): Column => ({ id, slug, parentId, name: slug, kind: 'news', description: null, sortOrder: id, freshnessDays: 14, hidden: false, ...extra });
const all = [col(1, 'news', null), col(2, 'town-news', 1), col(3, 'deep', 2, { hidden: true }), col(4, 'notices', null, { sortOrder: 0 })];

describe('the column tree', () => {
  it('gives the trail, the subtree, ordered children and hidden branches', () => {
    expect(trail(all, 3).map((c) => c.slug)).toEqual(['news', 'town-news', 'deep']);
    expect(subtreeIds(all, 1)).toEqual([1, 2, 3]);
    expect(childrenOf(all, null).map((c) => c.slug)).toEqual(['notices', 'news']);
    expect(childrenOf(all, 2)).toEqual([]);
    expect(childrenOf(all, 2, true).map((c) => c.id)).toEqual([3]);
    expect(hiddenFromPublic(all, 3)).toBe(true);
    expect(hiddenFromPublic(all, 2)).toBe(false);
  });

  it('refuses bad slugs, taken slugs and moves under oneself', () => {
    const input = { slug: 'news', parentId: null, name: '要闻', kind: 'news' as const };
    expect(checkColumn(input, all).map((p) => p.code)).toEqual(['COLUMN.SLUG_TAKEN']);
    expect(checkColumn(input, all, 1)).toEqual([]);
    expect(checkColumn({ ...input, slug: 'Bad Slug' }, all).map((p) => p.code)).toEqual(['COLUMN.SLUG_INVALID']);
    expect(checkColumn({ ...input, slug: 'search' }, all).map((p) => p.code)).toEqual(['COLUMN.SLUG_INVALID']);
    expect(checkColumn({ ...input, parentId: 3 }, all, 1).map((p) => p.code)).toEqual(['COLUMN.CYCLE']);
    expect(checkColumn({ ...input, slug: 'x', parentId: 99 }, all).map((p) => p.code)).toEqual(['COLUMN.PARENT_NOT_FOUND']);
  });
});
