/** All SQL of the organisation module. */
import type { GeneratedAlways, Selectable } from 'kysely';
import type { Executor } from '../../kernel/db.js';
import type { Unit, UnitKind, UnitSpec } from './unit.js';

export interface UnitsTable {
  id: GeneratedAlways<number>;
  code: string;
  name: string;
  kind: UnitKind;
  parent_id: number | null;
  sort_order: number;
  is_demo: boolean;
  retired_at: Date | null;
  successor_id: number | null;
  created_at: GeneratedAlways<Date>;
  updated_at: GeneratedAlways<Date>;
}

export interface OrganizationTables {
  units: UnitsTable;
}

type Db = Executor<OrganizationTables>;

function toUnit(row: Selectable<UnitsTable>): Unit {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    parentId: row.parent_id,
    sortOrder: row.sort_order,
    isDemo: row.is_demo,
    retiredAt: row.retired_at,
  };
}

/** Inserts the units that do not exist yet (matched by code); existing units, perhaps renamed by an administrator, are left alone. */
export async function insertMissingUnits(db: Db, specs: readonly UnitSpec[], isDemo: boolean): Promise<number> {
  let inserted = 0;
  for (const spec of specs) {
    const parentId = spec.parentCode
      ? ((await db.selectFrom('units').select('id').where('code', '=', spec.parentCode).executeTakeFirst())?.id ?? null)
      : null;
    if (spec.parentCode && parentId === null) throw new Error(`Parent unit ${spec.parentCode} of ${spec.code} does not exist`);
    const result = await db
      .insertInto('units')
      .values({ code: spec.code, name: spec.name, kind: spec.kind, parent_id: parentId, sort_order: spec.sortOrder, is_demo: isDemo })
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

export async function findUnitByCode(db: Db, code: string): Promise<Unit | undefined> {
  const row = await db.selectFrom('units').selectAll().where('code', '=', code).executeTakeFirst();
  return row && toUnit(row);
}

export async function findUnitById(db: Db, id: number): Promise<Unit | undefined> {
  const row = await db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUnit(row);
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

export async function findChildUnits(db: Db, parentId: number): Promise<Unit[]> {
  const rows = await db
    .selectFrom('units')
    .selectAll()
    .where('parent_id', '=', parentId)
    .where('retired_at', 'is', null)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return rows.map(toUnit);
}
