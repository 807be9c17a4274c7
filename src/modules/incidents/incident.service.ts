/**
 * Use cases of the case flow. Intake turns a report from any channel into an incident; `act` runs one action:
 * lock the row → check permission on the right scope → decide (pure) → save → history → requests, notices,
 * timers, webhooks → audit, all in one short transaction. Calendars and coordinators are looked up before the
 * transaction opens, because the embedded engine has one connection (no other query may run inside).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../kernel/clock.js';
import { isUniqueViolation, type Database, type Executor } from '../../kernel/db.js';
import { DomainError, invalid, notFound } from '../../kernel/errors.js';
import type { Initiator } from '../../kernel/initiator.js';
import { SYSTEM } from '../../kernel/initiator.js';
import { ttlCache } from '../../kernel/ttl-cache.js';
import { authorize, can, scopeFor, type Action, type PolicyActor, type Resource } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import type { NotificationService, UnitNotice } from '../notifications/index.js';
import { checkAttributeAnswers, type AttributeAnswers } from './attribute.rules.js';
import type { CatalogService } from './catalog.service.js';
import type { CategoryVersion } from './catalog.js';
import { limitFor } from './catalog.rules.js';
import { DEFAULT_REOPEN_DAYS, citizenBlock, publicTimeline, type CitizenAction, type CitizenSettings, type PublicStep } from './citizen.rules.js';
import * as citizenRepo from './citizen.repository.js';
import { redact } from './redaction.rules.js';
import { rank, type UnitScore } from './evaluation.rules.js';
import {
  CHANNELS,
  REQUEST_TYPES,
  PRIVATE_CHANNELS,
  URGENCIES,
  isOpen,
  type Channel,
  type Incident,
  type Level,
  type Limit,
  type Rating,
  type RequestType,
  type Stage,
  type State,
  type Urgency,
} from './incident.js';
import * as repo from './incident.repository.js';
import {
  CHANNEL_RULES,
  TRANSITIONS,
  decide,
  possibleActions,
  transitionOf,
  type ActionName,
  type Command,
  type DecideContext,
  type Decision,
  type ResourceKind,
} from './incident.workflow.js';

/** Working-time arithmetic for one unit's calendar (the work calendar module provides it). */
export interface UnitTiming {
  /** The deadline of a stage of length `limit` started at `from`, and when to warn before it. */
  deadline(from: Date, limit: Limit): { dueAt: Date; warnAt: Date };
  /** A deadline moved later by `extra`. */
  extend(deadline: Date, extra: Limit): Date;
}

export interface StageTiming {
  forUnit(unitId: number | null): Promise<UnitTiming>;
}

/** Finds the smallest unit (grid, else town, else district) containing a WGS-84 point, or null outside the district. */
export interface AreaLocator {
  locate(lon: number, lat: number): Promise<number | null>;
}

export interface ReportInput {
  readonly channel: Channel;
  readonly requestType?: RequestType | null;
  readonly categoryId?: number | null;
  readonly title?: string;
  readonly description: string;
  readonly address?: string | null;
  /** WGS-84; convert GCJ-02 before calling. */
  readonly location?: { readonly lon: number; readonly lat: number } | null;
  /** Where it is, when known without a location (a staff member's grid, a sensor's asset). */
  readonly areaUnitId?: number | null;
  readonly urgency?: Urgency;
  readonly reporter?: { readonly userId?: number | null; readonly name?: string | null; readonly phone?: string | null; readonly anonymous?: boolean };
  /** A key the client sends with every retry of one submission: the second arrival returns the first incident. */
  readonly idempotencyKey?: string | null;
  /**
   * A lookup code chosen by the transport (the portal derives it from its signed submission key, so that a
   * retry whose first answer was lost shows the same code again); otherwise a fresh random one.
   */
  readonly lookupCode?: string | null;
  readonly attachmentIds?: readonly number[];
  readonly publicAttachments?: boolean;
  /** Automatic steps after intake, for channels that need no human acceptance. */
  readonly then?: {
    /** Accept at once (自动受理): the acceptance clock starts on intake (the 12350 channel). */
    readonly accept?: boolean;
    readonly file?: boolean;
    readonly dispatchTo?: { readonly leadUnitId: number; readonly coUnitIds?: readonly number[] };
    /** File and dispatch at once by the routing table (for trusted, classified channels); ROUTING.NO_UNIT if none. */
    readonly dispatchByRoute?: boolean;
    readonly resolvedOnSite?: string;
  };
  readonly isDemo?: boolean;
  /**
   * Answers to the category's attributes (Open311 `attribute[code]`). When given, they are checked against the
   * category version: unknown codes, missing required ones, wrong types and values off the list are refused.
   */
  readonly attributes?: AttributeAnswers;
  /** A link (http or https) to a photo the client holds; stored as a link, never fetched. */
  readonly mediaUrl?: string | null;
  /** A client system's own references to the reporter (e-mail, device, account): kept, never shown publicly. */
  readonly clientData?: Readonly<Record<string, string>> | null;
  /**
   * Writes a channel's own record of the report in the intake transaction, so both are stored (or neither)
   * before the receipt. Not called for a retry of a stored submission.
   */
  readonly alsoWrite?: (tx: Executor, incident: Incident) => Promise<void>;
}

/** Something that happened to an incident, told to observers inside the transaction that did it. */
export interface IncidentChange {
  readonly action: ActionName;
  readonly before: Incident;
  readonly after: Incident;
  /** For a merge: the incident it went into. */
  readonly targetIncidentId?: number;
}

/** The most reports one public page returns (Open311 GeoReport v2: "first 1000 requests"). */
export const MAX_PUBLIC_PAGE = 1000;

export interface ReportResult {
  readonly incident: Incident;
  /** The private lookup code, shown once on the receipt (only its hash is stored). */
  readonly lookupCode: string | null;
  /** True when this was a retry of a submission that had already been stored. */
  readonly duplicate: boolean;
}

export interface ActCommand extends Command {
  readonly attachmentIds?: readonly number[];
  readonly publicAttachments?: boolean;
}

export interface IncidentView {
  readonly incident: Incident;
  readonly units: ReadonlyMap<number, { path: string; name: string; kind: string; code: string }>;
  readonly category: CategoryVersion | null;
  readonly events: Awaited<ReturnType<typeof repo.findEvents>>;
  readonly supervisions: Awaited<ReturnType<typeof repo.findSupervisions>>;
  readonly attachments: Awaited<ReturnType<typeof repo.findIncidentAttachments>>;
  readonly pendingRequest: Awaited<ReturnType<typeof repo.findPendingRequest>>;
  readonly allowed: readonly ActionName[];
}

export const QUEUES = ['to_accept', 'to_dispatch', 'to_sign', 'handling', 'to_verify', 'to_close', 'requests', 'parked', 'overdue', 'all'] as const;
export type QueueName = (typeof QUEUES)[number];

const QUEUE_DEF: Record<QueueName, { action: Action; columns: readonly repo.ScopeColumn[]; states?: readonly State[]; pending?: boolean; sla?: 'red' }> = {
  to_accept: { action: 'incident.accept', columns: ['coordinator'], states: ['reported', 'accepted'] },
  to_dispatch: { action: 'incident.dispatch', columns: ['coordinator'], states: ['filed'] },
  to_sign: { action: 'incident.sign', columns: ['lead'], states: ['dispatched'] },
  handling: { action: 'incident.handle', columns: ['lead'], states: ['signed'] },
  to_verify: { action: 'incident.verify', columns: ['area'], states: ['reported_back'] },
  to_close: { action: 'incident.close', columns: ['coordinator'], states: ['verified'] },
  requests: { action: 'incident.dispatch', columns: ['coordinator'], pending: true, states: ['dispatched', 'signed'] },
  parked: { action: 'incident.dispatch', columns: ['coordinator'], states: ['parked'] },
  overdue: { action: 'incident.read', columns: ['area', 'lead', 'co', 'coordinator'], states: ['reported', 'accepted', 'filed', 'dispatched', 'signed', 'reported_back', 'verified'], sla: 'red' },
  all: { action: 'incident.read', columns: ['area', 'lead', 'co', 'coordinator'] },
};

