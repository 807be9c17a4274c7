/** All SQL of the organisation module. */
import { sql, type GeneratedAlways, type Selectable } from 'kysely';
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
