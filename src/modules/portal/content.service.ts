/**
 * Use cases of documents: writing and revising (every save is a revision, sanitised), the editorial workflow
 * (lock → check permission → decide → save → history → audit, in one short transaction), images and attachments,
 * pinning, policy marks, scheduled publication and withdrawal (run by the worker), and the public's reads.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Database, Executor } from '../../kernel/db.js';
import { DomainError, invalid, notFound, type FieldProblem } from '../../kernel/errors.js';
import { SYSTEM, type Initiator } from '../../kernel/initiator.js';
import { authorize, can, type Action, type PolicyActor } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import type { Column } from './column.js';
import { subtreeIds } from './column.rules.js';
import { checkContent, errorCount, type CheckFinding } from './content-check.rules.js';
import * as repo from './content.repository.js';
import { DOCUMENT_KINDS, type Attachment, type DocumentEvent, type DocumentInput, type DocumentRecord, type DocumentSummary, type PolicyStatus, type Removal, type Revision } from './document.js';
import { TRANSITIONS, allowedActions, decide, type DocumentAction, type PersonAction, type Refusal, type WorkflowSubject } from './document.workflow.js';
import { IMAGE_TYPES, sniffType, type FileStore } from './file-store.js';
import { diffRevisions, type RevisionDiff } from './revision-diff.rules.js';
import { figureHtml, htmlToText, sanitizeBody } from './rich-text.rules.js';
import { MAX_QUERY_CHARS } from './search.rules.js';
import { indexTokens, queryTokens } from './segmenter.js';
import * as siteRepo from './site.repository.js';
import type { StaffContext } from './portal.js';

export type { StaffContext };

export interface StaffDocument {
  readonly record: DocumentRecord;
  readonly revision: Revision;
  readonly live: Revision | undefined;
  readonly events: readonly DocumentEvent[];
  readonly revisions: readonly Revision[];
  readonly findings: readonly CheckFinding[];
  readonly actions: readonly PersonAction[];
  readonly interprets: DocumentSummary | undefined;
}

export interface PublicDocument {
  readonly record: DocumentRecord;
  readonly revision: Revision;
  /** For a policy: its live interpretations; for an interpretation: the policy. */
  readonly related: readonly DocumentSummary[];
  readonly supersededBy: DocumentSummary | undefined;
}

export interface SearchQuery {
  readonly q: string;
  readonly columnId?: number;
  readonly from?: Date;
  readonly to?: Date;
  readonly page: number;
}

