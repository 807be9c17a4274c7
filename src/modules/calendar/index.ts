/** The work calendar's use cases: cached calendars per unit, and the administration of holidays and hours. */
export {
  createCalendarService,
  type CalendarEntry,
  type CalendarOverview,
  type CalendarService,
  type CalendarServiceOptions,
  type CalendarUnit,
  type NewException,
  type PublishedYear,
  type StoredException,
} from './calendar.service.js';
/** The work calendar as a pure value: working days and hours, deadlines and durations in working time. */
export {
  buildWorkCalendar,
  type CalendarException,
  type CalendarLayer,
  type CalendarSource,
  type DayInfo,
  type DayKind,
  type WorkCalendar,
  type WorkingSession,
} from './calendar.rules.js';
/** Date helpers in China Standard Time (UTC+8) and the rules for working hours typed into a form. */
export {
  CST_OFFSET_MS,
  DAY_KINDS,
  checkSessions,
  clockMinutes,
  cstDate,
  cstInstant,
  dateOfDay,
  dayNumber,
  formatSessions,
  isInheritedDayOff,
  isoWeekday,
  isWeekend,
  parseSessions,
} from './calendar.rules.js';
/** Table types, for modules whose queries join the calendar. */
export type { CalendarTables } from './calendar.repository.js';
