/** SQL of alarms, their events and the notification outbox. */
import { sql, type Generated, type GeneratedAlways } from 'kysely';
import type { Executor } from '../../kernel/db.js';
import type { Scope } from '../access/index.js';
import type { Grade, RuleKind } from './alarm-rule.rules.js';
import type { Alarm, AlarmEvent, AlarmEventKind, AlarmStatus, Judgement } from './alarm.js';
import { scopeFilter, type AssetTables } from './asset.repository.js';

export interface AlarmsTable {
  id: GeneratedAlways<number>;
  sensor_id: number;
  asset_id: number;
  owner_unit_id: number;
  type: string;
  rule_kind: RuleKind;
  grade: Grade;
  highest_grade: Grade;
  status: AlarmStatus;
  raised_at: Date;
  created_at: Date;
  updated_at: Date;
  trigger_value: number | null;
  last_value: number | null;
  last_reading_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: number | null;
  cleared_at: Date | null;
  cleared_by: number | null;
  clear_reason: string | null;
  judgement: Judgement | null;
  judged_at: Date | null;
  judged_by: number | null;
  judgement_reason: string | null;
  incident_id: number | null;
  incident_number: string | null;
  incident_error: string | null;
  incident_attempts: Generated<number>;
}

export interface AlarmEventsTable {
  id: GeneratedAlways<number>;
  alarm_id: number;
  kind: AlarmEventKind;
  at: Date;
  actor_user_id: number | null;
  grade: Grade | null;
  value: number | null;
  details: unknown;
}

export interface AlarmNotificationsTable {
  id: GeneratedAlways<number>;
  alarm_id: number;
  event_kind: string;
  unit_id: number;
  created_at: Date;
  next_attempt_at: Date;
  attempts: Generated<number>;
  delivered_at: Date | null;
  last_error: string | null;
}

export interface AlarmTables extends AssetTables {
  alarms: AlarmsTable;
  alarm_events: AlarmEventsTable;
  alarm_notifications: AlarmNotificationsTable;
  users: { id: number; display_name: string };
}

type Db = Executor<AlarmTables>;

const alarmQuery = (db: Db) =>
  db
    .selectFrom('alarms as al')
    .innerJoin('sensors as s', 's.id', 'al.sensor_id')
    .innerJoin('assets as a', 'a.id', 'al.asset_id')
    .innerJoin('units as o', 'o.id', 'al.owner_unit_id')
    .leftJoin('units as ar', 'ar.id', 'a.area_unit_id')
    .selectAll('al')
    .select(['s.code as sensor_code', 's.quantity', 's.unit', 's.lon', 's.lat', 'a.code as asset_code', 'a.name as asset_name', 'a.kind as asset_kind', 'o.name as owner_name', 'o.path as owner_path', 'ar.path as area_path']);

type AlarmRow = Awaited<ReturnType<ReturnType<typeof alarmQuery>['executeTakeFirstOrThrow']>>;

const toAlarm = (r: AlarmRow): Alarm => ({
  id: r.id,
  sensorId: r.sensor_id,
  sensorCode: r.sensor_code,
  assetId: r.asset_id,
  assetCode: r.asset_code,
  assetName: r.asset_name,
  assetKind: r.asset_kind,
  ownerUnitId: r.owner_unit_id,
  ownerUnitName: r.owner_name,
  ownerPath: r.owner_path,
  areaPath: r.area_path,
  quantity: r.quantity,
  unit: r.unit,
  lon: r.lon,
  lat: r.lat,
  type: r.type,
  ruleKind: r.rule_kind,
  grade: r.grade,
  highestGrade: r.highest_grade,
  status: r.status,
  raisedAt: r.raised_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  triggerValue: r.trigger_value,
  lastValue: r.last_value,
  lastReadingAt: r.last_reading_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  clearedAt: r.cleared_at,
  clearedBy: r.cleared_by,
  clearReason: r.clear_reason,
  judgement: r.judgement,
  judgedAt: r.judged_at,
  judgedBy: r.judged_by,
  judgementReason: r.judgement_reason,
  incidentId: r.incident_id,
  incidentNumber: r.incident_number,
  incidentError: r.incident_error,
});

export interface AlarmFilter {
  readonly status?: AlarmStatus;
  readonly grade?: Grade;
  readonly judgement?: Judgement | 'none';
  readonly assetId?: number;
  readonly sensorId?: number;
  readonly since?: Date;
}

export async function listAlarms(db: Db, scope: Scope, filter: AlarmFilter, page: { limit: number; beforeId?: number }): Promise<Alarm[]> {
  let q = alarmQuery(db).where(scopeFilter(scope));
  if (filter.status) q = q.where('al.status', '=', filter.status);
  if (filter.grade) q = q.where('al.grade', '=', filter.grade);
  if (filter.judgement === 'none') q = q.where('al.judgement', 'is', null);
  else if (filter.judgement) q = q.where('al.judgement', '=', filter.judgement);
  if (filter.assetId) q = q.where('al.asset_id', '=', filter.assetId);
  if (filter.sensorId) q = q.where('al.sensor_id', '=', filter.sensorId);
  if (filter.since) q = q.where('al.raised_at', '>=', filter.since);
  if (page.beforeId) q = q.where('al.id', '<', page.beforeId);
  const rows = await q.orderBy(sql`al.status = 'active'`, 'desc').orderBy('al.grade').orderBy('al.id', 'desc').limit(page.limit).execute();
  return rows.map(toAlarm);
}