export interface IncidentService {
  report(input: ReportInput, by: Initiator): Promise<ReportResult>;
  /** Runs one action. A dispatch without a lead unit takes the routing table's (or fails with ROUTING.NO_UNIT). */
  act(incidentId: number, cmd: ActCommand, actor: PolicyActor, by: Initiator): Promise<Incident>;
  /** The routing table's suggestion for an incident (lead and co-handling units), or undefined when none is set. */
  suggestRoute(incident: Incident): Promise<{ leadUnitId: number; coUnitIds: readonly number[] } | undefined>;
  /** An incident with everything its page shows; AUTH.FORBIDDEN outside the actor's scope. */
  view(incidentId: number, actor: PolicyActor): Promise<IncidentView>;
  findByNumber(number: string): Promise<Incident | undefined>;
  get(incidentId: number): Promise<Incident>;
  /** A queue of the actor's work, with the actor's scope applied in the query. */
  list(actor: PolicyActor, queue: QueueName, filter: repo.ListFilter, page: { limit: number; offset: number }): Promise<{ items: Incident[]; total: number }>;
  /** How many items wait in each queue the actor can work. */
  counts(actor: PolicyActor): Promise<Partial<Record<QueueName, number>>>;
  /** Open incidents of the same category near a point (for "support an existing report" suggestions). */
  nearby(q: { lon: number; lat: number; categoryId: number | null; limit?: number; excludeId?: number }): Promise<(Incident & { distanceM: number })[]>;
  /**
   * Reports the public may see (categories whose current version is public; never personal data), newest first,
   * a page at a time with the total, so a client can tell there is more.
   */
  listPublic(filter: repo.PublicFilter, page: { limit: number; offset: number }): Promise<{ items: repo.PublicReportRow[]; total: number }>;
  /** Public-safe history entries (state changes and public notes) in a time range, oldest first, paged with the total. */
  publicUpdates(from: Date, to: Date, page: { limit: number; offset: number }): Promise<{ items: repo.PublicUpdateRow[]; total: number }>;
  /** Checks a private lookup code against an incident. */
  checkLookupCode(number: string, code: string): Promise<Incident | undefined>;
  /** Fires the time-limit timers that are due (the worker calls this); returns how many took effect. */
  fireDueTimers(limit?: number): Promise<{ fired: number; stale: number }>;
  /** Escalates incidents left overdue at a coordinating stage below the district; returns how many climbed. */
  escalateOverdue(limit?: number): Promise<number>;
  allowedActions(incident: Incident, actor: PolicyActor): Promise<ActionName[]>;
  /**
   * Evaluation per unit over a period: the towns (by where matters are) or the handling units (by lead unit),
   * scored and ranked; only units within the actor's `stats.read` scope.
   */
  evaluate(actor: PolicyActor, q: { by: 'town' | 'lead'; from: Date; to: Date }): Promise<(UnitScore & { unitName: string; unitCode: string; unitKind: string })[]>;
  /** The incidents an attachment belongs to (for checking who may see the file). */
  incidentsWithAttachment(attachmentId: number): Promise<number[]>;
  /**
   * "我也遇到了": a citizen supports an open report instead of filing a copy; supporters + 1 with a history entry.
   * One support per submission key: a retry returns `counted: false`.
   */
  support(incidentId: number, submissionKey: string, by: Initiator): Promise<{ incident: Incident; counted: boolean }>;
  /**
   * The reporter's own action on a closed report (rate, reopen), after the web tier checked the lookup code.
   * The decision is the workflow's; the checks are the citizen's (citizen.rules); audited as incident.citizen_*.
   */
  citizenAct(incidentId: number, cmd: CitizenCommand, by: Initiator): Promise<Incident>;
  /** The public page of a report: what anyone may see, or with the lookup code also the private details. */
  publicView(number: string, withCode: boolean): Promise<PublicIncidentView>;
  /** Staff publish a letter and its reply with personal data removed (信件选登). */
  publishReply(incidentId: number, actor: PolicyActor, by: Initiator): Promise<citizenRepo.Publication>;
  /** Staff withdraw a published letter. */
  unpublishReply(incidentId: number, actor: PolicyActor, by: Initiator): Promise<void>;
  publication(incidentId: number): Promise<citizenRepo.Publication | undefined>;
  publications(page: { limit: number; offset: number }): Promise<{ items: citizenRepo.Publication[]; total: number }>;
  /** Whether the demo incidents have been replayed into this database. */
  hasDemoIncidents(): Promise<boolean>;
  /** Public letters received before `cutoff` still without a response (for the portal's freshness monitor), oldest first. */
  unansweredLetters(cutoff: Date, limit?: number): Promise<{ id: number; number: string; title: string; reportedAt: Date }[]>;
  /** The citizen settings in force (reopen window). */
  readonly citizenSettings: CitizenSettings;
}

export interface CitizenCommand {
  readonly action: CitizenAction;
  readonly rating?: Rating;
  readonly ratingComment?: string;
  readonly reason?: string;
}

export interface PublicIncidentView {
  readonly incident: Incident;
  readonly category: CategoryVersion | null;
  readonly timeline: readonly PublicStep[];
  /** Photos anyone may see (marked public by staff, e.g. of the result). */
  readonly publicPhotos: readonly number[];
  /** The reporter's own photos: only with the code. */
  readonly privatePhotos: readonly number[];
  readonly withCode: boolean;
}

/** Channels whose reports never appear publicly without the code (identity protection: 12350, the leader's mailbox). */

const LOOKUP_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** The alphabet of lookup codes: no 0/O, 1/I to misread. */
export { LOOKUP_ALPHABET };
export const hashLookupCode = (code: string) => createHash('sha256').update(code.trim().toUpperCase()).digest('hex');

function newLookupCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return [...bytes].map((b) => LOOKUP_ALPHABET[b % LOOKUP_ALPHABET.length]).join('');
}

const TOWN_KINDS = ['street', 'town', 'township'];
/** Incident numbers reserved from the sequence at a time. */
const NUMBER_BLOCK = 20;
/** Where a notice about an incident leads (its workbench page). */
const INCIDENT_LINK = '/workbench/incidents/';

function isHttpUrl(s: string): boolean {
  if (s.length > 2000) return false;
  try {
    const u = new URL(s.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
  } catch {
    return false;
  }
}



function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const R = 6371008.8;
  const toRad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * toRad) / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(((b.lon - a.lon) * toRad) / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface IncidentDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly audit: AuditService;
  readonly catalog: CatalogService;
  readonly notifications: NotificationService;
  readonly timing: StageTiming;
  readonly locator?: AreaLocator;
  /** Called in the transaction of every action taken on an incident (e.g. the 12350 channel recomputes reward eligibility). */
  readonly observers?: readonly ((tx: Executor, change: IncidentChange) => Promise<void>)[];
  readonly citizen?: CitizenSettings;
}

