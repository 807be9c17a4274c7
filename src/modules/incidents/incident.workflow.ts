/**
 * The case flow as data: one table of transitions (from-states, to-state, the permission, whose scope decides,
 * what must be given) and a pure `decide` that returns the patch to the incident, the history entry, the new
 * clock and who to tell — or a domain error. The services lock, check permission, call `decide`, save and audit.
 * Sources: 数字城管 seven stages and dispute rules (../shared/reference/domain.md §2.2), 12345 closed loop and
 * 并单/退单/改派 (§3.1), 三色督办 (§7), escalation "小事不出村、大事不出镇" (§1.1, §1.2).
 */
import { DomainError, invalid } from '../../kernel/errors.js';
import type { Action } from '../access/index.js';
import {
  STAGE_OF_STATE,
  isOpen,
  type Channel,
  type IncidentSnapshot,
  type Level,
  type Limit,
  type Rating,
  type Stage,
  type State,
  type SupervisionLevel,
} from './incident.js';

export const ACTION_NAMES = [
  'accept',
  'reject',
  'file',
  'answer',
  'dispatch',
  'sign',
  'note',
  'report_back',
  'verify_pass',
  'verify_fail',
  'close',
  'rate',
  'reopen',
  'request_return',
  'approve_return',
  'refuse_return',
  'reassign',
  'request_extension',
  'approve_extension',
  'refuse_extension',
  'park',
  'unpark',
  'supervise',
  'escalate',
  'merge',
  'void',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/**
 * Whose scope decides: `coordinator` — the place and the coordinating center (a town's dispatcher, the district
 * center); `handler` — the lead unit (and co-handling units for notes); `area` — the place only (on-site checks).
 */
export type ResourceKind = 'coordinator' | 'handler' | 'area';

type Requirement = 'reason' | 'result' | 'reply' | 'rating' | 'lead' | 'target' | 'reviewDate' | 'extra' | 'supervision' | 'category';

export interface Transition {
  readonly action: ActionName;
  readonly from: readonly State[];
  /** The next state, or 'same' for actions that leave the state as it is. */
  readonly to: State | 'same';
  readonly permission: Action;
  readonly resource: ResourceKind;
  readonly requires: readonly Requirement[];
  /** Only while this request is pending (or, with `false`, only while none is). */
  readonly pending?: 'return' | 'extension' | false;
}

const OPEN_WORK: readonly State[] = ['reported', 'accepted', 'filed', 'dispatched', 'signed', 'reported_back', 'verified', 'parked'];

export const TRANSITIONS: readonly Transition[] = [
  { action: 'accept', from: ['reported'], to: 'accepted', permission: 'incident.accept', resource: 'coordinator', requires: [] },
  { action: 'reject', from: ['reported', 'accepted'], to: 'rejected', permission: 'incident.accept', resource: 'coordinator', requires: ['reason'] },
  { action: 'file', from: ['reported', 'accepted'], to: 'filed', permission: 'incident.accept', resource: 'coordinator', requires: ['category'] },
  { action: 'answer', from: ['accepted'], to: 'closed', permission: 'incident.accept', resource: 'coordinator', requires: ['reply'] },
  { action: 'dispatch', from: ['filed'], to: 'dispatched', permission: 'incident.dispatch', resource: 'coordinator', requires: ['lead'] },
  { action: 'sign', from: ['dispatched'], to: 'signed', permission: 'incident.sign', resource: 'handler', requires: [], pending: false },
  { action: 'note', from: [...OPEN_WORK], to: 'same', permission: 'incident.read', resource: 'handler', requires: ['reason'] },
  { action: 'report_back', from: ['signed'], to: 'reported_back', permission: 'incident.handle', resource: 'handler', requires: ['result'], pending: false },
  { action: 'verify_pass', from: ['reported_back'], to: 'verified', permission: 'incident.verify', resource: 'area', requires: [] },
  { action: 'verify_fail', from: ['reported_back'], to: 'signed', permission: 'incident.verify', resource: 'area', requires: ['reason'] },
  { action: 'close', from: ['verified'], to: 'closed', permission: 'incident.close', resource: 'coordinator', requires: [] },
  { action: 'rate', from: ['closed'], to: 'same', permission: 'incident.close', resource: 'coordinator', requires: ['rating'] },
  { action: 'reopen', from: ['closed'], to: 'filed', permission: 'incident.dispatch', resource: 'coordinator', requires: ['reason'] },
  { action: 'request_return', from: ['dispatched', 'signed'], to: 'same', permission: 'incident.handle', resource: 'handler', requires: ['reason'], pending: false },
  { action: 'approve_return', from: ['dispatched', 'signed'], to: 'filed', permission: 'incident.dispatch', resource: 'coordinator', requires: [], pending: 'return' },
  { action: 'refuse_return', from: ['dispatched', 'signed'], to: 'same', permission: 'incident.dispatch', resource: 'coordinator', requires: ['reason'], pending: 'return' },
  { action: 'reassign', from: ['dispatched', 'signed'], to: 'dispatched', permission: 'incident.dispatch', resource: 'coordinator', requires: ['lead', 'reason'] },
  { action: 'request_extension', from: ['dispatched', 'signed'], to: 'same', permission: 'incident.handle', resource: 'handler', requires: ['reason', 'extra'], pending: false },
  { action: 'approve_extension', from: ['dispatched', 'signed'], to: 'same', permission: 'incident.dispatch', resource: 'coordinator', requires: [], pending: 'extension' },
  { action: 'refuse_extension', from: ['dispatched', 'signed'], to: 'same', permission: 'incident.dispatch', resource: 'coordinator', requires: ['reason'], pending: 'extension' },
  { action: 'park', from: ['filed', 'dispatched', 'signed'], to: 'parked', permission: 'incident.dispatch', resource: 'coordinator', requires: ['reason', 'reviewDate'] },
  { action: 'unpark', from: ['parked'], to: 'filed', permission: 'incident.dispatch', resource: 'coordinator', requires: [] },
  { action: 'supervise', from: ['accepted', 'filed', 'dispatched', 'signed', 'reported_back', 'verified', 'parked'], to: 'same', permission: 'incident.supervise', resource: 'coordinator', requires: ['supervision'] },
  { action: 'escalate', from: ['reported', 'accepted', 'filed', 'dispatched', 'signed'], to: 'filed', permission: 'incident.escalate', resource: 'area', requires: ['reason'] },
  { action: 'merge', from: ['reported', 'accepted', 'filed'], to: 'merged', permission: 'incident.merge', resource: 'coordinator', requires: ['target'] },
  { action: 'void', from: [...OPEN_WORK], to: 'voided', permission: 'incident.void', resource: 'coordinator', requires: ['reason'] },
];

export const transitionOf = (action: ActionName): Transition => TRANSITIONS.find((t) => t.action === action)!;

/**
 * Time rules of a channel that override the catalogue's stage limits. A 12350 work-safety report is accepted at
 * once and must be closed within 60 natural days of acceptance, with one extension of at most 30 days, given with
 * reasons (山东省安全生产举报处理规定, ../shared/reference/domain.md §5 and its time-limit table): the handling
 * deadline is set at acceptance and kept through dispatch, rework, returns and escalation.
 */
export interface ChannelRule {
  /** The whole matter's handling limit, counted from acceptance. */
  readonly handle: Limit & { readonly unit: 'natural_days' };
  readonly extensions: { readonly max: number; readonly longest: Limit & { readonly unit: 'natural_days' } };
  /** The reporter's name and phone never go on the incident row: the channel keeps them sealed in its own table. */
  readonly sealedIdentity: boolean;
}

export const CHANNEL_RULES: Readonly<Partial<Record<Channel, ChannelRule>>> = {
  hotline_12350: { handle: { amount: 60, unit: 'natural_days' }, extensions: { max: 1, longest: { amount: 30, unit: 'natural_days' } }, sealedIdentity: true },
};

const addNatural = (from: Date, l: Limit & { unit: 'natural_days' }) => new Date(from.getTime() + l.amount * 86_400_000);

/**
 * Why an extension of `extra` cannot be asked for or granted under a channel rule after `granted` earlier ones, or
 * undefined when it can (always, for channels without a rule).
 */
export function extensionRefusal(rule: ChannelRule | undefined, granted: number, extra: Limit | undefined): string | undefined {
  if (!rule) return undefined;
  if (granted >= rule.extensions.max) return 'INCIDENT.EXTENSION_LIMIT_REACHED';
  if (!extra) return undefined;
  // Natural days only: a working day is longer than a natural one, so "30 days" must not be stretched.
  if (extra.unit !== 'natural_days' && extra.unit !== 'natural_hours') return 'INCIDENT.EXTENSION_UNIT';
  const hours = extra.unit === 'natural_days' ? extra.amount * 24 : extra.amount;
  if (hours > rule.extensions.longest.amount * 24) return 'INCIDENT.EXTENSION_TOO_LONG';
  return undefined;
}

/** What a person asks for, with what they supplied. */
export interface Command {
  readonly action: ActionName;
  readonly expectedVersion?: number;
  readonly note?: string;
  readonly publicNote?: string;
  readonly reason?: string;
  readonly result?: string;
  readonly reply?: string;
  readonly rating?: Rating;
  readonly ratingComment?: string;
  readonly leadUnitId?: number;
  readonly coUnitIds?: readonly number[];
  readonly targetIncidentId?: number;
  readonly reviewDate?: string;
  readonly extra?: Limit;
  readonly supervision?: SupervisionLevel;
  readonly categoryId?: number;
}

export interface StageClock {
  readonly dueAt: Date;
  readonly warnAt: Date;
}

export interface DecideContext {
  readonly now: Date;
  /** The clock of a stage started at `from` under the incident's limits (computed with the work calendar). */
  readonly clock: (stage: Stage, from: Date) => StageClock;
  /** Adds an extension to a deadline, in working time. */
  readonly extend: (deadline: Date, extra: Limit) => Date;
  /** The coordinating unit of each level for this incident (its grid, its town's command center, the district center). */
  readonly coordinators: Readonly<Partial<Record<Level, number>>>;
  /** The incident's channel, when its rules matter (CHANNEL_RULES); omitted, the catalogue's limits apply alone. */
  readonly channel?: Channel;
  /** How many extensions were granted before (for channels that limit them). */
  readonly extensionsGranted?: number;
}

/** A column patch for the incident row (names as in the incident type). */
export interface IncidentPatch {
  state?: State;
  stage?: Stage | null;
  stageStartedAt?: Date | null;
  dueAt?: Date | null;
  warnAt?: Date | null;
  sla?: 'green' | 'yellow' | 'red';
  handleDueAt?: Date | null;
  level?: Level;
  coordinatorUnitId?: number | null;
  leadUnitId?: number | null;
  coUnitIds?: readonly number[];
  pendingRequest?: 'return' | 'extension' | null;
  supervision?: SupervisionLevel | null;
  parkedUntil?: string | null;
  mergedIntoId?: number | null;
  rating?: Rating | null;
  ratingComment?: string | null;
  reply?: string | null;
  result?: string | null;
  categoryId?: number;
  closedOnTime?: boolean | null;
  acceptedAt?: Date;
  filedAt?: Date;
  dispatchedAt?: Date;
  signedAt?: Date;
  reportedBackAt?: Date;
  verifiedAt?: Date;
  closedAt?: Date | null;
  ratedAt?: Date;
}

export type Notice =
  | { readonly to: 'lead'; readonly kind: string }
  | { readonly to: 'coordinator'; readonly kind: string }
  | { readonly to: 'reporter'; readonly kind: string };

export interface RequestChange {
  readonly open?: { kind: 'return' | 'extension'; reason: string; extra?: Limit };
  readonly decide?: { kind: 'return' | 'extension'; status: 'approved' | 'refused'; note?: string };
}

export interface Decision {
  readonly transition: Transition;
  readonly from: State;
  readonly to: State;
  readonly patch: IncidentPatch;
  /** Whether the stage clock changed: the service then replaces the incident's timers. */
  readonly clockChanged: boolean;
  readonly eventDetails: Record<string, unknown>;
  readonly notices: readonly Notice[];
  readonly request?: RequestChange;
  readonly supervision?: { level: SupervisionLevel; note: string | undefined };
  /** Counters to add one to. */
  readonly increments: readonly Counter[];
}

export type Counter = 'reworkCount' | 'returnCount' | 'reopenCount' | 'escalationCount' | 'overdueStages';

const NEXT_LEVEL: Record<Level, Level | null> = { grid: 'town', town: 'district', district: null };

function need(cmd: Command, req: Requirement): DomainError | undefined {
  const missing = (path: string) => invalid('INCIDENT.FIELD_REQUIRED', `${path} is required`, [{ path, code: 'field.required', message: `${path} is required` }], { field: path });
  switch (req) {
    case 'reason':
      return cmd.reason?.trim() ? undefined : missing('reason');
    case 'result':
      return cmd.result?.trim() ? undefined : missing('result');
    case 'reply':
      return cmd.reply?.trim() ? undefined : missing('reply');
    case 'rating':
      return cmd.rating ? undefined : missing('rating');
    case 'lead':
      return cmd.leadUnitId ? undefined : missing('leadUnitId');
    case 'target':
      return cmd.targetIncidentId ? undefined : missing('targetIncidentId');
    case 'reviewDate':
      return cmd.reviewDate && /^\d{4}-\d{2}-\d{2}$/.test(cmd.reviewDate) ? undefined : missing('reviewDate');
    case 'extra':
      return cmd.extra && cmd.extra.amount > 0 ? undefined : missing('extra');
    case 'supervision':
      return cmd.supervision ? undefined : missing('supervision');
    case 'category':
      return undefined; // checked against the incident: it may already have one
  }
}

/** Why `action` cannot happen now, or undefined if it can (ignoring who asks). */
export function blockedReason(incident: IncidentSnapshot, action: ActionName): string | undefined {
  const t = transitionOf(action);
  if (!t.from.includes(incident.state)) return 'INCIDENT.TRANSITION_NOT_ALLOWED';
  if (t.pending === false && incident.pendingRequest) return 'INCIDENT.REQUEST_PENDING';
  if (t.pending && incident.pendingRequest !== t.pending) return 'INCIDENT.NO_PENDING_REQUEST';
  if (action === 'escalate' && NEXT_LEVEL[incident.level] === null) return 'INCIDENT.TOP_LEVEL';
  if (action === 'rate' && incident.rating) return 'INCIDENT.ALREADY_RATED';
  return undefined;
}

/** The stage clock for entering `state` at `now`. */
function enterStage(state: State, ctx: DecideContext, handleDueAt: Date | null): Pick<IncidentPatch, 'stage' | 'stageStartedAt' | 'dueAt' | 'warnAt' | 'sla'> {
  const stage = STAGE_OF_STATE[state] ?? null;
  if (!stage) return { stage: null, stageStartedAt: null, dueAt: null, warnAt: null, sla: 'green' };
  if (stage === 'handle' && handleDueAt) {
    // The handling clock started at dispatch; it keeps running through signing.
    const clock = ctx.clock('handle', ctx.now);
    const warnAt = new Date(Math.min(handleDueAt.getTime(), Math.max(ctx.now.getTime(), handleDueAt.getTime() - (clock.dueAt.getTime() - clock.warnAt.getTime()))));
    return { stage, stageStartedAt: ctx.now, dueAt: handleDueAt, warnAt, sla: ctx.now >= handleDueAt ? 'red' : ctx.now >= warnAt ? 'yellow' : 'green' };
  }
  const { dueAt, warnAt } = ctx.clock(stage, ctx.now);
  return { stage, stageStartedAt: ctx.now, dueAt, warnAt, sla: 'green' };
}

/**
 * Decides an action on an incident. Pure: everything it needs is passed in. Throws a DomainError when the action
 * is not allowed from the current state, the version is stale, or something required is missing.
 */
export function decide(incident: IncidentSnapshot, cmd: Command, ctx: DecideContext): Decision {
  const t = transitionOf(cmd.action);
  if (cmd.expectedVersion !== undefined && cmd.expectedVersion !== incident.version) {
    throw new DomainError('Conflict', 'INCIDENT.STALE', `Incident ${incident.number} changed meanwhile (version ${incident.version}, expected ${cmd.expectedVersion})`, {
      params: { number: incident.number },
    });
  }
  const blocked = blockedReason(incident, cmd.action);
  if (blocked) {
    throw new DomainError('Conflict', blocked, `${cmd.action} is not possible in state ${incident.state}`, {
      params: { action: cmd.action, state: incident.state, number: incident.number },
    });
  }
  for (const req of t.requires) {
    const problem = need(cmd, req);
    if (problem) throw problem;
  }
  if (t.requires.includes('category') && !cmd.categoryId && incident.categoryVersionId === null) {
    throw invalid('INCIDENT.CATEGORY_REQUIRED', 'Choose a category before filing', [{ path: 'categoryId', code: 'field.required', message: 'categoryId is required' }]);
  }

  const rule = ctx.channel ? CHANNEL_RULES[ctx.channel] : undefined;
  if (cmd.action === 'request_extension' || cmd.action === 'approve_extension') {
    const refusal = extensionRefusal(rule, ctx.extensionsGranted ?? 0, cmd.extra);
    if (refusal) {
      const limit = rule!.extensions.longest;
      throw invalid(refusal, `Extension refused: ${refusal}`, [{ path: 'extra', code: refusal, message: refusal, params: { max: limit.amount, count: rule!.extensions.max } }], {
        max: limit.amount,
        count: rule!.extensions.max,
      });
    }
  }
  // Under a channel rule the handling deadline runs from acceptance and survives every later step.
  const matterDue = rule ? incident.handleDueAt : null;
  const startMatterClock = (p: IncidentPatch) => (rule && incident.handleDueAt === null ? { ...p, handleDueAt: addNatural(ctx.now, rule.handle), acceptedAt: ctx.now } : p);

  const now = ctx.now;
  const to: State = t.to === 'same' ? incident.state : t.to;
  let patch: IncidentPatch = {};
  let clockChanged = false;
  const notices: Notice[] = [];
  const details: Record<string, unknown> = {};
  let request: RequestChange | undefined;
  let supervision: Decision['supervision'];
  const increments: Counter[] = [];

  // A stage that ends after its deadline counts as overdue even if no timer sweep marked it red in time
  // (the sweep runs every few seconds, and not at all while no worker runs).
  const lateUnmarked = incident.dueAt !== null && now > incident.dueAt && incident.sla !== 'red';
  const enter = (state: State, handleDueAt: Date | null = incident.handleDueAt) => {
    patch = { ...patch, state, ...enterStage(state, ctx, handleDueAt) };
    clockChanged = true;
    if (lateUnmarked && !increments.includes('overdueStages')) increments.push('overdueStages');
  };
  const onTimeSoFar = () => incident.overdueStages === 0 && incident.sla !== 'red' && !lateUnmarked;

  switch (cmd.action) {
    case 'accept':
      enter('accepted');
      patch.acceptedAt = now;
      patch = startMatterClock(patch);
      break;
    case 'reject':
      enter('rejected');
      patch.closedAt = now;
      details.reason = cmd.reason;
      notices.push({ to: 'reporter', kind: 'rejected' });
      break;
    case 'file':
      enter('filed');
      patch.filedAt = now;
      if (cmd.categoryId) patch.categoryId = cmd.categoryId;
      if (incident.state === 'reported') patch = startMatterClock(patch);
      break;
    case 'answer':
      enter('closed');
      patch.reply = cmd.reply!.trim();
      patch.closedAt = now;
      patch.closedOnTime = onTimeSoFar();
      notices.push({ to: 'reporter', kind: 'answered' });
      break;
    case 'dispatch':
    case 'reassign': {
      const lead = cmd.leadUnitId!;
      const co = [...new Set(cmd.coUnitIds ?? [])].filter((id) => id !== lead);
      if (cmd.action === 'reassign' && lead === incident.leadUnitId) {
        throw invalid('INCIDENT.SAME_UNIT', 'Re-dispatch to a different unit', [{ path: 'leadUnitId', code: 'INCIDENT.SAME_UNIT', message: 'same unit' }]);
      }
      const handleDueAt = matterDue ?? ctx.clock('handle', now).dueAt;
      patch = { ...patch, leadUnitId: lead, coUnitIds: co, dispatchedAt: now, handleDueAt, pendingRequest: null };
      enter('dispatched', handleDueAt);
      details.leadUnitId = lead;
      details.coUnitIds = co;
      if (cmd.action === 'reassign') details.previousLeadUnitId = incident.leadUnitId;
      notices.push({ to: 'lead', kind: 'dispatched' });
      break;
    }
    case 'sign':
      enter('signed');
      patch.signedAt = now;
      break;
    case 'note':
      break;
    case 'report_back':
      enter('reported_back');
      patch.reportedBackAt = now;
      patch.result = cmd.result!.trim();
      notices.push({ to: 'coordinator', kind: 'reported_back' });
      break;
    case 'verify_pass':
      enter('verified');
      patch.verifiedAt = now;
      break;
    case 'verify_fail': {
      // Rework: the unit gets a fresh handling clock.
      const handleDueAt = matterDue ?? ctx.clock('handle', now).dueAt;
      patch = { ...patch, handleDueAt };
      enter('signed', handleDueAt);
      increments.push('reworkCount');
      details.reason = cmd.reason;
      notices.push({ to: 'lead', kind: 'rework' });
      break;
    }
    case 'close':
      enter('closed');
      patch.closedAt = now;
      patch.closedOnTime = onTimeSoFar();
      notices.push({ to: 'reporter', kind: 'closed' });
      break;
    case 'rate':
      patch = { rating: cmd.rating!, ratingComment: cmd.ratingComment?.trim() || null, ratedAt: now };
      details.rating = cmd.rating;
      if (cmd.rating === 'unsatisfied') notices.push({ to: 'coordinator', kind: 'unsatisfied' });
      break;
    case 'reopen':
      enter('filed');
      patch = { ...patch, closedAt: null, closedOnTime: null, leadUnitId: null, coUnitIds: [], rating: null, ratingComment: null, pendingRequest: null };
      details.reason = cmd.reason;
      increments.push('reopenCount');
      notices.push({ to: 'coordinator', kind: 'reopened' });
      break;
    case 'request_return':
      patch = { pendingRequest: 'return' };
      request = { open: { kind: 'return', reason: cmd.reason!.trim() } };
      details.reason = cmd.reason;
      notices.push({ to: 'coordinator', kind: 'return_requested' });
      break;
    case 'approve_return':
      enter('filed');
      patch = { ...patch, leadUnitId: null, coUnitIds: [], pendingRequest: null, handleDueAt: matterDue };
      request = { decide: { kind: 'return', status: 'approved', note: cmd.reason } };
      increments.push('returnCount');
      details.previousLeadUnitId = incident.leadUnitId;
      notices.push({ to: 'lead', kind: 'return_approved' });
      break;
    case 'refuse_return':
      patch = { pendingRequest: null };
      request = { decide: { kind: 'return', status: 'refused', note: cmd.reason } };
      notices.push({ to: 'lead', kind: 'return_refused' });
      break;
    case 'request_extension':
      patch = { pendingRequest: 'extension' };
      request = { open: { kind: 'extension', reason: cmd.reason!.trim(), extra: cmd.extra } };
      details.extra = cmd.extra;
      notices.push({ to: 'coordinator', kind: 'extension_requested' });
      break;
    case 'approve_extension': {
      const extra = cmd.extra;
      if (!extra) throw invalid('INCIDENT.FIELD_REQUIRED', 'extra is required', [{ path: 'extra', code: 'field.required', message: 'extra is required' }], { field: 'extra' });
      const base = incident.handleDueAt ?? now;
      const handleDueAt = ctx.extend(base, extra);
      patch = { handleDueAt, pendingRequest: null };
      if (incident.state === 'signed') enter('signed', handleDueAt);
      request = { decide: { kind: 'extension', status: 'approved', note: cmd.reason } };
      details.extra = extra;
      details.handleDueAt = handleDueAt.toISOString();
      notices.push({ to: 'lead', kind: 'extension_approved' });
      break;
    }
    case 'refuse_extension':
      patch = { pendingRequest: null };
      request = { decide: { kind: 'extension', status: 'refused', note: cmd.reason } };
      notices.push({ to: 'lead', kind: 'extension_refused' });
      break;
    case 'park':
      enter('parked');
      patch.parkedUntil = cmd.reviewDate!;
      details.reason = cmd.reason;
      details.reviewDate = cmd.reviewDate;
      break;
    case 'unpark':
      enter('filed');
      patch = { ...patch, parkedUntil: null, leadUnitId: null, coUnitIds: [], pendingRequest: null };
      break;
    case 'supervise':
      patch = { supervision: cmd.supervision! };
      supervision = { level: cmd.supervision!, note: cmd.reason ?? cmd.note };
      details.level = cmd.supervision;
      notices.push({ to: 'lead', kind: `supervised_${cmd.supervision}` }, { to: 'coordinator', kind: `supervised_${cmd.supervision}` });
      break;
    case 'escalate': {
      const next = NEXT_LEVEL[incident.level]!;
      const coordinator = ctx.coordinators[next];
      if (!coordinator) throw invalid('INCIDENT.NO_COORDINATOR', `No coordinating unit at level ${next}`, undefined, { level: next });
      enter('filed');
      patch = { ...patch, level: next, coordinatorUnitId: coordinator, leadUnitId: null, coUnitIds: [], pendingRequest: null, handleDueAt: matterDue };
      details.fromLevel = incident.level;
      details.toLevel = next;
      increments.push('escalationCount');
      details.reason = cmd.reason;
      notices.push({ to: 'coordinator', kind: 'escalated' });
      break;
    }
    case 'merge':
      if (cmd.targetIncidentId === incident.id) throw invalid('INCIDENT.MERGE_SELF', 'An incident cannot be merged into itself');
      enter('merged');
      patch = { ...patch, mergedIntoId: cmd.targetIncidentId!, closedAt: now };
      details.into = cmd.targetIncidentId;
      notices.push({ to: 'reporter', kind: 'merged' });
      break;
    case 'void':
      enter('voided');
      patch.closedAt = now;
      details.reason = cmd.reason;
      break;
  }
  if (!isOpen(to) && to !== incident.state) patch = { ...patch, pendingRequest: null };
  return { transition: t, from: incident.state, to, patch, clockChanged, eventDetails: details, notices, request, supervision, increments };
}

/** The actions whose state conditions hold (permission is checked separately, per actor). */
export function possibleActions(incident: IncidentSnapshot): ActionName[] {
  return ACTION_NAMES.filter((a) => blockedReason(incident, a) === undefined);
}
