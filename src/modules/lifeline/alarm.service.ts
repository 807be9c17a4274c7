/**
 * Use cases of alarms: applying the rules' transitions (inside the ingest transaction), the people's actions
 * (acknowledge, clear, judge), the hand-over of a confirmed alarm to the case flow, notifications and statistics.
 *
 * Confirming runs in three steps so that nothing is lost and nothing runs twice:
 *   1. one transaction saves the judgement (and its event and audit entry);
 *   2. outside any transaction, the incident port opens the incident (idempotent by `alarm:<id>`);
 *   3. one transaction records the incident's id and number — or the error, which a job retries.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Database, Executor } from '../../kernel/db.js';
import { isDomainError, notFound } from '../../kernel/errors.js';
import { SYSTEM, type Initiator } from '../../kernel/initiator.js';
import type { Logger } from '../../kernel/logger.js';
import { authorize, can, scopeFor, type PolicyActor } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { DISTRICT_CENTER_CODE } from '../organization/index.js';
import type { AlarmNotifier } from './alarm-notifier.js';
import { EMPTY_STATE, resetRule, type Grade, type Transition } from './alarm-rule.rules.js';
import { computeStatistics } from './alarm-statistics.rules.js';
import type { Alarm, AlarmEvent, AlarmStatistics } from './alarm.js';
import { allowedAlarmActions, decideAlarmAction, type AlarmAction } from './alarm.workflow.js';
import * as repo from './alarm.repository.js';
import * as assetRepo from './asset.repository.js';
import type { IncidentPort } from './incident-port.js';
import type { SensorInfo } from './sensor-registry.js';
import * as telemetryRepo from './telemetry.repository.js';

export interface AlarmContext {
  readonly actor: PolicyActor;
  readonly by: Initiator;
}

export interface AlarmDetail {
  readonly alarm: Alarm;
  readonly events: AlarmEvent[];
  readonly notifications: Awaited<ReturnType<typeof repo.notificationsOf>>;
  readonly actions: AlarmAction[];
}

export interface AlarmService {
  list(actor: PolicyActor, filter?: repo.AlarmFilter, page?: { limit: number; beforeId?: number }): Promise<Alarm[]>;
  get(actor: PolicyActor, id: number): Promise<AlarmDetail>;
  /** Active alarms per asset (most severe grade and count), within the actor's reach. */
  activeByAsset(actor: PolicyActor): Promise<Map<number, { grade: Grade; count: number }>>;
  act(ctx: AlarmContext, id: number, action: AlarmAction, input?: { reason?: string }): Promise<Alarm>;
  statistics(actor: PolicyActor, from: Date, to: Date): Promise<AlarmStatistics>;
  /** Job: opens the incidents of confirmed alarms still waiting for one. */
  retryPendingIncidents(limit?: number): Promise<{ opened: number; failed: number }>;
  /** Job: delivers due notifications from the outbox. */
  deliverNotifications(limit?: number): Promise<{ delivered: number; failed: number }>;
}

/** What an alarm transition needs to know about its sensor. */
export type TransitionItem = { readonly sensor: Pick<SensorInfo, 'id' | 'assetId' | 'ownerUnitId'>; readonly transition: Transition };

export const alarmResource = (a: Pick<Alarm, 'ownerPath' | 'areaPath'>) => ({ areaPath: a.areaPath, unitPaths: [a.ownerPath] });

/** Who is told of an alarm event: the owning unit always; the district center too for 红 Ⅰ and 橙 Ⅱ. */
export function notifiedUnits(ownerUnitId: number, grade: Grade, centerUnitId: number | null): number[] {
  return grade <= 2 && centerUnitId !== null ? [ownerUnitId, centerUnitId] : [ownerUnitId];
}

/**
 * Writes the alarms, events and notifications of rule transitions, inside the caller's transaction (the one that
 * stored the readings and the rule state). At most one active alarm per (sensor, type): the state and the alarm
 * table agree because they change together; should they ever disagree, the table wins (a raise on an active
 * alarm updates it, a change without one raises it).
 */
