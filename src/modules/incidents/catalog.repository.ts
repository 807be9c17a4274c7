/** All SQL of the catalogue: categories, versions, routes. */
import { sql, type GeneratedAlways, type Selectable } from 'kysely';
import { prepare, type Executor } from '../../kernel/db.js';
import type { UnitsTable } from '../organization/index.js';
import type { Category, CategoryAttribute, CategoryClass, CategoryInput, CategoryVersion, Route } from './catalog.js';
import type { Limits, Urgency } from './incident.js';

export interface CatalogCategoriesTable {
  id: GeneratedAlways<number>;
  code: string;
  parent_id: number | null;
  class: CategoryClass;
  sort_order: number;
  is_demo: boolean;
  retired_at: Date | null;
  created_at: GeneratedAlways<Date>;
}

export interface CatalogCategoryVersionsTable {
  id: GeneratedAlways<number>;
  category_id: number;
  version: number;
  name: string;
  description: string | null;
  filing_condition: string | null;
  closing_condition: string | null;
  default_urgency: Urgency;
  limits: Limits;
  public_visible: boolean;
  duplicate_radius_m: number;
  attributes: CategoryAttribute[];
  created_at: GeneratedAlways<Date>;
  created_by: number | null;
}

export interface CatalogRoutesTable {
  id: GeneratedAlways<number>;
  category_id: number;
  area_unit_id: number | null;
  lead_unit_id: number;
  co_unit_ids: number[];
  created_at: GeneratedAlways<Date>;
}

export interface CatalogTables {
  catalog_categories: CatalogCategoriesTable;
  catalog_category_versions: CatalogCategoryVersionsTable;
  catalog_routes: CatalogRoutesTable;
  units: UnitsTable;
}

type Db = Executor<CatalogTables>;

export const toVersion = (r: Selectable<CatalogCategoryVersionsTable>): CategoryVersion => ({
  id: r.id,
  categoryId: r.category_id,
  version: r.version,
  name: r.name,
  description: r.description,
  filingCondition: r.filing_condition,
  closingCondition: r.closing_condition,
  defaultUrgency: r.default_urgency,
  limits: r.limits,
  publicVisible: r.public_visible,
  duplicateRadiusM: r.duplicate_radius_m,
  attributes: r.attributes ?? [],
  createdAt: r.created_at,
});

/** Every category with its latest version, in tree order. */
export async function findCategories(db: Db, includeRetired = false): Promise<Category[]> {
  let q = db
    .selectFrom('catalog_categories as c')
    .innerJoin('catalog_category_versions as v', (j) =>
      j.onRef('v.category_id', '=', 'c.id').on('v.version', '=', (eb) =>
        eb.selectFrom('catalog_category_versions as w').select((w) => w.fn.max('w.version').as('m')).whereRef('w.category_id', '=', 'c.id'),
      ),
    )
    .select(['c.id as c_id', 'c.code', 'c.parent_id', 'c.class', 'c.sort_order', 'c.is_demo', 'c.retired_at'])
    .selectAll('v');
  if (!includeRetired) q = q.where('c.retired_at', 'is', null);
  const rows = await q.orderBy('c.sort_order').orderBy('c.code').execute();
  return rows.map((r) => ({
    id: r.c_id,
    code: r.code,
    parentId: r.parent_id,
    class: r.class,
    sortOrder: r.sort_order,
    isDemo: r.is_demo,
    retiredAt: r.retired_at,
    current: toVersion(r),
  }));
}

const categoryById = prepare<{ id: number }, Selectable<CatalogCategoriesTable> & Selectable<CatalogCategoryVersionsTable> & { c_id: number }>((db, p) =>
  (db as Db)
    .selectFrom('catalog_categories as c')
    .innerJoin('catalog_category_versions as v', 'v.category_id', 'c.id')
    .select(['c.id as c_id', 'c.code', 'c.parent_id', 'c.class', 'c.sort_order', 'c.is_demo', 'c.retired_at'])
    .selectAll('v')
    .where('c.id', '=', p('id'))
    .orderBy('v.version', 'desc')
    .limit(1),
);

/** One category with its latest version (a hot path: every report and dispatch reads it). */
export async function findCategory(db: Db, id: number): Promise<Category | undefined> {
  const [r] = await categoryById.execute(db, { id });
  return (
    r && {
      id: r.c_id,
      code: r.code,
      parentId: r.parent_id,
      class: r.class,
      sortOrder: r.sort_order,
      isDemo: r.is_demo,
      retiredAt: r.retired_at,
      current: toVersion(r),
    }
  );
}

