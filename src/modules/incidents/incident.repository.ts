/** All SQL of incidents: rows, history, requests, supervision notices, timers, queues and statistics. */
import { sql, type Expression, type ExpressionBuilder, type Generated, type GeneratedAlways, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Executor } from '../../kernel/db.js';
import { prepare } from '../../kernel/db.js';
import type { Scope } from '../access/index.js';
import type { UnitsTable } from '../organization/index.js';
import type { CatalogTables } from './catalog.repository.js';
import type {
  Channel,
  Incident,
  Level,
  Limit,
  Rating,
  RequestType,
  Sla,
  Stage,
  State,
  SupervisionLevel,
  Urgency,
} from './incident.js';
import { PRIVATE_CHANNELS } from './incident.js';
import type { Counter, IncidentPatch } from './incident.workflow.js';

export interface IncidentsTable {
  id: GeneratedAlways<number>;
  number: string;
  version: Generated<number>;
  state: State;
  channel: Channel;
  request_type: RequestType | null;
  category_id: number | null;
  category_version_id: number | null;
  title: string;
  description: string;
  address: string | null;
  lon: number | null;
  lat: number | null;
  area_unit_id: number;
  town_unit_id: number | null;
  urgency: Urgency;
  level: Level;
  coordinator_unit_id: number | null;
  lead_unit_id: number | null;
  co_unit_ids: number[];
  stage: Stage | null;
  stage_started_at: Date | null;
  due_at: Date | null;
  warn_at: Date | null;
  sla: Sla;
  handle_due_at: Date | null;
  supervision: SupervisionLevel | null;
  pending_request: 'return' | 'extension' | null;
  parked_until: string | null;
  merged_into_id: number | null;
  supporters: Generated<number>;
  rework_count: Generated<number>;
  return_count: Generated<number>;
  reopen_count: Generated<number>;
  escalation_count: Generated<number>;
  overdue_stages: Generated<number>;
  rating: Rating | null;
  rating_comment: string | null;
  rated_at: Date | null;
  reporter_user_id: number | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  is_anonymous: boolean;
  lookup_code_hash: string | null;
  idempotency_key: string | null;
  reply: string | null;
  result: string | null;
  is_demo: boolean;
  reported_at: Date;
  accepted_at: Date | null;
  filed_at: Date | null;
  dispatched_at: Date | null;
  signed_at: Date | null;
  reported_back_at: Date | null;
  verified_at: Date | null;
  closed_at: Date | null;
  closed_on_time: boolean | null;
  updated_at: Date;
  attributes: Record<string, string | string[]> | null;
  media_url: string | null;
  client_data: Record<string, string> | null;
}

export interface IncidentEventsTable {
  id: GeneratedAlways<number>;
  incident_id: number;
  action: string;
  from_state: State | null;
  to_state: State | null;
  actor_user_id: number | null;
  actor_label: string;
  actor_unit_id: number | null;
  at: Date;
  note: string | null;
  public_note: string | null;
  details: unknown;
}

export interface IncidentRequestsTable {
  id: GeneratedAlways<number>;
  incident_id: number;
  kind: 'return' | 'extension';
  status: 'pending' | 'approved' | 'refused' | 'withdrawn';
  reason: string;
  extra_amount: string | null;
  extra_unit: Limit['unit'] | null;
  requested_by: number | null;
  requested_unit_id: number | null;
  requested_at: Date;
  decided_by: number | null;
  decided_at: Date | null;
  decision_note: string | null;
}

export interface IncidentSupervisionsTable {
  id: GeneratedAlways<number>;
  incident_id: number;
  level: SupervisionLevel;
  note: string | null;
  issued_by: number | null;
  issued_by_label: string;
  to_unit_id: number | null;
  issued_at: Date;
  answered_at: Date | null;
}

export interface IncidentTimersTable {
  id: GeneratedAlways<number>;
  incident_id: number;
  kind: 'warn' | 'due';
  stage: Stage;
  set_for_version: number;
  fire_at: Date;
  fired_at: Date | null;
  cancelled_at: Date | null;
}

export interface IncidentAttachmentsTable {
  incident_id: number;
  attachment_id: number;
  event_id: number | null;
  public: boolean;
}

export interface IncidentTables extends CatalogTables {
  incidents: IncidentsTable;
  incident_events: IncidentEventsTable;
  incident_requests: IncidentRequestsTable;
  incident_supervisions: IncidentSupervisionsTable;
  incident_timers: IncidentTimersTable;
  incident_attachments: IncidentAttachmentsTable;
  units: UnitsTable;
}

type Db = Executor<IncidentTables>;
type Row = Selectable<IncidentsTable>;

export function toIncident(r: Row): Incident {
  return {
    id: r.id,
    number: r.number,
    version: r.version,
    state: r.state,
    level: r.level,
    urgency: r.urgency,
    categoryVersionId: r.category_version_id,
    coordinatorUnitId: r.coordinator_unit_id,
    leadUnitId: r.lead_unit_id,
    coUnitIds: r.co_unit_ids ?? [],
    handleDueAt: r.handle_due_at,
    dueAt: r.due_at,
    stage: r.stage,
    sla: r.sla,
    pendingRequest: r.pending_request,
    overdueStages: r.overdue_stages,
    rating: r.rating,
    closedAt: r.closed_at,
    channel: r.channel,
    requestType: r.request_type,
    categoryId: r.category_id,
    title: r.title,
    description: r.description,
    address: r.address,
    lon: r.lon,
    lat: r.lat,
    areaUnitId: r.area_unit_id,
    townUnitId: r.town_unit_id,
    stageStartedAt: r.stage_started_at,
    warnAt: r.warn_at,
    supervision: r.supervision,
    parkedUntil: r.parked_until,
    mergedIntoId: r.merged_into_id,
    supporters: r.supporters,
    reworkCount: r.rework_count,
    returnCount: r.return_count,
    reopenCount: r.reopen_count,
    escalationCount: r.escalation_count,
    ratingComment: r.rating_comment,
    reporterUserId: r.reporter_user_id,
    isAnonymous: r.is_anonymous,
    reply: r.reply,
    result: r.result,
    isDemo: r.is_demo,
    reportedAt: r.reported_at,
    dispatchedAt: r.dispatched_at,
    reportedBackAt: r.reported_back_at,
    closedOnTime: r.closed_on_time,
    updatedAt: r.updated_at,
    attributes: r.attributes ?? null,
    mediaUrl: r.media_url ?? null,
  };
}