export async function applyTransitions(tx: Executor, items: readonly TransitionItem[], now: Date, centerUnitId: number | null): Promise<void> {
  for (const { sensor, transition: t } of items) {
    const at = new Date(t.at);
    const active = await repo.findActiveAlarm(tx, sensor.id, t.key);
    if (t.kind === 'clear') {
      if (!active) continue;
      await repo.clearAlarm(tx, active.id, { at, by: null, reason: null, value: t.value, now });
      await repo.appendEvent(tx, { alarmId: active.id, kind: 'cleared', at: now, actorUserId: null, grade: active.grade, value: t.value, details: { auto: true, readingAt: at.toISOString() } });
      await repo.enqueueNotification(tx, { alarmId: active.id, eventKind: 'cleared', unitIds: [sensor.ownerUnitId], now });
      continue;
    }
    if (!active) {
      const id = await repo.insertAlarm(tx, { sensorId: sensor.id, assetId: sensor.assetId, ownerUnitId: sensor.ownerUnitId, type: t.key, ruleKind: t.ruleKind, grade: t.grade, raisedAt: at, now, value: t.value });
      await repo.appendEvent(tx, { alarmId: id, kind: 'raised', at: now, actorUserId: null, grade: t.grade, value: t.value, details: { readingAt: at.toISOString() } });
      await repo.enqueueNotification(tx, { alarmId: id, eventKind: 'raised', unitIds: notifiedUnits(sensor.ownerUnitId, t.grade, centerUnitId), now });
      continue;
    }
    if (active.grade === t.grade) continue;
    await repo.updateGrade(tx, active.id, t.grade, at, t.value, now);
    await repo.appendEvent(tx, { alarmId: active.id, kind: 'grade_changed', at: now, actorUserId: null, grade: t.grade, value: t.value, details: { from: active.grade, readingAt: at.toISOString() } });
    if (t.grade < active.grade) await repo.enqueueNotification(tx, { alarmId: active.id, eventKind: 'escalated', unitIds: notifiedUnits(sensor.ownerUnitId, t.grade, centerUnitId), now });
  }
}

/** The district center's unit id, looked up once (null when the reference tree lacks it). */
export function centerUnitLookup(database: Database): () => Promise<number | null> {
  let cached: Promise<number | null> | undefined;
  return () => (cached ??= assetRepo.unitsByCodes(database.db, [DISTRICT_CENTER_CODE]).then((r) => r[0]?.id ?? null));
}

const ASSET_TITLES: Record<string, string> = {
  gas_pipeline: '燃气',
  water_pipeline: '供水',
  drainage_pipeline: '排水',
  bridge: '桥梁',
  utility_tunnel: '综合管廊',
  risk_point: '风险点',
};
const GRADE_NAMES: Record<Grade, string> = { 1: 'Ⅰ级（红色）', 2: 'Ⅱ级（橙色）', 3: 'Ⅲ级（黄色）', 4: 'Ⅳ级（蓝色）' };

