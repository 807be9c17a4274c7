/** SQL of documents: the documents, their revisions and history, uploaded files, public lists and search. */
import { sql, type GeneratedAlways, type Generated, type Selectable } from 'kysely';
import { prepare, type Executor } from '../../kernel/db.js';
import type { Attachment, DocumentEvent, DocumentKind, DocumentRecord, DocumentState, DocumentSummary, PolicyStatus, Removal, Revision } from './document.js';

export interface PortalDocumentsTable {
  id: GeneratedAlways<number>;
  column_id: number;
  kind: DocumentKind;
  state: DocumentState;
  revision_no: number;
  live_revision_no: number | null;
  published_at: Date | null;
  scheduled_at: Date | null;
  withdraw_at: Date | null;
  pinned_at: Date | null;
  policy_status: PolicyStatus | null;
  policy_status_note: string | null;
  superseded_by_id: number | null;
  interprets_id: number | null;
  unit_id: number | null;
  submitted_by: number | null;
  approved_by: number | null;
  created_by: number | null;
  is_demo: boolean;
  search_vector: unknown;
  search_text: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PortalRevisionsTable {
  id: GeneratedAlways<number>;
  document_id: number;
  number: number;
  title: string;
  source: string | null;
  author: string | null;
  doc_number: string | null;
  summary: string | null;
  body_html: string;
  attachments: unknown;
  removed: unknown;
  note: string | null;
  created_at: Date;
  created_by: number | null;
}

export type ContentTables = {
  portal_documents: PortalDocumentsTable;
  portal_revisions: PortalRevisionsTable;
  portal_document_events: {
    id: GeneratedAlways<number>;
    document_id: number;
    action: string;
    from_state: string | null;
    to_state: string | null;
    revision_no: number | null;
    at: Date;
    actor_user_id: number | null;
    actor_label: string;
    note: string | null;
    details: unknown;
  };
  portal_files: { sha256: string; bytes: number; mime: string; original_name: string; created_at: Date; created_by: number | null };
};

type Db = Executor<ContentTables>;

export function toRecord(r: Selectable<PortalDocumentsTable>): DocumentRecord {
  return {
    id: r.id,
    columnId: r.column_id,
    kind: r.kind,
    state: r.state,
    revisionNo: r.revision_no,
    liveRevisionNo: r.live_revision_no,
    publishedAt: r.published_at,
    scheduledAt: r.scheduled_at,
    withdrawAt: r.withdraw_at,
    pinnedAt: r.pinned_at,
    policyStatus: r.policy_status,
    policyStatusNote: r.policy_status_note,
    supersededById: r.superseded_by_id,
    interpretsId: r.interprets_id,
    unitId: r.unit_id,
    submittedBy: r.submitted_by,
    approvedBy: r.approved_by,
    createdBy: r.created_by,
    isDemo: r.is_demo,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toRevision(r: Selectable<PortalRevisionsTable>): Revision {
  return {
    documentId: r.document_id,
    number: r.number,
    title: r.title,
    source: r.source,
    author: r.author,
    docNumber: r.doc_number,
    summary: r.summary,
    bodyHtml: r.body_html,
    attachments: (r.attachments ?? []) as Attachment[],
    removed: (r.removed ?? []) as Removal[],
    note: r.note,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

const DOC_COLUMNS = [
  'id', 'column_id', 'kind', 'state', 'revision_no', 'live_revision_no', 'published_at', 'scheduled_at', 'withdraw_at', 'pinned_at', 'policy_status',
  'policy_status_note', 'superseded_by_id', 'interprets_id', 'unit_id', 'submitted_by', 'approved_by', 'created_by', 'is_demo', 'created_at', 'updated_at',
] as const;

export async function findDocument(db: Db, id: number): Promise<DocumentRecord | undefined> {
  const r = await db.selectFrom('portal_documents').select(DOC_COLUMNS).where('id', '=', id).executeTakeFirst();
  return r && toRecord(r as Selectable<PortalDocumentsTable>);
}

export async function lockDocument(db: Db, id: number): Promise<DocumentRecord | undefined> {
  const r = await db.selectFrom('portal_documents').select(DOC_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
  return r && toRecord(r as Selectable<PortalDocumentsTable>);
}

export async function findRevision(db: Db, documentId: number, number: number): Promise<Revision | undefined> {
  const r = await db.selectFrom('portal_revisions').selectAll().where('document_id', '=', documentId).where('number', '=', number).executeTakeFirst();
  return r && toRevision(r);
}

const documentById = prepare<{ id: number }, Selectable<PortalDocumentsTable>>((db, p) =>
  db.withTables<ContentTables>().selectFrom('portal_documents').select(DOC_COLUMNS).where('id', '=', p('id')),
);
const revisionByNumber = prepare<{ id: number; n: number }, Selectable<PortalRevisionsTable>>((db, p) =>
  db.withTables<ContentTables>().selectFrom('portal_revisions').selectAll().where('document_id', '=', p('id')).where('number', '=', p('n')),
);

/** A published document with its live revision (two prepared point queries: the article page's hot path). */
export async function findLive(db: Db, id: number): Promise<{ record: DocumentRecord; revision: Revision } | undefined> {
  const [doc] = await documentById.execute(db, { id });
  if (!doc || doc.live_revision_no === null) return undefined;
  const [rev] = await revisionByNumber.execute(db, { id, n: doc.live_revision_no });
  return rev && { record: toRecord(doc), revision: toRevision(rev) };
}

export async function insertDocument(
  db: Db,
  d: { columnId: number; kind: DocumentKind; interpretsId: number | null; unitId: number | null; createdBy: number | null; isDemo: boolean; now: Date; policyStatus: PolicyStatus | null },
): Promise<DocumentRecord> {
  const r = await db
    .insertInto('portal_documents')
    .values({
      column_id: d.columnId,
      kind: d.kind,
      state: 'draft',
      revision_no: 1,
      interprets_id: d.interpretsId,
      unit_id: d.unitId,
      created_by: d.createdBy,
      is_demo: d.isDemo,
      policy_status: d.policyStatus,
      created_at: d.now,
      updated_at: d.now,
    })
    .returning(DOC_COLUMNS)
    .executeTakeFirstOrThrow();
  return toRecord(r as Selectable<PortalDocumentsTable>);
}

export async function insertRevision(db: Db, r: Omit<Revision, never>): Promise<void> {
  await db
    .insertInto('portal_revisions')
    .values({
      document_id: r.documentId,
      number: r.number,
      title: r.title,
      source: r.source,
      author: r.author,
      doc_number: r.docNumber,
      summary: r.summary,
      body_html: r.bodyHtml,
      attachments: JSON.stringify(r.attachments),
      removed: JSON.stringify(r.removed),
      note: r.note,
      created_at: r.createdAt,
      created_by: r.createdBy,
    })
    .execute();
}

/** What an update may change: every column but the identity, the kind, who created it and the search columns. */
export type DocumentPatch = Partial<Omit<PortalDocumentsTable, 'id' | 'kind' | 'created_by' | 'is_demo' | 'search_vector' | 'search_text' | 'created_at' | 'updated_at'>>;

export async function updateDocument(db: Db, id: number, patch: DocumentPatch, now: Date): Promise<DocumentRecord> {
  const r = await db.updateTable('portal_documents').set({ ...patch, updated_at: now }).where('id', '=', id).returning(DOC_COLUMNS).executeTakeFirstOrThrow();
  return toRecord(r as Selectable<PortalDocumentsTable>);
}

/** Sets what search finds for a document: weighted segmented words (title A, the rest B) and plain text. */
export async function setSearch(db: Db, id: number, s: { titleWords: string; bodyWords: string; text: string } | null): Promise<void> {
  await db
    .updateTable('portal_documents')
    .set(
      s
        ? {
            search_vector: sql`setweight(to_tsvector('simple', ${s.titleWords}), 'A') || setweight(to_tsvector('simple', ${s.bodyWords}), 'B')`,
            search_text: s.text,
          }
        : { search_vector: null, search_text: null },
    )
    .where('id', '=', id)
    .execute();
}

export async function insertEvent(db: Db, documentId: number, e: Omit<DocumentEvent, never>): Promise<void> {
  await db
    .insertInto('portal_document_events')
    .values({
      document_id: documentId,
      action: e.action,
      from_state: e.fromState,
      to_state: e.toState,
      revision_no: e.revisionNo,
      at: e.at,
      actor_user_id: e.actorUserId,
      actor_label: e.actorLabel,
      note: e.note,
      details: JSON.stringify(e.details),
    })
    .execute();
}

export async function findEvents(db: Db, documentId: number): Promise<DocumentEvent[]> {
  const rows = await db.selectFrom('portal_document_events').selectAll().where('document_id', '=', documentId).orderBy('id', 'desc').execute();
  return rows.map((r) => ({
    action: r.action,
    fromState: r.from_state,
    toState: r.to_state,
    revisionNo: r.revision_no,
    at: r.at,
    actorUserId: r.actor_user_id,
    actorLabel: r.actor_label,
    note: r.note,
    details: (r.details ?? {}) as Record<string, unknown>,
  }));
}

export async function findRevisions(db: Db, documentId: number): Promise<Revision[]> {
  return (await db.selectFrom('portal_revisions').selectAll().where('document_id', '=', documentId).orderBy('number', 'desc').execute()).map(toRevision);
}

export interface ListFilter {
  readonly columnIds?: readonly number[];
  readonly kinds?: readonly DocumentKind[];
  readonly unitId?: number;
  readonly states?: readonly DocumentState[];
  readonly interpretsId?: number;
  /** Only documents with a live revision (the public's view) and then the live revision's title. */
  readonly live: boolean;
  readonly limit: number;
  readonly offset?: number;
  /** Count every match too (for pages of a list); lists without pages skip the second query. */
  readonly withTotal?: boolean;
}

/** Lists documents, pinned first (for the public), newest first. */
export async function listDocuments(db: Db, f: ListFilter): Promise<{ items: DocumentSummary[]; total: number }> {
  let q = db
    .selectFrom('portal_documents as d')
    .innerJoin('portal_revisions as r', (j) => j.onRef('r.document_id', '=', 'd.id').on((eb) => eb('r.number', '=', f.live ? eb.ref('d.live_revision_no') : eb.ref('d.revision_no'))));
  if (f.live) q = q.where('d.live_revision_no', 'is not', null);
  if (f.columnIds) q = q.where('d.column_id', '=', sql<number>`any(${sql.val([...f.columnIds])}::bigint[])`);
  if (f.kinds) q = q.where('d.kind', '=', sql<DocumentKind>`any(${sql.val([...f.kinds])}::text[])`);
  if (f.states) q = q.where('d.state', '=', sql<DocumentState>`any(${sql.val([...f.states])}::text[])`);
  if (f.unitId !== undefined) q = q.where('d.unit_id', '=', f.unitId);
  if (f.interpretsId !== undefined) q = q.where('d.interprets_id', '=', f.interpretsId);
  const [rows, count] = await Promise.all([
    q
      .select(['d.id', 'd.column_id', 'd.kind', 'd.state', 'r.title', 'r.summary', 'd.published_at', 'd.updated_at', 'd.pinned_at', 'd.live_revision_no', 'd.policy_status', 'd.is_demo'])
      .$if(f.live, (qb) => qb.orderBy(sql`d.pinned_at is null`).orderBy('d.pinned_at', 'desc').orderBy('d.published_at', 'desc'))
      .$if(!f.live, (qb) => qb.orderBy('d.updated_at', 'desc'))
      .orderBy('d.id', 'desc')
      .limit(f.limit)
      .offset(f.offset ?? 0)
      .execute(),
    f.withTotal === false ? Promise.resolve(undefined) : q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: count ? Number(count.n) : rows.length,
    items: rows.map((r) => ({
      id: r.id,
      columnId: r.column_id,
      kind: r.kind,
      state: r.state,
      title: r.title,
      summary: r.summary,
      publishedAt: r.published_at,
      updatedAt: r.updated_at,
      pinned: r.pinned_at !== null,
      live: r.live_revision_no !== null,
      policyStatus: r.policy_status,
      isDemo: r.is_demo,
    })),
  };
}

/**
 * The newest live documents of several groups of columns in one query (the front page's sections): on the
 * embedded engine every query costs a round on its single connection, so six lists cost six times one.
 */
export async function listLiveGroups(db: Db, groups: readonly { columnIds: readonly number[]; limit: number }[]): Promise<DocumentSummary[][]> {
  const grp: number[] = [];
  const col: number[] = [];
  const lim: number[] = [];
  groups.forEach((g, i) => g.columnIds.forEach((c) => (grp.push(i), col.push(c), lim.push(g.limit))));
  if (grp.length === 0) return groups.map(() => []);
  const { rows } = await sql<{
    grp: number; id: number; column_id: number; kind: DocumentKind; state: DocumentState; title: string; summary: string | null; published_at: Date | null;
    updated_at: Date; pinned_at: Date | null; policy_status: PolicyStatus | null; is_demo: boolean;
  }>`
    select grp, id, column_id, kind, state, title, summary, published_at, updated_at, pinned_at, policy_status, is_demo from (
      select g.grp, g.lim, d.id, d.column_id, d.kind, d.state, r.title, r.summary, d.published_at, d.updated_at, d.pinned_at, d.policy_status, d.is_demo,
        row_number() over (partition by g.grp order by d.pinned_at is null, d.pinned_at desc, d.published_at desc, d.id desc) as rn
      from unnest(${grp}::int[], ${col}::bigint[], ${lim}::int[]) as g (grp, column_id, lim)
      join portal_documents d on d.column_id = g.column_id and d.live_revision_no is not null
      join portal_revisions r on r.document_id = d.id and r.number = d.live_revision_no
    ) x where rn <= lim order by grp, rn`.execute(db);
  const out: DocumentSummary[][] = groups.map(() => []);
  for (const r of rows) {
    out[r.grp]!.push({
      id: r.id,
      columnId: r.column_id,
      kind: r.kind,
      state: r.state,
      title: r.title,
      summary: r.summary,
      publishedAt: r.published_at,
      updatedAt: r.updated_at,
      pinned: r.pinned_at !== null,
      live: true,
      policyStatus: r.policy_status,
      isDemo: r.is_demo,
    });
  }
  return out;
}

export interface SearchFilter {
  /** Space-separated words for plainto_tsquery (every word must occur). */
  readonly words: string;
  /** The raw query, for the substring fallback when segmentation finds nothing. */
  readonly phrase: string;
  readonly columnIds?: readonly number[];
  readonly from?: Date;
  readonly to?: Date;
  readonly limit: number;
  readonly offset: number;
}

export interface SearchRow {
  readonly id: number;
  readonly columnId: number;
  readonly kind: DocumentKind;
  readonly title: string;
  readonly text: string;
  readonly publishedAt: Date;
  readonly policyStatus: PolicyStatus | null;
}

/**
 * Full-text search over live documents: the segmented tsvector (GIN) ranked by ts_rank with the title weighted
 * higher; when that finds nothing (a word jieba cut differently in the text), a substring match on the plain text.
 */
export async function searchDocuments(db: Db, f: SearchFilter): Promise<{ rows: SearchRow[]; total: number; method: 'words' | 'phrase' }> {
  const base = (useWords: boolean) => {
    let q = db.selectFrom('portal_documents as d').innerJoin('portal_revisions as r', (j) => j.onRef('r.document_id', '=', 'd.id').onRef('r.number', '=', 'd.live_revision_no'));
    q = q.where('d.live_revision_no', 'is not', null);
    q = useWords
      ? q.where(sql<boolean>`d.search_vector @@ plainto_tsquery('simple', ${f.words})`)
      : q.where(sql<boolean>`strpos(lower(d.search_text), lower(${f.phrase})) > 0`);
    if (f.columnIds) q = q.where('d.column_id', '=', sql<number>`any(${sql.val([...f.columnIds])}::bigint[])`);
    if (f.from) q = q.where('d.published_at', '>=', f.from);
    if (f.to) q = q.where('d.published_at', '<', f.to);
    return q;
  };
  const run = async (useWords: boolean) => {
    const q = base(useWords);
    const [rows, count] = await Promise.all([
      q
        .select(['d.id', 'd.column_id', 'd.kind', 'r.title', 'd.search_text', 'd.published_at', 'd.policy_status'])
        .$if(useWords, (qb) => qb.orderBy(sql`ts_rank(d.search_vector, plainto_tsquery('simple', ${f.words}))`, 'desc'))
        .orderBy('d.published_at', 'desc')
        .orderBy('d.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      total: Number(count.n),
      rows: rows.map((r) => ({ id: r.id, columnId: r.column_id, kind: r.kind, title: r.title, text: r.search_text ?? '', publishedAt: r.published_at!, policyStatus: r.policy_status })),
    };
  };
  if (f.words.trim()) {
    const hits = await run(true);
    if (hits.total > 0 || !f.phrase.trim()) return { ...hits, method: 'words' };
  }
  return { ...(await run(false)), method: 'phrase' };
}

/** Scheduled documents due for publication, and live ones due for withdrawal. */
export async function findDue(db: Db, now: Date, limit: number): Promise<{ publish: number[]; withdraw: number[] }> {
  const publish = await db.selectFrom('portal_documents').select('id').where('state', '=', 'scheduled').where('scheduled_at', '<=', now).orderBy('scheduled_at').limit(limit).execute();
  const withdraw = await db
    .selectFrom('portal_documents')
    .select('id')
    .where('live_revision_no', 'is not', null)
    .where('withdraw_at', '<=', now)
    .orderBy('withdraw_at')
    .limit(limit)
    .execute();
  return { publish: publish.map((r) => r.id), withdraw: withdraw.map((r) => r.id) };
}

/** Per column: how many live documents and the newest publication. */
export async function columnActivity(db: Db): Promise<Map<number, { liveCount: number; lastPublishedAt: Date | null }>> {
  const rows = await db
    .selectFrom('portal_documents')
    .select(['column_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('published_at').as('last')])
    .where('live_revision_no', 'is not', null)
    .groupBy('column_id')
    .execute();
  return new Map(rows.map((r) => [r.column_id, { liveCount: Number(r.n), lastPublishedAt: (r.last as Date | null) ?? null }]));
}

/** Live documents' bodies, for the dead-link job (id, title, body), in pages. */
export async function liveBodies(db: Db, afterId: number, limit: number): Promise<{ id: number; title: string; bodyHtml: string }[]> {
  const rows = await db
    .selectFrom('portal_documents as d')
    .innerJoin('portal_revisions as r', (j) => j.onRef('r.document_id', '=', 'd.id').onRef('r.number', '=', 'd.live_revision_no'))
    .select(['d.id', 'r.title', 'r.body_html'])
    .where('d.id', '>', afterId)
    .orderBy('d.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, bodyHtml: r.body_html }));
}

/** Ids of live documents among `ids`. */
export async function liveIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('portal_documents').select('id').where('id', '=', sql<number>`any(${sql.val([...ids])}::bigint[])`).where('live_revision_no', 'is not', null).execute();
  return new Set(rows.map((r) => r.id));
}

/** For the sitemap: every live document's id and when it last changed. */
export async function liveIndex(db: Db, limit: number): Promise<{ id: number; updatedAt: Date }[]> {
  const rows = await db.selectFrom('portal_documents').select(['id', 'updated_at']).where('live_revision_no', 'is not', null).orderBy('published_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, updatedAt: r.updated_at }));
}

export async function countDemoDocuments(db: Db): Promise<number> {
  const r = await db.selectFrom('portal_documents').select((eb) => eb.fn.countAll<number>().as('n')).where('is_demo', '=', true).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertFile(db: Db, f: { sha256: string; bytes: number; mime: string; originalName: string; createdAt: Date; createdBy: number | null }): Promise<void> {
  await db
    .insertInto('portal_files')
    .values({ sha256: f.sha256, bytes: f.bytes, mime: f.mime, original_name: f.originalName, created_at: f.createdAt, created_by: f.createdBy })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

const fileBySha = prepare<{ sha: string }, { sha256: string; bytes: number; mime: string; original_name: string }>((db, p) =>
  db.withTables<ContentTables>().selectFrom('portal_files').select(['sha256', 'bytes', 'mime', 'original_name']).where('sha256', '=', p('sha')),
);

export async function findFile(db: Db, sha: string): Promise<{ sha256: string; bytes: number; mime: string; originalName: string } | undefined> {
  const [r] = await fileBySha.execute(db, { sha });
  return r && { sha256: r.sha256, bytes: r.bytes, mime: r.mime, originalName: r.original_name };
}
