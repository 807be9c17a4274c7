/**
 * Use cases of the work calendar. `calendarFor` hands out the pure WorkCalendar of the district or of a unit,
 * built from the database and cached in memory; the administration use cases change the data (each authorised
 * by `calendar.manage` over the unit concerned, checked, audited, in one short transaction).
 *
 * Caching across processes: every change bumps `calendar_state.version` in its own transaction. A process checks
 * that number at most once per `refreshMs` (5 s by default) and reloads everything when it moved; its own changes
 * are seen at once. Calendars are memoised per distinct chain of overriding units, so the thousands of grids
 * under towns without overrides all share the district's calendar object.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Database, Executor } from '../../kernel/db.js';
import { isUniqueViolation } from '../../kernel/db.js';
import { conflict, invalid, notFound, type FieldProblem } from '../../kernel/errors.js';
import { authorize, type PolicyActor } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import type { ChangeContext } from '../organization/index.js';
import {
  buildWorkCalendar,
  checkSessions,
  dateOfDay,
  dayNumber,
  DAY_KINDS,
  isInheritedDayOff,
  type CalendarLayer,
  type DayInfo,
  type DayKind,
  type WorkCalendar,
  type WorkingSession,
} from './calendar.rules.js';
import * as repo from './calendar.repository.js';

export type { StoredException, CalendarUnit } from './calendar.repository.js';

/** An exception as the administration page lists it, with the level it belongs to. */
export interface CalendarEntry extends repo.StoredException {
  /** The unit whose subtree it applies to; null for the whole district. */
  readonly unit: repo.CalendarUnit | null;
}

export interface PublishedYear {
  readonly year: number;
  readonly source: string | null;
  readonly publishedAt: Date;
}

/** One year of one level, as the administration page shows it. */
export interface CalendarOverview {
  readonly year: number;
  /** The level looked at: a unit, or null for the district. */
  readonly unit: repo.CalendarUnit | null;
  /** The units between the district and this one (excluding both), from the top. */
  readonly ancestors: readonly repo.CalendarUnit[];
  readonly years: readonly PublishedYear[];
  /** Whether `year` is published (deadlines may fall in it). */
  readonly published: boolean;
  /** This year's exceptions of this level and every level above, by date. */
  readonly exceptions: readonly CalendarEntry[];
  /** The working hours in force at this level, and the level they come from (null = the district). */
  readonly sessions: readonly WorkingSession[];
  readonly sessionsFrom: repo.CalendarUnit | null;
  /** Every date of the year as this level's calendar decides it (a preview when the year is not published). */
  readonly days: readonly DayInfo[];
  /** Units that have overrides of their own, for navigation. */
  readonly overriddenUnits: readonly repo.CalendarUnit[];
}

export interface NewException {
  /** The unit whose subtree it applies to; null (or the district's own id) for the whole district. */
  readonly unitId: number | null;
  readonly date: string;
  readonly kind: DayKind;
  readonly name: string;
  /** Where it comes from, e.g. the notice's number. */
  readonly source?: string | null;
}

