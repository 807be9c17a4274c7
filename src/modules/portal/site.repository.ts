/** SQL of the portal's structure and furniture: columns, link directories and checks, word lists, unit profiles,
 * freshness reports and the site version. */
import { sql, type GeneratedAlways, type Generated, type Selectable } from 'kysely';
import { prepare, type Executor } from '../../kernel/db.js';
import type { Column, ColumnInput, ColumnKind, Leader, Link, LinkCheck, LinkGroup, UnitProfile } from './column.js';
import type { WordEntry, WordKind } from './content-check.rules.js';
import type { FreshnessFinding } from './freshness.rules.js';

export interface PortalColumnsTable {
  id: GeneratedAlways<number>;
  slug: string;
  parent_id: number | null;
  name: string;
  kind: ColumnKind;
  description: string | null;
  sort_order: number;
  freshness_days: number | null;
  hidden: boolean;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type SiteTables = {
  portal_columns: PortalColumnsTable;
  portal_site_state: { id: number; version: number; changed_at: Date };
  portal_link_groups: { id: GeneratedAlways<number>; key: string; title: string; sort_order: number };
  portal_links: { id: GeneratedAlways<number>; group_id: number; label: string; url: string; sort_order: number };
  portal_link_checks: { url: string; ok: boolean; status: number | null; error: string | null; failures: number; checked_at: Date; first_failed_at: Date | null };
  portal_words: { id: GeneratedAlways<number>; kind: WordKind; word: string; suggestion: string | null; note: string | null; created_at: Date; created_by: number | null };
  portal_unit_profiles: { unit_id: number; intro: string | null; leaders: unknown; office_hours: string | null; is_demo: boolean; updated_at: Date; updated_by: number | null };
  portal_freshness_reports: { id: GeneratedAlways<number>; checked_at: Date; findings: unknown; failed: boolean };
};

type Db = Executor<SiteTables>;

const toColumn = (r: Selectable<PortalColumnsTable>): Column => ({
  id: r.id,
  slug: r.slug,
  parentId: r.parent_id,
  name: r.name,
  kind: r.kind,
  description: r.description,
  sortOrder: r.sort_order,
  freshnessDays: r.freshness_days,
  hidden: r.hidden,
});

export async function findColumns(db: Db): Promise<Column[]> {
  const rows = await db.selectFrom('portal_columns').selectAll().orderBy('sort_order').orderBy('id').execute();
  return rows.map(toColumn);
}

const columnValues = (c: ColumnInput) => ({
  slug: c.slug,
  parent_id: c.parentId,
  name: c.name.trim(),
  kind: c.kind,
  description: c.description?.trim() || null,
  sort_order: c.sortOrder ?? 0,
  freshness_days: c.freshnessDays ?? null,
  hidden: c.hidden ?? false,
});

export async function insertColumn(db: Db, c: ColumnInput): Promise<Column> {
  return toColumn(await db.insertInto('portal_columns').values(columnValues(c)).returningAll().executeTakeFirstOrThrow());
}

export async function updateColumn(db: Db, id: number, c: ColumnInput, now: Date): Promise<Column> {
  return toColumn(await db.updateTable('portal_columns').set({ ...columnValues(c), updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow());
}

export async function lockColumns(db: Db): Promise<void> {
  await sql`lock table portal_columns in share row exclusive mode`.execute(db);
}

const versionQuery = prepare<Record<string, never>, { version: number }>((db) => db.withTables<SiteTables>().selectFrom('portal_site_state').select('version').where('id', '=', 1));

/** The number that changes whenever anything public changes (one indexed row: cheap enough for every request). */
export async function siteVersion(db: Db): Promise<number> {
  const [row] = await versionQuery.execute(db, {});
  return row?.version ?? 0;
}

export async function bumpSiteVersion(db: Db, now: Date): Promise<void> {
  await db.updateTable('portal_site_state').set((eb) => ({ version: eb('version', '+', 1), changed_at: now })).where('id', '=', 1).execute();
}

export async function findLinkGroups(db: Db): Promise<LinkGroup[]> {
  const groups = await db.selectFrom('portal_link_groups').selectAll().orderBy('sort_order').orderBy('id').execute();
  const links = await db.selectFrom('portal_links').selectAll().orderBy('sort_order').orderBy('id').execute();
  return groups.map((g) => ({
    id: g.id,
    key: g.key,
    title: g.title,
    sortOrder: g.sort_order,
    links: links.filter((l) => l.group_id === g.id).map((l): Link => ({ id: l.id, groupId: l.group_id, label: l.label, url: l.url, sortOrder: l.sort_order })),
  }));
}

export async function insertLink(db: Db, link: Omit<Link, 'id'>): Promise<Link> {
  const r = await db.insertInto('portal_links').values({ group_id: link.groupId, label: link.label, url: link.url, sort_order: link.sortOrder }).returningAll().executeTakeFirstOrThrow();
  return { id: r.id, groupId: r.group_id, label: r.label, url: r.url, sortOrder: r.sort_order };
}

export async function updateLink(db: Db, id: number, link: Omit<Link, 'id' | 'groupId'>): Promise<Link | undefined> {
  const r = await db.updateTable('portal_links').set({ label: link.label, url: link.url, sort_order: link.sortOrder }).where('id', '=', id).returningAll().executeTakeFirst();
  return r && { id: r.id, groupId: r.group_id, label: r.label, url: r.url, sortOrder: r.sort_order };
}

export async function deleteLink(db: Db, id: number): Promise<Link | undefined> {
  const r = await db.deleteFrom('portal_links').where('id', '=', id).returningAll().executeTakeFirst();
  return r && { id: r.id, groupId: r.group_id, label: r.label, url: r.url, sortOrder: r.sort_order };
}

export async function findLinkChecks(db: Db, urls?: readonly string[]): Promise<LinkCheck[]> {
  let q = db.selectFrom('portal_link_checks').selectAll();
  if (urls) {
    if (urls.length === 0) return [];
    q = q.where('url', '=', sql<string>`any(${sql.val([...urls])}::text[])`);
  }
  const rows = await q.orderBy('url').execute();
  return rows.map((r) => ({ url: r.url, ok: r.ok, status: r.status, error: r.error, failures: r.failures, checkedAt: r.checked_at }));
}

export async function saveLinkCheck(db: Db, check: { url: string; ok: boolean; status: number | null; error: string | null }, now: Date): Promise<void> {
  await db
    .insertInto('portal_link_checks')
    .values({ url: check.url, ok: check.ok, status: check.status, error: check.error, failures: check.ok ? 0 : 1, checked_at: now, first_failed_at: check.ok ? null : now })
    .onConflict((oc) =>
      oc.column('url').doUpdateSet({
        ok: check.ok,
        status: check.status,
        error: check.error,
        checked_at: now,
        failures: check.ok ? 0 : sql<number>`portal_link_checks.failures + 1`,
        first_failed_at: check.ok ? null : sql<Date>`coalesce(portal_link_checks.first_failed_at, ${now})`,
      }),
    )
    .execute();
}

export async function deleteLinkChecksExcept(db: Db, urls: readonly string[]): Promise<void> {
  await db.deleteFrom('portal_link_checks').where('url', '<>', sql<string>`all(${sql.val([...urls])}::text[])`).execute();
}

const toWord = (r: Selectable<SiteTables['portal_words']>): WordEntry => ({ id: r.id, kind: r.kind, word: r.word, suggestion: r.suggestion, note: r.note });

export async function findWords(db: Db): Promise<WordEntry[]> {
  return (await db.selectFrom('portal_words').selectAll().orderBy('kind').orderBy('word').execute()).map(toWord);
}

export async function insertWord(db: Db, w: Omit<WordEntry, 'id'>, now: Date, by: number | null): Promise<WordEntry | undefined> {
  const r = await db
    .insertInto('portal_words')
    .values({ kind: w.kind, word: w.word, suggestion: w.suggestion, note: w.note, created_at: now, created_by: by })
    .onConflict((oc) => oc.columns(['kind', 'word']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return r && toWord(r);
}

export async function deleteWord(db: Db, id: number): Promise<WordEntry | undefined> {
  const r = await db.deleteFrom('portal_words').where('id', '=', id).returningAll().executeTakeFirst();
  return r && toWord(r);
}

const toProfile = (r: Selectable<SiteTables['portal_unit_profiles']>): UnitProfile => ({
  unitId: r.unit_id,
  intro: r.intro,
  leaders: (Array.isArray(r.leaders) ? r.leaders : []) as Leader[],
  officeHours: r.office_hours,
  isDemo: r.is_demo,
  updatedAt: r.updated_at,
});

export async function findProfile(db: Db, unitId: number): Promise<UnitProfile | undefined> {
  const r = await db.selectFrom('portal_unit_profiles').selectAll().where('unit_id', '=', unitId).executeTakeFirst();
  return r && toProfile(r);
}

export async function upsertProfile(db: Db, p: Omit<UnitProfile, 'updatedAt'>, now: Date, by: number | null, onlyIfMissing = false): Promise<void> {
  const values = { unit_id: p.unitId, intro: p.intro, leaders: JSON.stringify(p.leaders), office_hours: p.officeHours, is_demo: p.isDemo, updated_at: now, updated_by: by };
  await db
    .insertInto('portal_unit_profiles')
    .values(values)
    .onConflict((oc) => (onlyIfMissing ? oc.column('unit_id').doNothing() : oc.column('unit_id').doUpdateSet({ intro: p.intro, leaders: values.leaders, office_hours: p.officeHours, is_demo: p.isDemo, updated_at: now, updated_by: by })))
    .execute();
}

export async function insertFreshnessReport(db: Db, at: Date, findings: readonly FreshnessFinding[], failed: boolean): Promise<number> {
  const r = await db.insertInto('portal_freshness_reports').values({ checked_at: at, findings: JSON.stringify(findings), failed }).returning('id').executeTakeFirstOrThrow();
  // Keep a year of daily reports at most.
  await db.deleteFrom('portal_freshness_reports').where('checked_at', '<', new Date(at.getTime() - 400 * 86_400_000)).execute();
  return r.id;
}

export async function latestFreshnessReport(db: Db): Promise<{ checkedAt: Date; findings: FreshnessFinding[]; failed: boolean } | undefined> {
  const r = await db.selectFrom('portal_freshness_reports').selectAll().orderBy('checked_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r && { checkedAt: r.checked_at, findings: r.findings as FreshnessFinding[], failed: r.failed };
}
