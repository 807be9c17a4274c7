/**
 * Use cases of the catalogue. Editing a category adds a version; incidents keep the version they were filed
 * under, so their deadlines never move when the catalogue changes (issue 4 §1).
 */
import { attributeDefinitionProblems } from './attribute.rules.js';
import type { Clock } from '../../kernel/clock.js';
import type { Database } from '../../kernel/db.js';
import { conflict, invalid, notFound } from '../../kernel/errors.js';
import type { Initiator } from '../../kernel/initiator.js';
import { ttlCache } from '../../kernel/ttl-cache.js';
import { authorize, type PolicyActor } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import type { Category, CategoryClass, CategoryInput, CategoryVersion, Route } from './catalog.js';
import { limitProblems, pickRoute } from './catalog.rules.js';
import * as repo from './catalog.repository.js';

export interface CatalogChange {
  readonly actor: PolicyActor;
  readonly by: Initiator;
}

export interface SeedCategory extends CategoryInput {
  readonly code: string;
  readonly parentCode?: string;
  readonly class: CategoryClass;
  readonly sortOrder: number;
  readonly route?: { readonly leadUnitId: number; readonly coUnitIds: readonly number[] };
  readonly areaRoutes?: readonly { readonly areaUnitId: number; readonly leadUnitId: number; readonly coUnitIds: readonly number[] }[];
}

export interface CatalogService {
  /** Current categories (latest versions), parents before children. */
  list(): Promise<Category[]>;
  get(categoryId: number): Promise<Category>;
  getByCode(code: string): Promise<Category>;
  version(versionId: number): Promise<CategoryVersion>;
  create(change: CatalogChange, input: SeedCategory): Promise<Category>;
  /** Adds a new version of a category; running incidents keep theirs. */
  revise(change: CatalogChange, categoryId: number, input: CategoryInput): Promise<CategoryVersion>;
  retire(change: CatalogChange, categoryId: number): Promise<void>;
  routes(categoryId: number): Promise<Route[]>;
  setRoute(change: CatalogChange, route: { categoryId: number; areaUnitId: number | null; leadUnitId: number; coUnitIds: readonly number[] }): Promise<void>;
  removeRoute(change: CatalogChange, categoryId: number, routeId: number): Promise<void>;
  /** The lead and co-handling units for a category at a place (the most specific route wins), or ROUTING.NO_UNIT. */
  resolveRoute(categoryId: number, areaPath: string): Promise<{ leadUnitId: number; coUnitIds: readonly number[] }>;
  /** Inserts categories (and their routes) that are missing, by code; for demo and reference seeding. */
  seed(entries: readonly SeedCategory[], options: { isDemo: boolean }): Promise<number>;
}

function checkInput(input: CategoryInput): void {
  const fields = limitProblems(input.limits).map((p) => ({ path: p.path, code: 'CATALOG.LIMIT_INVALID', message: `${p.path} ${p.reason}`, params: { path: p.path } }));
  if (!input.name.trim() || [...input.name].length > 100) fields.push({ path: 'name', code: 'field.tooLong', message: 'name: 1–100 characters', params: { path: 'name' } });
  if (input.duplicateRadiusM !== undefined && (!Number.isInteger(input.duplicateRadiusM) || input.duplicateRadiusM < 10 || input.duplicateRadiusM > 5000)) {
    fields.push({ path: 'duplicateRadiusM', code: 'field.invalid', message: 'duplicateRadiusM must be 10–5000 m', params: { path: 'duplicateRadiusM' } });
  }
  for (const p of attributeDefinitionProblems(input.attributes ?? [])) {
    fields.push({ path: p.path, code: `CATALOG.ATTRIBUTE.${p.reason.toUpperCase()}`, message: `${p.path}: ${p.reason}`, params: { path: p.path } });
  }
  if (fields.length) throw invalid('REQUEST.INVALID', fields.map((f) => f.message).join('; '), fields);
}