export interface CalendarService {
  /**
   * The calendar of a unit (the district's rules with the overrides of the unit and its ancestors, nearest
   * winning), or of the district for null. Inside a transaction pass its handle as `x`: a refresh may query.
   */
  calendarFor(unitId: number | null, x?: Executor): Promise<WorkCalendar>;
  /**
   * The same, extended over the two years after the last published one as working weekdays without holidays: a
   * provisional answer for deadlines that cross into a year whose holiday notice is not out (or not entered) yet,
   * so that intake never stops for want of a calendar. Callers say when they used it.
   */
  provisionalCalendarFor(unitId: number | null, x?: Executor): Promise<WorkCalendar>;
  /** The same for a unit known by its path ('/1/7/300/'), without looking the unit up: for sweeps over many rows. */
  calendarForPath(path: string | null, x?: Executor): Promise<WorkCalendar>;
  /** A year of one level for the administration page. */
  overview(actor: PolicyActor, query: { readonly year: number; readonly unitId: number | null }): Promise<CalendarOverview>;
  addException(ctx: ChangeContext, input: NewException): Promise<repo.StoredException>;
  removeException(ctx: ChangeContext, id: number): Promise<void>;
  /** Sets the daily working hours of the district (null) or of a unit and its subtree. */
  setWorkingHours(ctx: ChangeContext, unitId: number | null, sessions: readonly WorkingSession[]): Promise<void>;
  /** Removes a unit's own working hours, so that it inherits them again; the district's cannot be removed. */
  clearWorkingHours(ctx: ChangeContext, unitId: number): Promise<void>;
  /** Declares a year's official schedule entered: from then on deadlines may fall in it. */
  publishYear(ctx: ChangeContext, year: number, source: string | null): Promise<void>;
}

export interface CalendarServiceOptions {
  /** How often, at most, a process asks the database whether the calendar changed (default 5 s). */
  readonly refreshMs?: number;
}

interface Snapshot {
  readonly version: number;
  readonly years: readonly number[];
  readonly district: CalendarLayer;
  /** Each unit with overrides of its own → its layer. */
  readonly levels: ReadonlyMap<number, CalendarLayer>;
  readonly memo: Map<string, WorkCalendar>;
}

const idsOfPath = (path: string): number[] =>
  path
    .split('/')
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n));

const yearOf = (date: string) => Number(date.slice(0, 4));

