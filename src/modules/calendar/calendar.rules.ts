/**
 * The work calendar as a pure value: which days are worked and when, built from data (the published years, the
 * exceptions and the working hours of the district and of the units above a given unit) and answering deadline
 * questions in working time. No I/O and no clock: the service loads the data, callers pass the instants.
 *
 * Time: every instant is a `Date`; calendar days and clock times are China Standard Time, UTC+8, which has had
 * no daylight saving since 1991, so the conversion is a fixed offset. Weekends are Saturday and Sunday
 * (国务院关于职工工作时间的规定). Holidays (放假) and make-up working days (调休上班) come from the data.
 *
 * Working time W(t) is the working time elapsed from the start of the calendar up to instant t. Every answer is
 * defined through it, which keeps them consistent with one another:
 * - `workingMillisBetween(a, b)` = W(b) − W(a) (negative when b is before a);
 * - `addWorkingHours(t, h)` = the earliest instant whose W is W(t) + h (so 11:00 + 1 h = 12:00, not 14:00);
 * - `addWorkingDays(t, n)` = the same clock time n working days later; see its comment for days off.
 * Precomputed per calendar: one flag per day of the covered years, the running count of working days, and the
 * list of working days, so each call costs a few array reads, never a loop over days or minutes.
 * (Domain: ../shared/reference/domain.md §2.5 time limits in working hours and days; ADR 0003.)
 */
import { DomainError, type FieldProblem } from '../../kernel/errors.js';

/** China Standard Time is UTC+8 all year. */
export const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export const DAY_KINDS = ['holiday', 'workday'] as const;
/** `holiday`: an official public holiday (放假); `workday`: a make-up working day (调休上班). */
export type DayKind = (typeof DAY_KINDS)[number];

/** An exception to the weekly rhythm on one date (YYYY-MM-DD, China Standard Time). */
export interface CalendarException {
  readonly date: string;
  readonly kind: DayKind;
  readonly name: string;
}

/** A working session of a day, as clock times `HH:MM` in China Standard Time; `end` may be `24:00`. */
export interface WorkingSession {
  readonly start: string;
  readonly end: string;
}

/** One level of the calendar: the district, or a unit with its own overrides. */
export interface CalendarLayer {
  readonly exceptions: readonly CalendarException[];
  /** This level's working hours, replacing those of the levels above; absent or null to inherit. */
  readonly sessions?: readonly WorkingSession[] | null;
}

export interface CalendarSource {
  /** The years whose official schedule is published; dates in any other year are outside the calendar. */
  readonly years: readonly number[];
  /** From the district down to the unit itself: on a date, the last layer with an exception decides. */
  readonly layers: readonly CalendarLayer[];
}

/** What a calendar says about one date. */
export interface DayInfo {
  readonly date: string;
  /** 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  readonly weekend: boolean;
  readonly working: boolean;
  /** The exception that decided the day, if any. */
  readonly exception?: CalendarException;
}

