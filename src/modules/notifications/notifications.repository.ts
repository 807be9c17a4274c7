/** All SQL of notifications: the in-app inbox and the outbox of webhooks, SMS and e-mail. */
import { sql, type GeneratedAlways, type RawBuilder } from 'kysely';
import type { Executor } from '../../kernel/db.js';

export interface NotificationsTable {
  id: GeneratedAlways<number>;
  user_id: number;
  kind: string;
  params: unknown;
  link: string | null;
  incident_id: number | null;
  created_at: Date;
  read_at: Date | null;
}

export interface WebhooksTable {
  id: GeneratedAlways<number>;
  name: string;
  url: string;
  secret: string;
  events: string[];
  active: boolean;
  created_by: number | null;
  created_at: Date;
}

export interface OutboxTable {
  id: GeneratedAlways<number>;
  channel: 'webhook' | 'sms' | 'email';
  target: string;
  payload: unknown;
  attempts: number;
  next_attempt_at: Date;
  sent_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
  created_at: Date;
}

interface Tables {
  notifications: NotificationsTable;
  webhooks: WebhooksTable;
  outbox: OutboxTable;
  user_posts: { user_id: number; unit_id: number; role: string; ended_at: Date | null };
  users: { id: number; disabled_at: Date | null };
}
type Db = Executor<Tables>;

