import { describe, expect, it } from 'vitest';
import type { Action } from '../access/index.js';
import { ALARM_ACTIONS, allowedAlarmActions, decideAlarmAction, type AlarmAction } from './alarm.workflow.js';

const ACK = new Date('2026-03-02T01:00:00Z');
type Facts = Parameters<typeof allowedAlarmActions>[0];
const STATES: Record<string, Facts> = {
  new: { status: 'active', acknowledgedAt: null, judgement: null, incidentId: null },
  acknowledged: { status: 'active', acknowledgedAt: ACK, judgement: null, incidentId: null },
  clearedUnjudged: { status: 'cleared', acknowledgedAt: null, judgement: null, incidentId: null },
  confirmedPending: { status: 'active', acknowledgedAt: ACK, judgement: 'confirmed', incidentId: null },
  confirmedOpened: { status: 'cleared', acknowledgedAt: ACK, judgement: 'confirmed', incidentId: 9 },
  falseAlarm: { status: 'cleared', acknowledgedAt: ACK, judgement: 'false_alarm', incidentId: null },
};
const EXPECTED: Record<string, AlarmAction[]> = {
  new: ['acknowledge', 'clear', 'confirm', 'false_alarm'],
  acknowledged: ['clear', 'confirm', 'false_alarm'],
  clearedUnjudged: ['acknowledge', 'confirm', 'false_alarm'],
  confirmedPending: ['clear', 'retry_incident'],
  confirmedOpened: [],
  falseAlarm: [],
};

describe('alarm actions, each from each state', () => {
  for (const [state, facts] of Object.entries(STATES)) {
    it(`${state}: allows exactly ${EXPECTED[state]!.join(', ') || 'nothing'}`, () => {
      expect(allowedAlarmActions(facts, () => true)).toEqual(EXPECTED[state]);
      for (const action of ALARM_ACTIONS) {
        const allowed = EXPECTED[state]!.includes(action);
        const attempt = () => decideAlarmAction(facts, action, { reason: 'sensor wiped by road works' });
        if (allowed) expect(attempt).not.toThrow();
        else expect(attempt).toThrow(expect.objectContaining({ kind: 'Conflict' }));
      }
    });
  }

  it('shows a department handler acknowledge and clear but not the judgement', () => {
    const handler = (p: Action) => p === 'alarm.acknowledge';
    expect(allowedAlarmActions(STATES.new!, handler)).toEqual(['acknowledge', 'clear']);
  });

  it('needs a reason for a false alarm', () => {
    expect(() => decideAlarmAction(STATES.new!, 'false_alarm', { reason: '  ' })).toThrow(expect.objectContaining({ code: 'ALARM.REASON_REQUIRED' }));
  });
});