export async function findAlarm(db: Db, id: number, lock = false): Promise<Alarm | undefined> {
  if (lock) await db.selectFrom('alarms').select('id').where('id', '=', id).forUpdate().execute();
  const r = await alarmQuery(db).where('al.id', '=', id).executeTakeFirst();
  return r && toAlarm(r);
}

export async function findActiveAlarm(db: Db, sensorId: number, type: string): Promise<{ id: number; grade: Grade; highestGrade: Grade } | undefined> {
  const r = await db
    .selectFrom('alarms')
    .select(['id', 'grade', 'highest_grade'])
    .where('sensor_id', '=', sensorId)
    .where('type', '=', type)
    .where('status', '=', 'active')
    .forUpdate()
    .executeTakeFirst();
  return r && { id: r.id, grade: r.grade, highestGrade: r.highest_grade };
}

export async function insertAlarm(
  db: Db,
  a: { sensorId: number; assetId: number; ownerUnitId: number; type: string; ruleKind: RuleKind; grade: Grade; raisedAt: Date; now: Date; value: number | null },
): Promise<number> {
  const row = await db
    .insertInto('alarms')
    .values({
      sensor_id: a.sensorId,
      asset_id: a.assetId,
      owner_unit_id: a.ownerUnitId,
      type: a.type,
      rule_kind: a.ruleKind,
      grade: a.grade,
      highest_grade: a.grade,
      status: 'active',
      raised_at: a.raisedAt,
      created_at: a.now,
      updated_at: a.now,
      trigger_value: a.value,
      last_value: a.value,
      last_reading_at: a.value === null ? null : a.raisedAt,
      acknowledged_at: null,
      acknowledged_by: null,
      cleared_at: null,
      cleared_by: null,
      clear_reason: null,
      judgement: null,
      judged_at: null,
      judged_by: null,
      judgement_reason: null,
      incident_id: null,
      incident_number: null,
      incident_error: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateGrade(db: Db, id: number, grade: Grade, at: Date, value: number | null, now: Date): Promise<void> {
  await db
    .updateTable('alarms')
    .set((eb) => ({
      grade,
      highest_grade: sql<Grade>`least(${eb.ref('highest_grade')}, ${grade})`,
      last_value: value,
      last_reading_at: at,
      updated_at: now,
    }))
    .where('id', '=', id)
    .execute();
}

export async function clearAlarm(db: Db, id: number, c: { at: Date; by: number | null; reason: string | null; value: number | null; now: Date }): Promise<void> {
  await db
    .updateTable('alarms')
    .set({ status: 'cleared', cleared_at: c.at, cleared_by: c.by, clear_reason: c.reason, updated_at: c.now, ...(c.value === null ? {} : { last_value: c.value, last_reading_at: c.at }) })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .execute();
}

export async function acknowledge(db: Db, id: number, by: number | null, now: Date): Promise<void> {
  await db.updateTable('alarms').set({ acknowledged_at: now, acknowledged_by: by, updated_at: now }).where('id', '=', id).execute();
}

export async function judge(db: Db, id: number, j: { judgement: Judgement; by: number | null; reason: string | null; now: Date }): Promise<void> {
  await db
    .updateTable('alarms')
    .set({ judgement: j.judgement, judged_by: j.by, judged_at: j.now, judgement_reason: j.reason, updated_at: j.now })
    .where('id', '=', id)
    .execute();
}

export async function recordIncident(db: Db, id: number, r: { incidentId: number; number: string } | { error: string }, now: Date): Promise<void> {
  await db
    .updateTable('alarms')
    .set((eb) =>
      'error' in r
        ? { incident_error: r.error.slice(0, 500), incident_attempts: eb('incident_attempts', '+', 1), updated_at: now }
        : { incident_id: r.incidentId, incident_number: r.number, incident_error: null, incident_attempts: eb('incident_attempts', '+', 1), updated_at: now },
    )
    .where('id', '=', id)
    .execute();
}

/** Confirmed alarms still waiting for their incident, oldest first. */
export async function pendingIncidents(db: Db, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('alarms').select('id').where('judgement', '=', 'confirmed').where('incident_id', 'is', null).orderBy('judged_at').limit(limit).execute();
  return rows.map((r) => r.id);
}

export async function appendEvent(
  db: Db,
  e: { alarmId: number; kind: AlarmEventKind; at: Date; actorUserId: number | null; grade?: Grade | null; value?: number | null; details?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('alarm_events')
    .values({ alarm_id: e.alarmId, kind: e.kind, at: e.at, actor_user_id: e.actorUserId, grade: e.grade ?? null, value: e.value ?? null, details: JSON.stringify(e.details ?? {}) })
    .execute();
}

export async function eventsOf(db: Db, alarmId: number): Promise<AlarmEvent[]> {
  const rows = await db
    .selectFrom('alarm_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.alarm_id', 'e.kind', 'e.at', 'e.actor_user_id', 'u.display_name', 'e.grade', 'e.value', 'e.details'])
    .where('e.alarm_id', '=', alarmId)
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    alarmId: r.alarm_id,
    kind: r.kind,
    at: r.at,
    actorUserId: r.actor_user_id,
    actorName: r.display_name,
    grade: r.grade,
    value: r.value,
    details: (r.details ?? {}) as Record<string, unknown>,
  }));
}