const COLUMN: Record<keyof IncidentPatch, keyof IncidentsTable> = {
  state: 'state',
  stage: 'stage',
  stageStartedAt: 'stage_started_at',
  dueAt: 'due_at',
  warnAt: 'warn_at',
  sla: 'sla',
  handleDueAt: 'handle_due_at',
  level: 'level',
  coordinatorUnitId: 'coordinator_unit_id',
  leadUnitId: 'lead_unit_id',
  coUnitIds: 'co_unit_ids',
  pendingRequest: 'pending_request',
  supervision: 'supervision',
  parkedUntil: 'parked_until',
  mergedIntoId: 'merged_into_id',
  rating: 'rating',
  ratingComment: 'rating_comment',
  reply: 'reply',
  result: 'result',
  categoryId: 'category_id',
  closedOnTime: 'closed_on_time',
  acceptedAt: 'accepted_at',
  filedAt: 'filed_at',
  dispatchedAt: 'dispatched_at',
  signedAt: 'signed_at',
  reportedBackAt: 'reported_back_at',
  verifiedAt: 'verified_at',
  closedAt: 'closed_at',
  ratedAt: 'rated_at',
};

const COUNTER_COLUMN: Record<Counter, 'rework_count' | 'return_count' | 'reopen_count' | 'escalation_count' | 'overdue_stages'> = {
  reworkCount: 'rework_count',
  returnCount: 'return_count',
  reopenCount: 'reopen_count',
  escalationCount: 'escalation_count',
  overdueStages: 'overdue_stages',
};

const bigintArray = (ids: readonly number[]) => sql<number[]>`${`{${ids.join(',')}}`}::bigint[]`;

export type NewIncidentRow = Omit<
  Selectable<IncidentsTable>,
  | 'id'
  | 'version'
  | 'co_unit_ids'
  | 'supporters'
  | 'rework_count'
  | 'return_count'
  | 'reopen_count'
  | 'escalation_count'
  | 'overdue_stages'
  | 'rating'
  | 'rating_comment'
  | 'rated_at'
  | 'supervision'
  | 'pending_request'
  | 'parked_until'
  | 'merged_into_id'
  | 'reply'
  | 'result'
  | 'closed_on_time'
  | 'attributes'
  | 'media_url'
  | 'client_data'
> & {
  co_unit_ids: readonly number[];
  result: string | null;
  closed_on_time: boolean | null;
  attributes?: Record<string, string | string[]> | null;
  media_url?: string | null;
  client_data?: Record<string, string> | null;
};

/** Whether any demo incident exists. */
export async function existsDemo(db: Db): Promise<boolean> {
  return (await db.selectFrom('incidents').select('id').where('is_demo', '=', true).limit(1).executeTakeFirst()) !== undefined;
}

/** The date part of incident numbers: KZ and the day in Beijing time, as people read it on the receipt. */
export const numberPrefix = (now: Date) => `KZ${new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')}`;

/** Takes `count` values of the number sequence at once (a process hands them out one by one). */
export async function reserveNumbers(db: Db, count: number): Promise<number[]> {
  const { rows } = await sql<{ n: number | string }>`select nextval('incident_number_seq')::int8 as n from generate_series(1, ${count}::int)`.execute(db);
  return rows.map((r) => Number(r.n));
}

/** An incident number from a sequence value: the day's prefix and six digits. */
export const numberOf = (now: Date, n: number) => `${numberPrefix(now)}${String(n % 1_000_000).padStart(6, '0')}`;

export async function nextNumber(db: Db, now: Date): Promise<string> {
  const { rows } = await sql<{ n: number }>`select nextval('incident_number_seq')::int8 as n`.execute(db);
  return `${numberPrefix(now)}${String(rows[0]!.n % 1_000_000).padStart(6, '0')}`;
}

/** A new incident's full row before it is stored (id and number are assigned by the insert). */
export type DraftRow = Row;

/** The full row of a new incident, with the defaults the table would give it. */
export function draftRow(row: Omit<NewIncidentRow, 'number'>): DraftRow {
  return {
    ...row,
    id: 0,
    number: '',
    version: 1,
    co_unit_ids: [...row.co_unit_ids],
    supporters: 0,
    rework_count: 0,
    return_count: 0,
    reopen_count: 0,
    escalation_count: 0,
    overdue_stages: 0,
    rating: null,
    rating_comment: null,
    rated_at: null,
    supervision: null,
    pending_request: null,
    parked_until: null,
    merged_into_id: null,
    reply: null,
    attributes: row.attributes ?? null,
    media_url: row.media_url ?? null,
    client_data: row.client_data ?? null,
  };
}

/** A decision's patch and counters applied to a draft row (as `updateIncident` would write them), version + 1. */
export function patchDraft(row: DraftRow, patch: IncidentPatch, increments: readonly Counter[], at: Date): DraftRow {
  const next: Record<string, unknown> = { ...row, updated_at: at, version: row.version + 1 };
  for (const [key, value] of Object.entries(patch) as [keyof IncidentPatch, unknown][]) {
    if (value !== undefined) next[COLUMN[key]] = key === 'coUnitIds' ? [...(value as number[])] : value;
  }
  for (const counter of increments) next[COUNTER_COLUMN[counter]] = (next[COUNTER_COLUMN[counter]] as number) + 1;
  return next as DraftRow;
}

export const draftIncident = (row: DraftRow): Incident => toIncident(row);

type NewEvent = Omit<Parameters<typeof insertEvent>[1], 'incidentId'>;

