/**
 * Use cases of the portal's structure and furniture: the column tree, the footer link directories, the word
 * lists of the pre-publication check and the profiles of the 部门街镇 pages. Every change runs in one
 * transaction with its audit entry, and bumps the site version when the public would see it.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Database, Executor } from '../../kernel/db.js';
import { invalid, notFound, type FieldProblem } from '../../kernel/errors.js';
import type { Initiator } from '../../kernel/initiator.js';
import { authorize, type PolicyActor } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import type { Column, ColumnInput, Leader, Link, LinkGroup, SiteFurniture, UnitProfile } from './column.js';
import { checkColumn } from './column.rules.js';
import { WORD_KINDS, type WordEntry, type WordKind } from './content-check.rules.js';
import * as repo from './site.repository.js';
import type { StaffContext } from './portal.js';

export interface SiteService {
  /**
   * Columns and link directories with the site version, cached per process: changes made through this process
   * show at once; changes made by another process (a worker publishing on schedule) within VERSION_TTL_MS.
   */
  furniture(): Promise<SiteFurniture>;
  /** Forgets the cached furniture (called when this process changed something public). */
  invalidate(): void;
  /** The site version (changes with anything public). */
  version(): Promise<number>;
  createColumn(ctx: StaffContext, input: ColumnInput): Promise<Column>;
  updateColumn(ctx: StaffContext, id: number, input: ColumnInput): Promise<Column>;
  addLink(ctx: StaffContext, groupId: number, link: { label: string; url: string; sortOrder: number }): Promise<Link>;
  updateLink(ctx: StaffContext, id: number, link: { label: string; url: string; sortOrder: number }): Promise<Link>;
  removeLink(ctx: StaffContext, id: number): Promise<void>;
  words(actor: PolicyActor): Promise<WordEntry[]>;
  addWord(ctx: StaffContext, word: { kind: WordKind; word: string; suggestion: string | null; note: string | null }): Promise<WordEntry>;
  removeWord(ctx: StaffContext, id: number): Promise<void>;
  profile(unitId: number): Promise<UnitProfile | undefined>;
  saveProfile(ctx: StaffContext, unitId: number, profile: { intro: string | null; leaders: readonly Leader[]; officeHours: string | null }): Promise<void>;
  /** Demo seeding: profiles and words, each only where missing. */
  seedDemo(profiles: readonly Omit<UnitProfile, 'updatedAt'>[], words: readonly Omit<WordEntry, 'id'>[], by: Initiator): Promise<void>;
}

/** A link is site-relative (/…) or http(s); nothing else (no javascript:, no protocol-relative //host). */
export function linkUrlProblem(url: string): FieldProblem | undefined {
  const u = url.trim();
  if (u.startsWith('/') && !u.startsWith('//') && !/\s/.test(u)) return undefined;
  try {
    const parsed = new URL(u);
    if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname) return undefined;
  } catch {
    // fall through
  }
  return { path: 'url', code: 'LINK.URL_INVALID', message: 'a link is /path or http(s)://host/…' };
}

/**
 * How long a web process trusts its cached site version before asking the database again. Reading the version
 * costs one query, and on the embedded engine every query waits its turn on the single connection, so asking on
 * every request would halve the rate of cached pages; a second of delay for changes made elsewhere is harmless.
 */
export const VERSION_TTL_MS = 1000;