export async function enqueueNotification(db: Db, n: { alarmId: number; eventKind: string; unitIds: readonly number[]; now: Date }): Promise<void> {
  if (n.unitIds.length === 0) return;
  await db
    .insertInto('alarm_notifications')
    .values([...new Set(n.unitIds)].map((unitId) => ({ alarm_id: n.alarmId, event_kind: n.eventKind, unit_id: unitId, created_at: n.now, next_attempt_at: n.now })))
    .execute();
}

/** Claims due notifications (pushing their next attempt into the future, so another worker skips them). */
export async function claimNotifications(db: Db, now: Date, retryAt: Date, limit: number) {
  const r = await sql<{ id: number; alarm_id: number; event_kind: string; unit_id: number; attempts: number; unit_code: string; unit_name: string }>`
    update alarm_notifications n set next_attempt_at = ${retryAt}, attempts = n.attempts + 1
    from units u
    where u.id = n.unit_id and n.id in (
      select id from alarm_notifications where delivered_at is null and next_attempt_at <= ${now}
      order by next_attempt_at limit ${limit} for update skip locked
    )
    returning n.id, n.alarm_id, n.event_kind, n.unit_id, n.attempts, u.code as unit_code, u.name as unit_name`.execute(db);
  return r.rows;
}

export async function markNotification(db: Db, id: number, outcome: { deliveredAt: Date } | { error: string; nextAttemptAt: Date }): Promise<void> {
  await db
    .updateTable('alarm_notifications')
    .set('deliveredAt' in outcome ? { delivered_at: outcome.deliveredAt, last_error: null } : { last_error: outcome.error.slice(0, 500), next_attempt_at: outcome.nextAttemptAt })
    .where('id', '=', id)
    .execute();
}

export async function notificationsOf(db: Db, alarmId: number) {
  return db
    .selectFrom('alarm_notifications as n')
    .innerJoin('units as u', 'u.id', 'n.unit_id')
    .select(['n.id', 'n.event_kind', 'u.name as unit_name', 'n.created_at', 'n.delivered_at', 'n.attempts', 'n.last_error'])
    .where('n.alarm_id', '=', alarmId)
    .orderBy('n.id')
    .execute();
}

/** Active alarms on each of these assets: the most severe grade and how many. */
export async function activeByAsset(db: Db, scope: Scope): Promise<Map<number, { grade: Grade; count: number }>> {
  const rows = await db
    .selectFrom('alarms as al')
    .innerJoin('assets as a', 'a.id', 'al.asset_id')
    .innerJoin('units as o', 'o.id', 'al.owner_unit_id')
    .leftJoin('units as ar', 'ar.id', 'a.area_unit_id')
    .select(['al.asset_id', sql<Grade>`min(al.grade)`.as('grade'), sql<number>`count(*)::int`.as('count')])
    .where('al.status', '=', 'active')
    .where(scopeFilter(scope))
    .groupBy('al.asset_id')
    .execute();
  return new Map(rows.map((r) => [r.asset_id, { grade: r.grade, count: r.count }]));
}

/** The rows statistics are computed from: alarms raised in [from, to) within the scope. */
export async function statisticsRows(db: Db, scope: Scope, from: Date, to: Date) {
  return db
    .selectFrom('alarms as al')
    .innerJoin('assets as a', 'a.id', 'al.asset_id')
    .innerJoin('units as o', 'o.id', 'al.owner_unit_id')
    .leftJoin('units as ar', 'ar.id', 'a.area_unit_id')
    .select(['al.status', 'al.highest_grade', 'al.judgement', 'al.raised_at', 'al.acknowledged_at', 'al.judged_at', 'al.owner_unit_id', 'o.name as owner_name'])
    .where('al.raised_at', '>=', from)
    .where('al.raised_at', '<', to)
    .where(scopeFilter(scope))
    .execute();
}

/** Readings around an alarm, to attach to its incident. */
export async function readingsAround(db: Db, sensorId: number, from: Date, to: Date, limit: number): Promise<{ ts: Date; value: number }[]> {
  const r = await sql<{ ts: Date; value: number }>`
    select ts, value from readings where sensor_id = ${sensorId} and ts >= ${from} and ts <= ${to} order by ts desc limit ${limit}`.execute(db);
  return r.rows.reverse();
}