export function createCatalogService(database: Database, clock: Clock, audit: AuditService): CatalogService {
  const { db } = database;
  // Read on every report and dispatch; edits are seen by every process within 5 s (at once by this one).
  const categories = ttlCache<number, Category | undefined>(5000, () => clock.now().getTime());
  const routeTables = ttlCache<number, Awaited<ReturnType<typeof repo.findRoutes>>>(5000, () => clock.now().getTime());
  // Versions never change once written: cached for long.
  const versions = ttlCache<number, CategoryVersion | undefined>(3_600_000, () => clock.now().getTime());
  // The whole catalogue, read by every Open311 request and public list: cached like the categories above.
  const whole = ttlCache<'all', Category[]>(5000, () => clock.now().getTime());
  const changed = () => {
    categories.clear();
    routeTables.clear();
    whole.clear();
  };
  const service: CatalogService = {
    list: () => whole.get('all', () => repo.findCategories(db)),
    async get(categoryId) {
      const found = await categories.get(categoryId, () => repo.findCategory(db, categoryId));
      if (!found) throw notFound('CATALOG.NOT_FOUND', `No category ${categoryId}`, { id: categoryId });
      return found;
    },
    async getByCode(code) {
      const found = (await repo.findCategories(db, true)).find((c) => c.code === code);
      if (!found) throw notFound('CATALOG.NOT_FOUND', `No category ${code}`, { id: code });
      return found;
    },
    async version(versionId) {
      const v = await versions.get(versionId, () => repo.findVersion(db, versionId));
      if (!v) throw notFound('CATALOG.NOT_FOUND', `No category version ${versionId}`, { id: versionId });
      return v;
    },
    async create(change, input) {
      authorize(change.actor, 'catalog.manage');
      checkInput(input);
      await database.transaction(async (tx) => {
        if (await repo.findCategoryByCode(tx, input.code)) throw conflict('CATALOG.CODE_TAKEN', `Code ${input.code} is taken`, { code: input.code });
        const parent = input.parentCode ? await repo.findCategoryByCode(tx, input.parentCode) : undefined;
        if (input.parentCode && !parent) throw invalid('CATALOG.PARENT_NOT_FOUND', `No category ${input.parentCode}`, undefined, { code: input.parentCode });
        if (parent?.parent_id) throw invalid('CATALOG.TOO_DEEP', 'The catalogue has two levels');
        const id = await repo.insertCategory(tx, { code: input.code, parentId: parent?.id ?? null, class: input.class, sortOrder: input.sortOrder, isDemo: false });
        await repo.insertVersion(tx, id, input, change.by.userId);
        await audit.append(tx, { action: 'catalog.create', target: { type: 'category', id: input.code }, details: { name: input.name, limits: input.limits } }, change.by);
      });
      changed();
      return service.getByCode(input.code);
    },
    async revise(change, categoryId, input) {
      authorize(change.actor, 'catalog.manage');
      checkInput(input);
      const category = await service.get(categoryId);
      return database.transaction(async (tx) => {
        const version = await repo.insertVersion(tx, categoryId, input, change.by.userId);
        await audit.append(
          tx,
          { action: 'catalog.revise', target: { type: 'category', id: category.code }, details: { version: version.version, name: input.name, limits: input.limits } },
          change.by,
        );
        return version;
      }).finally(changed);
    },
    async retire(change, categoryId) {
      authorize(change.actor, 'catalog.manage');
      const category = await service.get(categoryId);
      await database.transaction(async (tx) => {
        await repo.retireCategory(tx, categoryId, clock.now());
        await audit.append(tx, { action: 'catalog.retire', target: { type: 'category', id: category.code } }, change.by);
      });
      changed();
    },
    routes: (categoryId) => repo.findRoutes(db, categoryId),
    async setRoute(change, route) {
      authorize(change.actor, 'catalog.manage');
      const category = await service.get(route.categoryId);
      await database.transaction(async (tx) => {
        await repo.upsertRoute(tx, route);
        await audit.append(tx, { action: 'catalog.route', target: { type: 'category', id: category.code }, details: { ...route } }, change.by);
      });
      changed();
    },
    async removeRoute(change, categoryId, routeId) {
      authorize(change.actor, 'catalog.manage');
      const category = await service.get(categoryId);
      await database.transaction(async (tx) => {
        await repo.deleteRoute(tx, routeId);
        await audit.append(tx, { action: 'catalog.route_remove', target: { type: 'category', id: category.code }, details: { routeId } }, change.by);
      });
      changed();
    },
    async resolveRoute(categoryId, areaPath) {
      let routes = await routeTables.get(categoryId, () => repo.findRoutes(db, categoryId));
      let route = pickRoute(routes, areaPath);
      if (!route) {
        // A subclass without routes of its own inherits its class's routes.
        const category = await service.get(categoryId);
        if (category.parentId) {
          const parentId = category.parentId;
          routes = await routeTables.get(parentId, () => repo.findRoutes(db, parentId));
          route = pickRoute(routes, areaPath);
        }
      }
      if (!route) throw invalid('ROUTING.NO_UNIT', `No unit is responsible for category ${categoryId} at ${areaPath}`, undefined, { category: categoryId });
      return { leadUnitId: route.leadUnitId, coUnitIds: route.coUnitIds };
    },
    async seed(entries, options) {
      return database.transaction(async (tx) => {
        let added = 0;
        for (const e of entries) {
          if (await repo.findCategoryByCode(tx, e.code)) continue;
          const parent = e.parentCode ? await repo.findCategoryByCode(tx, e.parentCode) : undefined;
          const id = await repo.insertCategory(tx, { code: e.code, parentId: parent?.id ?? null, class: e.class, sortOrder: e.sortOrder, isDemo: options.isDemo });
          await repo.insertVersion(tx, id, e, null);
          if (e.route) await repo.upsertRoute(tx, { categoryId: id, areaUnitId: null, ...e.route });
          for (const r of e.areaRoutes ?? []) await repo.upsertRoute(tx, { categoryId: id, ...r });
          added++;
        }
        return added;
      }).finally(changed);
    },
  };
  return service;
}
