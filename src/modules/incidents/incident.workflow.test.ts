import { describe, expect, it } from 'vitest';
import { STATES, type IncidentSnapshot, type Stage, type State } from './incident.js';
import { ACTION_NAMES, TRANSITIONS, decide, possibleActions, type ActionName, type Command, type DecideContext } from './incident.workflow.js';

const NOW = new Date('2026-03-02T01:00:00Z'); // 09:00 in Kaizhou
const HOUR = 3600_000;
// A simple calendar stand-in: every stage lasts 4 h, warning after 3 h; extensions add their amount in hours.
const ctx: DecideContext = {
  now: NOW,
  clock: (_stage: Stage, from: Date) => ({ dueAt: new Date(from.getTime() + 4 * HOUR), warnAt: new Date(from.getTime() + 3 * HOUR) }),
  extend: (deadline, extra) => new Date(deadline.getTime() + extra.amount * HOUR),
  coordinators: { grid: 100, town: 200, district: 300 },
};

function snapshot(state: State, over: Partial<IncidentSnapshot> = {}): IncidentSnapshot {
  return {
    id: 1,
    number: 'KZ20260302000001',
    version: 3,
    state,
    level: 'town',
    urgency: 'normal',
    categoryVersionId: 10,
    coordinatorUnitId: 200,
    leadUnitId: ['dispatched', 'signed', 'reported_back', 'verified'].includes(state) ? 500 : null,
    coUnitIds: [],
    handleDueAt: ['dispatched', 'signed'].includes(state) ? new Date(NOW.getTime() + 20 * HOUR) : null,
    dueAt: null,
    stage: null,
    sla: 'green',
    pendingRequest: null,
    overdueStages: 0,
    rating: null,
    closedAt: null,
    ...over,
  };
}

/** A command with everything any action might require. */
function full(action: ActionName): Command {
  return {
    action,
    reason: '原因说明',
    result: '已清理完毕',
    reply: '已电话答复',
    rating: 'satisfied',
    leadUnitId: 600,
    coUnitIds: [601],
    targetIncidentId: 2,
    reviewDate: '2026-06-30',
    extra: { amount: 8, unit: 'hours' },
    supervision: 'yellow',
    categoryId: 11,
  };
}

/** The pending request an action needs, if any. */
const pendingFor = (action: ActionName) => TRANSITIONS.find((t) => t.action === action)!.pending || null;

describe('incident workflow: every action from every state', () => {
  for (const action of ACTION_NAMES) {
    const t = TRANSITIONS.find((x) => x.action === action)!;
    for (const state of STATES) {
      const allowed = t.from.includes(state);
      it(`${action} from ${state} ${allowed ? `→ ${t.to === 'same' ? state : t.to}` : 'is refused'}`, () => {
        const incident = snapshot(state, { pendingRequest: pendingFor(action) });
        if (allowed) {
          const d = decide(incident, full(action), ctx);
          expect(d.to).toBe(t.to === 'same' ? state : t.to);
          expect(d.from).toBe(state);
        } else {
          expect(() => decide(incident, full(action), ctx)).toThrow(expect.objectContaining({ code: 'INCIDENT.TRANSITION_NOT_ALLOWED', kind: 'Conflict' }));
        }
      });
    }
  }
});

