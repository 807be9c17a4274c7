/** SQL of the citizen-facing side of incidents: supports (我也遇到了) and published letters (信件选登). */
import type { GeneratedAlways } from 'kysely';
import type { Executor } from '../../kernel/db.js';
import type { Channel, RequestType } from './incident.js';
import type { IncidentTables } from './incident.repository.js';

export interface IncidentSupportsTable {
  id: GeneratedAlways<number>;
  incident_id: number;
  submission_key: string;
  at: Date;
}

export interface IncidentPublicationsTable {
  incident_id: number;
  request_type: RequestType | null;
  channel: Channel;
  title: string;
  letter: string;
  reply: string;
  published_at: Date;
  published_by: number | null;
}

export interface CitizenTables extends IncidentTables {
  incident_supports: IncidentSupportsTable;
  incident_publications: IncidentPublicationsTable;
}

type Db = Executor<CitizenTables>;

export interface Publication {
  readonly incidentId: number;
  readonly number: string;
  readonly requestType: RequestType | null;
  readonly channel: Channel;
  readonly title: string;
  readonly letter: string;
  readonly reply: string;
  readonly reportedAt: Date;
  readonly publishedAt: Date;
}

/** Records one support; false when this submission key has supported already. */
export async function insertSupport(db: Db, incidentId: number, submissionKey: string, at: Date): Promise<boolean> {
  const row = await db
    .insertInto('incident_supports')
    .values({ incident_id: incidentId, submission_key: submissionKey, at })
    .onConflict((oc) => oc.column('submission_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findReporterName(db: Db, incidentId: number): Promise<string | null> {
  return (await db.selectFrom('incidents').select('reporter_name').where('id', '=', incidentId).executeTakeFirst())?.reporter_name ?? null;
}

export async function upsertPublication(db: Db, p: Omit<IncidentPublicationsTable, never>): Promise<void> {
  await db
    .insertInto('incident_publications')
    .values(p)
    .onConflict((oc) => oc.column('incident_id').doUpdateSet({ title: p.title, letter: p.letter, reply: p.reply, published_at: p.published_at, published_by: p.published_by }))
    .execute();
}

export async function deletePublication(db: Db, incidentId: number): Promise<boolean> {
  const r = await db.deleteFrom('incident_publications').where('incident_id', '=', incidentId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

const publicationQuery = (db: Db) =>
  db
    .selectFrom('incident_publications as p')
    .innerJoin('incidents as i', 'i.id', 'p.incident_id')
    .select(['p.incident_id', 'i.number', 'p.request_type', 'p.channel', 'p.title', 'p.letter', 'p.reply', 'i.reported_at', 'p.published_at']);

type PublicationRow = Awaited<ReturnType<ReturnType<typeof publicationQuery>['executeTakeFirstOrThrow']>>;
const toPublication = (r: PublicationRow): Publication => ({
  incidentId: r.incident_id,
  number: r.number,
  requestType: r.request_type,
  channel: r.channel,
  title: r.title,
  letter: r.letter,
  reply: r.reply,
  reportedAt: r.reported_at,
  publishedAt: r.published_at,
});

export async function findPublication(db: Db, incidentId: number): Promise<Publication | undefined> {
  const row = await publicationQuery(db).where('p.incident_id', '=', incidentId).executeTakeFirst();
  return row && toPublication(row);
}

export async function listPublications(db: Db, page: { limit: number; offset: number }): Promise<{ items: Publication[]; total: number }> {
  const [rows, count] = await Promise.all([
    publicationQuery(db).orderBy('p.published_at', 'desc').orderBy('p.incident_id', 'desc').limit(page.limit).offset(page.offset).execute(),
    db.selectFrom('incident_publications').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toPublication), total: Number(count.n) };
}

/**
 * Public letters (咨询, 建议, 投诉, 举报 from the portal, and the leader's mailbox) received before `cutoff` and still
 * without a response: not answered, not closed, not refused as invalid. Oldest first.
 */
export async function findUnansweredLetters(db: Db, cutoff: Date, limit: number): Promise<{ id: number; number: string; title: string; reportedAt: Date }[]> {
  const rows = await db
    .selectFrom('incidents')
    .select(['id', 'number', 'title', 'reported_at'])
    .where((eb) => eb.or([eb('channel', '=', 'leader'), eb.and([eb('channel', '=', 'web'), eb('request_type', 'is not', null)])]))
    .where('reported_at', '<', cutoff)
    .where('reply', 'is', null)
    .where('state', 'not in', ['closed', 'rejected', 'merged', 'voided'])
    .orderBy('reported_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), number: r.number, title: r.title, reportedAt: r.reported_at }));
}