/** The people currently holding posts in any of these units (optionally only in these roles). */
export async function findUsersInUnits(db: Db, unitIds: readonly number[], roles?: readonly string[]): Promise<number[]> {
  if (unitIds.length === 0) return [];
  let q = db
    .selectFrom('user_posts as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select('p.user_id')
    .distinct()
    .where('p.unit_id', 'in', [...unitIds])
    .where('p.ended_at', 'is', null)
    .where('u.disabled_at', 'is', null);
  if (roles?.length) q = q.where('p.role', 'in', [...roles]);
  return (await q.execute()).map((r) => r.user_id);
}

/** One notice to every active person posted at these units (optionally in these roles), in one statement; returns how many. */
export async function insertNotificationsForUnits(
  db: Db,
  unitIds: readonly number[],
  roles: readonly string[] | undefined,
  notice: { kind: string; params: Record<string, unknown>; link: string | null; incidentId: number | null },
  at: Date,
): Promise<number> {
  if (unitIds.length === 0) return 0;
  const { rows } = await sql<{ n: number }>`
    with people as (
      select distinct p.user_id from user_posts p join users u on u.id = p.user_id
      where p.unit_id = any(${`{${unitIds.join(',')}}`}::bigint[]) and p.ended_at is null and u.disabled_at is null
        ${roles?.length ? sql`and p.role = any(${`{${roles.join(',')}}`}::text[])` : sql``}
    ), ins as (
      insert into notifications (user_id, kind, params, link, incident_id, created_at, read_at)
      select user_id, ${notice.kind}, ${JSON.stringify(notice.params)}::jsonb, ${notice.link}, ${notice.incidentId}, ${at}, null from people
      returning 1
    )
    select count(*)::int as n from ins`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Notices to the people of units about a record another statement is writing (see NotificationService.unitNoticesWithin). */
export interface UnitNotice {
  readonly unitIds: readonly number[];
  readonly roles?: readonly string[];
  readonly kind: string;
  readonly params: Record<string, unknown>;
}

/**
 * An INSERT to run in the WITH list of a statement that writes the record the notices are about: it reads that
 * record from the CTE named `source` (columns id, number, title), so the notices need no round trip of their own.
 * Each notice reaches each person once.
 */
export function unitNoticesStatement(source: string, notices: readonly UnitNotice[], linkPrefix: string, at: Date): RawBuilder<unknown> {
  const json = JSON.stringify(
    notices.map((n, k) => ({ k, kind: n.kind, params: n.params, unit_ids: [...new Set(n.unitIds)], roles: n.roles?.length ? n.roles : null })),
  );
  return sql`
    insert into notifications (user_id, kind, params, link, incident_id, created_at, read_at)
    select distinct on (v.k, p.user_id) p.user_id, v.kind, jsonb_build_object('number', s.number, 'title', s.title) || v.params,
           ${linkPrefix} || s.id, s.id, ${at}::timestamptz, null::timestamptz
    from ${sql.table(source)} s
    cross join jsonb_to_recordset(${json}::jsonb) as v(k int, kind text, params jsonb, unit_ids bigint[], roles text[])
    join user_posts p on p.unit_id = any(v.unit_ids) and p.ended_at is null and (v.roles is null or p.role = any(v.roles))
    join users u on u.id = p.user_id and u.disabled_at is null`;
}

export async function insertNotifications(
  db: Db,
  rows: readonly { userId: number; kind: string; params: Record<string, unknown>; link: string | null; incidentId: number | null }[],
  at: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('notifications')
    .values(rows.map((r) => ({ user_id: r.userId, kind: r.kind, params: JSON.stringify(r.params), link: r.link, incident_id: r.incidentId, created_at: at, read_at: null })))
    .execute();
}

export async function findNotifications(db: Db, userId: number, limit: number) {
  return db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function countUnread(db: Db, userId: number): Promise<number> {
  const r = await db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return r?.n ?? 0;
}

export async function markRead(db: Db, userId: number, ids: readonly number[] | 'all', at: Date): Promise<void> {
  let q = db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') {
    if (ids.length === 0) return;
    q = q.where('id', 'in', [...ids]);
  }
  await q.execute();
}

export async function findActiveWebhooks(db: Db, event: string) {
  return db.selectFrom('webhooks').selectAll().where('active', '=', true).where(sql<boolean>`${event} = any(events) or '*' = any(events)`).execute();
}

export async function insertWebhook(db: Db, w: { name: string; url: string; secret: string; events: readonly string[]; createdBy: number | null; at: Date }) {
  return db
    .insertInto('webhooks')
    .values({ name: w.name, url: w.url, secret: w.secret, events: sql<string[]>`${`{${w.events.map((e) => `"${e}"`).join(',')}}`}::text[]`, active: true, created_by: w.createdBy, created_at: w.at })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function findWebhooks(db: Db) {
  return db.selectFrom('webhooks').selectAll().orderBy('id').execute();
}

export async function setWebhookActive(db: Db, id: number, active: boolean): Promise<void> {
  await db.updateTable('webhooks').set({ active }).where('id', '=', id).execute();
}

export async function enqueue(db: Db, rows: readonly { channel: OutboxTable['channel']; target: string; payload: unknown }[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('outbox')
    .values(rows.map((r) => ({ channel: r.channel, target: r.target, payload: JSON.stringify(r.payload), attempts: 0, next_attempt_at: at, created_at: at, sent_at: null, failed_at: null, last_error: null })))
    .execute();
}

/** Claims due outbox rows for delivery: their next attempt moves `leaseMs` ahead so another worker skips them. */
export async function claimOutbox(db: Db, now: Date, leaseMs: number, limit: number) {
  const rows = await sql<{ id: number; channel: OutboxTable['channel']; target: string; payload: unknown; attempts: number }>`
    update outbox set next_attempt_at = ${new Date(now.getTime() + leaseMs)}, attempts = attempts + 1
    where id in (
      select id from outbox where sent_at is null and failed_at is null and next_attempt_at <= ${now}
      order by next_attempt_at limit ${limit} for update skip locked
    )
    returning id, channel, target, payload, attempts`.execute(db);
  return rows.rows;
}

export async function markSent(db: Db, id: number, at: Date): Promise<void> {
  await db.updateTable('outbox').set({ sent_at: at, last_error: null }).where('id', '=', id).execute();
}

export async function markAttemptFailed(db: Db, id: number, error: string, retryAt: Date | null, at: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set(retryAt ? { next_attempt_at: retryAt, last_error: error.slice(0, 500) } : { failed_at: at, last_error: error.slice(0, 500) })
    .where('id', '=', id)
    .execute();
}