export interface SearchResult {
  readonly words: readonly string[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly method: 'words' | 'phrase' | 'none';
  readonly hits: readonly { readonly id: number; readonly columnId: number; readonly kind: string; readonly title: string; readonly text: string; readonly publishedAt: Date; readonly policyStatus: PolicyStatus | null }[];
}

export interface UploadedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface ContentService {
  create(ctx: StaffContext, input: DocumentInput): Promise<DocumentRecord>;
  /** Saves a new revision of the working copy; returns what the sanitiser removed. */
  save(ctx: StaffContext, id: number, input: DocumentInput): Promise<{ record: DocumentRecord; removed: readonly Removal[] }>;
  transition(ctx: StaffContext, id: number, action: PersonAction, options?: { note?: string; at?: Date }): Promise<DocumentRecord>;
  setPinned(ctx: StaffContext, id: number, pinned: boolean): Promise<DocumentRecord>;
  setPolicyStatus(ctx: StaffContext, id: number, status: PolicyStatus, note: string, supersededById: number | null): Promise<DocumentRecord>;
  /** Sets (or clears) the time a live document goes offline by itself. */
  setWithdrawAt(ctx: StaffContext, id: number, at: Date | null): Promise<DocumentRecord>;
  addImage(ctx: StaffContext, id: number, file: UploadedFile, alt: string, caption: string): Promise<DocumentRecord>;
  addAttachment(ctx: StaffContext, id: number, file: UploadedFile, title: string): Promise<DocumentRecord>;
  removeAttachment(ctx: StaffContext, id: number, sha256: string): Promise<DocumentRecord>;
  forStaff(actor: PolicyActor, id: number): Promise<StaffDocument>;
  listForStaff(actor: PolicyActor, filter: { states?: readonly string[]; columnId?: number; page: number }): Promise<{ items: DocumentSummary[]; total: number }>;
  diff(actor: PolicyActor, id: number, from: number, to: number): Promise<{ before: Revision; after: Revision; diff: RevisionDiff }>;
  /** Checks the working copy against the word lists (for the editor's page). */
  check(actor: PolicyActor, id: number): Promise<CheckFinding[]>;
  /** Publishes scheduled documents and withdraws expired ones; returns how many of each. */
  runDue(): Promise<{ published: number; withdrawn: number; failed: number }>;
  getPublic(id: number): Promise<PublicDocument>;
  /** Live documents of the columns, a page at a time (`total` counts them all unless `withTotal` is false). */
  listPublic(columnIds: readonly number[], page: { limit: number; offset: number; withTotal?: boolean }): Promise<{ items: DocumentSummary[]; total: number }>;
  /** The newest live documents of several groups of columns, in one query (the front page's sections). */
  listPublicGroups(groups: readonly { columnIds: readonly number[]; limit: number }[]): Promise<DocumentSummary[][]>;
  listByUnit(unitId: number, limit: number): Promise<DocumentSummary[]>;
  search(query: SearchQuery, columns: readonly Column[]): Promise<SearchResult>;
  sitemapEntries(limit: number): Promise<{ id: number; updatedAt: Date }[]>;
  columnActivity(): Promise<Map<number, { liveCount: number; lastPublishedAt: Date | null }>>;
  liveBodies(afterId: number, limit: number): Promise<{ id: number; title: string; bodyHtml: string }[]>;
  liveIds(ids: readonly number[]): Promise<Set<number>>;
  /** An uploaded file's bytes and type, or undefined. */
  readFile(sha256: string): Promise<{ bytes: Uint8Array; mime: string; name: string } | undefined>;
  /** Inserts a document already published (demo content); returns its id. */
  importPublished(doc: DocumentInput & { publishedAt: Date; pinned?: boolean; policyStatus?: PolicyStatus; policyStatusNote?: string; supersededById?: number | null; isDemo: boolean }, by: Initiator): Promise<number>;
  countDemo(): Promise<number>;
}

const LIMITS = { title: 200, source: 100, author: 100, docNumber: 100, summary: 500, body: 200_000, note: 500 };
const SEARCH_PAGE = 10;

function checkInput(input: DocumentInput): FieldProblem[] {
  const p: FieldProblem[] = [];
  const len = (s: string | null | undefined) => [...(s ?? '')].length;
  if (!input.title.trim()) p.push({ path: 'title', code: 'field.required', message: 'title is required' });
  for (const f of ['title', 'source', 'author', 'docNumber', 'summary', 'note'] as const) {
    if (len(input[f]) > LIMITS[f]) p.push({ path: f, code: 'field.tooLong', message: `${f}: at most ${LIMITS[f]} characters`, params: { max: LIMITS[f] } });
  }
  if (input.bodyHtml.length > LIMITS.body) p.push({ path: 'bodyHtml', code: 'field.tooLong', message: 'body too long', params: { max: LIMITS.body } });
  if (!(DOCUMENT_KINDS as readonly string[]).includes(input.kind)) p.push({ path: 'kind', code: 'field.invalid', message: 'unknown kind' });
  if (input.kind === 'interpretation' && !input.interpretsId) p.push({ path: 'interpretsId', code: 'CONTENT.POLICY_REQUIRED', message: 'an interpretation names its policy' });
  return p;
}

const REFUSAL_KIND: Record<Refusal['code'], DomainError['kind']> = {
  'CONTENT.TRANSITION_NOT_ALLOWED': 'Conflict',
  'CONTENT.FORBIDDEN': 'Forbidden',
  'CONTENT.NOTE_REQUIRED': 'Invalid',
  'CONTENT.TIME_REQUIRED': 'Invalid',
  'CONTENT.TIME_IN_PAST': 'Invalid',
  'CONTENT.NOT_LIVE': 'Conflict',
  'CONTENT.OWN_REVIEW': 'Forbidden',
  'CONTENT.NOT_DUE': 'Conflict',
  'CONTENT.CHECK_FAILED': 'Invalid',
};

function refusalError(r: Refusal, findings: readonly CheckFinding[]): DomainError {
  const fields = r.code === 'CONTENT.CHECK_FAILED' ? findings.filter((f) => f.level === 'error').map((f) => ({ path: 'body', code: f.code, message: f.code, params: f.params })) : undefined;
  return new DomainError(REFUSAL_KIND[r.code], r.code, `${r.code} ${JSON.stringify(r.params)}`, { params: r.params as Record<string, string | number>, fields });
}

const subject = (d: DocumentRecord): WorkflowSubject => ({ state: d.state, live: d.liveRevisionNo !== null, submittedBy: d.submittedBy, scheduledAt: d.scheduledAt, withdrawAt: d.withdrawAt });
const mayFor = (actor: PolicyActor) => (p: Action) => can(actor, p);

function requireStaff(actor: PolicyActor): void {
  if (!(['content.edit', 'content.review', 'content.publish'] as const).some((a) => can(actor, a))) authorize(actor, 'content.edit');
}

/** The segmented words of a revision for the search index. */
function searchFields(rev: Revision): { titleWords: string; bodyWords: string; text: string } {
  const body = htmlToText(rev.bodyHtml);
  const att = rev.attachments.map((a) => a.title).join(' ');
  return {
    titleWords: indexTokens(`${rev.title} ${rev.docNumber ?? ''}`).join(' '),
    bodyWords: indexTokens(`${rev.summary ?? ''}\n${body}\n${att}\n${rev.source ?? ''}`).join(' '),
    text: `${rev.summary ? `${rev.summary}\n` : ''}${body}`,
  };
}

export interface ContentDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly audit: AuditService;
  readonly files: FileStore;
  /** Called after a transaction changed something the public sees (so caches in this process drop it at once). */
  readonly onPublicChange?: () => void;
}