describe('incident workflow rules', () => {
  it('refuses a stale version: two dispatchers at once, one wins', () => {
    expect(() => decide(snapshot('filed'), { ...full('dispatch'), expectedVersion: 2 }, ctx)).toThrow(expect.objectContaining({ code: 'INCIDENT.STALE', kind: 'Conflict' }));
    expect(decide(snapshot('filed'), { ...full('dispatch'), expectedVersion: 3 }, ctx).to).toBe('dispatched');
  });

  it.each([
    ['reject', 'reason'],
    ['answer', 'reply'],
    ['dispatch', 'leadUnitId'],
    ['report_back', 'result'],
    ['verify_fail', 'reason'],
    ['park', 'reviewDate'],
    ['merge', 'targetIncidentId'],
    ['void', 'reason'],
  ] as const)('%s needs %s', (action, field) => {
    const state = TRANSITIONS.find((t) => t.action === action)!.from[0]!;
    const err = (() => {
      try {
        decide(snapshot(state), field === 'reason' ? { action } : { action, reason: '原因' }, ctx);
      } catch (e) {
        return e;
      }
    })() as { code: string; details: { params: { field: string } } };
    expect(err.code).toBe('INCIDENT.FIELD_REQUIRED');
    expect(err.details.params.field).toBe(field);
  });

  it('starts the handling clock at dispatch and keeps it through signing', () => {
    const dispatched = decide(snapshot('filed'), full('dispatch'), ctx);
    expect(dispatched.patch).toMatchObject({ state: 'dispatched', stage: 'sign', leadUnitId: 600, coUnitIds: [601], handleDueAt: new Date(NOW.getTime() + 4 * HOUR) });
    expect(dispatched.notices).toContainEqual({ to: 'lead', kind: 'dispatched' });
    const handleDueAt = new Date(NOW.getTime() + 4 * HOUR);
    const later = { ...ctx, now: new Date(NOW.getTime() + 1 * HOUR) };
    const signed = decide(snapshot('dispatched', { handleDueAt }), full('sign'), later);
    expect(signed.patch).toMatchObject({ state: 'signed', stage: 'handle', dueAt: handleDueAt, sla: 'green' });
  });

  it('signs an already overdue incident straight into red', () => {
    const handleDueAt = new Date(NOW.getTime() - HOUR);
    expect(decide(snapshot('dispatched', { handleDueAt }), full('sign'), ctx).patch.sla).toBe('red');
  });

  it('sends failed verification back for rework with a fresh clock and counts it', () => {
    const d = decide(snapshot('reported_back'), full('verify_fail'), ctx);
    expect(d.to).toBe('signed');
    expect(d.increments).toEqual(['reworkCount']);
    expect(d.patch.handleDueAt).toEqual(new Date(NOW.getTime() + 4 * HOUR));
    expect(d.notices).toContainEqual({ to: 'lead', kind: 'rework' });
  });

  it('holds signing and reporting back while a return is pending, and lets the coordinator decide it', () => {
    const pending = snapshot('signed', { pendingRequest: 'return' });
    expect(() => decide(pending, full('report_back'), ctx)).toThrow(expect.objectContaining({ code: 'INCIDENT.REQUEST_PENDING' }));
    expect(() => decide(snapshot('signed'), full('approve_return'), ctx)).toThrow(expect.objectContaining({ code: 'INCIDENT.NO_PENDING_REQUEST' }));
    const approved = decide(pending, full('approve_return'), ctx);
    expect(approved.to).toBe('filed');
    expect(approved.patch).toMatchObject({ leadUnitId: null, pendingRequest: null });
    expect(approved.increments).toEqual(['returnCount']);
    const refused = decide(pending, full('refuse_return'), ctx);
    expect(refused.to).toBe('signed');
    expect(refused.request).toEqual({ decide: { kind: 'return', status: 'refused', note: '原因说明' } });
  });

  it('extends the handling deadline by the approved amount of working time', () => {
    const handleDueAt = new Date(NOW.getTime() + 2 * HOUR);
    const d = decide(snapshot('signed', { pendingRequest: 'extension', handleDueAt }), full('approve_extension'), ctx);
    expect(d.patch.handleDueAt).toEqual(new Date(handleDueAt.getTime() + 8 * HOUR));
    expect(d.patch.dueAt).toEqual(d.patch.handleDueAt);
    expect(d.clockChanged).toBe(true);
  });

  it('escalates grid → town → district and no further', () => {
    const fromGrid = decide(snapshot('filed', { level: 'grid', coordinatorUnitId: 100 }), full('escalate'), ctx);
    expect(fromGrid.patch).toMatchObject({ level: 'town', coordinatorUnitId: 200, state: 'filed' });
    const fromTown = decide(snapshot('signed'), full('escalate'), ctx);
    expect(fromTown.patch).toMatchObject({ level: 'district', coordinatorUnitId: 300, leadUnitId: null });
    expect(fromTown.increments).toEqual(['escalationCount']);
    expect(() => decide(snapshot('filed', { level: 'district' }), full('escalate'), ctx)).toThrow(expect.objectContaining({ code: 'INCIDENT.TOP_LEVEL' }));
  });

  it('refuses a re-dispatch to the same unit and a merge into itself', () => {
    expect(() => decide(snapshot('signed'), { ...full('reassign'), leadUnitId: 500 }, ctx)).toThrow(expect.objectContaining({ code: 'INCIDENT.SAME_UNIT' }));
    expect(() => decide(snapshot('filed'), { ...full('merge'), targetIncidentId: 1 }, ctx)).toThrow(expect.objectContaining({ code: 'INCIDENT.MERGE_SELF' }));
  });

  it('closes on time only when no stage went overdue, and takes one rating', () => {
    expect(decide(snapshot('verified'), full('close'), ctx).patch.closedOnTime).toBe(true);
    expect(decide(snapshot('verified', { overdueStages: 1 }), full('close'), ctx).patch.closedOnTime).toBe(false);
    const rated = decide(snapshot('closed'), { ...full('rate'), rating: 'unsatisfied' }, ctx);
    expect(rated.notices).toContainEqual({ to: 'coordinator', kind: 'unsatisfied' });
    expect(() => decide(snapshot('closed', { rating: 'satisfied' }), full('rate'), ctx)).toThrow(expect.objectContaining({ code: 'INCIDENT.ALREADY_RATED' }));
  });

  it('counts a stage that ends after its deadline as overdue even when no sweep marked it red', () => {
    const late = { dueAt: new Date(NOW.getTime() - 1), sla: 'yellow' as const };
    expect(decide(snapshot('signed', late), full('report_back'), ctx).increments).toEqual(['overdueStages']);
    expect(decide(snapshot('verified', late), full('close'), ctx)).toMatchObject({ increments: ['overdueStages'], patch: { closedOnTime: false } });
    // Already counted by the sweep (red): not again. On time: not at all. Actions that keep the stage: not at all.
    expect(decide(snapshot('signed', { ...late, sla: 'red', overdueStages: 1 }), full('report_back'), ctx).increments).toEqual([]);
    expect(decide(snapshot('signed', { dueAt: new Date(NOW.getTime() + 1) }), full('report_back'), ctx).increments).toEqual([]);
    expect(decide(snapshot('signed', late), full('note'), ctx).increments).toEqual([]);
  });

  it('reopens a closed incident for dispatch again, clearing its result', () => {
    const d = decide(snapshot('closed', { rating: 'unsatisfied', closedAt: NOW }), full('reopen'), ctx);
    expect(d.patch).toMatchObject({ state: 'filed', stage: 'dispatch', closedAt: null, rating: null, leadUnitId: null });
    expect(d.increments).toEqual(['reopenCount']);
  });

  it('lists what is possible in a state, ignoring who asks', () => {
    expect(possibleActions(snapshot('dispatched'))).toEqual(['sign', 'note', 'request_return', 'reassign', 'request_extension', 'park', 'supervise', 'escalate', 'void']);
    expect(possibleActions(snapshot('closed'))).toEqual(['rate', 'reopen']);
    expect(possibleActions(snapshot('voided'))).toEqual([]);
  });
});

