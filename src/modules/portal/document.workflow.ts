/**
 * The editorial workflow as data: one table of transitions (from-states, to-state, the permission needed, guards)
 * and a pure `decide`. 起草 (draft) → 审核 (in_review → approved) → 发布 (published, at once or scheduled), with
 * withdrawal (撤稿) at any time while a revision is online, scheduled withdrawal, and the worker's due transitions.
 * The reviewer must not be the person who submitted the revision (separation of author and approver: a review
 * step is only worth something when a second person reads the text).
 */
import type { Action } from '../access/index.js';
import type { DocumentState } from './document.js';

export const DOCUMENT_ACTIONS = ['edit', 'submit', 'reject', 'approve', 'publish', 'schedule', 'unschedule', 'withdraw', 'publish_due', 'withdraw_due'] as const;
export type DocumentAction = (typeof DOCUMENT_ACTIONS)[number];

/** Actions a person chooses on a page; the *_due ones belong to the worker. */
export const PERSON_ACTIONS = ['submit', 'reject', 'approve', 'publish', 'schedule', 'unschedule', 'withdraw'] as const satisfies readonly DocumentAction[];
export type PersonAction = (typeof PERSON_ACTIONS)[number];

interface Transition {
  readonly from: readonly DocumentState[];
  /** null: the state stays as it is (edit of a draft). */
  readonly to: DocumentState;
  /** The permission a person needs; 'system' for the worker's transitions. */
  readonly permission: Action | 'system';
  /** What happens to the public copy. */
  readonly live: 'keep' | 'publish' | 'withdraw';
  readonly needsNote?: boolean;
  readonly needsTime?: boolean;
  /** Only while a revision is online. */
  readonly needsLive?: boolean;
  /** The person must differ from the one who submitted the revision. */
  readonly notSubmitter?: boolean;
  /** The content check must find no errors first. */
  readonly checked?: boolean;
}

const ANY: readonly DocumentState[] = ['draft', 'in_review', 'approved', 'scheduled', 'published', 'withdrawn'];

export const TRANSITIONS: Readonly<Record<DocumentAction, Transition>> = {
  edit: { from: ANY, to: 'draft', permission: 'content.edit', live: 'keep' },
  submit: { from: ['draft'], to: 'in_review', permission: 'content.edit', live: 'keep', checked: true },
  reject: { from: ['in_review'], to: 'draft', permission: 'content.review', live: 'keep', needsNote: true },
  approve: { from: ['in_review'], to: 'approved', permission: 'content.review', live: 'keep', notSubmitter: true, checked: true },
  publish: { from: ['approved'], to: 'published', permission: 'content.publish', live: 'publish', checked: true },
  schedule: { from: ['approved'], to: 'scheduled', permission: 'content.publish', live: 'keep', needsTime: true, checked: true },
  unschedule: { from: ['scheduled'], to: 'approved', permission: 'content.publish', live: 'keep' },
  withdraw: { from: ANY, to: 'withdrawn', permission: 'content.publish', live: 'withdraw', needsLive: true, needsNote: true },
  publish_due: { from: ['scheduled'], to: 'published', permission: 'system', live: 'publish' },
  withdraw_due: { from: ANY, to: 'withdrawn', permission: 'system', live: 'withdraw', needsLive: true },
};

/** What decide needs to know about the document. */
export interface WorkflowSubject {
  readonly state: DocumentState;
  readonly live: boolean;
  readonly submittedBy: number | null;
  readonly scheduledAt: Date | null;
  readonly withdrawAt: Date | null;
}

/** Who acts, what they may do, and the request's details. */
export interface WorkflowContext {
  /** null for the worker. */
  readonly actorUserId: number | null;
  readonly may: (permission: Action) => boolean;
  readonly now: Date;
  readonly note?: string;
  readonly at?: Date;
  /** Error-level findings of the content check on the working copy. */
  readonly checkErrors?: number;
}

export interface Decision {
  readonly to: DocumentState;
  readonly live: 'keep' | 'publish' | 'withdraw';
  readonly scheduledAt: Date | null;
  readonly history: { readonly action: DocumentAction; readonly from: DocumentState; readonly to: DocumentState; readonly note: string | null };
}

