/** All SQL of the organisation module. */
import { sql, type Generated, type GeneratedAlways, type Selectable } from 'kysely';
import type { Executor } from '../../kernel/db.js';
import type { Unit, UnitDetails, UnitKind, UnitSpec } from './unit.js';

export interface UnitsTable {
  id: GeneratedAlways<number>;
  code: string;
  name: string;
  kind: UnitKind;
  subtype: string | null;
  parent_id: number | null;
  path: Generated<string>;
  sort_order: number;
  is_demo: boolean;
  retired_at: Date | null;
  successor_id: number | null;
  duties: string | null;
  phone: string | null;
  address: string | null;
  households: number | null;
  residents: number | null;
  created_at: GeneratedAlways<Date>;
  updated_at: Generated<Date>;
}

export interface UnitEventsTable {
  id: GeneratedAlways<number>;
  unit_id: number;
  kind: UnitEventKind;
  at: Date;
  actor_user_id: number | null;
  details: unknown;
}

export type UnitEventKind = 'created' | 'renamed' | 'moved' | 'merged_into' | 'absorbed' | 'split_into' | 'split_from' | 'retired' | 'updated';

export interface OrganizationTables {
  units: UnitsTable;
  unit_events: UnitEventsTable;
}

type Db = Executor<OrganizationTables>;

export function toUnit(row: Selectable<UnitsTable>): Unit {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    subtype: row.subtype,
    parentId: row.parent_id,
    path: row.path,
    sortOrder: row.sort_order,
    isDemo: row.is_demo,
    retiredAt: row.retired_at,
    successorId: row.successor_id,
    duties: row.duties,
    phone: row.phone,
    address: row.address,
    households: row.households,
    residents: row.residents,
  };
}

const detailColumns = (d: UnitDetails) => ({
  ...(d.name !== undefined ? { name: d.name } : {}),
  ...(d.subtype !== undefined ? { subtype: d.subtype || null } : {}),
  ...(d.duties !== undefined ? { duties: d.duties || null } : {}),
  ...(d.phone !== undefined ? { phone: d.phone || null } : {}),
  ...(d.address !== undefined ? { address: d.address || null } : {}),
  ...(d.households !== undefined ? { households: d.households } : {}),
  ...(d.residents !== undefined ? { residents: d.residents } : {}),
  ...(d.sortOrder !== undefined ? { sort_order: d.sortOrder } : {}),
});