export function createAlarmService(deps: {
  database: Database;
  clock: Clock;
  audit: AuditService;
  incidents: IncidentPort;
  notifier: AlarmNotifier;
  logger: Logger;
  publicUrl: string;
}): AlarmService {
  const { database, clock, audit, incidents, notifier, logger } = deps;
  const db = database.db;

  const load = async (x: Executor, id: number, lock = false) => {
    const alarm = await repo.findAlarm(x, id, lock);
    if (!alarm) throw notFound('ALARM.NOT_FOUND', `No alarm ${id}`, { id });
    return alarm;
  };

  async function openIncident(alarmId: number, by: Initiator): Promise<boolean> {
    const alarm = await load(db, alarmId);
    if (alarm.incidentId !== null) return true;
    const assetRow = await assetRepo.findAsset(db, alarm.assetId);
    const readings = await repo.readingsAround(db, alarm.sensorId, new Date(alarm.raisedAt.getTime() - 3_600_000), clock.now(), 200);
    const what = `${ASSET_TITLES[alarm.assetKind] ?? ''}${GRADE_NAMES[alarm.grade]}告警`;
    const request = {
      sourceRef: `alarm:${alarm.id}`,
      alarmId: alarm.id,
      owningUnitId: alarm.ownerUnitId,
      owningUnitCode: (await assetRepo.unitById(db, alarm.ownerUnitId))?.code ?? '',
      title: `${alarm.assetName}：${what}`,
      description:
        `城市生命线监测告警经研判确认。资产：${alarm.assetName}（${alarm.assetCode}）；传感器：${alarm.sensorCode}；` +
        `告警类型：${alarm.type}；最高等级：${GRADE_NAMES[alarm.highestGrade]}；触发值：${alarm.triggerValue ?? '—'} ${alarm.unit}；` +
        `最新值：${alarm.lastValue ?? '—'} ${alarm.unit}；告警时间：${alarm.raisedAt.toISOString()}。` +
        (alarm.judgementReason ? `研判意见：${alarm.judgementReason}` : ''),
      location: { lon: alarm.lon, lat: alarm.lat, address: assetRow?.address ?? null, areaUnitId: assetRow?.areaUnitId ?? null },
      urgency: alarm.highestGrade <= 2 ? ('urgent' as const) : ('normal' as const),
      grade: alarm.highestGrade,
      categoryHint: `lifeline.${alarm.assetKind}`,
      raisedAt: alarm.raisedAt,
      confirmedAt: alarm.judgedAt ?? clock.now(),
      asset: { id: alarm.assetId, code: alarm.assetCode, name: alarm.assetName, kind: alarm.assetKind },
      sensor: { id: alarm.sensorId, code: alarm.sensorCode, quantity: alarm.quantity, unit: alarm.unit },
      readings,
      alarmPath: `/workbench/lifeline/alarms/${alarm.id}`,
    };
    try {
      const opened = await incidents.openIncidentFromAlarm(request, by);
      await database.transaction(async (tx) => {
        await repo.recordIncident(tx, alarm.id, opened, clock.now());
        await repo.appendEvent(tx, { alarmId: alarm.id, kind: 'incident_opened', at: clock.now(), actorUserId: by.userId, details: { incidentId: opened.incidentId, number: opened.number } });
        await audit.append(tx, { action: 'alarm.incident_opened', target: { type: 'alarm', id: alarm.id }, details: { incidentId: opened.incidentId, number: opened.number } }, by);
      });
      return true;
    } catch (e) {
      const code = isDomainError(e) ? e.code : 'ERROR';
      const message = `${code}: ${(e as Error).message}`;
      logger.warn({ alarmId: alarm.id, err: e }, 'incident for confirmed alarm not opened');
      await database.transaction(async (tx) => {
        await repo.recordIncident(tx, alarm.id, { error: message }, clock.now());
        // One event per distinct failure, not one per retry.
        if (alarm.incidentError !== message) {
          await repo.appendEvent(tx, { alarmId: alarm.id, kind: 'incident_failed', at: clock.now(), actorUserId: by.userId, details: { code, message: (e as Error).message } });
        }
      });
      return false;
    }
  }

  const service: AlarmService = {
    async list(actor, filter = {}, page = { limit: 100 }) {
      authorize(actor, 'alarm.read');
      return repo.listAlarms(db, scopeFor(actor, 'alarm.read'), filter, { limit: Math.min(page.limit, 1000), beforeId: page.beforeId });
    },

    async get(actor, id) {
      const alarm = await load(db, id);
      authorize(actor, 'alarm.read', alarmResource(alarm));
      const [events, notifications] = await Promise.all([repo.eventsOf(db, id), repo.notificationsOf(db, id)]);
      return { alarm, events, notifications, actions: allowedAlarmActions(alarm, (p) => can(actor, p, alarmResource(alarm))) };
    },

    async activeByAsset(actor) {
      authorize(actor, 'alarm.read');
      return repo.activeByAsset(db, scopeFor(actor, 'alarm.read'));
    },

    async act(ctx, id, action, input = {}) {
      const now = clock.now();
      const reason = input.reason?.trim() || null;
      if (action === 'retry_incident') {
        const alarm = await load(db, id);
        authorize(ctx.actor, 'alarm.judge', alarmResource(alarm));
        decideAlarmAction(alarm, action, input);
        await openIncident(id, ctx.by);
        return load(db, id);
      }
      await database.transaction(async (tx) => {
        // Lock order, as in ingest: the sensor's rule state first, then the alarm.
        const peek = await load(tx, id);
        const states = action === 'clear' ? await telemetryRepo.lockStates(tx, [peek.sensorId]) : undefined;
        const alarm = await load(tx, id, true);
        const permission = action === 'confirm' || action === 'false_alarm' ? 'alarm.judge' : 'alarm.acknowledge';
        authorize(ctx.actor, permission, alarmResource(alarm));
        decideAlarmAction(alarm, action, input);
        switch (action) {
          case 'acknowledge':
            await repo.acknowledge(tx, id, ctx.by.userId, now);
            await repo.appendEvent(tx, { alarmId: id, kind: 'acknowledged', at: now, actorUserId: ctx.by.userId });
            break;
          case 'clear': {
            await repo.clearAlarm(tx, id, { at: now, by: ctx.by.userId, reason, value: null, now });
            await repo.appendEvent(tx, { alarmId: id, kind: 'cleared', at: now, actorUserId: ctx.by.userId, grade: alarm.grade, details: { auto: false, reason } });
            // The rule starts afresh, so a condition that persists raises a new alarm after its duration.
            const st = states?.get(alarm.sensorId);
            const next = resetRule(st?.state ?? EMPTY_STATE, alarm.type);
            await telemetryRepo.updateRuleState(tx, alarm.sensorId, next, now);
            break;
          }
          case 'confirm':
          case 'false_alarm':
            // A judgement implies the alarm was seen.
            if (!alarm.acknowledgedAt) await repo.acknowledge(tx, id, ctx.by.userId, now);
            await repo.judge(tx, id, { judgement: action === 'confirm' ? 'confirmed' : 'false_alarm', by: ctx.by.userId, reason, now });
            await repo.appendEvent(tx, { alarmId: id, kind: action === 'confirm' ? 'confirmed' : 'false_alarm', at: now, actorUserId: ctx.by.userId, details: { reason } });
            break;
        }
        await audit.append(tx, { action: `alarm.${action}`, target: { type: 'alarm', id }, details: { reason, grade: alarm.grade, sensor: alarm.sensorCode } }, ctx.by);
      });
      if (action === 'confirm') await openIncident(id, ctx.by);
      return load(db, id);
    },

    async statistics(actor, from, to) {
      authorize(actor, 'alarm.read');
      return computeStatistics(await repo.statisticsRows(db, scopeFor(actor, 'alarm.read'), from, to));
    },

    async retryPendingIncidents(limit = 20) {
      let opened = 0;
      let failed = 0;
      for (const id of await repo.pendingIncidents(db, limit)) {
        if (await openIncident(id, SYSTEM)) opened++;
        else failed++;
      }
      return { opened, failed };
    },

    async deliverNotifications(limit = 100) {
      const now = clock.now();
      // Claimed rows are pushed a minute ahead, so a worker that dies mid-delivery leaves them to be retried.
      const claimed = await repo.claimNotifications(db, now, new Date(now.getTime() + 60_000), limit);
      let delivered = 0;
      let failed = 0;
      for (const n of claimed) {
        const alarm = await repo.findAlarm(db, n.alarm_id);
        if (!alarm) continue;
        try {
          await notifier.notify({
            alarmId: alarm.id,
            event: n.event_kind,
            unitCode: n.unit_code,
            unitName: n.unit_name,
            grade: alarm.grade,
            status: alarm.status,
            assetName: alarm.assetName,
            sensorCode: alarm.sensorCode,
            type: alarm.type,
            value: alarm.lastValue,
            unit: alarm.unit,
            raisedAt: alarm.raisedAt,
            url: `${deps.publicUrl}/workbench/lifeline/alarms/${alarm.id}`,
          });
          await repo.markNotification(db, n.id, { deliveredAt: clock.now() });
          delivered++;
        } catch (e) {
          // Back off: 1, 2, 4 … minutes, at most an hour.
          const delay = Math.min(3_600_000, 60_000 * 2 ** Math.min(6, n.attempts - 1));
          await repo.markNotification(db, n.id, { error: (e as Error).message, nextAttemptAt: new Date(clock.now().getTime() + delay) });
          failed++;
        }
      }
      return { delivered, failed };
    },
  };
  return service;
}