/**
 * Stores a new incident in its final state together with its history and its timers in ONE statement (data-
 * modifying CTEs): intake is the hot path, and each statement is a round trip to the server. The number is
 * `prefix` and the next value of the number sequence, assigned by the insert itself.
 */
/**
 * Writes a new incident with its history and timers in one statement. `also` are further statements for the same
 * WITH list that read the new row from the CTE `i` (notices about it, from the notifications module).
 */
/** The column list of an intake insert, built once per set of columns (the draft row's keys never change). */
const intakeColumns = new Map<string, { list: RawBuilder<unknown>; select: RawBuilder<unknown> }>();

export async function insertIntake(db: Db, row: DraftRow, number: string, events: readonly NewEvent[], also: readonly RawBuilder<unknown>[] = []): Promise<Incident> {
  const { id: _id, number: _number, ...values } = row;
  // The row travels as one JSON parameter read back by jsonb_populate_record: one value to bind instead of sixty.
  const columns = Object.keys(values);
  const key = columns.join(',');
  let cols = intakeColumns.get(key);
  if (!cols) {
    const quoted = columns.map((c) => `"${c.replace(/"/g, '""')}"`);
    cols = { list: sql.raw(quoted.join(', ')), select: sql.raw(quoted.map((q) => `r.${q}`).join(', ')) };
    intakeColumns.set(key, cols);
  }
  const rowJson = JSON.stringify(values);
  const timers = timerRowsFor({ ...toIncident(row), id: 0 });
  const eventJson = JSON.stringify(
    events.map((e, n) => ({
      n,
      action: e.action,
      from_state: e.fromState,
      to_state: e.toState,
      actor_user_id: e.actorUserId,
      actor_label: e.actorLabel,
      actor_unit_id: e.actorUnitId,
      at: e.at.toISOString(),
      note: e.note,
      public_note: e.publicNote,
      details: e.details,
    })),
  );
  const timerJson = JSON.stringify(timers.map((t) => ({ stage: t.stage, set_for_version: t.set_for_version, kind: t.kind, fire_at: t.fire_at.toISOString() })));
  const { rows } = await sql<Row>`
    with i as (
      insert into incidents (number, ${cols.list})
      select ${number}, ${cols.select}
      from jsonb_populate_record(null::incidents, ${rowJson}::jsonb) as r
      returning *
    ), e as (
      insert into incident_events (incident_id, action, from_state, to_state, actor_user_id, actor_label, actor_unit_id, at, note, public_note, details)
      select i.id, v.action, v.from_state, v.to_state, v.actor_user_id, v.actor_label, v.actor_unit_id, v.at, v.note, v.public_note, v.details
      from i, jsonb_to_recordset(${eventJson}::jsonb) as v(n int, action text, from_state text, to_state text, actor_user_id bigint,
        actor_label text, actor_unit_id bigint, at timestamptz, note text, public_note text, details jsonb)
      order by v.n
    ), t as (
      insert into incident_timers (incident_id, stage, set_for_version, kind, fire_at)
      select i.id, v.stage, v.set_for_version, v.kind, v.fire_at
      from i, jsonb_to_recordset(${timerJson}::jsonb) as v(stage text, set_for_version int, kind text, fire_at timestamptz)
    )${sql.join(also.map((statement, k) => sql`, ${sql.raw(`a${k}`)} as (${statement})`), sql``)}
    select * from i`.execute(db);
  return toIncident(rows[0]!);
}

export async function insertIncident(db: Db, row: NewIncidentRow): Promise<Incident> {
  const inserted = await db
    .insertInto('incidents')
    .values({
      ...row,
      co_unit_ids: bigintArray(row.co_unit_ids),
      rating: null,
      rating_comment: null,
      rated_at: null,
      supervision: null,
      pending_request: null,
      parked_until: null,
      merged_into_id: null,
      reply: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toIncident(inserted);
}

const byId = prepare<{ id: number }, Row>((db, p) => (db as Db).selectFrom('incidents').selectAll().where('id', '=', p('id')));

export async function findIncident(db: Db, id: number): Promise<Incident | undefined> {
  const [row] = await byId.execute(db, { id });
  return row && toIncident(row);
}

export async function findIncidentByNumber(db: Db, number: string): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('number', '=', number).executeTakeFirst();
  return row && toIncident(row);
}

export async function findByIdempotencyKey(db: Db, key: string): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  return row && toIncident(row);
}

export async function lockIncident(db: Db, id: number): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toIncident(row);
}

/** Writes a decision's patch and counters, bumping the version (the optimistic-concurrency token). */
export async function updateIncident(db: Db, id: number, patch: IncidentPatch, increments: readonly Counter[], at: Date, extra: Partial<Pick<IncidentsTable, 'category_version_id' | 'overdue_stages' | 'supporters'>> = {}): Promise<Incident> {
  const set: Record<string, unknown> = { updated_at: at, ...extra };
  for (const [key, value] of Object.entries(patch) as [keyof IncidentPatch, unknown][]) {
    if (value === undefined) continue;
    set[COLUMN[key]] = key === 'coUnitIds' ? bigintArray(value as number[]) : value;
  }
  let q = db.updateTable('incidents').set(set as never).set((eb) => ({ version: eb('version', '+', 1) }));
  for (const counter of increments) {
    const col = COUNTER_COLUMN[counter];
    q = q.set((eb) => ({ [col]: eb(col, '+', 1) }) as never);
  }
  const row = await q.where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return toIncident(row);
}

export async function addSupporters(db: Db, id: number, count: number, at: Date): Promise<void> {
  await db
    .updateTable('incidents')
    .set((eb) => ({ supporters: eb('supporters', '+', count), updated_at: at }))
    .where('id', '=', id)
    .execute();
}

