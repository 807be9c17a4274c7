import { describe, expect, it } from 'vitest';
import { OFFICIAL_BLOCKS, DEFAULT_SESSIONS, OFFICIAL_EXCEPTIONS, cst, datesOf, officialCalendar, showCst } from '../../../test/calendar.js';
import { buildWorkCalendar, checkSessions, cstDate, dateOfDay, dayNumber, isWeekend, parseSessions, type WorkCalendar } from './calendar.rules.js';

const cal = officialCalendar();
const HOUR = 3_600_000;

describe('working days', () => {
  it.each([
    ['2026-03-02', true, 'an ordinary Monday'],
    ['2026-03-06', true, 'an ordinary Friday'],
    ['2026-03-07', false, 'an ordinary Saturday'],
    ['2026-03-08', false, 'an ordinary Sunday'],
    ['2025-07-12', false, 'a summer Saturday of 2025'],
    ['2025-07-14', true, 'a summer Monday of 2025'],
    ['2025-12-31', true, 'the last day of 2025 (a Wednesday)'],
    ['2026-12-31', true, 'the last day of 2026 (a Thursday)'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(cal.isWorkingDay(date)).toBe(working);
  });

  for (const block of OFFICIAL_BLOCKS) {
    it(`rests on every day of ${block.first.slice(0, 4)} ${block.name} (${block.first} – ${block.last}), weekdays included`, () => {
      const dates = datesOf(block);
      expect(dates.map((d) => [d, cal.isWorkingDay(d)])).toEqual(dates.map((d) => [d, false]));
      expect(dates.map((d) => cal.dayInfo(d).exception?.name)).toEqual(dates.map(() => block.name));
    });
    for (const date of block.workdays) {
      it(`works on ${date}, a ${isWeekend(date) ? 'weekend' : 'WEEKDAY'} make-up day of ${block.name}`, () => {
        expect(isWeekend(date)).toBe(true);
        expect(cal.isWorkingDay(date)).toBe(true);
        expect(cal.dayInfo(date)).toMatchObject({ weekend: true, working: true, exception: { kind: 'workday', name: block.name } });
      });
    }
  }

  it('counts 248 working days in each year (261 weekdays − 18 or 19 weekday holidays + 5 or 6 make-up days), as a day-by-day count gives', () => {
    for (const year of [2025, 2026]) {
      let calendar = 0;
      let naive = 0;
      const holidays = new Set(OFFICIAL_EXCEPTIONS.filter((e) => e.kind === 'holiday').map((e) => e.date));
      const workdays = new Set(OFFICIAL_EXCEPTIONS.filter((e) => e.kind === 'workday').map((e) => e.date));
      for (let d = dayNumber(`${year}-01-01`); d <= dayNumber(`${year}-12-31`); d++) {
        const date = dateOfDay(d);
        if (cal.isWorkingDay(date)) calendar++;
        if (workdays.has(date) || (!holidays.has(date) && !isWeekend(date))) naive++;
      }
      expect({ year, calendar }).toEqual({ year, calendar: naive });
      expect(calendar).toBe(248);
    }
  });

  it('reads an instant in China Standard Time: 23:30 UTC on a Friday is already Saturday in Kaizhou', () => {
    expect(cal.isWorkingDay(new Date('2026-03-06T15:59:59Z'))).toBe(true);
    expect(cal.isWorkingDay(new Date('2026-03-06T16:00:00Z'))).toBe(false);
    expect(cstDate(new Date('2026-03-06T23:30:00Z'))).toBe('2026-03-07');
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['keeps the clock time on the next working day', '2026-03-02 10:30', 1, '2026-03-03 10:30'],
    ['skips an ordinary weekend', '2026-03-06 10:30', 1, '2026-03-09 10:30'],
    ['counts five working days as a calendar week', '2026-03-02 10:30', 5, '2026-03-09 10:30'],
    ['keeps a clock time after hours', '2026-03-02 20:00', 1, '2026-03-03 20:00'],
    ['keeps a clock time before hours', '2026-03-02 07:00', 1, '2026-03-03 07:00'],
    ['keeps a clock time in the lunch break', '2026-03-02 12:30', 1, '2026-03-03 12:30'],
    ['lands on the make-up Saturday before the 2026 Spring Festival', '2026-02-13 10:00', 1, '2026-02-14 10:00'],
    ['escalates after the 2026 Spring Festival, skipping its nine days', '2026-02-13 10:00', 2, '2026-02-24 10:00'],
    ['counts the make-up Saturday after the 2026 Spring Festival', '2026-02-27 10:00', 1, '2026-02-28 10:00'],
    ['lands on the make-up Sunday before the 2025 Spring Festival', '2025-01-24 15:00', 1, '2025-01-26 15:00'],
    ['skips the 2025 Spring Festival', '2025-01-26 15:00', 2, '2025-02-05 15:00'],
    ['counts the make-up Saturday after the 2025 Spring Festival', '2025-02-07 15:00', 1, '2025-02-08 15:00'],
    ['starts from the next opening when set on a public holiday', '2025-10-03 10:00', 1, '2025-10-10 09:00'],
    ['reaches the make-up Saturday after the 2025 National Day from a holiday', '2025-10-03 10:00', 2, '2025-10-11 09:00'],
    ['starts from Monday morning when set on a Saturday', '2026-03-07 10:00', 1, '2026-03-10 09:00'],
    ['keeps the clock time when set on a make-up Saturday', '2026-02-14 11:00', 1, '2026-02-24 11:00'],
    ['crosses from 2025 into 2026, onto the make-up Sunday after New Year', '2025-12-31 10:00', 1, '2026-01-04 10:00'],
    ['crosses from 2025 into 2026 for two days', '2025-12-31 10:00', 2, '2026-01-05 10:00'],
    ['skips the 2026 National Day and lands on its make-up Saturday', '2026-09-30 16:00', 1, '2026-10-08 16:00'],
    ['returns the start unchanged for zero days, even on a Sunday', '2026-03-08 10:00', 0, '2026-03-08 10:00'],
    ['reaches the last working day of the calendar', '2026-12-30 10:00', 1, '2026-12-31 10:00'],
  ])('%s: %s + %i working days = %s', (_, start, days, expected) => {
    expect(showCst(cal.addWorkingDays(cst(start), days))).toBe(expected);
  });

  it('spends exactly n working days of working time, whatever the start', () => {
    for (const start of ['2026-03-02 10:30', '2026-03-02 20:00', '2026-03-07 10:00', '2025-10-03 10:00', '2026-02-14 11:00']) {
      for (const n of [1, 3, 10]) {
        expect(cal.workingMillisBetween(cst(start), cal.addWorkingDays(cst(start), n))).toBe(n * 7 * HOUR);
      }
    }
  });

  it.each([
    ['-1', -1],
    ['1.5', 1.5],
    ['NaN', NaN],
  ])('refuses %s days', (_, days) => {
    expect(() => cal.addWorkingDays(cst('2026-03-02 10:00'), days)).toThrow(expect.objectContaining({ code: 'CALENDAR.AMOUNT_INVALID' }));
  });
});

describe('addWorkingHours', () => {
  it.each([
    ['counts within a morning', '2026-03-02 10:00', 1, '2026-03-02 11:00'],
    ['ends on the session end, not after lunch', '2026-03-02 11:00', 1, '2026-03-02 12:00'],
    ['crosses the lunch break', '2026-03-02 11:00', 2, '2026-03-02 15:00'],
    ['crosses the lunch break with a fraction', '2026-03-02 11:00', 1.5, '2026-03-02 14:30'],
    ['adds half an hour', '2026-03-02 11:30', 0.5, '2026-03-02 12:00'],
    ['adds a quarter of an hour', '2026-03-02 09:00', 0.25, '2026-03-02 09:15'],
    ['waits for the afternoon when started at lunch', '2026-03-02 12:30', 1, '2026-03-02 15:00'],
    ['waits for the opening when started before hours', '2026-03-02 07:00', 1, '2026-03-02 10:00'],
    ['waits for the next morning when started after hours', '2026-03-02 20:00', 1, '2026-03-03 10:00'],
    ['ends on Friday at closing time', '2026-03-06 17:00', 1, '2026-03-06 18:00'],
    ['skips an ordinary weekend', '2026-03-06 17:00', 2, '2026-03-09 10:00'],
    ['spends a whole working day over a weekend', '2026-03-06 17:00', 7, '2026-03-09 17:00'],
    ['adds a whole working day from the opening and ends at closing time', '2026-03-02 09:00', 7, '2026-03-02 18:00'],
    ['carries fractions across days', '2026-03-02 17:30', 0.75, '2026-03-03 09:15'],
    ['returns the start unchanged for zero hours, even after hours', '2026-03-02 20:00', 0, '2026-03-02 20:00'],
    // Every holiday block of both years, from the last afternoon before it to the first morning after it.
    ['skips New Year 2025 (one day)', '2024-12-31 17:00', 0, 'out of range'],
    ['starts on New Year 2025 and waits for 2 January', '2025-01-01 10:00', 1, '2025-01-02 10:00'],
    ['reaches the make-up Sunday before the 2025 Spring Festival', '2025-01-24 17:00', 2, '2025-01-26 10:00'],
    ['skips the 2025 Spring Festival', '2025-01-27 17:00', 2, '2025-02-05 10:00'],
    ['reaches the make-up Saturday after the 2025 Spring Festival', '2025-02-07 17:00', 2, '2025-02-08 10:00'],
    ['skips 2025 Qingming', '2025-04-03 17:00', 2, '2025-04-07 10:00'],
    ['reaches the make-up Sunday before 2025 Labour Day', '2025-04-25 17:00', 2, '2025-04-27 10:00'],
    ['skips 2025 Labour Day', '2025-04-30 17:00', 2, '2025-05-06 10:00'],
    ['skips 2025 Dragon Boat', '2025-05-30 17:00', 2, '2025-06-03 10:00'],
    ['reaches the make-up Sunday before the 2025 National Day', '2025-09-26 17:00', 2, '2025-09-28 10:00'],
    ['skips the 2025 National Day and Mid-Autumn', '2025-09-30 17:00', 2, '2025-10-09 10:00'],
    ['reaches the make-up Saturday after the 2025 National Day', '2025-10-10 17:00', 2, '2025-10-11 10:00'],
    ['crosses the year end onto the make-up Sunday after New Year 2026', '2025-12-31 17:00', 2, '2026-01-04 10:00'],
    ['reaches the make-up Saturday before the 2026 Spring Festival', '2026-02-13 17:00', 2, '2026-02-14 10:00'],
    ['skips the 2026 Spring Festival', '2026-02-14 17:30', 1, '2026-02-24 09:30'],
    ['reaches the make-up Saturday after the 2026 Spring Festival', '2026-02-27 17:00', 2, '2026-02-28 10:00'],
    ['skips 2026 Qingming', '2026-04-03 17:00', 2, '2026-04-07 10:00'],
    ['skips 2026 Labour Day', '2026-04-30 17:00', 2, '2026-05-06 10:00'],
    ['reaches the make-up Saturday after 2026 Labour Day', '2026-05-08 17:00', 2, '2026-05-09 10:00'],
    ['skips 2026 Dragon Boat', '2026-06-18 17:00', 2, '2026-06-22 10:00'],
    ['reaches the make-up Sunday before the 2026 National Day', '2026-09-18 17:00', 2, '2026-09-20 10:00'],
    ['skips 2026 Mid-Autumn', '2026-09-24 17:00', 2, '2026-09-28 10:00'],
    ['skips the 2026 National Day', '2026-09-30 17:00', 2, '2026-10-08 10:00'],
    ['reaches the make-up Saturday after the 2026 National Day', '2026-10-09 17:00', 2, '2026-10-10 10:00'],
  ])('%s: %s + %s working hours = %s', (_, start, hours, expected) => {
    if (expected === 'out of range') {
      expect(() => cal.addWorkingHours(cst(start), hours)).toThrow(expect.objectContaining({ code: 'CALENDAR.OUT_OF_RANGE' }));
    } else {
      expect(showCst(cal.addWorkingHours(cst(start), hours))).toBe(expected);
    }
  });

  it('rounds fractional hours to the millisecond', () => {
    expect(showCst(cal.addWorkingHours(cst('2026-03-02 09:00'), 1 / 3))).toBe('2026-03-02 09:20');
    expect(cal.addWorkingHours(cst('2026-03-02 09:00'), 0.0000001).getTime() - cst('2026-03-02 09:00').getTime()).toBe(0);
  });

  it.each([
    ['-0.5', -0.5],
    ['Infinity', Infinity],
    ['NaN', NaN],
  ])('refuses %s hours', (_, hours) => {
    expect(() => cal.addWorkingHours(cst('2026-03-02 10:00'), hours)).toThrow(expect.objectContaining({ code: 'CALENDAR.AMOUNT_INVALID' }));
  });
});

describe('workingMillisBetween', () => {
  it.each([
    ['a whole working day', '2026-03-02 09:00', '2026-03-02 18:00', 7],
    ['a morning and an afternoon hour around lunch', '2026-03-02 11:00', '2026-03-02 14:30', 1.5],
    ['nothing inside the lunch break', '2026-03-02 12:05', '2026-03-02 13:55', 0],
    ['nothing over a night', '2026-03-02 18:00', '2026-03-03 09:00', 0],
    ['one hour each side of a weekend', '2026-03-06 17:00', '2026-03-09 10:00', 2],
    ['negative when the end is earlier (overdue by two working hours)', '2026-03-09 10:00', '2026-03-06 17:00', -2],
    ['two days, one of them a make-up Saturday, across the 2026 Spring Festival', '2026-02-13 09:00', '2026-02-24 09:00', 14],
    ['across the year end', '2025-12-31 09:00', '2026-01-05 09:00', 14],
    ['nothing across a whole holiday block', '2026-10-01 00:00', '2026-10-07 23:59', 0],
  ])('%s: %s → %s = %s h', (_, a, b, hours) => {
    expect(cal.workingMillisBetween(cst(a), cst(b))).toBe(hours * HOUR);
  });
});

describe('warnings', () => {
  it.each([
    ['four fifths of one working day, after lunch', '2026-03-02 09:00', '2026-03-03 09:00', 0.8, '2026-03-02 16:36'],
    ['half of two working hours over a weekend, at Friday closing', '2026-03-06 17:00', '2026-03-09 10:00', 0.5, '2026-03-06 18:00'],
    ['three quarters across the 2026 Spring Festival', '2026-02-13 09:00', '2026-02-24 09:00', 0.75, '2026-02-14 14:30'],
    ['at the start for fraction 0', '2026-03-02 10:00', '2026-03-03 10:00', 0, '2026-03-02 10:00'],
    ['at the deadline for fraction 1, even after hours', '2026-03-02 10:00', '2026-03-03 20:00', 1, '2026-03-03 20:00'],
    ['at the start when no working time lies in between', '2026-03-07 10:00', '2026-03-08 10:00', 0.8, '2026-03-07 10:00'],
    ['at the start when the deadline is earlier', '2026-03-03 10:00', '2026-03-02 10:00', 0.8, '2026-03-03 10:00'],
  ])('warns %s', (_, start, deadline, fraction, expected) => {
    expect(showCst(cal.warningAt(cst(start), cst(deadline), fraction))).toBe(expected);
  });

  it('refuses a fraction outside 0–1', () => {
    expect(() => cal.warningAt(cst('2026-03-02 10:00'), cst('2026-03-03 10:00'), 1.2)).toThrow(expect.objectContaining({ code: 'CALENDAR.AMOUNT_INVALID' }));
  });

  it('reports the share of working time used, above 1 once overdue', () => {
    const [start, deadline] = [cst('2026-03-02 09:00'), cst('2026-03-03 09:00')];
    expect(cal.fractionElapsed(start, deadline, cst('2026-03-02 12:30'))).toBeCloseTo(3 / 7);
    expect(cal.fractionElapsed(start, deadline, cst('2026-03-03 10:45'))).toBeCloseTo(8.75 / 7);
    expect(cal.fractionElapsed(start, deadline, cst('2026-03-02 08:00'))).toBe(0);
  });
});

describe('years without a published schedule', () => {
  it.each([
    ['a date in 2024', () => cal.isWorkingDay('2024-12-31')],
    ['a date in 2027', () => cal.isWorkingDay('2027-01-04')],
    ['an instant in 2027', () => cal.isWorkingTime(cst('2027-03-01 10:00'))],
    ['a start in 2024', () => cal.addWorkingHours(cst('2024-12-31 10:00'), 1)],
    ['a deadline that would fall in 2027', () => cal.addWorkingDays(cst('2026-12-31 10:00'), 1)],
    ['working hours that would end in 2027', () => cal.addWorkingHours(cst('2026-12-31 17:00'), 2)],
    ['a duration ending in 2027', () => cal.workingMillisBetween(cst('2026-12-31 10:00'), cst('2027-01-04 10:00'))],
  ])('refuses %s as CALENDAR.OUT_OF_RANGE', (_, fn) => {
    expect(fn).toThrow(expect.objectContaining({ code: 'CALENDAR.OUT_OF_RANGE', kind: 'Invalid' }));
  });

  it('says whether the date itself or the working time from it leaves the published years', () => {
    expect(() => cal.isWorkingDay('2027-01-04')).toThrow('2027-01-04 is outside the work calendar (published years: 2025–2026)');
    expect(() => cal.addWorkingHours(cst('2026-12-31 17:30'), 1)).toThrow('Working time from 2026-12-31 would run outside the work calendar (published years: 2025–2026)');
  });

  it('refuses to count across an unpublished year between two published ones', () => {
    const gap = officialCalendar([], [2025, 2027]);
    expect(gap.isWorkingDay('2027-03-01')).toBe(true);
    expect(() => gap.isWorkingDay('2026-03-02')).toThrow(expect.objectContaining({ code: 'CALENDAR.OUT_OF_RANGE' }));
    expect(() => gap.workingMillisBetween(cst('2025-12-31 10:00'), cst('2027-01-04 10:00'))).toThrow(expect.objectContaining({ code: 'CALENDAR.OUT_OF_RANGE' }));
    expect(() => gap.addWorkingDays(cst('2025-12-31 10:00'), 1)).toThrow(expect.objectContaining({ code: 'CALENDAR.OUT_OF_RANGE' }));
    expect(gap.covers('2026-06-01')).toBe(false);
  });

  it('refuses an invalid date or instant', () => {
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(expect.objectContaining({ code: 'CALENDAR.DATE_INVALID' }));
    expect(() => cal.addWorkingHours(new Date(NaN), 1)).toThrow(expect.objectContaining({ code: 'CALENDAR.DATE_INVALID' }));
  });
});

describe('per-unit overrides', () => {
  // A town that keeps a market-day holiday, works through the last day of the National Day, and keeps summer hours;
  // a village under it that rests on that last day after all.
  const town = { exceptions: [{ date: '2026-03-04', kind: 'holiday' as const, name: '赶场日' }, { date: '2026-10-07', kind: 'workday' as const, name: '值守' }], sessions: [{ start: '08:30', end: '12:00' }, { start: '15:00', end: '18:00' }] };
  const village = { exceptions: [{ date: '2026-10-07', kind: 'holiday' as const, name: '国庆节' }] };
  const townCal = officialCalendar([town]);
  const villageCal = officialCalendar([town, village]);

  it('escalates a town incident after its own market-day holiday, which the district works', () => {
    expect(cal.isWorkingDay('2026-03-04')).toBe(true);
    expect(townCal.isWorkingDay('2026-03-04')).toBe(false);
    expect(showCst(townCal.addWorkingDays(cst('2026-03-03 10:00'), 1))).toBe('2026-03-05 10:00');
  });

  it('lets the nearest unit win: the town works a district holiday, a village under it does not', () => {
    expect(cal.isWorkingDay('2026-10-07')).toBe(false);
    expect(townCal.isWorkingDay('2026-10-07')).toBe(true);
    expect(villageCal.isWorkingDay('2026-10-07')).toBe(false);
    expect(villageCal.isWorkingDay('2026-03-04')).toBe(false); // inherited from the town
  });

  it('counts the town’s own hours, inherited by the village', () => {
    expect(townCal.workingMillisPerDay).toBe(6.5 * HOUR);
    expect(showCst(townCal.addWorkingHours(cst('2026-03-02 11:00'), 2))).toBe('2026-03-02 16:00');
    expect(showCst(villageCal.addWorkingHours(cst('2026-03-02 08:00'), 0.5))).toBe('2026-03-02 09:00');
    expect(villageCal.sessions).toEqual(town.sessions);
  });

  it('refuses to build a calendar with no working hours at all', () => {
    expect(() => buildWorkCalendar({ years: [2026], layers: [{ exceptions: [] }] })).toThrow(/no working hours/);
  });
});

describe('agrees with a minute-by-minute count', () => {
  // A naive model of the same rules, stepping one minute at a time: slow, obviously right, and independent of
  // the precomputed tables.
  const holidays = new Set(OFFICIAL_EXCEPTIONS.filter((e) => e.kind === 'holiday').map((e) => e.date));
  const makeups = new Set(OFFICIAL_EXCEPTIONS.filter((e) => e.kind === 'workday').map((e) => e.date));
  const offDays = new Map<number, boolean>();
  const working = (t: number) => {
    const day = Math.floor((t + 8 * HOUR) / 86_400_000);
    let off = offDays.get(day);
    if (off === undefined) {
      const date = dateOfDay(day);
      off = holidays.has(date) || (isWeekend(date) && !makeups.has(date));
      offDays.set(day, off);
    }
    if (off) return false;
    const minute = ((t + 8 * HOUR) % 86_400_000) / 60_000;
    return (minute >= 540 && minute < 720) || (minute >= 840 && minute < 1080);
  };
  const naiveBetween = (a: number, b: number) => {
    let n = 0;
    for (let t = a; t < b; t += 60_000) if (working(t)) n++;
    return n * 60_000;
  };
  const naiveAdd = (a: number, minutes: number) => {
    let t = a;
    while (minutes > 0) {
      if (working(t)) minutes--;
      t += 60_000;
    }
    return t;
  };
  let seed = 20_260_214;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const first = cst('2025-01-01 00:00').getTime();
  const span = cst('2026-12-01 00:00').getTime() - first;
  const check = (c: WorkCalendar, a: number, b: number, minutes: number) => {
    expect({ a: showCst(new Date(a)), b: showCst(new Date(b)), ms: c.workingMillisBetween(new Date(a), new Date(b)) }).toEqual({ a: showCst(new Date(a)), b: showCst(new Date(b)), ms: naiveBetween(a, b) });
    const end = naiveAdd(a, minutes);
    // The naive walk stops one minute after the last working minute it counted: the same instant as the calendar's.
    expect({ from: showCst(new Date(a)), minutes, to: showCst(c.addWorkingHours(new Date(a), minutes / 60)) }).toEqual({ from: showCst(new Date(a)), minutes, to: showCst(new Date(end)) });
  };

  it('on 200 random spans and additions over both years', () => {
    for (let n = 0; n < 200; n++) {
      const a = first + Math.floor((random() * span) / 60_000) * 60_000;
      const b = a + Math.floor(random() * 20 * 86_400_000 / 60_000) * 60_000;
      check(cal, a, b, 1 + Math.floor(random() * 60 * 14));
    }
  });
});

describe('working hours as entered in a form', () => {
  it('reads sessions written with dashes, tildes or 至, separated by commas or spaces', () => {
    expect(parseSessions('9:00-12:00，14:00～18:00')).toEqual(DEFAULT_SESSIONS);
    expect(parseSessions('08:30至12:00 15:00-18:00')).toEqual([{ start: '08:30', end: '12:00' }, { start: '15:00', end: '18:00' }]);
  });

  it.each([
    ['well-formed default hours', DEFAULT_SESSIONS, []],
    ['an evening session to midnight', [{ start: '18:00', end: '24:00' }], []],
    ['no sessions', [], ['CALENDAR.HOURS_COUNT']],
    ['a malformed time', [{ start: '9h', end: '12:00' }], ['CALENDAR.HOURS_FORMAT']],
    ['minutes past 24:00', [{ start: '23:00', end: '24:30' }], ['CALENDAR.HOURS_FORMAT']],
    ['a start after its end', [{ start: '12:00', end: '09:00' }], ['CALENDAR.HOURS_ORDER']],
    ['overlapping sessions', [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }], ['CALENDAR.HOURS_OVERLAP']],
  ])('checks %s', (_, sessions, codes) => {
    expect(checkSessions(sessions).map((p) => p.code)).toEqual(codes);
  });
});