describe('incident workflow: the 12350 channel rule (60 natural days from acceptance, one extension of at most 30 days)', () => {
  const DAY = 24 * HOUR;
  const safety: DecideContext = { ...ctx, channel: 'hotline_12350' };

  it('starts a 60-natural-day handling deadline at acceptance and keeps it through dispatch and rework', () => {
    const accepted = decide(snapshot('reported'), { action: 'accept' }, safety);
    expect(accepted.patch.handleDueAt).toEqual(new Date(NOW.getTime() + 60 * DAY));
    const due = accepted.patch.handleDueAt!;
    const dispatched = decide(snapshot('filed', { handleDueAt: due }), { action: 'dispatch', leadUnitId: 600 }, safety);
    expect(dispatched.patch.handleDueAt).toEqual(due);
    const rework = decide(snapshot('reported_back', { handleDueAt: due }), { action: 'verify_fail', reason: '未整改到位' }, safety);
    expect(rework.patch.handleDueAt).toEqual(due);
    const returned = decide(snapshot('signed', { handleDueAt: due, pendingRequest: 'return' }), { action: 'approve_return' }, safety);
    expect(returned.patch.handleDueAt).toEqual(due);
  });

  it('starts the deadline when a report is filed straight away without a separate acceptance', () => {
    expect(decide(snapshot('reported'), { action: 'file' }, safety).patch).toMatchObject({ handleDueAt: new Date(NOW.getTime() + 60 * DAY), acceptedAt: NOW });
  });

  it('leaves other channels on the catalogue limits', () => {
    expect(decide(snapshot('reported'), { action: 'accept' }, { ...ctx, channel: 'web' }).patch.handleDueAt).toBeUndefined();
    expect(decide(snapshot('filed'), { action: 'dispatch', leadUnitId: 600 }, { ...ctx, channel: 'web' }).patch.handleDueAt).toEqual(new Date(NOW.getTime() + 4 * HOUR));
  });

  const cases: { name: string; action: ActionName; granted: number; extra: { amount: number; unit: 'natural_days' | 'natural_hours' | 'days' | 'hours' }; code: string | undefined }[] = [
    { name: 'a first extension of 30 days is asked for', action: 'request_extension', granted: 0, extra: { amount: 30, unit: 'natural_days' }, code: undefined },
    { name: 'a first extension of 30 days is granted', action: 'approve_extension', granted: 0, extra: { amount: 30, unit: 'natural_days' }, code: undefined },
    { name: 'a first extension of 720 natural hours is granted', action: 'approve_extension', granted: 0, extra: { amount: 720, unit: 'natural_hours' }, code: undefined },
    { name: 'an extension of 31 days is refused on request', action: 'request_extension', granted: 0, extra: { amount: 31, unit: 'natural_days' }, code: 'INCIDENT.EXTENSION_TOO_LONG' },
    { name: 'an extension of 31 days is refused on approval', action: 'approve_extension', granted: 0, extra: { amount: 31, unit: 'natural_days' }, code: 'INCIDENT.EXTENSION_TOO_LONG' },
    { name: 'an extension of 721 natural hours is refused', action: 'approve_extension', granted: 0, extra: { amount: 721, unit: 'natural_hours' }, code: 'INCIDENT.EXTENSION_TOO_LONG' },
    { name: 'an extension in working days is refused', action: 'request_extension', granted: 0, extra: { amount: 10, unit: 'days' }, code: 'INCIDENT.EXTENSION_UNIT' },
    { name: 'a second extension is refused on request', action: 'request_extension', granted: 1, extra: { amount: 5, unit: 'natural_days' }, code: 'INCIDENT.EXTENSION_LIMIT_REACHED' },
    { name: 'a second extension is refused on approval', action: 'approve_extension', granted: 1, extra: { amount: 5, unit: 'natural_days' }, code: 'INCIDENT.EXTENSION_LIMIT_REACHED' },
  ];
  for (const c of cases) {
    it(`12350: ${c.name}`, () => {
      const due = new Date(NOW.getTime() + 50 * DAY);
      const incident = snapshot('signed', { handleDueAt: due, pendingRequest: c.action === 'approve_extension' ? 'extension' : null });
      const run = () => decide(incident, { action: c.action, reason: '需要补充检测', extra: c.extra }, { ...safety, extensionsGranted: c.granted, extend: (d, x) => new Date(d.getTime() + x.amount * (x.unit === 'natural_days' ? DAY : HOUR)) });
      if (c.code) expect(run).toThrow(expect.objectContaining({ code: c.code, kind: 'Invalid' }));
      else if (c.action === 'approve_extension') expect(run().patch.handleDueAt).toEqual(new Date(due.getTime() + (c.extra.unit === 'natural_days' ? c.extra.amount * DAY : c.extra.amount * HOUR)));
      else expect(run().patch.pendingRequest).toBe('extension');
    });
  }

  it('puts no limit on extensions of other channels', () => {
    const incident = snapshot('signed', { pendingRequest: 'extension' });
    expect(decide(incident, { action: 'approve_extension', extra: { amount: 90, unit: 'days' } }, { ...ctx, channel: 'web', extensionsGranted: 3 }).patch.pendingRequest).toBeNull();
  });
});