export async function insertEvent(
  db: Db,
  e: {
    incidentId: number;
    action: string;
    fromState: State | null;
    toState: State | null;
    actorUserId: number | null;
    actorLabel: string;
    actorUnitId: number | null;
    at: Date;
    note: string | null;
    publicNote: string | null;
    details: Record<string, unknown>;
  },
): Promise<number> {
  const row = await db
    .insertInto('incident_events')
    .values({
      incident_id: e.incidentId,
      action: e.action,
      from_state: e.fromState,
      to_state: e.toState,
      actor_user_id: e.actorUserId,
      actor_label: e.actorLabel,
      actor_unit_id: e.actorUnitId,
      at: e.at,
      note: e.note,
      public_note: e.publicNote,
      details: JSON.stringify(e.details),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findEvents(db: Db, incidentId: number) {
  return db
    .selectFrom('incident_events as e')
    .leftJoin('units as u', 'u.id', 'e.actor_unit_id')
    .selectAll('e')
    .select('u.name as actor_unit_name')
    .where('e.incident_id', '=', incidentId)
    .orderBy('e.id')
    .execute();
}

export async function insertRequest(
  db: Db,
  r: { incidentId: number; kind: 'return' | 'extension'; reason: string; extra?: Limit; requestedBy: number | null; unitId: number | null; at: Date },
): Promise<void> {
  await db
    .insertInto('incident_requests')
    .values({
      incident_id: r.incidentId,
      kind: r.kind,
      status: 'pending',
      reason: r.reason,
      extra_amount: r.extra ? String(r.extra.amount) : null,
      extra_unit: r.extra?.unit ?? null,
      requested_by: r.requestedBy,
      requested_unit_id: r.unitId,
      requested_at: r.at,
      decided_by: null,
      decided_at: null,
      decision_note: null,
    })
    .execute();
}

/** How many requests of a kind were approved for an incident (e.g. extensions, which some channels limit). */
export async function countApprovedRequests(db: Db, incidentId: number, kind: 'return' | 'extension'): Promise<number> {
  const r = await db
    .selectFrom('incident_requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('incident_id', '=', incidentId)
    .where('kind', '=', kind)
    .where('status', '=', 'approved')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findPendingRequest(db: Db, incidentId: number, kind: 'return' | 'extension') {
  const row = await db
    .selectFrom('incident_requests')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row && { ...row, extra: row.extra_amount && row.extra_unit ? ({ amount: Number(row.extra_amount), unit: row.extra_unit } as Limit) : undefined };
}

export async function decideRequest(db: Db, incidentId: number, kind: 'return' | 'extension', status: 'approved' | 'refused' | 'withdrawn', by: number | null, note: string | null, at: Date): Promise<void> {
  await db
    .updateTable('incident_requests')
    .set({ status, decided_by: by, decided_at: at, decision_note: note })
    .where('incident_id', '=', incidentId)
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .execute();
}

export async function insertSupervision(
  db: Db,
  s: { incidentId: number; level: SupervisionLevel; note: string | null; by: number | null; byLabel: string; toUnitId: number | null; at: Date },
): Promise<void> {
  await db
    .insertInto('incident_supervisions')
    .values({ incident_id: s.incidentId, level: s.level, note: s.note, issued_by: s.by, issued_by_label: s.byLabel, to_unit_id: s.toUnitId, issued_at: s.at, answered_at: null })
    .execute();
}

export async function findSupervisions(db: Db, incidentId: number) {
  return db.selectFrom('incident_supervisions').selectAll().where('incident_id', '=', incidentId).orderBy('id').execute();
}

/** Replaces the incident's pending timers with the warning and the deadline of its current stage. */
type TimerOwner = { id: number; version: number; stage: Stage | null; warnAt: Date | null; dueAt: Date | null; sla: Sla };

/** Replaces the incident's pending timers with the warning and the deadline of its current stage. */
export async function replaceTimers(db: Db, incident: TimerOwner, at: Date): Promise<void> {
  await replaceTimersMany(db, [incident], at);
}

/** The timers of an incident's current stage: a warning (while green and before the deadline) and the deadline. */
export function timerRowsFor(i: TimerOwner): { incident_id: number; kind: 'warn' | 'due'; stage: Stage; set_for_version: number; fire_at: Date; fired_at: null; cancelled_at: null }[] {
  if (!i.stage || !i.dueAt) return [];
  const out: ReturnType<typeof timerRowsFor> = [];
  const base = { incident_id: i.id, stage: i.stage, set_for_version: i.version, fired_at: null, cancelled_at: null };
  if (i.sla === 'green' && i.warnAt && i.warnAt < i.dueAt) out.push({ ...base, kind: 'warn', fire_at: i.warnAt });
  if (i.sla !== 'red') out.push({ ...base, kind: 'due', fire_at: i.dueAt });
  return out;
}

/** The same for many incidents at once: one cancelling update and one insert. */
export async function replaceTimersMany(db: Db, incidents: readonly TimerOwner[], at: Date): Promise<void> {
  if (incidents.length === 0) return;
  await db
    .updateTable('incident_timers')
    .set({ cancelled_at: at })
    .where('incident_id', 'in', incidents.map((i) => i.id))
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .execute();
  const rows = incidents.flatMap(timerRowsFor);
  if (rows.length) await db.insertInto('incident_timers').values(rows).execute();
}

/** Writes the escalation of many incidents in one statement (each row gets its own level, coordinator and clock). */
export async function escalateMany(
  db: Db,
  rows: readonly { id: number; level: Level; coordinatorUnitId: number; stage: Stage; stageStartedAt: Date; dueAt: Date; warnAt: Date }[],
  at: Date,
): Promise<Incident[]> {
  if (rows.length === 0) return [];
  const payload = JSON.stringify(
    rows.map((r) => ({ id: r.id, level: r.level, coordinator: r.coordinatorUnitId, stage: r.stage, started: r.stageStartedAt.toISOString(), due: r.dueAt.toISOString(), warn: r.warnAt.toISOString() })),
  );
  const { rows: updated } = await sql<Row>`
    update incidents i set
      state = 'filed', level = v.level, coordinator_unit_id = v.coordinator, lead_unit_id = null, co_unit_ids = '{}',
      pending_request = null, handle_due_at = null, stage = v.stage, stage_started_at = v.started, due_at = v.due, warn_at = v.warn,
      sla = 'green', escalation_count = i.escalation_count + 1, version = i.version + 1, updated_at = ${at}
    from jsonb_to_recordset(${payload}::jsonb) as v(id bigint, level text, coordinator bigint, stage text, started timestamptz, due timestamptz, warn timestamptz)
    where i.id = v.id
    returning i.*`.execute(db);
  return updated.map(toIncident);
}

/**
 * Claims up to `limit` due timers (FOR UPDATE SKIP LOCKED: concurrent workers take disjoint sets and never wait on
 * each other) and marks them fired in the same statement; the caller's transaction applies their effects.
 */
export async function claimDueTimers(db: Db, now: Date, limit: number) {
  const { rows } = await sql<{ id: number; incident_id: number; kind: 'warn' | 'due'; stage: Stage; set_for_version: number; fire_at: Date }>`
    update incident_timers set fired_at = ${now}
    where id in (
      select id from incident_timers
      where fired_at is null and cancelled_at is null and fire_at <= ${now}
      order by fire_at
      limit ${limit}
      for update skip locked
    )
    returning id, incident_id, kind, stage, set_for_version, fire_at`.execute(db);
  return rows;
}

/** Locks the incidents a batch of timers belongs to, skipping ones another transaction holds (they are retried). */
export async function lockIncidents(db: Db, ids: readonly number[]): Promise<Incident[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('incidents').selectAll().where('id', 'in', [...ids]).orderBy('id').forUpdate().execute();
  return rows.map(toIncident);
}

export async function unfireTimers(db: Db, timerIds: readonly number[]): Promise<void> {
  if (timerIds.length === 0) return;
  await db.updateTable('incident_timers').set({ fired_at: null }).where('id', 'in', [...timerIds]).execute();
}

export async function setSla(db: Db, id: number, sla: Sla, overdue: boolean, at: Date): Promise<void> {
  await db
    .updateTable('incidents')
    .set((eb) => ({ sla, updated_at: at, version: eb('version', '+', 1), overdue_stages: overdue ? eb('overdue_stages', '+', 1) : eb.ref('overdue_stages') }))
    .where('id', '=', id)
    .execute();
}

export async function unitPaths(db: Db, ids: readonly (number | null)[]): Promise<Map<number, { path: string; name: string; kind: string; code: string }>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('units').select(['id', 'path', 'name', 'kind', 'code']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, { path: r.path, name: r.name, kind: r.kind, code: r.code }]));
}

/** The unit of a kind directly under `parentId` (a town's command center). */
export async function findChildOfKind(db: Db, parentId: number, kind: string): Promise<number | undefined> {
  return (await db.selectFrom('units').select('id').where('parent_id', '=', parentId).where('kind', '=', kind as never).where('retired_at', 'is', null).orderBy('id').executeTakeFirst())?.id;
}

export async function findUnitOfKind(db: Db, kind: string): Promise<number | undefined> {
  return (await db.selectFrom('units').select('id').where('kind', '=', kind as never).where('retired_at', 'is', null).orderBy('id').executeTakeFirst())?.id;
}

/** The units on the path of a unit (its ancestors and itself), for finding the enclosing town and grid. */
export async function findUnitChain(db: Db, unitId: number) {
  const unit = await db.selectFrom('units').select(['id', 'path']).where('id', '=', unitId).executeTakeFirst();
  if (!unit) return [];
  const ids = unit.path.split('/').filter(Boolean).map(Number);
  return db.selectFrom('units').select(['id', 'kind', 'path', 'parent_id', 'name']).where('id', 'in', ids).execute();
}

// ----- scoped queries -------------------------------------------------------------------------------------------

export type ScopeColumn = 'area' | 'lead' | 'co' | 'coordinator';

/** The SQL condition "this incident lies in the scope", judged on the units' current paths. */
export function scopeCondition(eb: ExpressionBuilder<IncidentTables & { i: IncidentsTable }, 'i'>, scope: Scope, columns: readonly ScopeColumn[]): Expression<SqlBool> {
  if (scope.kind === 'all') return sql<boolean>`true`;
  if (scope.kind === 'none') return sql<boolean>`false`;
  const patterns = sql`${`{${scope.paths.map((p) => `"${p}%"`).join(',')}}`}::text[]`;
  const parts = columns.map((c) => {
    switch (c) {
      case 'area':
        return sql<boolean>`exists (select 1 from units su where su.id = i.area_unit_id and su.path like any(${patterns}))`;
      case 'lead':
        return sql<boolean>`exists (select 1 from units su where su.id = i.lead_unit_id and su.path like any(${patterns}))`;
      case 'co':
        return sql<boolean>`exists (select 1 from units su where su.id = any(i.co_unit_ids) and su.path like any(${patterns}))`;
      case 'coordinator':
        return sql<boolean>`exists (select 1 from units su where su.id = i.coordinator_unit_id and su.path like any(${patterns}))`;
    }
  });
  return eb.or(parts);
}

export interface ListFilter {
  readonly states?: readonly State[];
  readonly sla?: Sla;
  readonly urgency?: Urgency;
  readonly categoryId?: number;
  readonly townUnitId?: number;
  readonly channel?: Channel;
  readonly text?: string;
  readonly pending?: boolean;
  readonly from?: Date;
  readonly to?: Date;
}

export type Queue = { readonly scope: Scope; readonly columns: readonly ScopeColumn[]; readonly states?: readonly State[]; readonly pending?: boolean };

function listQuery(db: Db, queue: Queue, f: ListFilter) {
  let q = db.selectFrom('incidents as i').where((eb) => scopeCondition(eb, queue.scope, queue.columns));
  const states = queue.states && f.states ? queue.states.filter((s) => f.states!.includes(s)) : (queue.states ?? f.states);
  if (states) q = q.where('i.state', 'in', states.length ? [...states] : ['__none__' as State]);
  if (queue.pending || f.pending) q = q.where('i.pending_request', 'is not', null);
  if (f.sla) q = q.where('i.sla', '=', f.sla);
  if (f.urgency) q = q.where('i.urgency', '=', f.urgency);
  if (f.categoryId) q = q.where((eb) => eb.or([eb('i.category_id', '=', f.categoryId!), eb('i.category_id', 'in', eb.selectFrom('catalog_categories').select('id').where('parent_id', '=', f.categoryId!))]));
  if (f.townUnitId) q = q.where('i.town_unit_id', '=', f.townUnitId);
  if (f.channel) q = q.where('i.channel', '=', f.channel);
  if (f.from) q = q.where('i.reported_at', '>=', f.from);
  if (f.to) q = q.where('i.reported_at', '<', f.to);
  if (f.text) {
    const like = `%${f.text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where((eb) => eb.or([eb('i.number', 'like', like), eb('i.title', 'like', like), eb('i.description', 'like', like), eb('i.address', 'like', like)]));
  }
  return q;
}

/** A page of a queue: urgent and overdue first, then by deadline, then newest. */
export async function listIncidents(db: Db, queue: Queue, f: ListFilter, page: { limit: number; offset: number }): Promise<Incident[]> {
  const rows = await listQuery(db, queue, f)
    .selectAll('i')
    .orderBy(sql`case i.urgency when 'critical' then 0 when 'urgent' then 1 else 2 end`)
    .orderBy(sql`case i.sla when 'red' then 0 when 'yellow' then 1 else 2 end`)
    .orderBy(sql`i.due_at asc nulls last`)
    .orderBy('i.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(toIncident);
}

export async function countIncidents(db: Db, queue: Queue, f: ListFilter): Promise<number> {
  const r = await listQuery(db, queue, f).select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  return r?.n ?? 0;
}

/** Open incidents near a point with the same category, for duplicate suggestions (a bounding box, then exact distance in code). */
export async function findOpenNear(db: Db, q: { lon: number; lat: number; radiusM: number; categoryId: number | null; limit: number; excludeId?: number }): Promise<Incident[]> {
  const dLat = q.radiusM / 111_320;
  const dLon = q.radiusM / (111_320 * Math.cos((q.lat * Math.PI) / 180));
  let query = db
    .selectFrom('incidents')
    .selectAll()
    .where('lat', '>=', q.lat - dLat)
    .where('lat', '<=', q.lat + dLat)
    .where('lon', '>=', q.lon - dLon)
    .where('lon', '<=', q.lon + dLon)
    .where('state', 'not in', ['closed', 'rejected', 'merged', 'voided']);
  if (q.categoryId) query = query.where('category_id', '=', q.categoryId);
  if (q.excludeId) query = query.where('id', '<>', q.excludeId);
  return (await query.orderBy('reported_at', 'desc').limit(q.limit * 4).execute()).map(toIncident);
}

export async function attachToIncident(db: Db, incidentId: number, attachmentIds: readonly number[], eventId: number | null, isPublic: boolean): Promise<void> {
  if (attachmentIds.length === 0) return;
  await db
    .insertInto('incident_attachments')
    .values(attachmentIds.map((a) => ({ incident_id: incidentId, attachment_id: a, event_id: eventId, public: isPublic })))
    .onConflict((oc) => oc.columns(['incident_id', 'attachment_id']).doNothing())
    .execute();
}

export async function findIncidentAttachments(db: Db, incidentId: number) {
  return db.selectFrom('incident_attachments').selectAll().where('incident_id', '=', incidentId).execute();
}

export async function findReporterPhone(db: Db, id: number): Promise<string | null> {
  return (await db.selectFrom('incidents').select('reporter_phone').where('id', '=', id).executeTakeFirst())?.reporter_phone ?? null;
}

export async function findLookupCodeHash(db: Db, id: number): Promise<string | null> {
  return (await db.selectFrom('incidents').select('lookup_code_hash').where('id', '=', id).executeTakeFirst())?.lookup_code_hash ?? null;
}

export async function setSupervision(db: Db, id: number, level: SupervisionLevel): Promise<void> {
  await db.updateTable('incidents').set({ supervision: level }).where('id', '=', id).execute();
}

/** Open incidents left overdue at a coordinating stage below the district level. */
export async function findOverdueForEscalation(db: Db, limit: number): Promise<number[]> {
  // Constants, not parameters, so that the partial index incidents_escalation_idx (whose predicate this is) serves
  // every execution, including a prepared statement's generic plan: red incidents are few among a million open.
  const { rows } = await sql<{ id: number }>`
    select id from incidents
    where sla = 'red' and level <> 'district' and state in ('reported', 'accepted', 'filed') and stage in ('accept', 'file', 'dispatch')
    order by due_at
    limit ${limit}`.execute(db);
  return rows.map((r) => Number(r.id));
}

/** The parent of a unit when the unit is of the given kind (a command center's town), else undefined. */
export async function findParentIfKind(db: Db, unitId: number, kind: string): Promise<number | undefined> {
  const row = await db.selectFrom('units').select(['parent_id', 'kind']).where('id', '=', unitId).executeTakeFirst();
  return row && row.kind === kind && row.parent_id !== null ? row.parent_id : undefined;
}

export async function findIncidentIdsForAttachment(db: Db, attachmentId: number): Promise<number[]> {
  return (await db.selectFrom('incident_attachments').select('incident_id').where('attachment_id', '=', attachmentId).execute()).map((r) => r.incident_id);
}

/** Counts per unit for the evaluation indicators (see evaluation.rules.ts), grouped by lead unit or by town. */
export async function evaluationCounts(db: Db, q: { by: 'lead' | 'town'; from: Date; to: Date; scope: Scope }) {
  const group = q.by === 'lead' ? sql.ref('i.lead_unit_id') : sql.ref('i.town_unit_id');
  const inPeriod = (col: string) => sql`${sql.ref(col)} >= ${q.from} and ${sql.ref(col)} < ${q.to}`;
  const scopeSql =
    q.scope.kind === 'all'
      ? sql`true`
      : q.scope.kind === 'none'
        ? sql`false`
        : sql`u.path like any(${`{${q.scope.paths.map((p) => `"${p}%"`).join(',')}}`}::text[])`;
  const { rows } = await sql<{
    unit_id: number;
    received: number;
    received_closed: number;
    closed: number;
    closed_on_time: number;
    open_overdue: number;
    reworked: number;
    dispatched: number;
    returned: number;
    rated: number;
    satisfied: number;
    median_handle_s: number | null;
  }>`
    select ${group} as unit_id,
      count(*) filter (where ${inPeriod('i.reported_at')})::int as received,
      count(*) filter (where ${inPeriod('i.reported_at')} and i.state = 'closed')::int as received_closed,
      count(*) filter (where i.state = 'closed' and ${inPeriod('i.closed_at')})::int as closed,
      count(*) filter (where i.state = 'closed' and ${inPeriod('i.closed_at')} and i.closed_on_time)::int as closed_on_time,
      count(*) filter (where i.state not in ('closed', 'rejected', 'merged', 'voided') and i.sla = 'red')::int as open_overdue,
      count(*) filter (where i.state = 'closed' and ${inPeriod('i.closed_at')} and i.rework_count > 0)::int as reworked,
      count(*) filter (where ${inPeriod('i.dispatched_at')})::int as dispatched,
      count(*) filter (where ${inPeriod('i.dispatched_at')} and i.return_count > 0)::int as returned,
      count(*) filter (where ${inPeriod('i.rated_at')})::int as rated,
      count(*) filter (where ${inPeriod('i.rated_at')} and i.rating in ('satisfied', 'basically_satisfied'))::int as satisfied,
      percentile_cont(0.5) within group (order by extract(epoch from (i.reported_back_at - i.dispatched_at)))
        filter (where ${inPeriod('i.reported_back_at')} and i.dispatched_at is not null) as median_handle_s
    from incidents i
    join units u on u.id = ${group}
    where ${group} is not null and i.state not in ('merged', 'voided') and ${scopeSql}
    group by ${group}`.execute(db);
  return rows.map((r) => ({
    unitId: Number(r.unit_id),
    received: r.received,
    receivedClosed: r.received_closed,
    closed: r.closed,
    closedOnTime: r.closed_on_time,
    openOverdue: r.open_overdue,
    reworked: r.reworked,
    dispatched: r.dispatched,
    returned: r.returned,
    rated: r.rated,
    satisfied: r.satisfied,
    medianHandleSeconds: r.median_handle_s === null ? null : Math.round(Number(r.median_handle_s)),
  }));
}

export async function setSlaMany(db: Db, ids: readonly number[], sla: Sla, overdue: boolean, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('incidents')
    .set((eb) => ({ sla, updated_at: at, version: eb('version', '+', 1), overdue_stages: overdue ? eb('overdue_stages', '+', 1) : eb.ref('overdue_stages') }))
    .where('id', 'in', [...ids])
    .execute();
}

export async function setSupervisionMany(db: Db, ids: readonly number[], level: SupervisionLevel): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('incidents').set({ supervision: level }).where('id', 'in', [...ids]).execute();
}

export async function insertEvents(db: Db, events: readonly Parameters<typeof insertEvent>[1][]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('incident_events')
    .values(
      events.map((e) => ({
        incident_id: e.incidentId,
        action: e.action,
        from_state: e.fromState,
        to_state: e.toState,
        actor_user_id: e.actorUserId,
        actor_label: e.actorLabel,
        actor_unit_id: e.actorUnitId,
        at: e.at,
        note: e.note,
        public_note: e.publicNote,
        details: JSON.stringify(e.details),
      })),
    )
    .execute();
}

export async function insertSupervisions(db: Db, rows: readonly Parameters<typeof insertSupervision>[1][]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('incident_supervisions')
    .values(rows.map((s) => ({ incident_id: s.incidentId, level: s.level, note: s.note, issued_by: s.by, issued_by_label: s.byLabel, to_unit_id: s.toUnitId, issued_at: s.at, answered_at: null })))
    .execute();
}

/** Filters of the public list (Open311 GET requests and the portal's list and map). */
export interface PublicFilter {
  readonly numbers?: readonly string[];
  readonly categoryCodes?: readonly string[];
  /** A category or its subcategories. */
  readonly categoryId?: number;
  readonly townUnitId?: number;
  readonly from?: Date;
  readonly to?: Date;
  readonly status?: readonly ('open' | 'closed')[];
  /** minLon, minLat, maxLon, maxLat (WGS-84). */
  readonly bbox?: readonly [number, number, number, number];
}

/** One report as the public may see it: no reporter, no internal notes, no units' people. */
export interface PublicReportRow {
  readonly id: number;
  readonly number: string;
  readonly state: State;
  readonly channel: Channel;
  readonly title: string;
  readonly description: string;
  readonly address: string | null;
  readonly lon: number | null;
  readonly lat: number | null;
  readonly categoryCode: string;
  readonly categoryName: string;
  readonly groupName: string | null;
  readonly townUnitId: number | null;
  readonly townName: string | null;
  readonly leadUnitName: string | null;
  readonly expectedAt: Date | null;
  readonly mediaUrl: string | null;
  readonly statusNote: string | null;
  readonly supporters: number;
  readonly reportedAt: Date;
  readonly updatedAt: Date;
  readonly closedAt: Date | null;
}

/**
 * Which incidents are public at all: filed under a category whose current version is publicly visible, not a
 * 12350 work-safety report (its reporters are protected), not voided.
 */
function publicBase(db: Db) {
  return db
    .selectFrom('incidents as i')
    .innerJoin('catalog_categories as c', 'c.id', 'i.category_id')
    .innerJoin('catalog_category_versions as v', (j) =>
      j.onRef('v.category_id', '=', 'c.id').on('v.version', '=', (eb) =>
        eb.selectFrom('catalog_category_versions as w').select((w) => w.fn.max('w.version').as('m')).whereRef('w.category_id', '=', 'c.id'),
      ),
    )
    .where('v.public_visible', '=', true)
    .where('i.channel', 'not in', [...PRIVATE_CHANNELS])
    .where('i.state', '<>', 'voided');
}

const CLOSED_STATES: State[] = ['closed', 'rejected', 'merged', 'voided'];

function publicQuery(db: Db, f: PublicFilter) {
  let q = publicBase(db);
  if (f.numbers) q = q.where('i.number', 'in', f.numbers.length ? [...f.numbers] : ['']);
  if (f.categoryCodes) q = q.where('c.code', 'in', f.categoryCodes.length ? [...f.categoryCodes] : ['']);
  if (f.categoryId) q = q.where((eb) => eb.or([eb('c.id', '=', f.categoryId!), eb('c.parent_id', '=', f.categoryId!)]));
  if (f.townUnitId) q = q.where('i.town_unit_id', '=', f.townUnitId);
  if (f.from) q = q.where('i.reported_at', '>=', f.from);
  if (f.to) q = q.where('i.reported_at', '<=', f.to);
  if (f.status && f.status.length === 1) q = q.where('i.state', f.status[0] === 'closed' ? 'in' : 'not in', CLOSED_STATES);
  if (f.bbox) {
    const [minLon, minLat, maxLon, maxLat] = f.bbox;
    q = q.where('i.lon', '>=', minLon).where('i.lon', '<=', maxLon).where('i.lat', '>=', minLat).where('i.lat', '<=', maxLat);
  }
  return q;
}

/** A page of public reports, newest first (ties broken by id, so pages never overlap), and the total. */
export async function listPublicReports(db: Db, f: PublicFilter, page: { limit: number; offset: number }): Promise<{ items: PublicReportRow[]; total: number }> {
  const total = (await publicQuery(db, f).select(sql<number>`count(*)::int`.as('n')).executeTakeFirst())?.n ?? 0;
  if (total === 0 || page.offset >= total) return { items: [], total };
  const rows = await publicQuery(db, f)
    .leftJoin('catalog_categories as pc', 'pc.id', 'c.parent_id')
    .leftJoin('units as t', 't.id', 'i.town_unit_id')
    .leftJoin('units as l', 'l.id', 'i.lead_unit_id')
    .select([
      'i.id',
      'i.number',
      'i.state',
      'i.channel',
      'i.title',
      'i.description',
      'i.address',
      'i.lon',
      'i.lat',
      'c.code as category_code',
      'v.name as category_name',
      'i.town_unit_id',
      't.name as town_name',
      'l.name as lead_name',
      'i.handle_due_at',
      'i.media_url',
      'i.supporters',
      'i.reported_at',
      'i.updated_at',
      'i.closed_at',
    ])
    .select((eb) => [
      eb
        .selectFrom('catalog_category_versions as pv')
        .select('pv.name')
        .whereRef('pv.category_id', '=', 'pc.id')
        .orderBy('pv.version', 'desc')
        .limit(1)
        .as('group_name'),
      eb
        .selectFrom('incident_events as e')
        .select('e.public_note')
        .whereRef('e.incident_id', '=', 'i.id')
        .where('e.public_note', 'is not', null)
        .orderBy('e.id', 'desc')
        .limit(1)
        .as('status_note'),
    ])
    .orderBy('i.reported_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      state: r.state,
      channel: r.channel,
      title: r.title,
      description: r.description,
      address: r.address,
      lon: r.lon,
      lat: r.lat,
      categoryCode: r.category_code,
      categoryName: r.category_name,
      groupName: r.group_name ?? null,
      townUnitId: r.town_unit_id,
      townName: r.town_name ?? null,
      leadUnitName: r.lead_name ?? null,
      expectedAt: r.handle_due_at,
      mediaUrl: r.media_url,
      statusNote: r.status_note ?? null,
      supporters: r.supporters,
      reportedAt: r.reported_at,
      updatedAt: r.updated_at,
      closedAt: r.closed_at,
    })),
  };
}

/** A public-safe history entry: a state change or a note written for the public. */
export interface PublicUpdateRow {
  readonly id: number;
  readonly number: string;
  readonly action: string;
  readonly fromState: State | null;
  /** The state after the entry (for a note, the state it was written in). */
  readonly state: State;
  readonly at: Date;
  readonly publicNote: string | null;
}

function publicUpdatesQuery(db: Db, range: { from: Date; to: Date }) {
  return publicBase(db)
    .innerJoin('incident_events as e', 'e.incident_id', 'i.id')
    .where('e.at', '>=', range.from)
    .where('e.at', '<=', range.to)
    .where('e.from_state', 'is not', null) // the intake entry is the request itself, not an update
    .where((eb) => eb.or([eb('e.public_note', 'is not', null), eb(eb.ref('e.to_state'), 'is distinct from', eb.ref('e.from_state'))]));
}

/** Public-safe history entries in a time range, oldest first (by time, then id), and the total. */
export async function listPublicUpdates(db: Db, range: { from: Date; to: Date }, page: { limit: number; offset: number }): Promise<{ items: PublicUpdateRow[]; total: number }> {
  const total = (await publicUpdatesQuery(db, range).select(sql<number>`count(*)::int`.as('n')).executeTakeFirst())?.n ?? 0;
  if (total === 0 || page.offset >= total) return { items: [], total };
  const rows = await publicUpdatesQuery(db, range)
    .select(['e.id', 'i.number', 'e.action', 'e.from_state', 'e.to_state', 'e.at', 'e.public_note'])
    .select((eb) =>
      eb
        .selectFrom('incident_events as p')
        .select('p.to_state')
        .whereRef('p.incident_id', '=', 'e.incident_id')
        .whereRef('p.id', '<=', 'e.id')
        .where('p.to_state', 'is not', null)
        .orderBy('p.id', 'desc')
        .limit(1)
        .as('state_then'),
    )
    .orderBy('e.at')
    .orderBy('e.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    total,
    items: rows.map((r) => ({ id: r.id, number: r.number, action: r.action, fromState: r.from_state, state: (r.to_state ?? r.state_then ?? 'reported') as State, at: r.at, publicNote: r.public_note })),
  };
}
