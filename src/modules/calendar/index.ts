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
