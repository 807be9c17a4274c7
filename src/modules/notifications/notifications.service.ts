/**
 * Telling people: an in-app inbox per person (written in the same transaction as the change it reports), and an
 * outbox for webhooks, SMS and e-mail that the worker delivers with retries. SMS and e-mail go through a
 * `Sender` interface; the default senders only log, since no gateway is configured.
 */
import { createHmac } from 'node:crypto';
import type { RawBuilder } from 'kysely';
import type { Clock } from '../../kernel/clock.js';
import type { Database, Executor } from '../../kernel/db.js';
import { invalid } from '../../kernel/errors.js';
import { randomToken } from '../../kernel/ids.js';
import { ttlCache } from '../../kernel/ttl-cache.js';
import type { Initiator } from '../../kernel/initiator.js';
import type { Logger } from '../../kernel/logger.js';
import { authorize, type PolicyActor } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import * as repo from './notifications.repository.js';

export interface Notification {
  readonly id: number;
  readonly kind: string;
  readonly params: Record<string, unknown>;
  readonly link: string | null;
  readonly incidentId: number | null;
  readonly createdAt: Date;
  readonly readAt: Date | null;
}

export interface NoticeInput {
  readonly kind: string;
  readonly params: Record<string, unknown>;
  readonly link?: string;
  readonly incidentId?: number;
}

/** Delivers one message on a channel; throws to have it retried. */
export interface Sender {
  send(target: string, payload: unknown): Promise<void>;
}

export interface Senders {
  readonly webhook: Sender;
  readonly sms: Sender;
  readonly email: Sender;
}

export interface NotificationService {
  /** Notifies everyone holding a post in these units (optionally only these roles), inside the caller's transaction. */
  notifyUnits(tx: Executor, unitIds: readonly number[], notice: NoticeInput, roles?: readonly string[]): Promise<number>;
  notifyUsers(tx: Executor, userIds: readonly number[], notice: NoticeInput): Promise<void>;
  /**
   * The same notices as notifyUnits, as a statement for the WITH list of the statement that writes the record they
   * are about (read from the CTE `source`: id, number, title; the link is `linkPrefix` + id). For hot paths.
   */
  unitNoticesWithin(source: string, notices: readonly repo.UnitNotice[], linkPrefix: string): RawBuilder<unknown>;
  /** Many notices at once (a worker sweep): people are looked up once per unit, and written in one statement. */
  notifyMany(tx: Executor, items: readonly { unitIds: readonly number[]; notice: NoticeInput }[]): Promise<void>;
  /** Queues an event for every active webhook subscribed to it, inside the caller's transaction. */
  publish(tx: Executor, event: string, data: Record<string, unknown>): Promise<void>;
  /** Queues an SMS or e-mail, inside the caller's transaction. */
  queueMessage(tx: Executor, channel: 'sms' | 'email', target: string, payload: { kind: string; params: Record<string, unknown> }): Promise<void>;
  inbox(userId: number, limit?: number): Promise<Notification[]>;
  unreadCount(userId: number): Promise<number>;
  markRead(userId: number, ids: readonly number[] | 'all'): Promise<void>;
  /** Delivers due outbox messages; returns how many were sent. */
  deliverDue(limit?: number): Promise<{ sent: number; failed: number }>;
  addWebhook(actor: PolicyActor, by: Initiator, input: { name: string; url: string; events: readonly string[] }): Promise<{ id: number; secret: string }>;
  listWebhooks(actor: PolicyActor): Promise<{ id: number; name: string; url: string; events: string[]; active: boolean }[]>;
  setWebhookActive(actor: PolicyActor, by: Initiator, id: number, active: boolean): Promise<void>;
}

/** Retry schedule for failed deliveries: 1 min, 5 min, 30 min, 2 h, 12 h, then give up. */
const RETRY_MS = [60_000, 300_000, 1_800_000, 7_200_000, 43_200_000];

/** Webhook payloads carry an HMAC-SHA256 signature of the body, so a receiver can check they came from here. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function httpWebhookSender(fetchImpl: typeof fetch = fetch, timeoutMs = 5000): Sender {
  return {
    async send(target, payload) {
      const { url, secret, body } = payload as { url: string; secret: string; body: unknown };
      const text = JSON.stringify(body);
      const res = await fetchImpl(url ?? target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-zhizhi-signature': signBody(secret, text) },
        body: text,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    },
  };
}

/** A sender that writes what it would send to the log (phone numbers and addresses are redacted there). */
export function loggingSender(logger: Logger, channel: string): Sender {
  return {
    async send(target, payload) {
      logger.info({ channel, phone: target, payload }, 'message (logging sender: no gateway configured)');
    },
  };
}

const toNotification = (r: Awaited<ReturnType<typeof repo.findNotifications>>[number]): Notification => ({
  id: r.id,
  kind: r.kind,
  params: (r.params ?? {}) as Record<string, unknown>,
  link: r.link,
  incidentId: r.incident_id,
  createdAt: r.created_at,
  readAt: r.read_at,
});