export async function insertUnit(db: Db, spec: Omit<UnitSpec, 'parentCode'> & { parentId: number | null; isDemo: boolean }): Promise<Unit> {
  const row = await db
    .insertInto('units')
    .values({
      code: spec.code,
      name: spec.name,
      kind: spec.kind,
      parent_id: spec.parentId,
      sort_order: spec.sortOrder,
      is_demo: spec.isDemo,
      subtype: spec.subtype ?? null,
      duties: spec.duties ?? null,
      phone: spec.phone ?? null,
      address: spec.address ?? null,
      households: spec.households ?? null,
      residents: spec.residents ?? null,
      retired_at: null,
      successor_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUnit(row);
}

/**
 * Inserts the units that do not exist yet (matched by code); existing units, perhaps renamed by an administrator,
 * are left alone. Inserts in waves, parents before children, a few hundred rows per statement (the demo seeds
 * thousands of grids at first start).
 */
export async function insertMissingUnits(db: Db, specs: readonly UnitSpec[], isDemo: boolean): Promise<number> {
  const idByCode = new Map<string, number>();
  const lookup = async (codes: readonly string[]) => {
    for (let i = 0; i < codes.length; i += 1000) {
      const rows = await db
        .selectFrom('units')
        .select(['id', 'code'])
        .where('code', '=', sql<string>`any(${sql.val(codes.slice(i, i + 1000))}::text[])`)
        .execute();
      for (const r of rows) idByCode.set(r.code, r.id);
    }
  };
  await lookup([...new Set(specs.flatMap((s) => (s.parentCode ? [s.code, s.parentCode] : [s.code])))]);
  let pending = specs.filter((s) => !idByCode.has(s.code));
  let inserted = 0;
  while (pending.length > 0) {
    const wave = pending.filter((s) => s.parentCode === null || idByCode.has(s.parentCode));
    if (wave.length === 0) {
      const orphan = pending[0]!;
      throw new Error(`Parent unit ${orphan.parentCode} of ${orphan.code} does not exist`);
    }
    for (let i = 0; i < wave.length; i += 500) {
      const result = await db
        .insertInto('units')
        .values(
          wave.slice(i, i + 500).map((spec) => ({
            code: spec.code,
            name: spec.name,
            kind: spec.kind,
            parent_id: spec.parentCode === null ? null : idByCode.get(spec.parentCode)!,
            sort_order: spec.sortOrder,
            is_demo: isDemo,
            subtype: spec.subtype ?? null,
            duties: spec.duties ?? null,
            phone: spec.phone ?? null,
            address: spec.address ?? null,
            households: spec.households ?? null,
            residents: spec.residents ?? null,
            retired_at: null,
            successor_id: null,
          })),
        )
        .onConflict((oc) => oc.column('code').doNothing())
        .executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    await lookup(wave.map((s) => s.code));
    const done = new Set(wave.map((s) => s.code));
    pending = pending.filter((s) => !done.has(s.code));
  }
  return inserted;
}

export async function findUnitByCode(db: Db, code: string): Promise<Unit | undefined> {
  const row = await db.selectFrom('units').selectAll().where('code', '=', code).executeTakeFirst();
  return row && toUnit(row);
}

export async function findUnitsByCodes(db: Db, codes: readonly string[]): Promise<Unit[]> {
  if (codes.length === 0) return [];
  return (await db.selectFrom('units').selectAll().where('code', 'in', [...codes]).execute()).map(toUnit);
}

export async function findUnitById(db: Db, id: number): Promise<Unit | undefined> {
  const row = await db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUnit(row);
}

/** Locks the units (in id order, so two writers never deadlock) and returns them. */
export async function lockUnits(db: Db, ids: readonly number[]): Promise<Unit[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('units').selectAll().where('id', 'in', [...ids]).orderBy('id').forUpdate().execute();
  return rows.map(toUnit);
}

export async function findUnitsByKinds(db: Db, kinds: readonly UnitKind[]): Promise<Unit[]> {
  if (kinds.length === 0) return [];
  const rows = await db
    .selectFrom('units')
    .selectAll()
    .where('kind', 'in', kinds)
    .where('retired_at', 'is', null)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return rows.map(toUnit);
}

export async function findChildUnits(db: Db, parentId: number, includeRetired = false): Promise<Unit[]> {
  let q = db.selectFrom('units').selectAll().where('parent_id', '=', parentId);
  if (!includeRetired) q = q.where('retired_at', 'is', null);
  return (await q.orderBy('sort_order').orderBy('code').execute()).map(toUnit);
}

/** How many current children each of these units has. */
export async function countChildren(db: Db, parentIds: readonly number[]): Promise<Map<number, number>> {
  if (parentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('units')
    .select(['parent_id', sql<number>`count(*)::int`.as('n')])
    .where('parent_id', 'in', [...parentIds])
    .where('retired_at', 'is', null)
    .groupBy('parent_id')
    .execute();
  return new Map(rows.map((r) => [r.parent_id!, r.n]));
}

export async function findAncestors(db: Db, unit: Unit): Promise<Unit[]> {
  const ids = unit.path.split('/').filter(Boolean).map(Number).filter((id) => id !== unit.id);
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('units').selectAll().where('id', 'in', ids).execute();
  return ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is Selectable<UnitsTable> => !!r).map(toUnit);
}

export async function searchUnits(db: Db, q: { text?: string; kinds?: readonly UnitKind[]; includeRetired?: boolean; limit: number }): Promise<Unit[]> {
  let query = db.selectFrom('units').selectAll();
  if (q.text) {
    const like = `%${q.text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) => eb.or([eb('name', 'like', like), eb('code', 'like', like)]));
  }
  if (q.kinds?.length) query = query.where('kind', 'in', [...q.kinds]);
  if (!q.includeRetired) query = query.where('retired_at', 'is', null);
  return (await query.orderBy('path').limit(q.limit).execute()).map(toUnit);
}

export async function updateUnitDetails(db: Db, id: number, details: UnitDetails, at: Date): Promise<Unit> {
  const row = await db
    .updateTable('units')
    .set({ ...detailColumns(details), updated_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUnit(row);
}

export async function setParent(db: Db, id: number, parentId: number, at: Date): Promise<void> {
  await db.updateTable('units').set({ parent_id: parentId, updated_at: at }).where('id', '=', id).execute();
}

/** Moves every current child of `fromId` under `toId`; returns the ids moved. */
export async function moveChildren(db: Db, fromId: number, toId: number, at: Date): Promise<number[]> {
  const rows = await db
    .updateTable('units')
    .set({ parent_id: toId, updated_at: at })
    .where('parent_id', '=', fromId)
    .where('retired_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function retireUnit(db: Db, id: number, successorId: number | null, at: Date): Promise<void> {
  await db.updateTable('units').set({ retired_at: at, successor_id: successorId, updated_at: at }).where('id', '=', id).execute();
}

export async function insertUnitEvent(
  db: Db,
  e: { unitId: number; kind: UnitEventKind; at: Date; actorUserId: number | null; details: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('unit_events')
    .values({ unit_id: e.unitId, kind: e.kind, at: e.at, actor_user_id: e.actorUserId, details: JSON.stringify(e.details) })
    .execute();
}

export async function findUnitEvents(db: Db, unitId: number) {
  return db.selectFrom('unit_events').selectAll().where('unit_id', '=', unitId).orderBy('at').orderBy('id').execute();
}

/** Moves the current posts held in `fromId` to `toId` (a merge keeps people at their desks). */
export async function movePosts(db: Executor, fromId: number, toId: number): Promise<number> {
  const r = await (db as Executor<{ user_posts: { unit_id: number; ended_at: Date | null } }>)
    .updateTable('user_posts')
    .set({ unit_id: toId })
    .where('unit_id', '=', fromId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
