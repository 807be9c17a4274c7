/** All SQL of the work calendar. */
import { sql, type GeneratedAlways, type Generated } from 'kysely';
import type { Executor } from '../../kernel/db.js';
import type { OrganizationTables } from '../organization/index.js';
import type { DayKind, WorkingSession } from './calendar.rules.js';

export interface CalendarYearsTable {
  year: number;
  source: string | null;
  published_at: Generated<Date>;
}

export interface CalendarDaysTable {
  id: GeneratedAlways<number>;
  unit_id: number | null;
  day: string;
  kind: DayKind;
  name: string;
  source: string | null;
  created_at: Generated<Date>;
}

export interface CalendarHoursTable {
  id: GeneratedAlways<number>;
  unit_id: number | null;
  sessions: unknown;
  updated_at: Generated<Date>;
}

export interface CalendarStateTable {
  id: Generated<boolean>;
  version: number;
}

export interface CalendarTables {
  calendar_years: CalendarYearsTable;
  calendar_days: CalendarDaysTable;
  calendar_hours: CalendarHoursTable;
  calendar_state: CalendarStateTable;
}

type Db = Executor<CalendarTables & OrganizationTables>;

/** An exception row as stored, with the unit it belongs to (null = the district). */
export interface StoredException {
  readonly id: number;
  readonly unitId: number | null;
  readonly date: string;
  readonly kind: DayKind;
  readonly name: string;
  readonly source: string | null;
}

export interface HoursRow {
  readonly unitId: number | null;
  readonly sessions: WorkingSession[];
}

/** A unit as the calendar needs it. */
export interface CalendarUnit {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly path: string;
  readonly parentId: number | null;
  readonly retired: boolean;
}

const toSessions = (value: unknown): WorkingSession[] =>
  (Array.isArray(value) ? value : []).map((s: { start?: unknown; end?: unknown }) => ({ start: String(s?.start ?? ''), end: String(s?.end ?? '') }));

export async function readVersion(db: Db): Promise<number> {
  const row = await db.selectFrom('calendar_state').select('version').executeTakeFirst();
  return row?.version ?? 0;
}

/** Marks every process's cached calendars stale; called in each writing transaction. */
export async function bumpVersion(db: Db): Promise<void> {
  await db.updateTable('calendar_state').set({ version: sql`version + 1` }).execute();
}

export async function findYears(db: Db): Promise<{ year: number; source: string | null; publishedAt: Date }[]> {
  const rows = await db.selectFrom('calendar_years').selectAll().orderBy('year').execute();
  return rows.map((r) => ({ year: r.year, source: r.source, publishedAt: r.published_at }));
}

