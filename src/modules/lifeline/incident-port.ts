/**
 * What lifeline needs from the case flow: confirming an alarm (研判: real) opens an incident for the owning unit.
 * The incidents module implements this through its intake use case; src/services.ts connects the two. The call
 * happens outside any lifeline transaction (the judgement is saved first, the incident id recorded after), and
 * `sourceRef` makes it idempotent, so a retry after a lost answer cannot open a second incident.
 */
import { DomainError } from '../../kernel/errors.js';
import type { Initiator } from '../../kernel/initiator.js';
import type { Grade } from './alarm-rule.rules.js';

export interface AlarmIncidentRequest {
  /** 'alarm:<id>': the same alarm never opens two incidents. */
  readonly sourceRef: string;
  readonly alarmId: number;
  readonly owningUnitId: number;
  readonly owningUnitCode: string;
  readonly title: string;
  readonly description: string;
  readonly location: { readonly lon: number; readonly lat: number; readonly address: string | null; readonly areaUnitId: number | null };
  /** Ⅰ/Ⅱ (红/橙) alarms are urgent. */
  readonly urgency: 'urgent' | 'normal';
  readonly grade: Grade;
  /** A category hint from the asset's kind: lifeline.gas_pipeline, lifeline.bridge, … */
  readonly categoryHint: string;
  readonly raisedAt: Date;
  readonly confirmedAt: Date;
  readonly asset: { readonly id: number; readonly code: string; readonly name: string; readonly kind: string };
  readonly sensor: { readonly id: number; readonly code: string; readonly quantity: string; readonly unit: string };
  /** The readings around the alarm, oldest first. */
  readonly readings: readonly { readonly ts: Date; readonly value: number }[];
  /** Where a person sees the alarm (workbench path). */
  readonly alarmPath: string;
}

export interface IncidentPort {
  openIncidentFromAlarm(request: AlarmIncidentRequest, by: Initiator): Promise<{ incidentId: number; number: string }>;
}

/** The port before the case flow is connected: every confirmation stays pending and says why. */
export const unconnectedIncidentPort: IncidentPort = {
  async openIncidentFromAlarm() {
    throw new DomainError('Unavailable', 'LIFELINE.INCIDENTS_NOT_CONNECTED', 'The case flow is not connected to lifeline alarms yet; the incident will be opened when it is');
  },
};
