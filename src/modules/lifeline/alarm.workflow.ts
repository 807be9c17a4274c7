/**
 * What may be done to an alarm, as one table: each action's permission and the states it is allowed from. The
 * workbench shows exactly the actions `allowedAlarmActions` returns; the service asks `decideAlarmAction`.
 * Modelled on ThingsBoard's lifecycle (active/cleared × acknowledged, anchors.md §4.1) plus the judgement (研判).
 */
import { DomainError } from '../../kernel/errors.js';
import type { Action } from '../access/index.js';
import type { Alarm } from './alarm.js';

export const ALARM_ACTIONS = ['acknowledge', 'clear', 'confirm', 'false_alarm', 'retry_incident'] as const;
export type AlarmAction = (typeof ALARM_ACTIONS)[number];

type AlarmFacts = Pick<Alarm, 'status' | 'acknowledgedAt' | 'judgement' | 'incidentId'>;

interface ActionRule {
  readonly permission: Action;
  readonly allowed: (a: AlarmFacts) => boolean;
  readonly code: string;
}

export const ALARM_ACTION_RULES: Readonly<Record<AlarmAction, ActionRule>> = {
  acknowledge: { permission: 'alarm.acknowledge', allowed: (a) => a.acknowledgedAt === null, code: 'ALARM.ALREADY_ACKNOWLEDGED' },
  clear: { permission: 'alarm.acknowledge', allowed: (a) => a.status === 'active', code: 'ALARM.ALREADY_CLEARED' },
  // Judged once: active or already cleared (a short gas spike may clear itself before the analyst looks).
  confirm: { permission: 'alarm.judge', allowed: (a) => a.judgement === null, code: 'ALARM.ALREADY_JUDGED' },
  false_alarm: { permission: 'alarm.judge', allowed: (a) => a.judgement === null, code: 'ALARM.ALREADY_JUDGED' },
  retry_incident: { permission: 'alarm.judge', allowed: (a) => a.judgement === 'confirmed' && a.incidentId === null, code: 'ALARM.NO_INCIDENT_PENDING' },
};

/** The actions that the alarm's state allows and `may(permission)` grants. */
export function allowedAlarmActions(alarm: AlarmFacts, may: (permission: Action) => boolean): AlarmAction[] {
  return ALARM_ACTIONS.filter((a) => ALARM_ACTION_RULES[a].allowed(alarm) && may(ALARM_ACTION_RULES[a].permission));
}

/** Throws a Conflict when the alarm's state does not allow the action, or Invalid for a missing reason. */
export function decideAlarmAction(alarm: AlarmFacts, action: AlarmAction, input: { reason?: string }): void {
  const rule = ALARM_ACTION_RULES[action];
  if (!rule.allowed(alarm)) throw new DomainError('Conflict', rule.code, `Alarm cannot be changed by ${action} in its current state`, { params: { action } });
  if (action === 'false_alarm' && !input.reason?.trim()) {
    throw new DomainError('Invalid', 'ALARM.REASON_REQUIRED', 'A false alarm needs a reason', {
      fields: [{ path: 'reason', code: 'ALARM.REASON_REQUIRED', message: 'A false alarm needs a reason' }],
    });
  }
}