export async function insertYear(db: Db, year: number, source: string | null, at: Date): Promise<boolean> {
  const result = await db
    .insertInto('calendar_years')
    .values({ year, source, published_at: at })
    .onConflict((oc) => oc.column('year').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

const exceptionColumns = ['id', 'unit_id', 'day', 'kind', 'name', 'source'] as const;
const toException = (r: { id: number; unit_id: number | null; day: string; kind: DayKind; name: string; source: string | null }): StoredException => ({
  id: r.id,
  unitId: r.unit_id,
  date: r.day,
  kind: r.kind,
  name: r.name,
  source: r.source,
});

/** Every exception of every level (a few dozen rows a year), for building calendars. */
export async function findAllExceptions(db: Db): Promise<StoredException[]> {
  return (await db.selectFrom('calendar_days').select(exceptionColumns).orderBy('day').orderBy('id').execute()).map(toException);
}

/** The exceptions of the given levels (null = the district) between two dates, inclusive. */
export async function findExceptions(db: Db, unitIds: readonly (number | null)[], from: string, to: string): Promise<StoredException[]> {
  const ids = unitIds.filter((u): u is number => u !== null);
  const district = unitIds.includes(null);
  const rows = await db
    .selectFrom('calendar_days')
    .select(exceptionColumns)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .where((eb) => {
      const parts = [];
      if (district) parts.push(eb('unit_id', 'is', null));
      if (ids.length) parts.push(eb('unit_id', 'in', ids));
      return parts.length ? eb.or(parts) : eb.val(false);
    })
    .orderBy('day')
    .orderBy('id')
    .execute();
  return rows.map(toException);
}

export async function findExceptionById(db: Db, id: number): Promise<StoredException | undefined> {
  const row = await db.selectFrom('calendar_days').select(exceptionColumns).where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toException(row);
}

export async function findExceptionOn(db: Db, unitId: number | null, date: string): Promise<StoredException | undefined> {
  const row = await db
    .selectFrom('calendar_days')
    .select(exceptionColumns)
    .where('day', '=', date)
    .where((eb) => (unitId === null ? eb('unit_id', 'is', null) : eb('unit_id', '=', unitId)))
    .executeTakeFirst();
  return row && toException(row);
}

export async function insertException(db: Db, row: { unitId: number | null; date: string; kind: DayKind; name: string; source: string | null; at: Date }): Promise<StoredException> {
  const inserted = await db
    .insertInto('calendar_days')
    .values({ unit_id: row.unitId, day: row.date, kind: row.kind, name: row.name, source: row.source, created_at: row.at })
    .returning(exceptionColumns)
    .executeTakeFirstOrThrow();
  return toException(inserted);
}

export async function deleteException(db: Db, id: number): Promise<void> {
  await db.deleteFrom('calendar_days').where('id', '=', id).execute();
}

export async function countExceptionsInYear(db: Db, year: number): Promise<number> {
  const row = await db
    .selectFrom('calendar_days')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('unit_id', 'is', null)
    .where('day', '>=', `${year}-01-01`)
    .where('day', '<=', `${year}-12-31`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findAllHours(db: Db): Promise<HoursRow[]> {
  const rows = await db.selectFrom('calendar_hours').select(['unit_id', 'sessions']).execute();
  return rows.map((r) => ({ unitId: r.unit_id, sessions: toSessions(r.sessions) }));
}

/** Sets a level's working hours; returns the sessions it had before (undefined when it inherited). */
export async function upsertHours(db: Db, unitId: number | null, sessions: readonly WorkingSession[], at: Date): Promise<WorkingSession[] | undefined> {
  const before = await db
    .selectFrom('calendar_hours')
    .select('sessions')
    .where((eb) => (unitId === null ? eb('unit_id', 'is', null) : eb('unit_id', '=', unitId)))
    .forUpdate()
    .executeTakeFirst();
  const value = JSON.stringify(sessions.map((s) => ({ start: s.start, end: s.end })));
  if (before) {
    await db
      .updateTable('calendar_hours')
      .set({ sessions: value, updated_at: at })
      .where((eb) => (unitId === null ? eb('unit_id', 'is', null) : eb('unit_id', '=', unitId)))
      .execute();
    return toSessions(before.sessions);
  }
  await db.insertInto('calendar_hours').values({ unit_id: unitId, sessions: value, updated_at: at }).execute();
  return undefined;
}

/** Removes a unit's own working hours (it inherits again); returns what they were, or undefined if it had none. */
export async function deleteHours(db: Db, unitId: number): Promise<WorkingSession[] | undefined> {
  const row = await db.deleteFrom('calendar_hours').where('unit_id', '=', unitId).returning('sessions').executeTakeFirst();
  return row ? toSessions(row.sessions) : undefined;
}

/** Units with exceptions or working hours of their own. */
export async function findOverriddenUnitIds(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('calendar_days')
    .select('unit_id')
    .where('unit_id', 'is not', null)
    .union(db.selectFrom('calendar_hours').select('unit_id').where('unit_id', 'is not', null))
    .execute();
  return rows.map((r) => r.unit_id!);
}

// Units are the organisation module's; the calendar reads their place in the tree (its index exports the table
// types for joins like these).

const unitColumns = ['id', 'code', 'name', 'path', 'parent_id', 'retired_at'] as const;
const toCalendarUnit = (r: { id: number; code: string; name: string; path: string; parent_id: number | null; retired_at: Date | null }): CalendarUnit => ({
  id: r.id,
  code: r.code,
  name: r.name,
  path: r.path,
  parentId: r.parent_id,
  retired: r.retired_at !== null,
});

export async function findUnit(db: Db, id: number): Promise<CalendarUnit | undefined> {
  const row = await db.selectFrom('units').select(unitColumns).where('id', '=', id).executeTakeFirst();
  return row && toCalendarUnit(row);
}

export async function findUnitsByIds(db: Db, ids: readonly number[]): Promise<CalendarUnit[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('units').select(unitColumns).where('id', 'in', [...ids]).execute()).map(toCalendarUnit);
}

/** The root of the tree (the district). */
export async function findRootUnit(db: Db): Promise<CalendarUnit | undefined> {
  const row = await db.selectFrom('units').select(unitColumns).where('parent_id', 'is', null).orderBy('id').executeTakeFirst();
  return row && toCalendarUnit(row);
}
