import { describe, expect, it } from 'vitest';
import { citizenActions, citizenBlock, expectedBy, publicTimeline, reopenUntil, type EventRow } from './citizen.rules.js';
import type { State } from './incident.js';

const DAY = 86_400_000;
const closedAt = new Date('2026-03-02T08:00:00Z');
const settings = { reopenDays: 7 };

describe('what a citizen may do on their report', () => {
  const cases: [string, { state: State; rating: 'satisfied' | null; closedAt: Date | null }, 'rate' | 'reopen', Date, string | undefined][] = [
    ['rates a closed, unrated report', { state: 'closed', rating: null, closedAt }, 'rate', new Date(closedAt.getTime() + DAY), undefined],
    ['cannot rate twice', { state: 'closed', rating: 'satisfied', closedAt }, 'rate', new Date(closedAt.getTime() + DAY), 'INCIDENT.ALREADY_RATED'],
    ['cannot rate an open report', { state: 'signed', rating: null, closedAt: null }, 'rate', closedAt, 'INCIDENT.NOT_CLOSED'],
    ['cannot rate a rejected report', { state: 'rejected', rating: null, closedAt }, 'rate', closedAt, 'INCIDENT.NOT_CLOSED'],
    ['reopens on the 7th day', { state: 'closed', rating: null, closedAt }, 'reopen', new Date(closedAt.getTime() + 7 * DAY), undefined],
    ['reopens after rating', { state: 'closed', rating: 'satisfied', closedAt }, 'reopen', new Date(closedAt.getTime() + DAY), undefined],
    ['cannot reopen after 7 days', { state: 'closed', rating: null, closedAt }, 'reopen', new Date(closedAt.getTime() + 7 * DAY + 1), 'INCIDENT.REOPEN_EXPIRED'],
    ['cannot reopen an open report', { state: 'filed', rating: null, closedAt: null }, 'reopen', closedAt, 'INCIDENT.NOT_CLOSED'],
  ];
  it.each(cases)('%s', (_name, incident, action, now, expected) => {
    expect(citizenBlock(incident, action, now, settings)).toBe(expected);
  });

  it('lists the possible actions and the reopen deadline', () => {
    expect(citizenActions({ state: 'closed', rating: null, closedAt }, closedAt, settings)).toEqual(['rate', 'reopen']);
    expect(citizenActions({ state: 'closed', rating: 'satisfied', closedAt }, new Date(closedAt.getTime() + 8 * DAY), settings)).toEqual([]);
    expect(reopenUntil({ state: 'closed', closedAt }, { reopenDays: 3 })).toEqual(new Date(closedAt.getTime() + 3 * DAY));
    expect(reopenUntil({ state: 'signed', closedAt: null }, settings)).toBeNull();
  });
});

describe('the public timeline', () => {
  const at = new Date('2026-03-01T00:00:00Z');
  const e = (action: string, from: string | null, to: string | null, publicNote: string | null = null): EventRow => ({ at, action, from_state: from, to_state: to, public_note: publicNote });
  it('keeps state changes and public notes, drops internal steps', () => {
    const steps = publicTimeline([
      e('report', null, 'reported'),
      e('accept', 'reported', 'accepted'),
      e('note', 'accepted', 'accepted'),
      e('note', 'accepted', 'accepted', '已安排人员现场查看'),
      e('deadline_near', 'accepted', 'accepted'),
      e('supervise', 'accepted', 'accepted'),
      e('request_extension', 'signed', 'signed'),
      e('support', 'accepted', 'accepted'),
      e('close', 'verified', 'closed', '已修复'),
      e('rate', 'closed', 'closed'),
    ]);
    expect(steps.map((s) => [s.action, s.note])).toEqual([
      ['report', null],
      ['accept', null],
      ['note', '已安排人员现场查看'],
      ['support', null],
      ['close', '已修复'],
      ['rate', null],
    ]);
    expect(Object.keys(steps[0]!).sort()).toEqual(['action', 'at', 'note', 'state']);
  });
  it('expects the handling deadline once dispatched, nothing once closed', () => {
    const due = new Date('2026-03-05T00:00:00Z');
    const handle = new Date('2026-03-09T00:00:00Z');
    expect(expectedBy({ state: 'reported', dueAt: due, handleDueAt: null })).toEqual(due);
    expect(expectedBy({ state: 'signed', dueAt: due, handleDueAt: handle })).toEqual(handle);
    expect(expectedBy({ state: 'closed', dueAt: null, handleDueAt: handle })).toBeNull();
  });
});
