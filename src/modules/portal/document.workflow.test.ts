import { describe, expect, it } from 'vitest';
import type { Action } from '../access/index.js';
import type { DocumentState } from './document.js';
import { allowedActions, decide, type DocumentAction, type WorkflowSubject } from './document.workflow.js';

const NOW = new Date('2026-03-02T09:00:00+08:00');
const LATER = new Date('2026-03-03T09:00:00+08:00');
const editor = (..._: Action[]) => (p: Action) => ['content.edit', 'content.review', 'content.publish'].includes(p);
const writerOnly = (p: Action) => p === 'content.edit';
const subject = (state: DocumentState, extra: Partial<WorkflowSubject> = {}): WorkflowSubject => ({ state, live: false, submittedBy: 1, scheduledAt: null, withdrawAt: null, ...extra });

describe('the editorial workflow', () => {
  const cases: [string, DocumentState, DocumentAction, { actor?: number | null; may?: (p: Action) => boolean; note?: string; at?: Date; live?: boolean; errors?: number; scheduledAt?: Date }, DocumentState | string][] = [
    ['a writer submits a draft for review', 'draft', 'submit', { may: writerOnly }, 'in_review'],
    ['a draft with a failed check cannot be submitted', 'draft', 'submit', { errors: 2 }, 'CONTENT.CHECK_FAILED'],
    ['a writer may not approve', 'in_review', 'approve', { actor: 2, may: writerOnly }, 'CONTENT.FORBIDDEN'],
    ['a second editor approves', 'in_review', 'approve', { actor: 2 }, 'approved'],
    ['the submitter may not approve their own text', 'in_review', 'approve', { actor: 1 }, 'CONTENT.OWN_REVIEW'],
    ['sending back needs a comment', 'in_review', 'reject', { actor: 2 }, 'CONTENT.NOTE_REQUIRED'],
    ['sending back with a comment returns a draft', 'in_review', 'reject', { actor: 2, note: '请核对数字' }, 'draft'],
    ['an approved text is published', 'approved', 'publish', {}, 'published'],
    ['a draft cannot be published without review', 'draft', 'publish', {}, 'CONTENT.TRANSITION_NOT_ALLOWED'],
    ['scheduling needs a time', 'approved', 'schedule', {}, 'CONTENT.TIME_REQUIRED'],
    ['scheduling in the past is refused', 'approved', 'schedule', { at: new Date(NOW.getTime() - 1) }, 'CONTENT.TIME_IN_PAST'],
    ['scheduling in the future works', 'approved', 'schedule', { at: LATER }, 'scheduled'],
    ['a schedule can be cancelled', 'scheduled', 'unschedule', {}, 'approved'],
    ['the worker publishes a due document', 'scheduled', 'publish_due', { actor: null, scheduledAt: NOW }, 'published'],
    ['the worker waits for the time', 'scheduled', 'publish_due', { actor: null, scheduledAt: LATER }, 'CONTENT.NOT_DUE'],
    ['a person cannot fire the worker transition', 'scheduled', 'publish_due', { actor: 2, scheduledAt: NOW }, 'CONTENT.FORBIDDEN'],
    ['withdrawal needs the document online', 'published', 'withdraw', { note: '过期', live: false }, 'CONTENT.NOT_LIVE'],
    ['withdrawal needs a reason', 'published', 'withdraw', { live: true }, 'CONTENT.NOTE_REQUIRED'],
    ['a live document being revised can be withdrawn', 'draft', 'withdraw', { live: true, note: '信息有误' }, 'withdrawn'],
    ['editing a published document starts a new draft', 'published', 'edit', { live: true }, 'draft'],
  ];
  for (const [name, state, action, o, expected] of cases) {
    it(name, () => {
      const r = decide(subject(state, { live: o.live ?? false, scheduledAt: o.scheduledAt ?? null }), action, {
        actorUserId: o.actor === undefined ? 9 : o.actor,
        may: o.may ?? editor(),
        now: NOW,
        ...(o.note ? { note: o.note } : {}),
        ...(o.at ? { at: o.at } : {}),
        checkErrors: o.errors ?? 0,
      });
      if (r.ok) expect(r.decision.to).toBe(expected);
      else expect(r.refusal.code).toBe(expected);
    });
  }

  it('publishes the working revision and withdraws the live one', () => {
    const pub = decide(subject('approved'), 'publish', { actorUserId: 2, may: editor(), now: NOW });
    expect(pub.ok && pub.decision.live).toBe('publish');
    const wd = decide(subject('published', { live: true }), 'withdraw', { actorUserId: 2, may: editor(), now: NOW, note: '到期' });
    expect(wd.ok && wd.decision.live).toBe('withdraw');
    const sch = decide(subject('approved'), 'schedule', { actorUserId: 2, may: editor(), now: NOW, at: LATER });
    expect(sch.ok && sch.decision.scheduledAt).toEqual(LATER);
  });

  it('offers buttons by state and permission, never approval of one’s own submission', () => {
    expect(allowedActions(subject('draft'), 1, writerOnly)).toEqual(['submit']);
    expect(allowedActions(subject('in_review', { submittedBy: 1 }), 1, editor())).toEqual(['reject']);
    expect(allowedActions(subject('in_review', { submittedBy: 1 }), 2, editor())).toEqual(['reject', 'approve']);
    expect(allowedActions(subject('approved'), 2, editor())).toEqual(['publish', 'schedule']);
    expect(allowedActions(subject('published', { live: true }), 2, editor())).toEqual(['withdraw']);
    expect(allowedActions(subject('withdrawn'), 2, editor())).toEqual([]);
  });
});