export function createIncidentService(deps: IncidentDeps): IncidentService {
  const { database, clock, audit, catalog, notifications, timing } = deps;
  const { db } = database;
  // The unit tree around a place, read on every report: reorganisations are seen by every process within 5 s.
  const chains = ttlCache<number, Awaited<ReturnType<typeof repo.findUnitChain>>>(5000, () => clock.now().getTime());
  const coordinatorCache = ttlCache<number, Partial<Record<Level, number>>>(5000, () => clock.now().getTime());
  const unitChain = (areaUnitId: number) => chains.get(areaUnitId, () => repo.findUnitChain(db, areaUnitId));
  const parents = ttlCache<number, number | undefined>(5000, () => clock.now().getTime());
  /** A command center's town (whose people staff the center too), or undefined for other coordinators. */
  const coordinatorParent = (x: Executor, unitId: number) => parents.get(unitId, () => repo.findParentIfKind(x, unitId, 'command_center'));
  // Incident numbers: sequence values reserved in blocks, handed out in order by this process (numbers from
  // several processes interleave; a block left unused at exit is a gap, as sequences may have anyway).
  const numberPool: number[] = [];
  let refill: Promise<void> | undefined;
  async function nextIncidentNumber(now: Date): Promise<string> {
    while (numberPool.length === 0) {
      refill ??= repo.reserveNumbers(db, NUMBER_BLOCK).then(
        (ns) => {
          numberPool.push(...ns);
          refill = undefined;
        },
        (e: unknown) => {
          refill = undefined;
          throw e;
        },
      );
      await refill;
    }
    return repo.numberOf(now, numberPool.shift()!);
  }
  /** Who hears about a coordinator's work: a town's command center is staffed by people posted at it or at the town itself. */
  const coordinatorUnitsOf = async (x: Executor, unitId: number): Promise<number[]> => {
    const parent = await coordinatorParent(x, unitId);
    return parent ? [unitId, parent] : [unitId];
  };

  async function categoryVersionOf(incident: { categoryVersionId: number | null }): Promise<CategoryVersion | null> {
    return incident.categoryVersionId ? catalog.version(incident.categoryVersionId) : null;
  }

  /** The coordinating unit at each level for an incident in `areaUnitId`. */
  /** The coordinating unit at each level for an incident in `areaUnitId` (read outside transactions). */
  function coordinatorsFor(areaUnitId: number): Promise<Partial<Record<Level, number>>> {
    return coordinatorCache.get(areaUnitId, async () => {
      const chain = await unitChain(areaUnitId);
      const grid = chain.find((u) => u.kind === 'grid');
      const town = chain.find((u) => TOWN_KINDS.includes(u.kind));
      const townCenter = town ? ((await repo.findChildOfKind(db, town.id, 'command_center')) ?? town.id) : undefined;
      const districtCenter = (await repo.findUnitOfKind(db, 'district_center')) ?? chain.find((u) => u.kind === 'district')?.id;
      return { grid: grid?.id, town: townCenter, district: districtCenter };
    });
  }

  function contextFor(incident: { urgency: Urgency; channel: Channel }, version: CategoryVersion | null, stageTiming: Record<'coordinator' | 'handler', UnitTiming>, coordinators: Partial<Record<Level, number>>, now: Date): DecideContext {
    const limits = version?.limits ?? {};
    const timingOf = (stage: Stage) => (stage === 'sign' || stage === 'handle' ? stageTiming.handler : stageTiming.coordinator);
    return {
      now,
      clock: (stage, from) => timingOf(stage).deadline(from, limitFor(limits, stage, incident.urgency)),
      extend: (deadline, extra) => stageTiming.handler.extend(deadline, extra),
      coordinators,
      channel: incident.channel,
    };
  }

  function resourceFor(kind: ResourceKind, incident: Incident, paths: Map<number, { path: string }>): Resource {
    const p = (id: number | null) => (id === null ? null : (paths.get(id)?.path ?? null));
    switch (kind) {
      case 'coordinator':
        return { unitPaths: [p(incident.coordinatorUnitId)] };
      case 'handler':
        return { unitPaths: [p(incident.leadUnitId), ...incident.coUnitIds.map(p)] };
      case 'area':
        return { areaPath: p(incident.areaUnitId) };
    }
  }

  const readResource = (incident: Incident, paths: Map<number, { path: string }>): Resource => ({
    areaPath: paths.get(incident.areaUnitId)?.path ?? null,
    unitPaths: [incident.leadUnitId, incident.coordinatorUnitId, ...incident.coUnitIds].map((id) => (id === null ? null : (paths.get(id)?.path ?? null))),
    ownerUserId: incident.reporterUserId,
  });

  const unitIdsOf = (i: Incident) => [i.areaUnitId, i.leadUnitId, i.coordinatorUnitId, ...i.coUnitIds];

  type AuditItems = { entry: Parameters<AuditService['append']>[1]; by: Initiator }[];

  /**
   * Writes a decision and everything that follows from it; returns the updated incident. Audit entries are
   * collected in `audits` and appended by the caller last, so the chain lock is held only at the very end.
   */
  async function apply(
    tx: Executor,
    before: Incident,
    decision: Decision,
    cmd: ActCommand,
    by: Initiator,
    actorUnitId: number | null,
    audits: AuditItems,
    extra: Parameters<typeof repo.updateIncident>[5] = {},
  ): Promise<Incident> {
    const now = clock.now();
    const updated = await repo.updateIncident(tx, before.id, decision.patch, decision.increments, now, extra);
    const eventId = await repo.insertEvent(tx, {
      incidentId: before.id,
      action: cmd.action,
      fromState: decision.from,
      toState: decision.to,
      actorUserId: by.userId,
      actorLabel: by.label,
      actorUnitId,
      at: now,
      note: cmd.note?.trim() || cmd.reason?.trim() || cmd.result?.trim() || cmd.reply?.trim() || null,
      publicNote: cmd.publicNote?.trim() || null,
      details: decision.eventDetails,
    });
    if (cmd.attachmentIds?.length) await repo.attachToIncident(tx, before.id, cmd.attachmentIds, eventId, cmd.publicAttachments ?? false);
    if (decision.request?.open) {
      await repo.insertRequest(tx, { incidentId: before.id, kind: decision.request.open.kind, reason: decision.request.open.reason, extra: decision.request.open.extra, requestedBy: by.userId, unitId: actorUnitId, at: now });
    }
    if (decision.request?.decide) {
      await repo.decideRequest(tx, before.id, decision.request.decide.kind, decision.request.decide.status, by.userId, decision.request.decide.note ?? null, now);
    }
    if (decision.supervision) {
      await repo.insertSupervision(tx, { incidentId: before.id, level: decision.supervision.level, note: decision.supervision.note ?? null, by: by.userId, byLabel: by.label, toUnitId: updated.leadUnitId, at: now });
    }
    if (cmd.action === 'merge' && cmd.targetIncidentId) await repo.addSupporters(tx, cmd.targetIncidentId, 1 + (before.supporters ?? 0), now);
    await notify(tx, updated, decision.notices, { action: cmd.action });
    await notifications.publish(tx, `incident.${cmd.action}`, { id: updated.id, number: updated.number, state: updated.state, from: decision.from });
    for (const observe of deps.observers ?? []) await observe(tx, { action: cmd.action, before, after: updated, targetIncidentId: cmd.action === 'merge' ? cmd.targetIncidentId : undefined });
    audits.push({ entry: { action: `incident.${cmd.action}`, target: { type: 'incident', id: updated.number }, details: { from: decision.from, to: decision.to, ...decision.eventDetails } }, by });
    return updated;
  }

  async function notify(tx: Executor, incident: Incident, notices: Decision['notices'], params: Record<string, unknown>): Promise<void> {
    for (const n of notices) {
      const notice = { kind: `incident.${n.kind}`, params: { number: incident.number, title: incident.title, ...params }, link: `${INCIDENT_LINK}${incident.id}`, incidentId: incident.id };
      if (n.to === 'lead' && incident.leadUnitId) await notifications.notifyUnits(tx, [incident.leadUnitId, ...incident.coUnitIds], notice);
      if (n.to === 'coordinator' && incident.coordinatorUnitId) {
        await notifications.notifyUnits(tx, await coordinatorUnitsOf(tx, incident.coordinatorUnitId), notice);
      }
      if (n.to === 'reporter') {
        if (incident.reporterUserId) await notifications.notifyUsers(tx, [incident.reporterUserId], notice);
        const phone = await repo.findReporterPhone(tx, incident.id);
        if (phone) await notifications.queueMessage(tx, 'sms', phone, { kind: notice.kind, params: { number: incident.number } });
      }
    }
  }

  async function timingsFor(incident: { coordinatorUnitId: number | null; leadUnitId: number | null; areaUnitId: number }, leadOverride?: number | null) {
    const [coordinator, handler] = await Promise.all([
      timing.forUnit(incident.coordinatorUnitId ?? incident.areaUnitId),
      timing.forUnit(leadOverride ?? incident.leadUnitId ?? incident.areaUnitId),
    ]);
    return { coordinator, handler };
  }

  function validateReport(input: ReportInput): void {
    const fields: { path: string; code: string; message: string; params?: Record<string, string | number> }[] = [];
    const description = input.description?.trim() ?? '';
    if (!description) fields.push({ path: 'description', code: 'field.required', message: 'description is required' });
    if ([...description].length > 4000) fields.push({ path: 'description', code: 'field.tooLong', message: 'description: at most 4000 characters', params: { max: 4000 } });
    if (input.title && [...input.title].length > 100) fields.push({ path: 'title', code: 'field.tooLong', message: 'title: at most 100 characters', params: { max: 100 } });
    if (!CHANNELS.includes(input.channel)) fields.push({ path: 'channel', code: 'field.invalid', message: 'unknown channel' });
    if (input.requestType && !REQUEST_TYPES.includes(input.requestType)) fields.push({ path: 'requestType', code: 'field.invalid', message: 'unknown request type' });
    if (input.urgency && !URGENCIES.includes(input.urgency)) fields.push({ path: 'urgency', code: 'field.invalid', message: 'unknown urgency' });
    if (input.location) {
      const { lon, lat } = input.location;
      if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) fields.push({ path: 'location', code: 'field.invalid', message: 'location out of range' });
    }
    if (input.address && [...input.address].length > 200) fields.push({ path: 'address', code: 'field.tooLong', message: 'address: at most 200 characters', params: { max: 200 } });
    if (input.mediaUrl && !isHttpUrl(input.mediaUrl)) fields.push({ path: 'media_url', code: 'INCIDENT.MEDIA_URL_INVALID', message: 'media_url must be an http or https address of at most 2000 characters' });
    if (input.reporter?.phone && !/^[0-9+\-\s]{5,20}$/.test(input.reporter.phone)) fields.push({ path: 'phone', code: 'field.invalid', message: 'phone number not valid' });
    // A channel that seals reporters' identities (12350) takes them only through its own use case.
    if (CHANNEL_RULES[input.channel]?.sealedIdentity && (input.reporter?.name?.trim() || input.reporter?.phone?.trim())) {
      fields.push({ path: 'reporter', code: 'INCIDENT.IDENTITY_SEALED', message: `${input.channel}: the reporter's identity is taken only by the channel's own form` });
    }
    if (fields.length) throw invalid('REQUEST.INVALID', fields.map((f) => f.message).join('; '), fields);
  }

  const service: IncidentService = {
    async report(input, by) {
      validateReport(input);
      // A retry of a stored submission is found by its key's unique index when the insert fails (below): the
      // common case, a first submission, costs no extra query.
      let areaUnitId = input.areaUnitId ?? null;
      if (areaUnitId === null && input.location && deps.locator) {
        areaUnitId = await deps.locator.locate(input.location.lon, input.location.lat);
        if (areaUnitId === null) {
          throw invalid('INCIDENT.OUTSIDE_DISTRICT', 'The location is outside the district', [{ path: 'location', code: 'INCIDENT.OUTSIDE_DISTRICT', message: 'outside the district' }]);
        }
      }
      if (areaUnitId === null) areaUnitId = (await repo.findUnitOfKind(db, 'district')) ?? null;
      if (areaUnitId === null) throw new DomainError('Unavailable', 'INCIDENT.NO_DISTRICT', 'The organisation tree has no district');
      const chain = await unitChain(areaUnitId);
      if (chain.length === 0) throw invalid('INCIDENT.AREA_NOT_FOUND', `No unit ${areaUnitId}`, [{ path: 'areaUnitId', code: 'UNIT.NOT_FOUND', message: 'no such unit' }]);
      const town = chain.find((u) => TOWN_KINDS.includes(u.kind));
      const version = input.categoryId ? (await catalog.get(input.categoryId)).current : null;
      let attributes: Record<string, string | string[]> | null = null;
      if (input.attributes) {
        const checked = checkAttributeAnswers(version?.attributes ?? [], input.attributes);
        if (checked.problems.length) {
          throw invalid(
            'INCIDENT.ATTRIBUTES_INVALID',
            checked.problems.map((p) => `attribute[${p.code}]: ${p.reason}`).join('; '),
            checked.problems.map((p) => ({ path: `attribute[${p.code}]`, code: `ATTRIBUTE.${p.reason.toUpperCase()}`, message: `attribute[${p.code}]: ${p.reason}`, params: { code: p.code } })),
          );
        }
        attributes = Object.keys(checked.values).length ? checked.values : null;
      }
      const coordinators = await coordinatorsFor(areaUnitId);
      let dispatchTo = input.then?.dispatchTo;
      if (input.then?.dispatchByRoute) {
        if (!version) throw invalid('INCIDENT.CATEGORY_REQUIRED', 'Choose a category first', [{ path: 'categoryId', code: 'field.required', message: 'categoryId is required' }]);
        const areaPath = chain.find((u) => u.id === areaUnitId)?.path ?? '/';
        dispatchTo = await catalog.resolveRoute(version.categoryId, areaPath);
      }
      const level: Level = ['hotline_12345', 'hotline_12350', 'leader', 'media', 'sensor'].includes(input.channel) || !coordinators.town ? 'district' : 'town';
      const coordinatorUnitId = coordinators[level] ?? coordinators.district ?? null;
      const urgency = input.urgency ?? version?.defaultUrgency ?? 'normal';
      const description = input.description.trim();
      const title = (input.title?.trim() || description.replace(/\s+/g, ' ').slice(0, 30)).slice(0, 100);
      const stageTiming = await timingsFor({ coordinatorUnitId, leadUnitId: dispatchTo?.leadUnitId ?? null, areaUnitId }, dispatchTo?.leadUnitId);
      const now = clock.now();
      const ctx = contextFor({ urgency, channel: input.channel }, version, stageTiming, coordinators, now);
      const clockAtIntake = ctx.clock('accept', now);
      const lookupCode = input.lookupCode ? input.lookupCode : input.channel === 'web' || input.channel === 'open311' || input.channel === 'phone' || input.channel === 'hotline_12345' || input.channel === 'hotline_12350' ? newLookupCode() : null;

      // Every automatic step is decided in memory by the same workflow as human ones, and the incident is
      // written once, in its final state, with its history and timers (one statement: intake is the hot path).
      let draft = repo.draftRow({
        state: 'reported',
        channel: input.channel,
        request_type: input.requestType ?? null,
        category_id: version?.categoryId ?? null,
        category_version_id: version?.id ?? null,
        title,
        description,
        address: input.address?.trim() || null,
        lon: input.location?.lon ?? null,
        lat: input.location?.lat ?? null,
        area_unit_id: areaUnitId!,
        town_unit_id: town?.id ?? null,
        urgency,
        level,
        coordinator_unit_id: coordinatorUnitId,
        lead_unit_id: null,
        co_unit_ids: [],
        stage: 'accept',
        stage_started_at: now,
        due_at: clockAtIntake.dueAt,
        warn_at: clockAtIntake.warnAt,
        sla: 'green',
        handle_due_at: null,
        reporter_user_id: input.reporter?.userId ?? null,
        reporter_name: input.reporter?.anonymous ? null : (input.reporter?.name?.trim() || null),
        reporter_phone: input.reporter?.anonymous ? null : (input.reporter?.phone?.trim() || null),
        is_anonymous: input.reporter?.anonymous ?? false,
        lookup_code_hash: lookupCode ? hashLookupCode(lookupCode) : null,
        idempotency_key: input.idempotencyKey ?? null,
        result: null,
        closed_on_time: null,
        is_demo: input.isDemo ?? false,
        reported_at: now,
        accepted_at: null,
        filed_at: null,
        dispatched_at: null,
        signed_at: null,
        reported_back_at: null,
        verified_at: null,
        closed_at: null,
        updated_at: now,
        attributes,
        media_url: input.mediaUrl?.trim() || null,
        client_data: input.clientData && Object.keys(input.clientData).length ? { ...input.clientData } : null,
      });
      const events: Parameters<typeof repo.insertIntake>[3][number][] = [
        { action: 'report', fromState: null, toState: 'reported', actorUserId: by.userId, actorLabel: by.label, actorUnitId: null, at: now, note: null, publicNote: null, details: { channel: input.channel } },
      ];
      const steps: { cmd: ActCommand; decision: Decision }[] = [];
      const step = (cmd: ActCommand) => {
        const decision = decide(repo.draftIncident(draft), cmd, ctx);
        if (decision.request || decision.supervision) throw new Error(`intake step ${cmd.action} opens a request or a supervision`);
        draft = repo.patchDraft(draft, decision.patch, decision.increments, now);
        events.push({ action: cmd.action, fromState: decision.from, toState: decision.to, actorUserId: by.userId, actorLabel: by.label, actorUnitId: null, at: now, note: cmd.result?.trim() || null, publicNote: null, details: decision.eventDetails });
        steps.push({ cmd, decision });
      };
      if (input.then?.resolvedOnSite) {
        step({ action: 'file', categoryId: version?.categoryId });
        step({ action: 'dispatch', leadUnitId: areaUnitId });
        step({ action: 'sign' });
        step({ action: 'report_back', result: input.then.resolvedOnSite });
        step({ action: 'verify_pass' });
        step({ action: 'close' });
      } else if (dispatchTo) {
        step({ action: 'file', categoryId: version?.categoryId });
        step({ action: 'dispatch', leadUnitId: dispatchTo.leadUnitId, coUnitIds: dispatchTo.coUnitIds ?? [] });
      } else {
        if (input.then?.accept) step({ action: 'accept' });
        if (input.then?.file) step({ action: 'file', categoryId: version?.categoryId });
      }

      // Notices to the units' people ride in the insert statement; a notice to the reporter needs the stored row.
      const unitNotices: UnitNotice[] = [];
      const reporterNotices: { notices: Decision['notices']; params: Record<string, unknown> }[] = [];
      const coordinatorUnits = draft.coordinator_unit_id ? await coordinatorUnitsOf(db, draft.coordinator_unit_id) : [];
      const gather = (notices: Decision['notices'], params: Record<string, unknown>) => {
        for (const n of notices) {
          if (n.to === 'lead' && draft.lead_unit_id) unitNotices.push({ unitIds: [draft.lead_unit_id, ...draft.co_unit_ids], kind: `incident.${n.kind}`, params });
          else if (n.to === 'coordinator' && coordinatorUnits.length) unitNotices.push({ unitIds: coordinatorUnits, kind: `incident.${n.kind}`, params });
          else if (n.to === 'reporter') reporterNotices.push({ notices: [n], params });
        }
      };
      if (steps.every((x) => x.cmd.action === 'accept')) gather([{ to: 'coordinator', kind: 'reported' }], { channel: input.channel });
      for (const { cmd, decision } of steps) gather(decision.notices, { action: cmd.action });

      // The number is known before the transaction (sequence values are reserved in blocks), so the audit entries
      // can be chained first and written by the intake statement itself: begin, lock the audit chains, one
      // statement, commit.
      const number = await nextIncidentNumber(now);
      const audits: AuditItems = [{ entry: { action: 'incident.report', target: { type: 'incident', id: number }, details: { channel: input.channel, categoryId: version?.categoryId ?? null } }, by }];
      for (const { cmd, decision } of steps) {
        audits.push({ entry: { action: `incident.${cmd.action}`, target: { type: 'incident', id: number }, details: { from: decision.from, to: decision.to, ...decision.eventDetails } }, by });
      }

      try {
        return await database.transaction(async (tx) => {
          const also = [...(unitNotices.length ? [notifications.unitNoticesWithin('i', unitNotices, INCIDENT_LINK)] : []), ...(await audit.appendWithin(tx, audits))];
          const incident = await repo.insertIntake(tx, draft, number, events, also);
          if (input.attachmentIds?.length) await repo.attachToIncident(tx, incident.id, input.attachmentIds, null, input.publicAttachments ?? false);
          if (input.alsoWrite) await input.alsoWrite(tx, incident);
          for (const r of reporterNotices) await notify(tx, incident, r.notices, r.params);
          // A report left with its coordinator (also one accepted on intake) is published as reported (its notice rode above).
          if (steps.every((x) => x.cmd.action === 'accept')) {
            await notifications.publish(tx, 'incident.reported', { id: incident.id, number: incident.number, channel: input.channel });
          }
          for (const { cmd, decision } of steps) {
            await notifications.publish(tx, `incident.${cmd.action}`, { id: incident.id, number: incident.number, state: decision.to, from: decision.from });
          }
          return { incident, lookupCode, duplicate: false };
        });
      } catch (e) {
        // A retry, or two submissions with one key racing: the insert hits the key's unique index; return the first.
        if (input.idempotencyKey && isUniqueViolation(e, 'incidents_idempotency_key_key')) {
          const existing = await repo.findByIdempotencyKey(db, input.idempotencyKey);
          if (existing) return { incident: existing, lookupCode: null, duplicate: true };
        }
        throw e;
      }
    },

    async act(incidentId, command, actor, by) {
      let cmd = command;
      const t = transitionOf(cmd.action);
      const current = await repo.findIncident(db, incidentId);
      if (!current) throw notFound('INCIDENT.NOT_FOUND', `No incident ${incidentId}`, { id: incidentId });
      // Everything that needs a query outside the transaction happens first.
      let version = await categoryVersionOf(current);
      if (cmd.action === 'file' && cmd.categoryId) version = (await catalog.get(cmd.categoryId)).current;
      if ((cmd.action === 'dispatch' || cmd.action === 'reassign') && !cmd.leadUnitId) {
        // No unit chosen: the routing table decides (category × area), or says clearly that nobody is set.
        if (!current.categoryId) throw invalid('INCIDENT.CATEGORY_REQUIRED', 'Choose a category first', [{ path: 'categoryId', code: 'field.required', message: 'categoryId is required' }]);
        const areaPath = (await repo.unitPaths(db, [current.areaUnitId])).get(current.areaUnitId)?.path ?? '/';
        const route = await catalog.resolveRoute(current.categoryId, areaPath);
        cmd = { ...cmd, leadUnitId: route.leadUnitId, coUnitIds: cmd.coUnitIds ?? route.coUnitIds };
      }
      if ((cmd.action === 'dispatch' || cmd.action === 'reassign') && cmd.leadUnitId) {
        const units = await repo.unitPaths(db, [cmd.leadUnitId, ...(cmd.coUnitIds ?? [])]);
        const missing = [cmd.leadUnitId, ...(cmd.coUnitIds ?? [])].filter((id) => !units.has(id));
        if (missing.length) throw invalid('INCIDENT.UNIT_NOT_FOUND', `No unit ${missing.join(', ')}`, [{ path: 'leadUnitId', code: 'UNIT.NOT_FOUND', message: 'no such unit' }], { code: missing.join(', ') });
      }
      const stageTiming = await timingsFor(current, cmd.action === 'dispatch' || cmd.action === 'reassign' ? cmd.leadUnitId : undefined);
      const coordinators = cmd.action === 'escalate' ? await coordinatorsFor(current.areaUnitId) : {};
      return database.transaction(async (tx) => {
        const locked = await repo.lockIncident(tx, incidentId);
        if (!locked) throw notFound('INCIDENT.NOT_FOUND', `No incident ${incidentId}`, { id: incidentId });
        const paths = await repo.unitPaths(tx, unitIdsOf(locked));
        authorize(actor, t.permission, t.action === 'note' ? readResource(locked, paths) : resourceFor(t.resource, locked, paths));
        let command: ActCommand = cmd;
        if (cmd.action === 'approve_extension' && !cmd.extra) {
          const pending = await repo.findPendingRequest(tx, incidentId, 'extension');
          command = { ...cmd, extra: pending?.extra };
        }
        if (cmd.action === 'merge') {
          const target = await repo.findIncident(tx, cmd.targetIncidentId ?? 0);
          if (!target) throw invalid('INCIDENT.MERGE_TARGET', 'No such incident to merge into', [{ path: 'targetIncidentId', code: 'INCIDENT.NOT_FOUND', message: 'no such incident' }]);
          if (!isOpen(target.state)) throw invalid('INCIDENT.MERGE_TARGET_CLOSED', `${target.number} is ${target.state}`, undefined, { number: target.number });
          const targetPaths = await repo.unitPaths(tx, unitIdsOf(target));
          authorize(actor, 'incident.merge', resourceFor('coordinator', target, targetPaths));
        }
        let ctx = contextFor(locked, version, stageTiming, coordinators, clock.now());
        if (command.action === 'request_extension' || command.action === 'approve_extension') ctx = { ...ctx, extensionsGranted: await repo.countApprovedRequests(tx, incidentId, 'extension') };
        const decision = decide(locked, command, ctx);
        const actorUnitId = actingUnit(actor, locked, paths);
        const extra = cmd.action === 'file' && version ? { category_version_id: version.id } : {};
        const audits: AuditItems = [];
        const updated = await apply(tx, locked, decision, command, by, actorUnitId, audits, extra);
        if (decision.clockChanged) await repo.replaceTimers(tx, updated, clock.now());
        await audit.appendMany(tx, audits);
        return updated;
      });
    },

    async view(incidentId, actor) {
      const incident = await repo.findIncident(db, incidentId);
      if (!incident) throw notFound('INCIDENT.NOT_FOUND', `No incident ${incidentId}`, { id: incidentId });
      const units = await repo.unitPaths(db, unitIdsOf(incident));
      authorize(actor, 'incident.read', readResource(incident, units));
      const [category, events, supervisions, attachments, pendingRequest] = await Promise.all([
        categoryVersionOf(incident),
        repo.findEvents(db, incidentId),
        repo.findSupervisions(db, incidentId),
        repo.findIncidentAttachments(db, incidentId),
        incident.pendingRequest ? repo.findPendingRequest(db, incidentId, incident.pendingRequest) : Promise.resolve(undefined),
      ]);
      return { incident, units, category, events, supervisions, attachments, pendingRequest, allowed: allowedFor(incident, actor, units) };
    },

    findByNumber: (number) => repo.findIncidentByNumber(db, number),
    async get(incidentId) {
      const incident = await repo.findIncident(db, incidentId);
      if (!incident) throw notFound('INCIDENT.NOT_FOUND', `No incident ${incidentId}`, { id: incidentId });
      return incident;
    },

    async list(actor, queue, filter, page) {
      const def = QUEUE_DEF[queue];
      const scope = scopeFor(actor, def.action);
      if (scope.kind === 'none') return { items: [], total: 0 };
      const q: repo.Queue = { scope, columns: def.columns, states: def.states, pending: def.pending };
      const f = def.sla ? { ...filter, sla: def.sla } : filter;
      const [items, total] = await Promise.all([repo.listIncidents(db, q, f, { limit: Math.min(page.limit, 200), offset: page.offset }), repo.countIncidents(db, q, f)]);
      return { items, total };
    },

    async counts(actor) {
      const result: Partial<Record<QueueName, number>> = {};
      for (const queue of QUEUES) {
        if (queue === 'all') continue;
        const def = QUEUE_DEF[queue];
        const scope = scopeFor(actor, def.action);
        if (scope.kind === 'none') continue;
        result[queue] = await repo.countIncidents(db, { scope, columns: def.columns, states: def.states, pending: def.pending }, def.sla ? { sla: def.sla } : {});
      }
      return result;
    },

    async nearby(q) {
      const radius = q.categoryId ? (await catalog.get(q.categoryId)).current.duplicateRadiusM : 250;
      const found = await repo.findOpenNear(db, { lon: q.lon, lat: q.lat, radiusM: radius, categoryId: q.categoryId, limit: q.limit ?? 5, excludeId: q.excludeId });
      return found
        .filter((i) => i.lon !== null && i.lat !== null)
        .map((i) => ({ ...i, distanceM: Math.round(distanceM(q, { lon: i.lon!, lat: i.lat! })) }))
        .filter((i) => i.distanceM <= radius)
        .sort((a, b) => a.distanceM - b.distanceM)
        .slice(0, q.limit ?? 5);
    },

    async listPublic(filter, page) {
      const found = await repo.listPublicReports(db, filter, { limit: Math.min(Math.max(1, page.limit), MAX_PUBLIC_PAGE), offset: Math.max(0, page.offset) });
      // What a citizen typed may hold a phone number, an ID number or a house number: the public sees it masked,
      // in the list, on the map and through Open311 alike (the report's own page masks the reporter's names too).
      return {
        total: found.total,
        items: found.items.map((r) => ({ ...r, title: redact(r.title), description: redact(r.description), address: r.address === null ? null : redact(r.address), statusNote: r.statusNote === null ? null : redact(r.statusNote) })),
      };
    },
    publicUpdates: (from, to, page) => repo.listPublicUpdates(db, { from, to }, { limit: Math.min(Math.max(1, page.limit), MAX_PUBLIC_PAGE), offset: Math.max(0, page.offset) }),
    async checkLookupCode(number, code) {
      const incident = await repo.findIncidentByNumber(db, number);
      if (!incident) return undefined;
      const stored = await repo.findLookupCodeHash(db, incident.id);
      return stored && timingSafeEqual(Buffer.from(stored), Buffer.from(hashLookupCode(code))) ? incident : undefined;
    },

    async fireDueTimers(limit = 500) {
      const now = clock.now();
      // Set-based: a sweep costs a handful of statements whatever the number of timers that fell due.
      return database.transaction(async (tx) => {
        const timers = await repo.claimDueTimers(tx, now, limit);
        if (timers.length === 0) return { fired: 0, stale: 0 };
        const incidents = new Map((await repo.lockIncidents(tx, [...new Set(timers.map((t) => t.incident_id))])).map((i) => [i.id, i]));
        const effective: { timer: (typeof timers)[number]; incident: Incident; overdue: boolean; handling: boolean }[] = [];
        const seen = new Set<string>();
        for (const timer of timers) {
          const incident = incidents.get(timer.incident_id);
          const current =
            incident &&
            isOpen(incident.state) &&
            incident.stage === timer.stage &&
            (timer.kind === 'warn' ? incident.warnAt?.getTime() === timer.fire_at.getTime() && incident.sla === 'green' : incident.dueAt?.getTime() === timer.fire_at.getTime() && incident.sla !== 'red');
          // Both timers of one incident due in one sweep: the deadline wins over the warning.
          if (!incident || !current || seen.has(`${incident.id}:${timer.kind}`)) continue;
          seen.add(`${incident.id}:${timer.kind}`);
          effective.push({ timer, incident, overdue: timer.kind === 'due', handling: timer.stage === 'sign' || timer.stage === 'handle' });
        }
        const overdueIds = new Set(effective.filter((e) => e.overdue).map((e) => e.incident.id));
        const firing = effective.filter((e) => e.overdue || !overdueIds.has(e.incident.id));
        await repo.setSlaMany(tx, firing.filter((e) => !e.overdue).map((e) => e.incident.id), 'yellow', false, now);
        await repo.setSlaMany(tx, firing.filter((e) => e.overdue).map((e) => e.incident.id), 'red', true, now);
        await repo.insertEvents(
          tx,
          firing.map((e) => ({
            incidentId: e.incident.id,
            action: e.overdue ? 'overdue' : 'deadline_near',
            fromState: e.incident.state,
            toState: e.incident.state,
            actorUserId: null,
            actorLabel: 'system',
            actorUnitId: null,
            at: now,
            note: null,
            publicNote: null,
            details: { stage: e.timer.stage, dueAt: e.incident.dueAt?.toISOString() },
          })),
        );
        // 三色督办: blue when the deadline nears, red once it has passed (../shared/reference/domain.md §7).
        const supervised = firing.filter((e) => e.handling);
        await repo.insertSupervisions(
          tx,
          supervised.map((e) => ({ incidentId: e.incident.id, level: e.overdue ? ('red' as const) : ('blue' as const), note: null, by: null, byLabel: 'system', toUnitId: e.incident.leadUnitId, at: now })),
        );
        await repo.setSupervisionMany(tx, supervised.filter((e) => e.overdue).map((e) => e.incident.id), 'red');
        await repo.setSupervisionMany(tx, supervised.filter((e) => !e.overdue).map((e) => e.incident.id), 'blue');
        // Notices, grouped by the units to tell: one lookup of people per unit, one insert for all.
        const rows: { unitIds: number[]; notice: Parameters<NotificationService['notifyUnits']>[2] }[] = [];
        for (const e of firing) {
          const kind = `incident.${e.overdue ? 'overdue' : 'deadline_near'}`;
          const notice = { kind, params: { number: e.incident.number, title: e.incident.title, stage: e.timer.stage }, link: `/workbench/incidents/${e.incident.id}`, incidentId: e.incident.id };
          if (e.handling && e.incident.leadUnitId) rows.push({ unitIds: [e.incident.leadUnitId, ...e.incident.coUnitIds], notice });
          if (e.incident.coordinatorUnitId) {
            const parent = await coordinatorParent(tx, e.incident.coordinatorUnitId);
            rows.push({ unitIds: parent ? [e.incident.coordinatorUnitId, parent] : [e.incident.coordinatorUnitId], notice });
          }
        }
        await notifications.notifyMany(tx, rows);
        await audit.appendMany(
          tx,
          firing.map((e) => ({ entry: { action: e.overdue ? 'incident.overdue' : 'incident.deadline_near', target: { type: 'incident', id: e.incident.number }, details: { stage: e.timer.stage } }, by: SYSTEM })),
        );
        return { fired: firing.length, stale: timers.length - firing.length };
      });
    },

    async escalateOverdue(limit = 200) {
      // Driven by state, not by the timer: an incident left red at a coordinating stage below the district climbs
      // one level. A crash between firing and escalating loses nothing; the next sweep finds it again. Decided one
      // by one by the workflow, written set-based in one transaction.
      const ids = await repo.findOverdueForEscalation(db, limit);
      if (ids.length === 0) return 0;
      const now = clock.now();
      const candidates = (await Promise.all(ids.map((id) => repo.findIncident(db, id)))).filter((i): i is Incident => !!i);
      // Everything that needs a query outside the transaction: coordinators, category versions, calendars.
      const prepared = await Promise.all(
        candidates.map(async (incident) => {
          const coordinators = await coordinatorsFor(incident.areaUnitId);
          const next = incident.level === 'grid' ? 'town' : 'district';
          const nextCoordinator = coordinators[next] ?? null;
          const version = await categoryVersionOf(incident);
          const nextTiming = await timing.forUnit(nextCoordinator ?? incident.areaUnitId);
          const ctx = contextFor(incident, version, { coordinator: nextTiming, handler: nextTiming }, coordinators, now);
          return { id: incident.id, ctx };
        }),
      );
      const contexts = new Map(prepared.map((p) => [p.id, p.ctx]));
      return database.transaction(async (tx) => {
        const locked = await repo.lockIncidents(tx, ids);
        const decided: { incident: Incident; decision: Decision }[] = [];
        for (const incident of locked) {
          // Someone may have acted since the query: only what is still overdue and unescalated climbs.
          const eligible = incident.sla === 'red' && ['accept', 'file', 'dispatch'].includes(incident.stage ?? '') && incident.level !== 'district' && isOpen(incident.state);
          const ctx = contexts.get(incident.id);
          if (!eligible || !ctx) continue;
          try {
            decided.push({ incident, decision: decide(incident, { action: 'escalate', reason: '超时未处理，自动升级' }, ctx) });
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
          }
        }
        if (decided.length === 0) return 0;
        const updated = await repo.escalateMany(
          tx,
          decided.map(({ incident, decision: d }) => ({
            id: incident.id,
            level: d.patch.level!,
            coordinatorUnitId: d.patch.coordinatorUnitId!,
            stage: d.patch.stage!,
            stageStartedAt: d.patch.stageStartedAt!,
            dueAt: d.patch.dueAt!,
            warnAt: d.patch.warnAt!,
          })),
          now,
        );
        await repo.insertEvents(
          tx,
          decided.map(({ incident, decision: d }) => ({
            incidentId: incident.id,
            action: 'escalate',
            fromState: d.from,
            toState: d.to,
            actorUserId: null,
            actorLabel: SYSTEM.label,
            actorUnitId: null,
            at: now,
            note: '超时未处理，自动升级',
            publicNote: null,
            details: d.eventDetails,
          })),
        );
        await repo.replaceTimersMany(tx, updated, now);
        const notices = [];
        for (const i of updated) {
          if (!i.coordinatorUnitId) continue;
          const parent = await coordinatorParent(tx, i.coordinatorUnitId);
          notices.push({
            unitIds: parent ? [i.coordinatorUnitId, parent] : [i.coordinatorUnitId],
            notice: { kind: 'incident.escalated', params: { number: i.number, title: i.title }, link: `/workbench/incidents/${i.id}`, incidentId: i.id },
          });
        }
        await notifications.notifyMany(tx, notices);
        await notifications.publish(tx, 'incident.escalate', { ids: updated.map((i) => i.id), automatic: true });
        await audit.appendMany(
          tx,
          decided.map(({ incident, decision: d }) => ({ entry: { action: 'incident.escalate', target: { type: 'incident', id: incident.number }, details: { from: d.from, to: d.to, ...d.eventDetails } }, by: SYSTEM })),
        );
        return updated.length;
      });
    },

    async suggestRoute(incident) {
      if (!incident.categoryId) return undefined;
      const areaPath = (await repo.unitPaths(db, [incident.areaUnitId])).get(incident.areaUnitId)?.path ?? '/';
      try {
        return await catalog.resolveRoute(incident.categoryId, areaPath);
      } catch (e) {
        if (e instanceof DomainError && e.code === 'ROUTING.NO_UNIT') return undefined;
        throw e;
      }
    },

    async evaluate(actor, q) {
      authorize(actor, 'stats.read');
      if (!(q.from < q.to)) throw invalid('STATS.PERIOD_INVALID', 'The period must end after it starts', [{ path: 'to', code: 'STATS.PERIOD_INVALID', message: 'end before start' }]);
      const counts = await repo.evaluationCounts(db, { ...q, scope: scopeFor(actor, 'stats.read') });
      const units = await repo.unitPaths(db, counts.map((c) => c.unitId));
      return rank(counts).map((s) => ({ ...s, unitName: units.get(s.unitId)?.name ?? String(s.unitId), unitCode: units.get(s.unitId)?.code ?? '', unitKind: units.get(s.unitId)?.kind ?? '' }));
    },

    incidentsWithAttachment: (attachmentId) => repo.findIncidentIdsForAttachment(db, attachmentId),

    citizenSettings: deps.citizen ?? { reopenDays: DEFAULT_REOPEN_DAYS },

    async support(incidentId, submissionKey, by) {
      const key = submissionKey.trim();
      if (!key || key.length > 80) throw invalid('REQUEST.INVALID', 'A submission key is required', [{ path: 'idempotencyKey', code: 'field.required', message: 'submission key' }]);
      return database.transaction(async (tx) => {
        const locked = await repo.lockIncident(tx, incidentId);
        if (!locked) throw notFound('INCIDENT.NOT_FOUND', `No incident ${incidentId}`, { id: incidentId });
        if (!isOpen(locked.state)) throw new DomainError('Conflict', 'INCIDENT.NOT_OPEN', `${locked.number} is ${locked.state}`, { params: { number: locked.number } });
        const now = clock.now();
        if (!(await citizenRepo.insertSupport(tx, incidentId, key, now))) return { incident: locked, counted: false };
        await repo.addSupporters(tx, incidentId, 1, now);
        const updated = (await repo.findIncident(tx, incidentId))!;
        await repo.insertEvent(tx, { incidentId, action: 'support', fromState: locked.state, toState: locked.state, actorUserId: by.userId, actorLabel: by.label, actorUnitId: null, at: now, note: null, publicNote: null, details: { supporters: updated.supporters } });
        await audit.appendMany(tx, [{ entry: { action: 'incident.support', target: { type: 'incident', id: locked.number }, details: { supporters: updated.supporters } }, by }]);
        return { incident: updated, counted: true };
      });
    },

    async citizenAct(incidentId, cmd, by) {
      const settings = service.citizenSettings;
      const current = await repo.findIncident(db, incidentId);
      if (!current) throw notFound('INCIDENT.NOT_FOUND', `No incident ${incidentId}`, { id: incidentId });
      const version = await categoryVersionOf(current);
      const stageTiming = await timingsFor(current);
      const command: ActCommand = { action: cmd.action, rating: cmd.rating, ratingComment: cmd.ratingComment?.slice(0, 500), reason: cmd.reason?.slice(0, 1000) };
      return database.transaction(async (tx) => {
        const locked = await repo.lockIncident(tx, incidentId);
        if (!locked) throw notFound('INCIDENT.NOT_FOUND', `No incident ${incidentId}`, { id: incidentId });
        const now = clock.now();
        const blocked = citizenBlock(locked, cmd.action, now, settings);
        if (blocked) throw new DomainError('Conflict', blocked, `${cmd.action} is not possible for the reporter now`, { params: { number: locked.number, days: settings.reopenDays } });
        const decision = decide(locked, command, contextFor(locked, version, stageTiming, {}, now));
        const audits: AuditItems = [];
        const updated = await apply(tx, locked, { ...decision, eventDetails: { ...decision.eventDetails, by: 'citizen' } }, command, by, null, audits);
        if (decision.clockChanged) await repo.replaceTimers(tx, updated, now);
        await audit.appendMany(
          tx,
          audits.map((a) => ({ ...a, entry: { ...a.entry, action: `incident.citizen_${cmd.action}` } })),
        );
        return updated;
      });
    },

    async publicView(number, withCode) {
      const incident = await repo.findIncidentByNumber(db, number);
      if (!incident) throw notFound('INCIDENT.NOT_FOUND', `No report ${number}`, { number });
      const category = await categoryVersionOf(incident);
      // Without the code only what the catalogue marks public, from a channel that is not confidential.
      const visible = withCode || (category !== null && category.publicVisible && !(PRIVATE_CHANNELS as readonly Channel[]).includes(incident.channel) && incident.state !== 'voided');
      if (!visible) throw notFound('INCIDENT.NOT_FOUND', `No report ${number}`, { number });
      const [events, attachments, reporterName] = await Promise.all([repo.findEvents(db, incident.id), repo.findIncidentAttachments(db, incident.id), citizenRepo.findReporterName(db, incident.id)]);
      // The public sees the texts with personal data removed (the reporter's own names among them).
      const names = [reporterName];
      const clean = (s: string | null) => (s === null ? null : redact(s, { names }));
      const shown: Incident = withCode
        ? incident
        : { ...incident, title: redact(incident.title, { names }), description: redact(incident.description, { names }), address: clean(incident.address), reply: clean(incident.reply), result: clean(incident.result), ratingComment: null };
      return {
        incident: shown,
        category,
        timeline: publicTimeline(events),
        publicPhotos: attachments.filter((a) => a.public).map((a) => a.attachment_id),
        privatePhotos: withCode ? attachments.filter((a) => !a.public && a.event_id === null).map((a) => a.attachment_id) : [],
        withCode,
      };
    },

    async publishReply(incidentId, actor, by) {
      return database.transaction(async (tx) => {
        const locked = await repo.lockIncident(tx, incidentId);
        if (!locked) throw notFound('INCIDENT.NOT_FOUND', `No incident ${incidentId}`, { id: incidentId });
        const paths = await repo.unitPaths(tx, unitIdsOf(locked));
        authorize(actor, 'incident.accept', resourceFor('coordinator', locked, paths));
        // Only letters are published (信件选登); a 12350 report never is, whatever its text (its reporter is protected).
        if (locked.channel === 'hotline_12350' || (locked.channel !== 'leader' && locked.requestType === null)) {
          throw new DomainError('Conflict', 'INCIDENT.NOT_A_LETTER', `${locked.number} is not a public letter`, { params: { number: locked.number } });
        }
        if (!locked.reply?.trim()) throw new DomainError('Conflict', 'INCIDENT.NO_REPLY', `${locked.number} has no reply to publish`, { params: { number: locked.number } });
        const names = [await citizenRepo.findReporterName(tx, incidentId)];
        const now = clock.now();
        await citizenRepo.upsertPublication(tx, {
          incident_id: incidentId,
          request_type: locked.requestType,
          channel: locked.channel,
          title: redact(locked.title, { names }),
          letter: redact(locked.description, { names }),
          reply: redact(locked.reply, { names }),
          published_at: now,
          published_by: by.userId,
        });
        await repo.insertEvent(tx, { incidentId, action: 'publish_reply', fromState: locked.state, toState: locked.state, actorUserId: by.userId, actorLabel: by.label, actorUnitId: actingUnit(actor, locked, paths), at: now, note: null, publicNote: null, details: {} });
        await audit.appendMany(tx, [{ entry: { action: 'incident.publish_reply', target: { type: 'incident', id: locked.number }, details: {} }, by }]);
        return (await citizenRepo.findPublication(tx, incidentId))!;
      });
    },

    async unpublishReply(incidentId, actor, by) {
      await database.transaction(async (tx) => {
        const locked = await repo.lockIncident(tx, incidentId);
        if (!locked) throw notFound('INCIDENT.NOT_FOUND', `No incident ${incidentId}`, { id: incidentId });
        const paths = await repo.unitPaths(tx, unitIdsOf(locked));
        authorize(actor, 'incident.accept', resourceFor('coordinator', locked, paths));
        if (!(await citizenRepo.deletePublication(tx, incidentId))) return;
        const now = clock.now();
        await repo.insertEvent(tx, { incidentId, action: 'unpublish_reply', fromState: locked.state, toState: locked.state, actorUserId: by.userId, actorLabel: by.label, actorUnitId: actingUnit(actor, locked, paths), at: now, note: null, publicNote: null, details: {} });
        await audit.appendMany(tx, [{ entry: { action: 'incident.unpublish_reply', target: { type: 'incident', id: locked.number }, details: {} }, by }]);
      });
    },

    publication: (incidentId) => citizenRepo.findPublication(db, incidentId),
    publications: (page) => citizenRepo.listPublications(db, { limit: Math.min(page.limit, 100), offset: page.offset }),
    hasDemoIncidents: () => repo.existsDemo(db),
    unansweredLetters: (cutoff, limit = 50) => citizenRepo.findUnansweredLetters(db, cutoff, Math.min(limit, 200)),

    async allowedActions(incident, actor) {
      const paths = await repo.unitPaths(db, unitIdsOf(incident));
      return allowedFor(incident, actor, paths);
    },
  };

  function allowedFor(incident: Incident, actor: PolicyActor, paths: Map<number, { path: string }>): ActionName[] {
    return possibleActions(incident).filter((a) => {
      const t = TRANSITIONS.find((x) => x.action === a)!;
      return can(actor, t.permission, a === 'note' ? readResource(incident, paths) : resourceFor(t.resource, incident, paths));
    });
  }

  return service;
}

/** The unit an actor acts for on this incident: their post over the lead unit, else over the coordinator, else the first. */
function actingUnit(actor: PolicyActor, incident: Incident, paths: Map<number, { path: string }>): number | null {
  const lead = incident.leadUnitId !== null ? paths.get(incident.leadUnitId)?.path : undefined;
  const coordinator = incident.coordinatorUnitId !== null ? paths.get(incident.coordinatorUnitId)?.path : undefined;
  const over = (target: string | undefined) => (target ? actor.posts.find((p) => target.startsWith(p.unitPath)) : undefined);
  return (over(lead) ?? over(coordinator) ?? actor.posts[0])?.unitId ?? null;
}
