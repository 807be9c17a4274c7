/**
 * What a citizen may do on their own report, holding its private lookup code, and what the public may see of
 * any report. Pure: `now` and the settings are passed in. The staff path of `rate` and `reopen` lives in the
 * transition table; the citizen path reuses its decisions but has its own checks here (FixMyStreet's
 * questionnaire: the reporter says whether it was fixed, and may reopen a closed report).
 */
import type { Incident, State } from './incident.js';

export const CITIZEN_ACTIONS = ['rate', 'reopen'] as const;
export type CitizenAction = (typeof CITIZEN_ACTIONS)[number];

export interface CitizenSettings {
  /** Natural days after closure in which the reporter may reopen (default 7). */
  readonly reopenDays: number;
}

export const DEFAULT_REOPEN_DAYS = 7;

/** Why the citizen cannot do `action` now, as a stable error code, or undefined when they can. */
export function citizenBlock(incident: Pick<Incident, 'state' | 'rating' | 'closedAt'>, action: CitizenAction, now: Date, settings: CitizenSettings): string | undefined {
  if (incident.state !== 'closed' || !incident.closedAt) return 'INCIDENT.NOT_CLOSED';
  if (action === 'rate') return incident.rating ? 'INCIDENT.ALREADY_RATED' : undefined;
  const until = incident.closedAt.getTime() + settings.reopenDays * 86_400_000;
  return now.getTime() > until ? 'INCIDENT.REOPEN_EXPIRED' : undefined;
}

/** The last moment the reporter may reopen, or null when the report is not closed. */
export function reopenUntil(incident: Pick<Incident, 'state' | 'closedAt'>, settings: CitizenSettings): Date | null {
  return incident.state === 'closed' && incident.closedAt ? new Date(incident.closedAt.getTime() + settings.reopenDays * 86_400_000) : null;
}

/** The actions the citizen may take now (for the buttons of the report page). */
export function citizenActions(incident: Pick<Incident, 'state' | 'rating' | 'closedAt'>, now: Date, settings: CitizenSettings): CitizenAction[] {
  return CITIZEN_ACTIONS.filter((a) => citizenBlock(incident, a, now, settings) === undefined);
}

/** One line of the public timeline: never a name, a phone number, a staff note or a unit's person. */
export interface PublicStep {
  readonly at: Date;
  readonly action: string;
  readonly state: State | null;
  readonly note: string | null;
}

export interface EventRow {
  readonly at: Date;
  readonly action: string;
  readonly from_state: string | null;
  readonly to_state: string | null;
  readonly public_note: string | null;
}

/** Actions that change nothing a citizen needs to see unless staff wrote a public note. */
const INTERNAL = new Set(['note', 'deadline_near', 'overdue', 'supervise', 'request_return', 'refuse_return', 'request_extension', 'refuse_extension', 'approve_extension']);

/** The public-safe timeline of an incident: state changes and public notes only. */
export function publicTimeline(events: readonly EventRow[]): PublicStep[] {
  return events
    .filter((e) => e.public_note || (!INTERNAL.has(e.action) && (e.action === 'report' || e.action === 'rate' || e.action === 'support' || e.from_state !== e.to_state)))
    .map((e) => ({ at: e.at, action: e.action, state: (e.to_state as State | null) ?? null, note: e.public_note }));
}

/** When the citizen may expect it done: the handling deadline once dispatched, else the current stage's. */
export function expectedBy(incident: Pick<Incident, 'state' | 'handleDueAt' | 'dueAt'>): Date | null {
  if (['closed', 'rejected', 'merged', 'voided'].includes(incident.state)) return null;
  return incident.handleDueAt ?? incident.dueAt;
}
