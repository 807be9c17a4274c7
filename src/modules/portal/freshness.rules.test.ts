import { describe, expect, it } from 'vitest';
import { evaluateFreshness, failed, threeMonthsBefore, type ColumnFacts, type FreshnessFacts } from './freshness.rules.js';

const NOW = new Date('2026-06-30T12:00:00+08:00');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const column = (id: number, kind: string, freshnessDays: number | null, last: number | null): ColumnFacts => ({
  id,
  slug: `c${id}`,
  name: `栏目${id}`,
  kind,
  freshnessDays,
  lastPublishedAt: last === null ? null : daysAgo(last),
  liveCount: last === null ? 0 : 3,
});
const base: FreshnessFacts = { homeLastPublishedAt: daysAgo(2), columns: [], deadLinks: [], messages: { connected: false, overdue: [] } };
const codes = (f: FreshnessFacts) => evaluateFreshness(f, NOW).map((x) => `${x.level}:${x.code}`);

describe('the freshness rules of the website inspection', () => {
  it('fails a home page not updated for 14 days, and passes one updated 13 days ago', () => {
    expect(codes({ ...base, homeLastPublishedAt: daysAgo(14) })).toContain('fail:FRESH.HOME_STALE');
    expect(codes({ ...base, homeLastPublishedAt: daysAgo(13) })).toContain('ok:FRESH.HOME_OK');
    expect(codes({ ...base, homeLastPublishedAt: null })).toContain('fail:FRESH.HOME_EMPTY');
  });

  it('warns of each stale or empty column and fails at five of either', () => {
    const four = [1, 2, 3, 4].map((i) => column(i, 'news', 14, 30));
    expect(codes({ ...base, columns: four }).filter((c) => c === 'warn:FRESH.COLUMN_STALE')).toHaveLength(4);
    expect(failed(evaluateFreshness({ ...base, columns: four }, NOW))).toBe(false);
    expect(codes({ ...base, columns: [...four, column(5, 'notice', 30, 31)] })).toContain('fail:FRESH.MANY_STALE');
    // A stale service column is reported but does not count towards the five (only news, notices, policies do).
    expect(codes({ ...base, columns: [...four, column(5, 'service', 30, 31)] })).not.toContain('fail:FRESH.MANY_STALE');
    const empty = [1, 2, 3, 4, 5].map((i) => column(i, 'service', 180, null));
    expect(codes({ ...base, columns: empty })).toContain('fail:FRESH.MANY_EMPTY');
    expect(codes({ ...base, columns: [column(9, 'directory', null, null)] })).toContain('ok:FRESH.COLUMNS_OK');
  });

  it('lists dead links with where to fix them', () => {
    const f = evaluateFreshness({ ...base, deadLinks: [{ url: 'https://gone.example/', status: 404, error: null, failures: 2, where: '新闻媒体网站', href: '/workbench/links' }] }, NOW);
    expect(f.find((x) => x.code === 'FRESH.LINK_DEAD')).toMatchObject({ level: 'warn', href: '/workbench/links', params: { status: 404 } });
  });

  it('fails on a message unanswered for over three months, and says when no channel is connected', () => {
    expect(codes(base)).toContain('info:FRESH.MESSAGES_NOT_CONNECTED');
    expect(codes({ ...base, messages: { connected: true, overdue: [] } })).toContain('ok:FRESH.MESSAGES_OK');
    const late = { ...base, messages: { connected: true, overdue: [{ title: '路灯不亮', receivedAt: daysAgo(95) }] } };
    expect(codes(late)).toContain('fail:FRESH.MESSAGE_UNANSWERED');
    expect(threeMonthsBefore(NOW).toISOString()).toBe('2026-03-30T04:00:00.000Z');
  });
});