/** A work calendar for the district or one unit; see the file comment for the definitions. */
export interface WorkCalendar {
  /** The published years, ascending. */
  readonly years: readonly number[];
  /** The working sessions of every working day, in order. */
  readonly sessions: readonly WorkingSession[];
  /** The working time of one working day in milliseconds (7 hours with the default sessions). */
  readonly workingMillisPerDay: number;
  /** Whether the date or instant lies in a published year. */
  covers(day: Date | string): boolean;
  /** Whether the date (YYYY-MM-DD) or the instant's date (in CST) is a working day. */
  isWorkingDay(day: Date | string): boolean;
  /** Whether the instant lies inside a working session of a working day (session ends excluded). */
  isWorkingTime(at: Date): boolean;
  /** The day's kind and the exception that decided it. */
  dayInfo(day: Date | string): DayInfo;
  /**
   * The same clock time `days` working days later. From a working day the clock time is kept whatever it is
   * (Mon 10:30 + 1 = Tue 10:30; Mon 20:00 + 1 = Tue 20:00). From a day off (weekend or holiday) the count starts
   * when the next working day opens: Sat 10:00 + 1 = the first session start of the second working day after it
   * (Tue 09:00 after a plain weekend). Either way exactly `days` working days of working time lie in between.
   * `days` must be a whole number ≥ 0; 0 returns `start` unchanged.
   */
  addWorkingDays(start: Date, days: number): Date;
  /**
   * The earliest instant at which `hours` of working time have passed since `start` (only time inside working
   * sessions of working days counts; fractions allowed, rounded to the millisecond). A start outside working
   * time simply waits for the next session. Ends on a session's end rather than the next one's start
   * (Fri 17:00 + 1 h = Fri 18:00). `hours` must be finite and ≥ 0; 0 returns `start` unchanged.
   */
  addWorkingHours(start: Date, hours: number): Date;
  /**
   * Working time from `a` to `b` in milliseconds: positive when b is later, negative when b is earlier, 0 when
   * no working time lies in between. `workingMillisBetween(now, deadline)` is the time remaining (negative once
   * overdue, by how much working time); `workingMillisBetween(deadline, now)` is the overdue duration.
   */
  workingMillisBetween(a: Date, b: Date): number;
  /**
   * The instant at which `fraction` (0–1) of the working time between `start` and `deadline` has passed, e.g.
   * 0.8 for a yellow warning with a fifth of the time left. Never before `start` nor after `deadline`; when no
   * working time lies between them, `start`.
   */
  warningAt(start: Date, deadline: Date, fraction: number): Date;
  /** The share of working time from `start` to `deadline` used by `now`: below 0 before start, above 1 once overdue. */
  fractionElapsed(start: Date, deadline: Date, now: Date): number;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates and clock times

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_PATTERN = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** The epoch day number (days since 1970-01-01) of a YYYY-MM-DD date, or NaN when it is not a real date. */
export function dayNumber(date: string): number {
  const m = DATE_PATTERN.exec(date);
  if (!m) return NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return NaN;
  return t / DAY_MS;
}

/** The YYYY-MM-DD date of an epoch day number. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date (YYYY-MM-DD) of an instant in China Standard Time. */
export function cstDate(at: Date): string {
  return dateOfDay(Math.floor((at.getTime() + CST_OFFSET_MS) / DAY_MS));
}

/** The instant at a date's clock time in China Standard Time (`cstInstant('2026-02-14', '09:00')`). */
export function cstInstant(date: string, clock = '00:00'): Date {
  const day = dayNumber(date);
  const minutes = clockMinutes(clock);
  if (Number.isNaN(day) || Number.isNaN(minutes)) throw new RangeError(`Not a date and clock time: ${date} ${clock}`);
  return new Date(day * DAY_MS + minutes * 60_000 - CST_OFFSET_MS);
}

/** 1 = Monday … 7 = Sunday, for an epoch day number (1970-01-01 was a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Whether a YYYY-MM-DD date is a Saturday or Sunday. */
export function isWeekend(date: string): boolean {
  return isoWeekday(dayNumber(date)) >= 6;
}

/** Minutes since midnight of an `HH:MM` clock time (00:00–24:00), or NaN. */
export function clockMinutes(clock: string): number {
  const m = CLOCK_PATTERN.exec(clock);
  if (!m) return NaN;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes : NaN;
}

/** Problems with a list of working sessions: each well-formed, start before end, in order, not overlapping; 1–6 of them. */
export function checkSessions(sessions: readonly WorkingSession[], path = 'sessions'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (sessions.length < 1 || sessions.length > 6) {
    problems.push({ path, code: 'CALENDAR.HOURS_COUNT', message: 'give 1 to 6 working sessions', params: { max: 6 } });
    return problems;
  }
  let previousEnd = -1;
  sessions.forEach((s, i) => {
    const start = clockMinutes(s.start);
    const end = clockMinutes(s.end);
    const at = `${path}[${i}]`;
    if (Number.isNaN(start) || Number.isNaN(end)) {
      problems.push({ path: at, code: 'CALENDAR.HOURS_FORMAT', message: `session ${i + 1}: clock times are HH:MM`, params: { session: `${s.start}-${s.end}` } });
      return;
    }
    if (start >= end) problems.push({ path: at, code: 'CALENDAR.HOURS_ORDER', message: `session ${i + 1}: start must be before end`, params: { session: `${s.start}-${s.end}` } });
    else if (start < previousEnd) problems.push({ path: at, code: 'CALENDAR.HOURS_OVERLAP', message: `session ${i + 1}: sessions must be in order and not overlap`, params: { session: `${s.start}-${s.end}` } });
    previousEnd = Math.max(previousEnd, end);
  });
  return problems;
}

/** Parses `09:00-12:00, 14:00-18:00` (commas, spaces or new lines between sessions; - – ~ 至 between times). */
export function parseSessions(text: string): WorkingSession[] {
  return text
    .split(/[,，;；\s]+/)
    .filter(Boolean)
    .map((part) => {
      const [start = '', end = ''] = part.split(/[-–—~～至]/);
      return { start: start.trim().padStart(5, '0'), end: end.trim().padStart(5, '0') };
    });
}

/** `09:00-12:00, 14:00-18:00`. */
export function formatSessions(sessions: readonly WorkingSession[]): string {
  return sessions.map((s) => `${s.start}-${s.end}`).join(', ');
}

/**
 * Whether a date is a day off before a level adds its own exception: the nearest of the levels above that has an
 * exception on the date decides (`inherited` is ordered from the district down), otherwise the weekday does.
 * A make-up working day may only be added where this holds: for the district, on a weekend.
 */
export function isInheritedDayOff(date: string, inherited: readonly { readonly kind: DayKind }[]): boolean {
  const nearest = inherited[inherited.length - 1];
  return nearest ? nearest.kind === 'holiday' : isWeekend(date);
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

/**
 * CALENDAR.OUT_OF_RANGE: a date outside the published years, or a computation from `date` whose result (or whose
 * span) would leave them. One code for both: the caller's remedy is the same (publish the year).
 */
export function outOfRange(date: string, years: readonly number[], result = false): DomainError {
  const covered = years.length === 0 ? '-' : years.length === 1 ? String(years[0]) : `${years[0]}–${years[years.length - 1]}`;
  const message = result
    ? `Working time from ${date} would run outside the work calendar (published years: ${covered})`
    : `${date} is outside the work calendar (published years: ${covered})`;
  return new DomainError('Invalid', 'CALENDAR.OUT_OF_RANGE', message, { params: { date, years: covered } });
}

function invalidAmount(what: string, value: number): DomainError {
  return new DomainError('Invalid', 'CALENDAR.AMOUNT_INVALID', `${what} must be ${what === 'days' ? 'a whole number' : 'a finite number'} ≥ 0, not ${value}`, {
    params: { amount: String(value) },
  });
}

function invalidInstant(): DomainError {
  return new DomainError('Invalid', 'CALENDAR.DATE_INVALID', 'Not a valid date or instant', { params: { date: '?' } });
}

// ---------------------------------------------------------------------------------------------------------------
// The calendar

const OFF = 0;
const WORK = 1;
const UNKNOWN = 2;

/** Builds the calendar for a chain of layers (district first); throws when no layer gives working hours. */
export function buildWorkCalendar(source: CalendarSource): WorkCalendar {
  const years = [...new Set(source.years)].sort((a, b) => a - b);
  let sessions: readonly WorkingSession[] | undefined;
  for (const layer of source.layers) if (layer.sessions && layer.sessions.length) sessions = layer.sessions;
  if (!sessions) throw new Error('The work calendar has no working hours: the district row of calendar_hours is missing');
  const problems = checkSessions(sessions);
  if (problems.length) throw new Error(`Malformed working hours: ${problems.map((p) => p.message).join('; ')}`);

  const exceptions = new Map<number, CalendarException>();
  for (const layer of source.layers) for (const e of layer.exceptions) exceptions.set(dayNumber(e.date), e);
  return new Calendar(years, sessions, exceptions);
}

class Calendar implements WorkCalendar {
  readonly workingMillisPerDay: number;
  /** Epoch day number of the first day held (1 January of the first published year). */
  private readonly d0: number;
  private readonly kind: Uint8Array;
  /** cum[i] = working days among held days [0, i). */
  private readonly cum: Int32Array;
  /** unknown[i] = days of unpublished years among held days [0, i). */
  private readonly unknown: Int32Array;
  /** Index (from d0) of each working day, in order. */
  private readonly workDays: Int32Array;
  private readonly starts: number[];
  private readonly ends: number[];
  /** Working time of the sessions before each session. */
  private readonly before: number[];

  constructor(
    readonly years: readonly number[],
    readonly sessions: readonly WorkingSession[],
    private readonly exceptions: ReadonlyMap<number, CalendarException>,
  ) {
    this.starts = sessions.map((s) => clockMinutes(s.start) * 60_000);
    this.ends = sessions.map((s) => clockMinutes(s.end) * 60_000);
    this.before = [];
    let total = 0;
    for (let j = 0; j < sessions.length; j++) {
      this.before.push(total);
      total += this.ends[j]! - this.starts[j]!;
    }
    this.workingMillisPerDay = total;

    const first = years[0];
    const last = years[years.length - 1];
    this.d0 = first === undefined ? 0 : Date.UTC(first, 0, 1) / DAY_MS;
    const length = first === undefined || last === undefined ? 0 : Date.UTC(last + 1, 0, 1) / DAY_MS - this.d0;
    const published = new Set(years);
    this.kind = new Uint8Array(length);
    this.cum = new Int32Array(length + 1);
    this.unknown = new Int32Array(length + 1);
    const work: number[] = [];
    for (let i = 0; i < length; i++) {
      const day = this.d0 + i;
      const year = new Date(day * DAY_MS).getUTCFullYear();
      let k: number;
      if (!published.has(year)) k = UNKNOWN;
      else {
        const e = exceptions.get(day);
        k = e ? (e.kind === 'workday' ? WORK : OFF) : isoWeekday(day) >= 6 ? OFF : WORK;
      }
      this.kind[i] = k;
      if (k === WORK) work.push(i);
      this.cum[i + 1] = this.cum[i]! + (k === WORK ? 1 : 0);
      this.unknown[i + 1] = this.unknown[i]! + (k === UNKNOWN ? 1 : 0);
    }
    this.workDays = Int32Array.from(work);
  }

  // -- locating instants and days

  private indexOfDate(day: Date | string): number {
    if (day instanceof Date) {
      const t = day.getTime();
      if (Number.isNaN(t)) throw invalidInstant();
      return Math.floor((t + CST_OFFSET_MS) / DAY_MS) - this.d0;
    }
    const n = dayNumber(day);
    if (Number.isNaN(n)) throw new DomainError('Invalid', 'CALENDAR.DATE_INVALID', `Not a date: ${day}`, { params: { date: day } });
    return n - this.d0;
  }

  private held(i: number): boolean {
    return i >= 0 && i < this.kind.length && this.kind[i] !== UNKNOWN;
  }

  private checkedIndex(day: Date | string): number {
    const i = this.indexOfDate(day);
    if (!this.held(i)) throw outOfRange(typeof day === 'string' ? day : cstDate(day), this.years);
    return i;
  }

  /** Refuses a span of days that crosses an unpublished year between two published ones. */
  private checkSpan(i: number, j: number, what: Date): void {
    const lo = i <= j ? i : j;
    const hi = i <= j ? j : i;
    if (lo < 0 || hi >= this.kind.length || this.unknown[hi + 1]! - this.unknown[lo]! > 0) throw outOfRange(cstDate(what), this.years, true);
  }

  /** Working time of a working day before `ms` milliseconds after its midnight. */
  private offsetInDay(ms: number): number {
    let w = 0;
    for (let j = 0; j < this.starts.length; j++) {
      const s = this.starts[j]!;
      const e = this.ends[j]!;
      if (ms <= s) break;
      w += (ms < e ? ms : e) - s;
    }
    return w;
  }

  /** W(t) for an instant on a held day with index i. */
  private workingAt(t: number, i: number): number {
    const base = this.cum[i]! * this.workingMillisPerDay;
    if (this.kind[i] !== WORK) return base;
    return base + this.offsetInDay(t + CST_OFFSET_MS - (this.d0 + i) * DAY_MS);
  }

  /** The earliest instant with W = target (target > 0), or CALENDAR.OUT_OF_RANGE past the last published day. */
  private instantAt(target: number, from: Date): number {
    const per = this.workingMillisPerDay;
    let k = Math.floor(target / per);
    let r = target - k * per;
    if (r === 0) {
      // Exactly a whole number of working days: the end of the last session of the previous working day.
      k -= 1;
      r = per;
    }
    if (k < 0) k = 0;
    if (k >= this.workDays.length) throw outOfRange(cstDate(from), this.years, true);
    const i = this.workDays[k]!;
    let j = 0;
    while (r > this.before[j]! + (this.ends[j]! - this.starts[j]!)) j++;
    const ms = this.starts[j]! + (r - this.before[j]!);
    return (this.d0 + i) * DAY_MS + ms - CST_OFFSET_MS;
  }

  private instant(at: Date): number {
    const t = at.getTime();
    if (Number.isNaN(t)) throw invalidInstant();
    return t;
  }

  // -- the public questions

  covers(day: Date | string): boolean {
    return this.held(this.indexOfDate(day));
  }

  isWorkingDay(day: Date | string): boolean {
    return this.kind[this.checkedIndex(day)] === WORK;
  }

  isWorkingTime(at: Date): boolean {
    const i = this.checkedIndex(at);
    if (this.kind[i] !== WORK) return false;
    const ms = this.instant(at) + CST_OFFSET_MS - (this.d0 + i) * DAY_MS;
    return this.starts.some((s, j) => ms >= s && ms < this.ends[j]!);
  }

  dayInfo(day: Date | string): DayInfo {
    const i = this.checkedIndex(day);
    const n = this.d0 + i;
    const weekday = isoWeekday(n);
    const exception = this.exceptions.get(n);
    return { date: dateOfDay(n), weekday, weekend: weekday >= 6, working: this.kind[i] === WORK, ...(exception ? { exception } : {}) };
  }

  addWorkingDays(start: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0) throw invalidAmount('days', days);
    const t = this.instant(start);
    const i = this.checkedIndex(start);
    if (days === 0) return new Date(t);
    // cum[i] is both the rank of day i among working days (when it is one) and the rank of the next working
    // day (when it is not), so the target is the same working day either way; only the clock time differs.
    const k = this.cum[i]! + days;
    if (k >= this.workDays.length) throw outOfRange(cstDate(start), this.years, true);
    const j = this.workDays[k]!;
    this.checkSpan(i, j, start);
    const ms = this.kind[i] === WORK ? t + CST_OFFSET_MS - (this.d0 + i) * DAY_MS : this.starts[0]!;
    return new Date((this.d0 + j) * DAY_MS + ms - CST_OFFSET_MS);
  }

  addWorkingHours(start: Date, hours: number): Date {
    if (!Number.isFinite(hours) || hours < 0) throw invalidAmount('hours', hours);
    const t = this.instant(start);
    const i = this.checkedIndex(start);
    const add = Math.round(hours * HOUR_MS);
    if (add === 0) return new Date(t);
    const result = this.instantAt(this.workingAt(t, i) + add, start);
    this.checkSpan(i, Math.floor((result + CST_OFFSET_MS) / DAY_MS) - this.d0, start);
    return new Date(result);
  }

  workingMillisBetween(a: Date, b: Date): number {
    const ta = this.instant(a);
    const tb = this.instant(b);
    const ia = this.checkedIndex(a);
    const ib = this.checkedIndex(b);
    this.checkSpan(ia, ib, a);
    return this.workingAt(tb, ib) - this.workingAt(ta, ia);
  }

  warningAt(start: Date, deadline: Date, fraction: number): Date {
    if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
      throw new DomainError('Invalid', 'CALENDAR.AMOUNT_INVALID', `fraction must be between 0 and 1, not ${fraction}`, { params: { amount: String(fraction) } });
    }
    const ts = this.instant(start);
    const td = this.instant(deadline);
    const is = this.checkedIndex(start);
    const id = this.checkedIndex(deadline);
    this.checkSpan(is, id, start);
    const a = this.workingAt(ts, is);
    const b = this.workingAt(td, id);
    if (b <= a || fraction === 0) return new Date(ts);
    if (fraction === 1) return new Date(td);
    const add = Math.round(fraction * (b - a));
    if (add === 0) return new Date(ts);
    return new Date(Math.min(td, Math.max(ts, this.instantAt(a + add, start))));
  }

  fractionElapsed(start: Date, deadline: Date, now: Date): number {
    const total = this.workingMillisBetween(start, deadline);
    const used = this.workingMillisBetween(start, now);
    if (total <= 0) return this.instant(now) >= this.instant(deadline) ? 1 : 0;
    return used / total;
  }
}
