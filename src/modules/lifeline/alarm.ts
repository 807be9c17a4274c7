/** Alarms (告警) and their history. */
import type { Grade, RuleKind } from './alarm-rule.rules.js';

export const ALARM_STATUSES = ['active', 'cleared'] as const;
export type AlarmStatus = (typeof ALARM_STATUSES)[number];

export const JUDGEMENTS = ['confirmed', 'false_alarm'] as const;
/** The analyst's judgement (研判): a real event, or a false alarm. */
export type Judgement = (typeof JUDGEMENTS)[number];

export const ALARM_EVENT_KINDS = ['raised', 'grade_changed', 'acknowledged', 'cleared', 'confirmed', 'false_alarm', 'incident_opened', 'incident_failed'] as const;
export type AlarmEventKind = (typeof ALARM_EVENT_KINDS)[number];

export interface Alarm {
  readonly id: number;
  readonly sensorId: number;
  readonly sensorCode: string;
  readonly assetId: number;
  readonly assetCode: string;
  readonly assetName: string;
  readonly assetKind: string;
  readonly ownerUnitId: number;
  readonly ownerUnitName: string;
  readonly ownerPath: string;
  readonly areaPath: string | null;
  readonly quantity: string;
  readonly unit: string;
  readonly lon: number;
  readonly lat: number;
  readonly type: string;
  readonly ruleKind: RuleKind;
  readonly grade: Grade;
  readonly highestGrade: Grade;
  readonly status: AlarmStatus;
  readonly raisedAt: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly triggerValue: number | null;
  readonly lastValue: number | null;
  readonly lastReadingAt: Date | null;
  readonly acknowledgedAt: Date | null;
  readonly acknowledgedBy: number | null;
  readonly clearedAt: Date | null;
  readonly clearedBy: number | null;
  readonly clearReason: string | null;
  readonly judgement: Judgement | null;
  readonly judgedAt: Date | null;
  readonly judgedBy: number | null;
  readonly judgementReason: string | null;
  readonly incidentId: number | null;
  readonly incidentNumber: string | null;
  readonly incidentError: string | null;
}

export interface AlarmEvent {
  readonly id: number;
  readonly alarmId: number;
  readonly kind: AlarmEventKind;
  readonly at: Date;
  readonly actorUserId: number | null;
  readonly actorName: string | null;
  readonly grade: Grade | null;
  readonly value: number | null;
  readonly details: Record<string, unknown>;
}

/** Alarm statistics for a period: counts, the false-alarm rate and response times. */
export interface AlarmStatistics {
  readonly total: number;
  readonly active: number;
  readonly byGrade: Readonly<Record<Grade, number>>;
  readonly judged: number;
  readonly confirmed: number;
  readonly falseAlarms: number;
  /** False alarms ÷ judged alarms; null when none were judged. */
  readonly falseAlarmRate: number | null;
  /** Median and 90th percentile of raise → acknowledgement, in seconds. */
  readonly ackSeconds: { readonly p50: number | null; readonly p90: number | null };
  /** Median and 90th percentile of raise → judgement, in seconds. */
  readonly judgeSeconds: { readonly p50: number | null; readonly p90: number | null };
  readonly byOwner: readonly { readonly unitId: number; readonly unitName: string; readonly total: number; readonly falseAlarms: number; readonly judged: number }[];
}