export type Refusal =
  | { readonly code: 'CONTENT.TRANSITION_NOT_ALLOWED'; readonly params: { action: string; state: string } }
  | { readonly code: 'CONTENT.FORBIDDEN'; readonly params: { action: string } }
  | { readonly code: 'CONTENT.NOTE_REQUIRED'; readonly params: { action: string } }
  | { readonly code: 'CONTENT.TIME_REQUIRED'; readonly params: Record<string, never> }
  | { readonly code: 'CONTENT.TIME_IN_PAST'; readonly params: Record<string, never> }
  | { readonly code: 'CONTENT.NOT_LIVE'; readonly params: Record<string, never> }
  | { readonly code: 'CONTENT.OWN_REVIEW'; readonly params: Record<string, never> }
  | { readonly code: 'CONTENT.NOT_DUE'; readonly params: { action: string } }
  | { readonly code: 'CONTENT.CHECK_FAILED'; readonly params: { count: number } };

export type DecideResult = { readonly ok: true; readonly decision: Decision } | { readonly ok: false; readonly refusal: Refusal };

const refuse = (refusal: Refusal): DecideResult => ({ ok: false, refusal });

/** The next state of a document, or why not. Pure: `now` comes in with the context. */
export function decide(subject: WorkflowSubject, action: DocumentAction, ctx: WorkflowContext): DecideResult {
  const t = TRANSITIONS[action];
  if (!t.from.includes(subject.state)) return refuse({ code: 'CONTENT.TRANSITION_NOT_ALLOWED', params: { action, state: subject.state } });
  if (t.permission === 'system') {
    if (ctx.actorUserId !== null) return refuse({ code: 'CONTENT.FORBIDDEN', params: { action } });
  } else if (!ctx.may(t.permission)) {
    return refuse({ code: 'CONTENT.FORBIDDEN', params: { action } });
  }
  if (t.needsLive && !subject.live) return refuse({ code: 'CONTENT.NOT_LIVE', params: {} });
  const note = ctx.note?.trim() || null;
  if (t.needsNote && !note) return refuse({ code: 'CONTENT.NOTE_REQUIRED', params: { action } });
  if (t.notSubmitter && ctx.actorUserId !== null && ctx.actorUserId === subject.submittedBy) return refuse({ code: 'CONTENT.OWN_REVIEW', params: {} });
  if (action === 'publish_due' && (!subject.scheduledAt || subject.scheduledAt > ctx.now)) return refuse({ code: 'CONTENT.NOT_DUE', params: { action } });
  if (action === 'withdraw_due' && (!subject.withdrawAt || subject.withdrawAt > ctx.now)) return refuse({ code: 'CONTENT.NOT_DUE', params: { action } });
  let scheduledAt: Date | null = action === 'unschedule' || t.to !== 'scheduled' ? null : subject.scheduledAt;
  if (t.needsTime) {
    if (!ctx.at || Number.isNaN(ctx.at.getTime())) return refuse({ code: 'CONTENT.TIME_REQUIRED', params: {} });
    if (ctx.at <= ctx.now) return refuse({ code: 'CONTENT.TIME_IN_PAST', params: {} });
    scheduledAt = ctx.at;
  }
  if (t.checked && (ctx.checkErrors ?? 0) > 0) return refuse({ code: 'CONTENT.CHECK_FAILED', params: { count: ctx.checkErrors ?? 0 } });
  return { ok: true, decision: { to: t.to, live: t.live, scheduledAt, history: { action, from: subject.state, to: t.to, note } } };
}

/**
 * The actions to offer a person as buttons: those whose state and permission fit. (Notes, times and the content
 * check are asked for on the page and checked again by decide.)
 */
export function allowedActions(subject: WorkflowSubject, actorUserId: number, may: (permission: Action) => boolean): PersonAction[] {
  return PERSON_ACTIONS.filter((action) => {
    const t = TRANSITIONS[action];
    if (!t.from.includes(subject.state) || t.permission === 'system' || !may(t.permission)) return false;
    if (t.needsLive && !subject.live) return false;
    if (t.notSubmitter && subject.submittedBy === actorUserId) return false;
    return true;
  });
}