export function createNotificationService(database: Database, clock: Clock, audit: AuditService, senders: Senders): NotificationService {
  const { db } = database;
  // Every state change publishes an event; the list of webhooks changes rarely (seen everywhere within 5 s).
  const hooks = ttlCache<string, Awaited<ReturnType<typeof repo.findActiveWebhooks>>>(5000, () => clock.now().getTime());
  const service: NotificationService = {
    async notifyUnits(tx, unitIds, notice, roles) {
      return repo.insertNotificationsForUnits(tx, [...new Set(unitIds)], roles, { kind: notice.kind, params: notice.params, link: notice.link ?? null, incidentId: notice.incidentId ?? null }, clock.now());
    },
    unitNoticesWithin: (source, notices, linkPrefix) => repo.unitNoticesStatement(source, notices, linkPrefix, clock.now()),
    async notifyUsers(tx, userIds, notice) {
      await repo.insertNotifications(
        tx,
        [...new Set(userIds)].map((userId) => ({ userId, kind: notice.kind, params: notice.params, link: notice.link ?? null, incidentId: notice.incidentId ?? null })),
        clock.now(),
      );
    },
    async notifyMany(tx, items) {
      const people = new Map<number, number[]>();
      for (const unitId of new Set(items.flatMap((i) => i.unitIds))) people.set(unitId, await repo.findUsersInUnits(tx, [unitId]));
      const rows = items.flatMap(({ unitIds, notice }) =>
        [...new Set(unitIds.flatMap((u) => people.get(u) ?? []))].map((userId) => ({ userId, kind: notice.kind, params: notice.params, link: notice.link ?? null, incidentId: notice.incidentId ?? null })),
      );
      for (let i = 0; i < rows.length; i += 1000) await repo.insertNotifications(tx, rows.slice(i, i + 1000), clock.now());
    },
    async publish(tx, event, data) {
      const subscribed = await hooks.get(event, () => repo.findActiveWebhooks(tx, event));
      const at = clock.now();
      await repo.enqueue(
        tx,
        subscribed.map((h) => ({ channel: 'webhook' as const, target: h.url, payload: { url: h.url, secret: h.secret, body: { event, at: at.toISOString(), data } } })),
        at,
      );
    },
    async queueMessage(tx, channel, target, payload) {
      await repo.enqueue(tx, [{ channel, target, payload }], clock.now());
    },
    inbox: async (userId, limit = 50) => (await repo.findNotifications(db, userId, Math.min(limit, 200))).map(toNotification),
    unreadCount: (userId) => repo.countUnread(db, userId),
    markRead: (userId, ids) => repo.markRead(db, userId, ids, clock.now()),
    async deliverDue(limit = 100) {
      const now = clock.now();
      const rows = await repo.claimOutbox(db, now, 120_000, limit);
      let sent = 0;
      let failed = 0;
      for (const row of rows) {
        try {
          await senders[row.channel].send(row.target, row.payload);
          await repo.markSent(db, row.id, clock.now());
          sent++;
        } catch (e) {
          const retry = RETRY_MS[row.attempts - 1];
          await repo.markAttemptFailed(db, row.id, e instanceof Error ? e.message : String(e), retry ? new Date(clock.now().getTime() + retry) : null, clock.now());
          failed++;
        }
      }
      return { sent, failed };
    },
    async addWebhook(actor, by, input) {
      authorize(actor, 'user.manage');
      let url: URL;
      try {
        url = new URL(input.url);
      } catch {
        throw invalid('WEBHOOK.URL_INVALID', 'Not a URL', [{ path: 'url', code: 'WEBHOOK.URL_INVALID', message: 'not a URL' }]);
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('WEBHOOK.URL_INVALID', 'Only http(s) URLs', [{ path: 'url', code: 'WEBHOOK.URL_INVALID', message: 'http(s) only' }]);
      if (input.events.length === 0) throw invalid('WEBHOOK.NO_EVENTS', 'Choose at least one event', [{ path: 'events', code: 'field.required', message: 'events required' }]);
      const secret = randomToken(24);
      return database.transaction(async (tx) => {
        const row = await repo.insertWebhook(tx, { name: input.name.trim().slice(0, 100) || url.host, url: url.toString(), secret, events: input.events, createdBy: by.userId, at: clock.now() });
        hooks.clear();
        await audit.append(tx, { action: 'webhook.create', target: { type: 'webhook', id: row.id }, details: { url: url.toString(), events: input.events } }, by);
        return { id: row.id, secret };
      });
    },
    async listWebhooks(actor) {
      authorize(actor, 'user.manage');
      return (await repo.findWebhooks(db)).map((w) => ({ id: w.id, name: w.name, url: w.url, events: w.events, active: w.active }));
    },
    async setWebhookActive(actor, by, id, active) {
      authorize(actor, 'user.manage');
      await database.transaction(async (tx) => {
        await repo.setWebhookActive(tx, id, active);
        hooks.clear();
        await audit.append(tx, { action: active ? 'webhook.enable' : 'webhook.disable', target: { type: 'webhook', id } }, by);
      });
    },
  };
  return service;
}