export async function findCurrentVersion(db: Db, categoryId: number): Promise<CategoryVersion | undefined> {
  const row = await db.selectFrom('catalog_category_versions').selectAll().where('category_id', '=', categoryId).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row && toVersion(row);
}

export async function findVersion(db: Db, versionId: number): Promise<CategoryVersion | undefined> {
  const row = await db.selectFrom('catalog_category_versions').selectAll().where('id', '=', versionId).executeTakeFirst();
  return row && toVersion(row);
}

export async function findCategoryByCode(db: Db, code: string) {
  return db.selectFrom('catalog_categories').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertCategory(db: Db, c: { code: string; parentId: number | null; class: CategoryClass; sortOrder: number; isDemo: boolean }): Promise<number> {
  const row = await db
    .insertInto('catalog_categories')
    .values({ code: c.code, parent_id: c.parentId, class: c.class, sort_order: c.sortOrder, is_demo: c.isDemo, retired_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertVersion(db: Db, categoryId: number, input: CategoryInput, createdBy: number | null): Promise<CategoryVersion> {
  const last = await db.selectFrom('catalog_category_versions').select((eb) => eb.fn.max('version').as('v')).where('category_id', '=', categoryId).executeTakeFirst();
  // A revision that does not mention attributes keeps the previous version's.
  const attributes =
    input.attributes ??
    (last?.v
      ? ((await db.selectFrom('catalog_category_versions').select('attributes').where('category_id', '=', categoryId).where('version', '=', last.v).executeTakeFirst())?.attributes ?? [])
      : []);
  const row = await db
    .insertInto('catalog_category_versions')
    .values({
      category_id: categoryId,
      version: (last?.v ?? 0) + 1,
      name: input.name,
      description: input.description ?? null,
      filing_condition: input.filingCondition ?? null,
      closing_condition: input.closingCondition ?? null,
      default_urgency: input.defaultUrgency ?? 'normal',
      limits: JSON.stringify(input.limits) as never,
      public_visible: input.publicVisible ?? true,
      duplicate_radius_m: input.duplicateRadiusM ?? 250,
      attributes: JSON.stringify(attributes) as never,
      created_by: createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toVersion(row);
}

export async function retireCategory(db: Db, id: number, at: Date): Promise<void> {
  await db.updateTable('catalog_categories').set({ retired_at: at }).where('id', '=', id).execute();
}

/** The routes of a category, each with its area's current path (null for the whole district). */
export async function findRoutes(db: Db, categoryId: number): Promise<(Route & { areaPath: string | null })[]> {
  const rows = await db
    .selectFrom('catalog_routes as r')
    .leftJoin('units as a', 'a.id', 'r.area_unit_id')
    .select(['r.id', 'r.category_id', 'r.area_unit_id', 'r.lead_unit_id', 'r.co_unit_ids', 'a.path'])
    .where('r.category_id', '=', categoryId)
    .execute();
  return rows.map((r) => ({ id: r.id, categoryId: r.category_id, areaUnitId: r.area_unit_id, leadUnitId: r.lead_unit_id, coUnitIds: r.co_unit_ids ?? [], areaPath: r.path ?? null }));
}

export async function upsertRoute(db: Db, r: { categoryId: number; areaUnitId: number | null; leadUnitId: number; coUnitIds: readonly number[] }): Promise<void> {
  const existing = await db
    .selectFrom('catalog_routes')
    .select('id')
    .where('category_id', '=', r.categoryId)
    .where((eb) => (r.areaUnitId === null ? eb('area_unit_id', 'is', null) : eb('area_unit_id', '=', r.areaUnitId)))
    .executeTakeFirst();
  const co = sql<number[]>`${`{${r.coUnitIds.join(',')}}`}::bigint[]`;
  if (existing) await db.updateTable('catalog_routes').set({ lead_unit_id: r.leadUnitId, co_unit_ids: co }).where('id', '=', existing.id).execute();
  else await db.insertInto('catalog_routes').values({ category_id: r.categoryId, area_unit_id: r.areaUnitId, lead_unit_id: r.leadUnitId, co_unit_ids: co }).execute();
}

export async function deleteRoute(db: Db, id: number): Promise<void> {
  await db.deleteFrom('catalog_routes').where('id', '=', id).execute();
}