export function createCalendarService(database: Database, clock: Clock, audit: AuditService, options: CalendarServiceOptions = {}): CalendarService {
  const { db } = database;
  const refreshMs = options.refreshMs ?? 5000;

  let snapshot: Snapshot | undefined;
  let checkedAt = -Infinity;
  let loading: Promise<Snapshot> | undefined;
  /** Unit id → path, remembered until the next check (units move rarely; a move is seen within refreshMs). */
  let paths = new Map<number, string>();

  async function load(x: Executor): Promise<Snapshot> {
    // The version first: a change committed while the rows load makes the next check reload again, never the
    // reverse (new version with old rows).
    const version = await repo.readVersion(x);
    if (snapshot && snapshot.version === version) return snapshot;
    const [years, exceptions, hours] = await Promise.all([repo.findYears(x), repo.findAllExceptions(x), repo.findAllHours(x)]);
    const district: { exceptions: repo.StoredException[]; sessions: WorkingSession[] | null } = { exceptions: [], sessions: null };
    const levels = new Map<number, { exceptions: repo.StoredException[]; sessions: WorkingSession[] | null }>();
    const level = (unitId: number | null) => {
      if (unitId === null) return district;
      let l = levels.get(unitId);
      if (!l) levels.set(unitId, (l = { exceptions: [], sessions: null }));
      return l;
    };
    for (const e of exceptions) level(e.unitId).exceptions.push(e);
    for (const h of hours) level(h.unitId).sessions = h.sessions;
    return { version, years: years.map((y) => y.year), district, levels, memo: new Map() };
  }

  async function current(x?: Executor): Promise<Snapshot> {
    const now = clock.now().getTime();
    if (snapshot && now - checkedAt < refreshMs) return snapshot;
    if (!loading) {
      loading = load(x ?? db)
        .then((s) => {
          snapshot = s;
          checkedAt = now;
          paths = new Map();
          return s;
        })
        .finally(() => {
          loading = undefined;
        });
    }
    return loading;
  }

  function calendarOf(s: Snapshot, path: string | null, provisional = false): WorkCalendar {
    const chain = path ? idsOfPath(path).filter((id) => s.levels.has(id)) : [];
    const key = `${provisional ? 'p:' : ''}${chain.join('/')}`;
    let calendar = s.memo.get(key);
    if (!calendar) {
      const last = Math.max(...s.years, clock.now().getUTCFullYear() - 1);
      const years = provisional ? [...new Set([...s.years, last + 1, last + 2])].sort() : s.years;
      calendar = buildWorkCalendar({ years, layers: [s.district, ...chain.map((id) => s.levels.get(id)!)] });
      s.memo.set(key, calendar);
    }
    return calendar;
  }

  async function pathOf(unitId: number, x?: Executor): Promise<string> {
    let path = paths.get(unitId);
    if (path === undefined) {
      path = (await unitOrThrow(x ?? db, unitId)).path;
      paths.set(unitId, path);
    }
    return path;
  }

  const changed = () => {
    checkedAt = -Infinity;
  };

  // -- checks shared by the use cases

  async function unitOrThrow(x: Executor, unitId: number): Promise<repo.CalendarUnit> {
    const unit = await repo.findUnit(x, unitId);
    if (!unit) throw notFound('UNIT.NOT_FOUND', `No unit ${unitId}`, { code: String(unitId) });
    return unit;
  }

  /** The level a change addresses: null for the district (also when given the district's own id), else the unit. */
  async function levelOf(x: Executor, unitId: number | null): Promise<{ unit: repo.CalendarUnit | null; path: string }> {
    const root = await repo.findRootUnit(x);
    if (!root) throw new Error('The unit tree has no root');
    if (unitId === null || unitId === root.id) return { unit: null, path: root.path };
    const unit = await unitOrThrow(x, unitId);
    return { unit, path: unit.path };
  }

  function checkManage(actor: PolicyActor, path: string) {
    authorize(actor, 'calendar.manage', { unitPaths: [path] });
  }

  const target = (unit: repo.CalendarUnit | null) => ({ type: 'calendar', id: unit?.code ?? 'district' });

  /** The levels above a unit whose exceptions it inherits: the district, then its ancestors from the top. */
  const levelsAbove = (unit: repo.CalendarUnit | null): (number | null)[] => (unit ? [null, ...idsOfPath(unit.path).slice(1, -1)] : []);

  function checkDate(date: string, path = 'date'): FieldProblem[] {
    const day = dayNumber(date);
    if (Number.isNaN(day) || yearOf(date) < 2000 || yearOf(date) > 2100) return [{ path, code: 'CALENDAR.DATE_INVALID', message: `${path}: a date YYYY-MM-DD between 2000 and 2100`, params: { date } }];
    return [];
  }

  const service: CalendarService = {
    async calendarFor(unitId, x) {
      const s = await current(x);
      return calendarOf(s, unitId === null ? null : await pathOf(unitId, x));
    },

    async provisionalCalendarFor(unitId, x) {
      const s = await current(x);
      return calendarOf(s, unitId === null ? null : await pathOf(unitId, x), true);
    },

    async calendarForPath(path, x) {
      return calendarOf(await current(x), path);
    },

    async overview(actor, query) {
      const year = query.year;
      if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalid('CALENDAR.YEAR_INVALID', `No year ${year}`, undefined, { year: String(year) });
      const { unit, path } = await levelOf(db, query.unitId);
      checkManage(actor, path);
      const levelIds = unit ? [...levelsAbove(unit), unit.id] : [null];
      const unitIds = levelIds.filter((u): u is number => u !== null);
      const [years, rows, hours, units, overridden] = await Promise.all([
        repo.findYears(db),
        repo.findExceptions(db, levelIds, `${year}-01-01`, `${year}-12-31`),
        repo.findAllHours(db),
        repo.findUnitsByIds(db, unitIds),
        repo.findOverriddenUnitIds(db).then((ids) => repo.findUnitsByIds(db, ids)),
      ]);
      const byId = new Map(units.map((u) => [u.id, u]));
      const order = new Map(levelIds.map((id, i) => [id, i]));
      const layers: CalendarLayer[] = levelIds.map((id) => ({
        exceptions: rows.filter((r) => r.unitId === id),
        sessions: hours.find((h) => h.unitId === id)?.sessions ?? null,
      }));
      const fromIndex = layers.reduce((found, l, i) => (l.sessions ? i : found), -1);
      const preview = buildWorkCalendar({ years: [year], layers });
      const days: DayInfo[] = [];
      for (let d = dayNumber(`${year}-01-01`); d <= dayNumber(`${year}-12-31`); d++) days.push(preview.dayInfo(dateOfDay(d)));
      return {
        year,
        unit,
        ancestors: levelIds.slice(1, -1).map((id) => byId.get(id as number)!).filter(Boolean),
        years,
        published: years.some((y) => y.year === year),
        exceptions: rows
          .map((r) => ({ ...r, unit: r.unitId === null ? null : (byId.get(r.unitId) ?? null) }))
          .sort((a, b) => a.date.localeCompare(b.date) || order.get(a.unitId)! - order.get(b.unitId)!),
        sessions: preview.sessions,
        sessionsFrom: fromIndex <= 0 ? null : (byId.get(levelIds[fromIndex] as number) ?? null),
        days,
        overriddenUnits: overridden.sort((a, b) => a.path.localeCompare(b.path)),
      };
    },

    async addException(ctx, input) {
      const name = (input.name ?? '').trim();
      const source = input.source?.trim() || null;
      const problems: FieldProblem[] = [...checkDate(input.date)];
      if (!(DAY_KINDS as readonly string[]).includes(input.kind)) problems.push({ path: 'kind', code: 'CALENDAR.KIND_INVALID', message: `kind is holiday or workday, not ${input.kind}` });
      if (!name) problems.push({ path: 'name', code: 'field.required', message: 'name is required' });
      else if ([...name].length > 50) problems.push({ path: 'name', code: 'field.tooLong', message: 'name: at most 50 characters', params: { max: 50 } });
      if (source && [...source].length > 200) problems.push({ path: 'source', code: 'field.tooLong', message: 'source: at most 200 characters', params: { max: 200 } });
      if (problems.length) throw invalid(problems.length === 1 ? problems[0]!.code : 'REQUEST.INVALID', problems.map((p) => p.message).join('; '), problems, problems[0]!.params as Record<string, string>);
      const result = await database.transaction(async (tx) => {
        const { unit, path } = await levelOf(tx, input.unitId);
        checkManage(ctx.actor, path);
        if (unit?.retired) throw invalid('UNIT.RETIRED', `Unit ${unit.code} is retired`, undefined, { code: unit.code });
        const unitId = unit?.id ?? null;
        if (await repo.findExceptionOn(tx, unitId, input.date)) throw conflict('CALENDAR.DUPLICATE_DATE', `${input.date} already has an entry at this level`, { date: input.date });
        if (input.kind === 'workday') {
          const above = levelsAbove(unit);
          const inherited = above.length ? await repo.findExceptions(tx, above, input.date, input.date) : [];
          inherited.sort((a, b) => above.indexOf(a.unitId) - above.indexOf(b.unitId));
          if (!isInheritedDayOff(input.date, inherited)) {
            // For the district: a make-up working day falls on a weekend. For a unit: on a day its levels above
            // leave off (a weekend, or a holiday it works through).
            const code = unit ? 'CALENDAR.WORKDAY_NOT_OFF' : 'CALENDAR.WORKDAY_NOT_WEEKEND';
            throw invalid(code, `${input.date} is a working day already`, [{ path: 'date', code, message: `${input.date} is a working day already`, params: { date: input.date } }], { date: input.date });
          }
        }
        let row: repo.StoredException;
        try {
          row = await repo.insertException(tx, { unitId, date: input.date, kind: input.kind, name, source, at: clock.now() });
        } catch (e) {
          if (isUniqueViolation(e)) throw conflict('CALENDAR.DUPLICATE_DATE', `${input.date} already has an entry at this level`, { date: input.date });
          throw e;
        }
        await repo.bumpVersion(tx);
        await audit.append(tx, { action: 'calendar.exception.add', target: target(unit), details: { date: row.date, kind: row.kind, name: row.name, source } }, ctx.by);
        return row;
      });
      changed();
      return result;
    },

    async removeException(ctx, id) {
      await database.transaction(async (tx) => {
        const row = await repo.findExceptionById(tx, id);
        if (!row) throw notFound('CALENDAR.ENTRY_NOT_FOUND', `No calendar entry ${id}`, { id });
        const { unit, path } = await levelOf(tx, row.unitId);
        checkManage(ctx.actor, path);
        await repo.deleteException(tx, id);
        await repo.bumpVersion(tx);
        await audit.append(tx, { action: 'calendar.exception.remove', target: target(unit), details: { date: row.date, kind: row.kind, name: row.name } }, ctx.by);
      });
      changed();
    },

    async setWorkingHours(ctx, unitId, sessions) {
      const clean = sessions.map((s) => ({ start: s.start.trim(), end: s.end.trim() }));
      const problems = checkSessions(clean);
      if (problems.length) throw invalid('CALENDAR.HOURS_INVALID', problems.map((p) => p.message).join('; '), problems);
      await database.transaction(async (tx) => {
        const { unit, path } = await levelOf(tx, unitId);
        checkManage(ctx.actor, path);
        if (unit?.retired) throw invalid('UNIT.RETIRED', `Unit ${unit.code} is retired`, undefined, { code: unit.code });
        const before = await repo.upsertHours(tx, unit?.id ?? null, clean, clock.now());
        await repo.bumpVersion(tx);
        await audit.append(tx, { action: 'calendar.hours.set', target: target(unit), details: { from: before ?? null, to: clean } }, ctx.by);
      });
      changed();
    },

    async clearWorkingHours(ctx, unitId) {
      const removed = await database.transaction(async (tx) => {
        const { unit, path } = await levelOf(tx, unitId);
        checkManage(ctx.actor, path);
        if (!unit) throw invalid('CALENDAR.DISTRICT_HOURS_REQUIRED', 'The district’s working hours can be changed but not removed');
        const before = await repo.deleteHours(tx, unit.id);
        if (!before) return false;
        await repo.bumpVersion(tx);
        await audit.append(tx, { action: 'calendar.hours.clear', target: target(unit), details: { from: before } }, ctx.by);
        return true;
      });
      if (removed) changed();
    },

    async publishYear(ctx, year, source) {
      if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalid('CALENDAR.YEAR_INVALID', `No year ${year}`, undefined, { year: String(year) });
      const note = source?.trim() || null;
      if (note && [...note].length > 200) throw invalid('REQUEST.INVALID', 'source: at most 200 characters', [{ path: 'source', code: 'field.tooLong', message: 'source: at most 200 characters', params: { max: 200 } }]);
      await database.transaction(async (tx) => {
        const { path } = await levelOf(tx, null);
        checkManage(ctx.actor, path);
        if ((await repo.findYears(tx)).some((y) => y.year === year)) throw conflict('CALENDAR.YEAR_PUBLISHED', `${year} is already published`, { year });
        // A year with no district holiday entered is almost certainly a mistake: every year has some.
        if ((await repo.countExceptionsInYear(tx, year)) === 0) throw invalid('CALENDAR.YEAR_EMPTY', `Enter ${year}'s holidays first`, undefined, { year });
        if (!(await repo.insertYear(tx, year, note, clock.now()))) throw conflict('CALENDAR.YEAR_PUBLISHED', `${year} is already published`, { year });
        await repo.bumpVersion(tx);
        await audit.append(tx, { action: 'calendar.year.publish', target: { type: 'calendar', id: 'district' }, details: { year, source: note } }, ctx.by);
      });
      changed();
    },
  };
  return service;
}