export function createContentService({ database, clock, audit, files, onPublicChange }: ContentDeps): ContentService {
  /** A write transaction that may change what the public sees: this process's caches are told afterwards. */
  const write = async <R>(fn: (tx: Executor) => Promise<R>): Promise<R> => {
    const r = await database.transaction(fn);
    onPublicChange?.();
    return r;
  };
  const { db } = database;

  const event = (tx: Executor, id: number, by: Initiator, e: { action: string; from: string | null; to: string | null; revisionNo: number | null; note?: string | null; details?: Record<string, unknown> }) =>
    repo.insertEvent(tx, id, { action: e.action, fromState: e.from, toState: e.to, revisionNo: e.revisionNo, at: clock.now(), actorUserId: by.userId, actorLabel: by.label, note: e.note ?? null, details: e.details ?? {} });

  const lock = async (tx: Executor, id: number) => {
    const doc = await repo.lockDocument(tx, id);
    if (!doc) throw notFound('CONTENT.NOT_FOUND', `No document ${id}`, { id });
    return doc;
  };

  const working = async (x: Executor, doc: DocumentRecord) => (await repo.findRevision(x, doc.id, doc.revisionNo))!;

  async function checkColumnFor(tx: Executor, input: DocumentInput): Promise<void> {
    const columns = await siteRepo.findColumns(tx);
    const column = columns.find((c) => c.id === input.columnId);
    if (!column || column.kind === 'directory') throw invalid('CONTENT.COLUMN_INVALID', 'choose a column that takes documents', [{ path: 'columnId', code: 'CONTENT.COLUMN_INVALID', message: 'column' }]);
    if (input.interpretsId) {
      const policy = await repo.findDocument(tx, input.interpretsId);
      if (!policy || policy.kind !== 'policy') throw invalid('CONTENT.POLICY_REQUIRED', 'no such policy', [{ path: 'interpretsId', code: 'CONTENT.POLICY_REQUIRED', message: 'policy' }]);
    }
  }

  /**
   * Saves a new revision made from the working one by `change`, moving the document back to draft (the `edit`
   * transition), with its history row and audit entry. Nothing is written when nothing changed.
   */
  async function revise(
    ctx: StaffContext,
    id: number,
    auditAction: string,
    change: (rev: Revision) => Omit<Revision, 'documentId' | 'number' | 'createdAt' | 'createdBy' | 'removed'> & { removed?: readonly Removal[] },
    extra: (doc: DocumentRecord) => repo.DocumentPatch = () => ({}),
    details: Record<string, unknown> = {},
  ): Promise<{ record: DocumentRecord; removed: readonly Removal[] }> {
    return write(async (tx) => {
      const doc = await lock(tx, id);
      const decision = decide(subject(doc), 'edit', { actorUserId: ctx.by.userId, may: mayFor(ctx.actor), now: clock.now() });
      if (!decision.ok) throw refusalError(decision.refusal, []);
      const before = await working(tx, doc);
      const next = change(before);
      const patch = extra(doc);
      const same =
        (['title', 'source', 'author', 'docNumber', 'summary', 'bodyHtml', 'note'] as const).every((k) => (next[k] ?? null) === (before[k] ?? null)) &&
        JSON.stringify(next.attachments) === JSON.stringify(before.attachments) &&
        Object.entries(patch).every(([k, v]) => (doc as unknown as Record<string, unknown>)[k.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())] === v);
      const removed = next.removed ?? [];
      if (same) return { record: doc, removed };
      const number = doc.revisionNo + 1;
      await repo.insertRevision(tx, { ...next, documentId: id, number, removed, createdAt: clock.now(), createdBy: ctx.by.userId });
      const record = await repo.updateDocument(tx, id, { ...patch, revision_no: number, state: decision.decision.to, scheduled_at: null, submitted_by: null, approved_by: null }, clock.now());
      await event(tx, id, ctx.by, { action: 'edit', from: doc.state, to: record.state, revisionNo: number, note: next.note, details: { ...details, ...(removed.length ? { removed } : {}) } });
      if (patch.column_id !== undefined && patch.column_id !== doc.columnId && doc.liveRevisionNo !== null) await siteRepo.bumpSiteVersion(tx, clock.now());
      await audit.append(tx, { action: auditAction, target: { type: 'document', id }, details: { revision: number, ...details, ...(removed.length ? { removed } : {}) } }, ctx.by);
      return { record, removed };
    });
  }

  async function applyTransition(id: number, action: DocumentAction, by: Initiator, actor: PolicyActor | null, options: { note?: string; at?: Date } = {}): Promise<DocumentRecord> {
    return write(async (tx) => {
      const doc = await lock(tx, id);
      const now = clock.now();
      const rev = await working(tx, doc);
      const findings = TRANSITIONS[action].checked ? checkContent(rev, await siteRepo.findWords(tx)) : [];
      const result = decide(subject(doc), action, {
        actorUserId: actor ? by.userId : null,
        may: actor ? mayFor(actor) : () => false,
        now,
        ...(options.note !== undefined ? { note: options.note } : {}),
        ...(options.at ? { at: options.at } : {}),
        checkErrors: errorCount(findings),
      });
      if (!result.ok) throw refusalError(result.refusal, findings);
      const d = result.decision;
      const patch: repo.DocumentPatch = { state: d.to, scheduled_at: d.scheduledAt };
      if (action === 'submit') patch.submitted_by = by.userId;
      if (action === 'reject') patch.submitted_by = null;
      if (action === 'approve') patch.approved_by = by.userId;
      if (d.live === 'publish') {
        patch.live_revision_no = doc.revisionNo;
        patch.published_at = doc.publishedAt ?? now;
      }
      if (d.live === 'withdraw') {
        patch.live_revision_no = null;
        patch.withdraw_at = null;
        patch.pinned_at = null;
      }
      const record = await repo.updateDocument(tx, id, patch, now);
      if (d.live === 'publish') await repo.setSearch(tx, id, searchFields(rev));
      if (d.live === 'withdraw') await repo.setSearch(tx, id, null);
      await event(tx, id, by, { action, from: d.history.from, to: d.history.to, revisionNo: doc.revisionNo, note: d.history.note, details: d.scheduledAt ? { scheduledAt: d.scheduledAt.toISOString() } : {} });
      if (d.live !== 'keep') await siteRepo.bumpSiteVersion(tx, now);
      await audit.append(tx, { action: `content.${action}`, target: { type: 'document', id }, details: { from: d.history.from, to: d.history.to, revision: doc.revisionNo, ...(d.history.note ? { note: d.history.note } : {}), ...(d.scheduledAt ? { scheduledAt: d.scheduledAt.toISOString() } : {}) } }, by);
      return record;
    });
  }

  async function simpleChange(ctx: StaffContext, id: number, action: string, permission: Action, build: (doc: DocumentRecord, tx: Executor) => Promise<repo.DocumentPatch>, details: Record<string, unknown>) {
    authorize(ctx.actor, permission);
    return write(async (tx) => {
      const doc = await lock(tx, id);
      const patch = await build(doc, tx);
      const record = await repo.updateDocument(tx, id, patch, clock.now());
      await event(tx, id, ctx.by, { action, from: doc.state, to: doc.state, revisionNo: doc.revisionNo, details });
      if (doc.liveRevisionNo !== null) await siteRepo.bumpSiteVersion(tx, clock.now());
      await audit.append(tx, { action: `content.${action}`, target: { type: 'document', id }, details }, ctx.by);
      return record;
    });
  }

  async function storeUpload(ctx: StaffContext, file: UploadedFile, allowed: (mime: string) => boolean): Promise<{ sha: string; mime: string }> {
    const mime = sniffType(file.bytes, file.name);
    if (!mime || !allowed(mime)) throw invalid('CONTENT.FILE_TYPE', 'file type not accepted', [{ path: 'file', code: 'CONTENT.FILE_TYPE', message: 'type', params: { name: file.name } }], { name: file.name });
    // The file goes to disk before the transaction (no slow I/O while holding the embedded database).
    const sha = await files.put(file.bytes);
    await database.transaction((tx) => repo.insertFile(tx, { sha256: sha, bytes: file.bytes.byteLength, mime, originalName: file.name.slice(0, 200), createdAt: clock.now(), createdBy: ctx.by.userId }));
    return { sha, mime };
  }

  const safeName = (name: string) => encodeURIComponent(name.replace(/[/\\?#"<>\s]+/g, '-').slice(-80) || 'file');

  const summaryOf = (doc: DocumentRecord, rev: Revision): DocumentSummary => ({
    id: doc.id,
    columnId: doc.columnId,
    kind: doc.kind,
    state: doc.state,
    title: rev.title,
    summary: rev.summary,
    publishedAt: doc.publishedAt,
    updatedAt: doc.updatedAt,
    pinned: doc.pinnedAt !== null,
    live: doc.liveRevisionNo !== null,
    policyStatus: doc.policyStatus,
    isDemo: doc.isDemo,
  });

  async function summariesOf(ids: readonly number[]): Promise<DocumentSummary[]> {
    const out: DocumentSummary[] = [];
    for (const id of ids) {
      const live = await repo.findLive(db, id);
      if (live) out.push(summaryOf(live.record, live.revision));
    }
    return out;
  }

  const service: ContentService = {
    async create(ctx, input) {
      authorize(ctx.actor, 'content.edit');
      const problems = checkInput(input);
      if (problems.length) throw invalid('REQUEST.INVALID', problems.map((p) => p.message).join('; '), problems);
      const { html, removed } = sanitizeBody(input.bodyHtml);
      return database.transaction(async (tx) => {
        await checkColumnFor(tx, input);
        const now = clock.now();
        const doc = await repo.insertDocument(tx, {
          columnId: input.columnId,
          kind: input.kind,
          interpretsId: input.kind === 'interpretation' ? (input.interpretsId ?? null) : null,
          unitId: input.unitId ?? null,
          createdBy: ctx.by.userId,
          isDemo: false,
          now,
          policyStatus: input.kind === 'policy' ? 'in_force' : null,
        });
        await repo.insertRevision(tx, {
          documentId: doc.id,
          number: 1,
          title: input.title.trim(),
          source: input.source?.trim() || null,
          author: input.author?.trim() || null,
          docNumber: input.docNumber?.trim() || null,
          summary: input.summary?.trim() || null,
          bodyHtml: html,
          attachments: [],
          removed,
          note: input.note?.trim() || null,
          createdAt: now,
          createdBy: ctx.by.userId,
        });
        await event(tx, doc.id, ctx.by, { action: 'create', from: null, to: 'draft', revisionNo: 1, details: removed.length ? { removed } : {} });
        await audit.append(tx, { action: 'content.create', target: { type: 'document', id: doc.id }, details: { title: input.title.trim(), columnId: input.columnId, ...(removed.length ? { removed } : {}) } }, ctx.by);
        return doc;
      });
    },

    async save(ctx, id, input) {
      authorize(ctx.actor, 'content.edit');
      const problems = checkInput(input);
      if (problems.length) throw invalid('REQUEST.INVALID', problems.map((p) => p.message).join('; '), problems);
      await database.transaction((tx) => checkColumnFor(tx, input));
      const { html, removed } = sanitizeBody(input.bodyHtml);
      return revise(
        ctx,
        id,
        'content.edit',
        (rev) => ({
          title: input.title.trim(),
          source: input.source?.trim() || null,
          author: input.author?.trim() || null,
          docNumber: input.docNumber?.trim() || null,
          summary: input.summary?.trim() || null,
          bodyHtml: html,
          attachments: rev.attachments,
          note: input.note?.trim() || null,
          removed,
        }),
        (doc) => ({
          column_id: input.columnId,
          unit_id: input.unitId ?? null,
          ...(doc.kind === 'interpretation' ? { interprets_id: input.interpretsId ?? doc.interpretsId } : {}),
        }),
      );
    },

    transition: (ctx, id, action, options) => applyTransition(id, action, ctx.by, ctx.actor, options),

    setPinned: (ctx, id, pinned) =>
      simpleChange(ctx, id, pinned ? 'pin' : 'unpin', 'content.publish', async (doc) => {
        if (pinned && doc.liveRevisionNo === null) throw new DomainError('Conflict', 'CONTENT.NOT_LIVE', 'only a published document can be pinned');
        return { pinned_at: pinned ? clock.now() : null };
      }, {}),

    setPolicyStatus: (ctx, id, status, note, supersededById) =>
      simpleChange(ctx, id, 'policy_status', 'content.publish', async (doc, tx) => {
        if (doc.kind !== 'policy') throw invalid('CONTENT.NOT_POLICY', 'only a policy has a status');
        if (status !== 'in_force' && !note.trim()) throw invalid('CONTENT.NOTE_REQUIRED', 'say what changed', [{ path: 'note', code: 'CONTENT.NOTE_REQUIRED', message: 'note', params: { action: 'policy_status' } }], { action: 'policy_status' });
        if (supersededById !== null) {
          const other = await repo.findDocument(tx, supersededById);
          if (!other || other.id === id) throw invalid('CONTENT.NOT_FOUND', 'no such document', [{ path: 'supersededById', code: 'CONTENT.NOT_FOUND', message: 'document', params: { id: supersededById } }], { id: supersededById });
        }
        return { policy_status: status, policy_status_note: note.trim().slice(0, 500) || null, superseded_by_id: supersededById };
      }, { status, note: note.trim(), supersededById }),

    setWithdrawAt: (ctx, id, at) =>
      simpleChange(ctx, id, 'schedule_withdrawal', 'content.publish', async () => {
        if (at && at <= clock.now()) throw invalid('CONTENT.TIME_IN_PAST', 'the time must be in the future', [{ path: 'at', code: 'CONTENT.TIME_IN_PAST', message: 'past' }]);
        return { withdraw_at: at };
      }, { withdrawAt: at?.toISOString() ?? null }),

    async addImage(ctx, id, file, alt, caption) {
      authorize(ctx.actor, 'content.edit');
      if (!alt.trim()) throw invalid('CHECK.IMAGE_ALT', 'an image needs alternative text', [{ path: 'alt', code: 'field.required', message: 'alt' }], { n: 1, src: file.name });
      if ([...alt].length > 200 || [...caption].length > 300) throw invalid('field.tooLong', 'too long', [{ path: 'alt', code: 'field.tooLong', message: 'alt', params: { max: 200 } }], { max: 200 });
      const { sha } = await storeUpload(ctx, file, (m) => IMAGE_TYPES.includes(m));
      const src = `/files/${sha}/${safeName(file.name)}`;
      const { record } = await revise(ctx, id, 'content.add_image', (rev) => ({ ...rev, bodyHtml: sanitizeBody(`${rev.bodyHtml}\n${figureHtml(src, alt.trim(), caption.trim())}`).html, note: null }), undefined, { image: sha, alt: alt.trim() });
      return record;
    },

    async addAttachment(ctx, id, file, title) {
      authorize(ctx.actor, 'content.edit');
      const { sha, mime } = await storeUpload(ctx, file, (m) => !m.startsWith('image/') || IMAGE_TYPES.includes(m));
      const attachment: Attachment = { sha256: sha, name: file.name.slice(0, 200), title: (title.trim() || file.name).slice(0, 200), bytes: file.bytes.byteLength, mime };
      const { record } = await revise(ctx, id, 'content.add_attachment', (rev) => ({ ...rev, attachments: [...rev.attachments.filter((a) => a.sha256 !== sha), attachment], note: null }), undefined, { attachment: sha });
      return record;
    },

    async removeAttachment(ctx, id, sha256) {
      authorize(ctx.actor, 'content.edit');
      const { record } = await revise(ctx, id, 'content.remove_attachment', (rev) => ({ ...rev, attachments: rev.attachments.filter((a) => a.sha256 !== sha256), note: null }), undefined, { attachment: sha256 });
      return record;
    },

    async forStaff(actor, id) {
      requireStaff(actor);
      const doc = await repo.findDocument(db, id);
      if (!doc) throw notFound('CONTENT.NOT_FOUND', `No document ${id}`, { id });
      const [revision, events, revisions, words, interprets] = await Promise.all([
        working(db, doc),
        repo.findEvents(db, id),
        repo.findRevisions(db, id),
        siteRepo.findWords(db),
        doc.interpretsId
          ? repo.findDocument(db, doc.interpretsId).then(async (p) => (p ? summaryOf(p, await working(db, p)) : undefined))
          : Promise.resolve(undefined),
      ]);
      const live = doc.liveRevisionNo === null ? undefined : revisions.find((r) => r.number === doc.liveRevisionNo);
      const userId = 'userId' in actor ? actor.userId : -1;
      return { record: doc, revision, live, events, revisions, findings: checkContent(revision, words), actions: allowedActions(subject(doc), userId, mayFor(actor)), interprets };
    },

    async listForStaff(actor, filter) {
      requireStaff(actor);
      const states = filter.states?.filter((s) => ['draft', 'in_review', 'approved', 'scheduled', 'published', 'withdrawn'].includes(s)) as DocumentRecord['state'][] | undefined;
      return repo.listDocuments(db, { live: false, ...(states?.length ? { states } : {}), ...(filter.columnId ? { columnIds: [filter.columnId] } : {}), limit: 30, offset: Math.max(0, filter.page - 1) * 30 });
    },

    async diff(actor, id, from, to) {
      requireStaff(actor);
      const [before, after] = await Promise.all([repo.findRevision(db, id, from), repo.findRevision(db, id, to)]);
      if (!before || !after) throw notFound('CONTENT.REVISION_NOT_FOUND', 'no such revision', { id });
      return { before, after, diff: diffRevisions(before, after) };
    },

    async check(actor, id) {
      requireStaff(actor);
      const doc = await repo.findDocument(db, id);
      if (!doc) throw notFound('CONTENT.NOT_FOUND', `No document ${id}`, { id });
      return checkContent(await working(db, doc), await siteRepo.findWords(db));
    },

    async runDue() {
      const due = await repo.findDue(db, clock.now(), 200);
      let published = 0;
      let withdrawn = 0;
      let failed = 0;
      for (const [ids, action] of [[due.publish, 'publish_due'], [due.withdraw, 'withdraw_due']] as const) {
        for (const id of ids) {
          try {
            await applyTransition(id, action, SYSTEM, null);
            if (action === 'publish_due') published++;
            else withdrawn++;
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            failed++;
          }
        }
      }
      return { published, withdrawn, failed };
    },

    async getPublic(id) {
      const live = await repo.findLive(db, id);
      if (!live) throw notFound('CONTENT.NOT_FOUND', `No published document ${id}`, { id });
      const { record } = live;
      const related =
        record.kind === 'policy'
          ? (await repo.listDocuments(db, { live: true, interpretsId: id, limit: 20, withTotal: false })).items
          : record.kind === 'interpretation' && record.interpretsId
            ? (await summariesOf([record.interpretsId]))
            : [];
      const supersededBy = record.supersededById ? (await summariesOf([record.supersededById]))[0] : undefined;
      return { record, revision: live.revision, related, supersededBy };
    },

    listPublic: (columnIds, page) => repo.listDocuments(db, { live: true, columnIds, limit: Math.min(page.limit, 100), offset: page.offset, ...(page.withTotal === false ? { withTotal: false } : {}) }),
    listPublicGroups: (groups) => repo.listLiveGroups(db, groups),
    listByUnit: async (unitId, limit) => (await repo.listDocuments(db, { live: true, unitId, limit, withTotal: false })).items,

    async search(query, columns) {
      const q = query.q.trim();
      if ([...q].length > MAX_QUERY_CHARS) throw invalid('SEARCH.TOO_LONG', 'query too long', [{ path: 'q', code: 'SEARCH.TOO_LONG', message: 'long', params: { max: MAX_QUERY_CHARS } }], { max: MAX_QUERY_CHARS });
      const page = Math.max(1, Math.min(query.page, 100));
      if (!q) return { words: [], total: 0, page, pageSize: SEARCH_PAGE, method: 'none', hits: [] };
      const words = queryTokens(q);
      const visible = columns.filter((c) => !c.hidden).map((c) => c.id);
      const columnIds = query.columnId ? subtreeIds(columns, query.columnId).filter((id) => visible.includes(id)) : visible;
      const result = await repo.searchDocuments(db, {
        words: words.join(' '),
        phrase: q,
        columnIds,
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
        limit: SEARCH_PAGE,
        offset: (page - 1) * SEARCH_PAGE,
      });
      return { words: result.method === 'words' ? words : [q.toLowerCase()], total: result.total, page, pageSize: SEARCH_PAGE, method: result.method, hits: result.rows };
    },

    sitemapEntries: (limit) => repo.liveIndex(db, limit),
    columnActivity: () => repo.columnActivity(db),
    liveBodies: (afterId, limit) => repo.liveBodies(db, afterId, limit),
    liveIds: (ids) => repo.liveIds(db, ids),

    async readFile(sha) {
      const meta = await repo.findFile(db, sha);
      if (!meta) return undefined;
      const bytes = await files.get(sha);
      return bytes && { bytes, mime: meta.mime, name: meta.originalName };
    },

    async importPublished(doc, by) {
      const { html, removed } = sanitizeBody(doc.bodyHtml);
      return write(async (tx) => {
        const now = clock.now();
        const record = await repo.insertDocument(tx, {
          columnId: doc.columnId,
          kind: doc.kind,
          interpretsId: doc.interpretsId ?? null,
          unitId: doc.unitId ?? null,
          createdBy: by.userId,
          isDemo: doc.isDemo,
          now,
          policyStatus: doc.kind === 'policy' ? (doc.policyStatus ?? 'in_force') : null,
        });
        const rev: Revision = {
          documentId: record.id,
          number: 1,
          title: doc.title,
          source: doc.source ?? null,
          author: doc.author ?? null,
          docNumber: doc.docNumber ?? null,
          summary: doc.summary ?? null,
          bodyHtml: html,
          attachments: [],
          removed,
          note: null,
          createdAt: now,
          createdBy: by.userId,
        };
        await repo.insertRevision(tx, rev);
        await repo.updateDocument(tx, record.id, { state: 'published', live_revision_no: 1, published_at: doc.publishedAt, pinned_at: doc.pinned ? doc.publishedAt : null, ...(doc.policyStatusNote ? { policy_status_note: doc.policyStatusNote } : {}), ...(doc.supersededById ? { superseded_by_id: doc.supersededById } : {}) }, now);
        await repo.setSearch(tx, record.id, searchFields(rev));
        await event(tx, record.id, by, { action: 'import', from: null, to: 'published', revisionNo: 1 });
        await siteRepo.bumpSiteVersion(tx, now);
        return record.id;
      });
    },

    countDemo: () => repo.countDemoDocuments(db),
  };
  return service;
}
