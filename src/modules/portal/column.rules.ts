/** Rules of the column tree: slugs, placement without cycles, the trail from the top, the subtree. Pure. */
import type { FieldProblem } from '../../kernel/errors.js';
import { COLUMN_KINDS, type Column, type ColumnInput } from './column.js';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** Slugs that would shadow the portal's own addresses. */
const RESERVED = ['new', 'feed', 'rss', 'search', 'print'];

export function checkColumn(input: ColumnInput, all: readonly Column[], selfId?: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!SLUG_PATTERN.test(input.slug) || RESERVED.includes(input.slug)) problems.push({ path: 'slug', code: 'COLUMN.SLUG_INVALID', message: 'slug: lower-case letters, digits and -' });
  else if (all.some((c) => c.slug === input.slug && c.id !== selfId)) problems.push({ path: 'slug', code: 'COLUMN.SLUG_TAKEN', message: 'slug taken', params: { slug: input.slug } });
  const name = input.name.trim();
  if (!name || [...name].length > 40) problems.push({ path: 'name', code: 'field.tooLong', message: 'name: 1–40 characters', params: { max: 40 } });
  if (!(COLUMN_KINDS as readonly string[]).includes(input.kind)) problems.push({ path: 'kind', code: 'field.invalid', message: 'unknown kind' });
  if (input.freshnessDays != null && (!Number.isInteger(input.freshnessDays) || input.freshnessDays < 1 || input.freshnessDays > 3650)) {
    problems.push({ path: 'freshnessDays', code: 'field.invalid', message: 'freshness: 1–3650 days' });
  }
  if (input.parentId !== null) {
    const parent = all.find((c) => c.id === input.parentId);
    if (!parent) problems.push({ path: 'parentId', code: 'COLUMN.PARENT_NOT_FOUND', message: 'no such parent' });
    else if (selfId !== undefined && (parent.id === selfId || trail(all, parent.id).some((c) => c.id === selfId))) {
      problems.push({ path: 'parentId', code: 'COLUMN.CYCLE', message: 'a column cannot sit under itself' });
    }
  }
  return problems;
}

/** The columns from the top down to `id` (inclusive). */
export function trail(all: readonly Column[], id: number): Column[] {
  const byId = new Map(all.map((c) => [c.id, c]));
  const out: Column[] = [];
  for (let c = byId.get(id); c && out.length < 20; c = c.parentId === null ? undefined : byId.get(c.parentId)) out.unshift(c);
  return out;
}

/** The ids of `id` and every column under it. */
export function subtreeIds(all: readonly Column[], id: number): number[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) for (const c of all) if (c.parentId === out[i] && !out.includes(c.id)) out.push(c.id);
  return out;
}

/** Children of a column (or the top level for null), in order. */
export function childrenOf(all: readonly Column[], parentId: number | null, includeHidden = false): Column[] {
  return all.filter((c) => c.parentId === parentId && (includeHidden || !c.hidden)).sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
}

/** Whether a column (or one of its ancestors) is hidden from the public. */
export function hiddenFromPublic(all: readonly Column[], id: number): boolean {
  return trail(all, id).some((c) => c.hidden);
}
