/**
 * The official 2025 and 2026 schedules as the State Council published them, written out independently of the
 * migrations that seed them: the pure tests build calendars from these blocks, and the database test checks that
 * the seeded rows are exactly these dates.
 * 2025: 国办发明电〔2024〕12号. 2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04).
 */
import { buildWorkCalendar, dateOfDay, dayNumber, type CalendarException, type CalendarLayer, type WorkCalendar, type WorkingSession } from '../src/modules/calendar/index.js';

export interface HolidayBlock {
  readonly name: string;
  readonly first: string;
  readonly last: string;
  /** The make-up working days (调休上班) that go with it. */
  readonly workdays: readonly string[];
}

export const OFFICIAL_BLOCKS: readonly HolidayBlock[] = [
  { name: '元旦', first: '2025-01-01', last: '2025-01-01', workdays: [] },
  { name: '春节', first: '2025-01-28', last: '2025-02-04', workdays: ['2025-01-26', '2025-02-08'] },
  { name: '清明节', first: '2025-04-04', last: '2025-04-06', workdays: [] },
  { name: '劳动节', first: '2025-05-01', last: '2025-05-05', workdays: ['2025-04-27'] },
  { name: '端午节', first: '2025-05-31', last: '2025-06-02', workdays: [] },
  { name: '国庆节、中秋节', first: '2025-10-01', last: '2025-10-08', workdays: ['2025-09-28', '2025-10-11'] },
  { name: '元旦', first: '2026-01-01', last: '2026-01-03', workdays: ['2026-01-04'] },
  { name: '春节', first: '2026-02-15', last: '2026-02-23', workdays: ['2026-02-14', '2026-02-28'] },
  { name: '清明节', first: '2026-04-04', last: '2026-04-06', workdays: [] },
  { name: '劳动节', first: '2026-05-01', last: '2026-05-05', workdays: ['2026-05-09'] },
  { name: '端午节', first: '2026-06-19', last: '2026-06-21', workdays: [] },
  { name: '中秋节', first: '2026-09-25', last: '2026-09-27', workdays: [] },
  { name: '国庆节', first: '2026-10-01', last: '2026-10-07', workdays: ['2026-09-20', '2026-10-10'] },
];

/** Every date of a block, first to last. */
export function datesOf(block: HolidayBlock): string[] {
  const out: string[] = [];
  for (let d = dayNumber(block.first); d <= dayNumber(block.last); d++) out.push(dateOfDay(d));
  return out;
}

/** The blocks as exception rows. */
export const OFFICIAL_EXCEPTIONS: readonly CalendarException[] = OFFICIAL_BLOCKS.flatMap((b) => [
  ...datesOf(b).map((date) => ({ date, kind: 'holiday' as const, name: b.name })),
  ...b.workdays.map((date) => ({ date, kind: 'workday' as const, name: b.name })),
]);

export const DEFAULT_SESSIONS: readonly WorkingSession[] = [
  { start: '09:00', end: '12:00' },
  { start: '14:00', end: '18:00' },
];

/** The district calendar for 2025–2026 with the default hours, plus any unit layers below it. */
export function officialCalendar(units: readonly CalendarLayer[] = [], years: readonly number[] = [2025, 2026]): WorkCalendar {
  return buildWorkCalendar({ years, layers: [{ exceptions: OFFICIAL_EXCEPTIONS, sessions: DEFAULT_SESSIONS }, ...units] });
}

/** An instant written as China Standard Time: `cst('2026-02-13 17:00')`. */
export function cst(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}:00+08:00`);
}

/** An instant shown as China Standard Time, `2026-02-13 17:00` (seconds and milliseconds when not zero). */
export function showCst(at: Date): string {
  const s = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  const tail = s.slice(16, 23) === ':00.000' ? '' : s.slice(16, 23).replace(/\.000$/, '');
  return `${s.slice(0, 10)} ${s.slice(11, 16)}${tail}`;
}