export function createSiteService(database: Database, clock: Clock, audit: AuditService): SiteService {
  const { db } = database;
  let cached: SiteFurniture | undefined;
  let checkedAt = 0;

  const change = async <R>(ctx: StaffContext, auditAction: string, target: { type: string; id: string | number }, fn: (tx: Executor) => Promise<{ value: R; details: Record<string, unknown>; public: boolean }>) => {
    authorize(ctx.actor, 'content.publish');
    const value = await database.transaction(async (tx) => {
      const r = await fn(tx);
      if (r.public) await repo.bumpSiteVersion(tx, clock.now());
      await audit.append(tx, { action: auditAction, target, details: r.details }, ctx.by);
      return r.value;
    });
    cached = undefined;
    return value;
  };

  const checkLink = (link: { label: string; url: string; sortOrder: number }) => {
    const problems: FieldProblem[] = [];
    if (!link.label.trim() || [...link.label.trim()].length > 60) problems.push({ path: 'label', code: 'field.tooLong', message: 'label 1–60', params: { max: 60 } });
    const p = linkUrlProblem(link.url);
    if (p) problems.push(p);
    if (!Number.isInteger(link.sortOrder)) problems.push({ path: 'sortOrder', code: 'field.invalid', message: 'sort order' });
    if (problems.length) throw invalid(problems[0]!.code, problems.map((x) => x.message).join('; '), problems, problems[0]!.params as Record<string, number>);
  };

  const service: SiteService = {
    async furniture() {
      const now = performance.now();
      if (cached && now - checkedAt < VERSION_TTL_MS) return cached;
      const version = await repo.siteVersion(db);
      checkedAt = now;
      if (cached && cached.version === version) return cached;
      const [columns, linkGroups] = await Promise.all([repo.findColumns(db), repo.findLinkGroups(db)]);
      cached = { version, columns, linkGroups };
      return cached;
    },
    invalidate() {
      cached = undefined;
    },
    version: () => repo.siteVersion(db),

    createColumn: (ctx, input) =>
      change(ctx, 'content.column_create', { type: 'column', id: input.slug }, async (tx) => {
        await repo.lockColumns(tx);
        const all = await repo.findColumns(tx);
        const problems = checkColumn(input, all);
        if (problems.length) throw invalid(problems[0]!.code, problems.map((p) => p.message).join('; '), problems, problems[0]!.params as Record<string, string>);
        const column = await repo.insertColumn(tx, input);
        return { value: column, details: { slug: column.slug, name: column.name, parentId: column.parentId }, public: true };
      }),

    updateColumn: (ctx, id, input) =>
      change(ctx, 'content.column_update', { type: 'column', id }, async (tx) => {
        await repo.lockColumns(tx);
        const all = await repo.findColumns(tx);
        const before = all.find((c) => c.id === id);
        if (!before) throw notFound('COLUMN.NOT_FOUND', `No column ${id}`);
        const problems = checkColumn(input, all, id);
        if (problems.length) throw invalid(problems[0]!.code, problems.map((p) => p.message).join('; '), problems, problems[0]!.params as Record<string, string>);
        const after = await repo.updateColumn(tx, id, input, clock.now());
        const changed = Object.fromEntries(
          (Object.keys(after) as (keyof Column)[]).filter((k) => before[k] !== after[k]).map((k) => [k, { from: before[k], to: after[k] }]),
        );
        return { value: after, details: changed, public: true };
      }),

    addLink: (ctx, groupId, link) =>
      change(ctx, 'content.link_add', { type: 'link_group', id: groupId }, async (tx) => {
        checkLink(link);
        const groups = await repo.findLinkGroups(tx);
        if (!groups.some((g) => g.id === groupId)) throw notFound('LINK.GROUP_NOT_FOUND', 'no such group');
        const created = await repo.insertLink(tx, { groupId, label: link.label.trim(), url: link.url.trim(), sortOrder: link.sortOrder });
        return { value: created, details: { label: created.label, url: created.url }, public: true };
      }),

    updateLink: (ctx, id, link) =>
      change(ctx, 'content.link_update', { type: 'link', id }, async (tx) => {
        checkLink(link);
        const updated = await repo.updateLink(tx, id, { label: link.label.trim(), url: link.url.trim(), sortOrder: link.sortOrder });
        if (!updated) throw notFound('LINK.NOT_FOUND', 'no such link');
        return { value: updated, details: { label: updated.label, url: updated.url }, public: true };
      }),

    removeLink: (ctx, id) =>
      change(ctx, 'content.link_remove', { type: 'link', id }, async (tx) => {
        const removed = await repo.deleteLink(tx, id);
        if (!removed) throw notFound('LINK.NOT_FOUND', 'no such link');
        return { value: undefined, details: { label: removed.label, url: removed.url }, public: true };
      }),

    async words(actor) {
      authorize(actor, 'content.review');
      return repo.findWords(db);
    },

    async addWord(ctx, word) {
      // The word lists belong to the reviewers, who act on what the check finds.
      authorize(ctx.actor, 'content.review');
      const w = word.word.trim();
      const problems: FieldProblem[] = [];
      if (!(WORD_KINDS as readonly string[]).includes(word.kind)) problems.push({ path: 'kind', code: 'field.invalid', message: 'kind' });
      if (!w || [...w].length > 40) problems.push({ path: 'word', code: 'field.tooLong', message: 'word 1–40', params: { max: 40 } });
      if (word.kind === 'typo' && !word.suggestion?.trim()) problems.push({ path: 'suggestion', code: 'WORD.SUGGESTION_REQUIRED', message: 'a typo needs its right form' });
      if (problems.length) throw invalid(problems[0]!.code, problems.map((p) => p.message).join('; '), problems, problems[0]!.params as Record<string, number>);
      return database.transaction(async (tx) => {
        const created = await repo.insertWord(tx, { kind: word.kind, word: w, suggestion: word.suggestion?.trim() || null, note: word.note?.trim() || null }, clock.now(), ctx.by.userId);
        if (!created) throw invalid('WORD.EXISTS', 'already listed', [{ path: 'word', code: 'WORD.EXISTS', message: 'exists', params: { word: w } }], { word: w });
        await audit.append(tx, { action: 'content.word_add', target: { type: 'word', id: created.id }, details: { kind: created.kind, word: created.word } }, ctx.by);
        return created;
      });
    },

    async removeWord(ctx, id) {
      authorize(ctx.actor, 'content.review');
      await database.transaction(async (tx) => {
        const removed = await repo.deleteWord(tx, id);
        if (!removed) throw notFound('WORD.NOT_FOUND', 'no such word');
        await audit.append(tx, { action: 'content.word_remove', target: { type: 'word', id }, details: { kind: removed.kind, word: removed.word } }, ctx.by);
      });
    },

    profile: (unitId) => repo.findProfile(db, unitId),

    saveProfile: (ctx, unitId, p) =>
      change(ctx, 'content.profile_save', { type: 'unit', id: unitId }, async (tx) => {
        const leaders = p.leaders.filter((l) => l.name.trim()).slice(0, 20).map((l) => ({ name: l.name.trim().slice(0, 40), title: l.title.trim().slice(0, 60), ...(l.portfolio?.trim() ? { portfolio: l.portfolio.trim().slice(0, 300) } : {}) }));
        await repo.upsertProfile(tx, { unitId, intro: p.intro?.trim().slice(0, 5000) || null, leaders, officeHours: p.officeHours?.trim().slice(0, 200) || null, isDemo: false }, clock.now(), ctx.by.userId);
        return { value: undefined, details: { leaders: leaders.length }, public: true };
      }),

    async seedDemo(profiles, words, by) {
      await database.transaction(async (tx) => {
        for (const p of profiles) await repo.upsertProfile(tx, p, clock.now(), by.userId, true);
        for (const w of words) await repo.insertWord(tx, w, clock.now(), by.userId);
        await repo.bumpSiteVersion(tx, clock.now());
      });
      cached = undefined;
    },
  };
  return service;
}

export type { LinkGroup };
