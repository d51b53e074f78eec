import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { addDays, isLocalDate, isoWeekday } from '../time/local-date.js';
import { CN_HOLIDAY_NOTICES, COVERED_YEARS } from './cn-holiday-notices.js';
import { renderCalendarWarning } from './warnings.js';
import { WorkingDayCalendar, type CalendarOverride } from './working-day-calendar.js';

const cal = new WorkingDayCalendar();
const working = (date: string, c = cal): boolean => c.isWorkingDay(date).working;
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return undefined;
};

/** Asserts a festival week: every day of `off` is a holiday, each of `work` a working weekend day. */
function expectWeek(first: string, last: string, work: string[]): void {
  for (let d = first; d <= last; d = addDays(d, 1)) {
    expect(cal.describeDay(d), d).toMatchObject({
      working: false,
      reason: 'holiday',
      warnings: [],
    });
  }
  expect(working(addDays(first, -1)) || isoWeekday(addDays(first, -1)) >= 6).toBe(true);
  for (const d of work) {
    expect(isoWeekday(d), `${d} is a weekend day`).toBeGreaterThanOrEqual(6);
    expect(cal.describeDay(d), d).toMatchObject({ working: true, reason: 'adjusted_workday' });
  }
}

describe('the 2024–2026 notices', () => {
  it('National Day 2024: 1–7 October off; Sunday 29 September and Saturday 12 October worked', () => {
    expectWeek('2024-10-01', '2024-10-07', ['2024-09-29', '2024-10-12']);
    expect(working('2024-09-28')).toBe(false);
    expect(working('2024-10-08')).toBe(true);
    expect(working('2024-10-13')).toBe(false);
  });

  it('National Day and Mid-Autumn 2025: 1–8 October off; Sunday 28 September and Saturday 11 October worked', () => {
    expectWeek('2025-10-01', '2025-10-08', ['2025-09-28', '2025-10-11']);
    expect(working('2025-09-27')).toBe(false);
    expect(working('2025-10-09')).toBe(true);
    expect(working('2025-10-12')).toBe(false);
  });

  it('National Day 2026: 1–7 October off; Sunday 20 September and Saturday 10 October worked', () => {
    expectWeek('2026-10-01', '2026-10-07', ['2026-09-20', '2026-10-10']);
    expect(working('2026-09-19')).toBe(false);
    expect(working('2026-10-08')).toBe(true);
    expect(working('2026-10-11')).toBe(false);
    // Mid-Autumn 2026 is a separate Friday–Sunday.
    expectWeek('2026-09-25', '2026-09-27', []);
  });

  it('Spring Festival 2024: 10–17 February off; Sundays 4 and 18 February worked; 除夕 a working day', () => {
    expectWeek('2024-02-10', '2024-02-17', ['2024-02-04', '2024-02-18']);
    expect(cal.describeDay('2024-02-09')).toMatchObject({ working: true, reason: 'weekday' });
    expect(working('2024-02-03')).toBe(false);
  });

  it('Spring Festival 2025: 28 January (除夕) to 4 February off; Sunday 26 January and Saturday 8 February worked', () => {
    expectWeek('2025-01-28', '2025-02-04', ['2025-01-26', '2025-02-08']);
    expect(working('2025-01-27')).toBe(true);
    expect(working('2025-02-05')).toBe(true);
  });

  it('Spring Festival 2026: 15–23 February off; Saturdays 14 and 28 February worked', () => {
    expectWeek('2026-02-15', '2026-02-23', ['2026-02-14', '2026-02-28']);
    expect(working('2026-02-13')).toBe(true);
    expect(working('2026-02-24')).toBe(true);
    expect(working('2026-03-01')).toBe(false);
  });

  it('the other 2026 days of the notice', () => {
    expectWeek('2026-01-01', '2026-01-03', ['2026-01-04']);
    expectWeek('2026-04-04', '2026-04-06', []);
    expectWeek('2026-05-01', '2026-05-05', ['2026-05-09']);
    expectWeek('2026-06-19', '2026-06-21', []);
    expect(cal.describeDay('2026-05-09').festival).toBe('labour_day');
  });

  it('the amended years: 2015 Victory Day, 2019 Labour Day, 2020 extended Spring Festival', () => {
    expectWeek('2015-09-03', '2015-09-05', ['2015-09-06']);
    expectWeek('2019-05-01', '2019-05-04', ['2019-04-28', '2019-05-05']);
    expectWeek('2020-01-24', '2020-02-02', ['2020-01-19']);
    expect(working('2020-02-01')).toBe(false); // the make-up Saturday was cancelled by the extension
    expect(working('2020-02-03')).toBe(true);
    expect(working('2018-12-29')).toBe(true); // set by the 2019 notice
    expect(working('2018-12-31')).toBe(false);
  });
});

describe('addWorkingDays and workingDaysBetween', () => {
  it('does not count the start day, and skips the holiday weeks', () => {
    // Fri 27 Sep 2024: Sat off, Sun 29 worked (1), Mon 30 (2), 1–7 Oct off, Tue 8 Oct (3) …
    expect(cal.addWorkingDays('2024-09-27', 1).date).toBe('2024-09-29');
    expect(cal.addWorkingDays('2024-09-27', 3).date).toBe('2024-10-08');
    expect(cal.addWorkingDays('2024-09-27', 7).date).toBe('2024-10-12');
    expect(cal.addWorkingDays('2024-09-27', 8).date).toBe('2024-10-14');
    // Thu 12 Feb 2026: Fri 13 (1), Sat 14 worked (2), 15–23 off, Tue 24 (3) … Sat 28 worked (7).
    expect(cal.addWorkingDays('2026-02-12', 3).date).toBe('2026-02-24');
    expect(cal.addWorkingDays('2026-02-12', 7).date).toBe('2026-02-28');
    // Starting on a holiday: the next working day is the first.
    expect(cal.addWorkingDays('2025-10-03', 1).date).toBe('2025-10-09');
    expect(cal.addWorkingDays('2025-10-03', 0).date).toBe('2025-10-03');
  });

  it('"30 working days from acceptance" across National Day 2025', () => {
    const due = cal.addWorkingDays('2025-09-15', 30);
    expect(due).toEqual({ date: '2025-10-31', warnings: [] });
    expect(cal.workingDaysBetween('2025-09-15', '2025-10-31')).toEqual({ days: 30, warnings: [] });
    expect(cal.workingDaysBetween('2025-10-31', '2025-09-15').days).toBe(-30);
    expect(cal.workingDaysBetween('2025-10-01', '2025-10-08').days).toBe(0);
    expect(cal.workingDaysBetween('2025-10-01', '2025-10-01').days).toBe(0);
  });

  it('round-trips: n working days after s are n working days between', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4300 }),
        fc.integer({ min: 0, max: 80 }),
        (offset, n) => {
          const start = addDays('2015-01-01', offset);
          const { date } = cal.addWorkingDays(start, n);
          expect(cal.workingDaysBetween(start, date).days).toBe(n);
          if (n > 0) expect(working(date)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses negative, fractional and absurd amounts, and bad dates', () => {
    expect(codeOf(() => cal.addWorkingDays('2026-01-05', -1))).toBe('CALENDAR_AMOUNT_INVALID');
    expect(codeOf(() => cal.addWorkingDays('2026-01-05', 1.5))).toBe('CALENDAR_AMOUNT_INVALID');
    expect(codeOf(() => cal.addWorkingDays('2026-01-05', 1e9))).toBe('CALENDAR_AMOUNT_INVALID');
    expect(codeOf(() => cal.addWorkingDays('2026-02-30', 1))).toBe('CALENDAR_DATE_INVALID');
    expect(codeOf(() => cal.isWorkingDay('2026/01/05'))).toBe('CALENDAR_DATE_INVALID');
  });
});

describe('lastWorkingDayBefore', () => {
  it('finds the working day before month end (FZ-27)', () => {
    expect(cal.lastWorkingDayBefore('2025-09-30').date).toBe('2025-09-29');
    expect(cal.lastWorkingDayBefore('2024-09-30').date).toBe('2024-09-29'); // a make-up Sunday
    expect(cal.lastWorkingDayBefore('2026-01-31').date).toBe('2026-01-30');
    expect(cal.lastWorkingDayBefore('2026-02-28').date).toBe('2026-02-27');
    expect(cal.lastWorkingDayBefore('2025-10-09').date).toBe('2025-09-30'); // across the holiday
    expect(cal.lastWorkingDayBefore('2026-10-08').date).toBe('2026-09-30');
  });
});

describe('coverage and the fallback', () => {
  it('knows exactly which years it covers', () => {
    expect(cal.coveredYears()).toEqual(
      Array.from(
        { length: COVERED_YEARS.last - COVERED_YEARS.first + 1 },
        (_, i) => COVERED_YEARS.first + i,
      ),
    );
    expect(cal.coverage(2015)).toBe('data');
    expect(cal.coverage(2026)).toBe('data');
    expect(cal.coverage(2014)).toBe('fallback');
    expect(cal.coverage(2027)).toBe('fallback');
    expect(codeOf(() => cal.coverage(2026.5))).toBe('CALENDAR_YEAR_INVALID');
  });

  it('answers for a year beyond the data, never silently', () => {
    // No notice for 2027 yet: 1 October is a day off by the measures themselves, but whether
    // Monday 4 October joins the holiday (调休) only the notice will say. Both answers warn.
    expect(cal.isWorkingDay('2027-10-01')).toEqual({
      working: false,
      warnings: [{ code: 'CALENDAR_FALLBACK', year: 2027 }],
    });
    expect(cal.describeDay('2027-10-01')).toMatchObject({
      reason: 'holiday',
      festival: 'national_day',
      source: 'fallback',
    });
    expect(cal.isWorkingDay('2027-10-04')).toEqual({
      working: true,
      warnings: [{ code: 'CALENDAR_FALLBACK', year: 2027 }],
    });
    expect(cal.describeDay('2027-10-09')).toMatchObject({
      working: false,
      reason: 'weekend',
      source: 'fallback',
    });
    expect(cal.isWorkingDay('2014-10-01')).toEqual({
      working: false,
      warnings: [{ code: 'CALENDAR_FALLBACK', year: 2014 }],
    });
    expect(cal.isWorkingDay('2026-06-01').warnings).toEqual([]);
  });

  it('2027: the festival days of the 2025 measures are days off, wherever they fall', () => {
    const off = [
      ['2027-01-01', 'new_year'],
      ['2027-02-05', 'spring_festival'], // 除夕, Friday
      ['2027-02-06', 'spring_festival'], // lunar new year, Saturday
      ['2027-02-07', 'spring_festival'],
      ['2027-02-08', 'spring_festival'], // Monday
      ['2027-04-05', 'qingming'],
      ['2027-05-01', 'labour_day'], // Saturday
      ['2027-05-02', 'labour_day'], // Sunday
      ['2027-06-09', 'dragon_boat'],
      ['2027-09-15', 'mid_autumn'],
      ['2027-10-01', 'national_day'],
      ['2027-10-02', 'national_day'],
      ['2027-10-03', 'national_day'],
    ] as const;
    for (const [date, festival] of off) {
      expect(cal.describeDay(date), date).toEqual({
        date,
        working: false,
        reason: 'holiday',
        festival,
        source: 'fallback',
        warnings: [{ code: 'CALENDAR_FALLBACK', year: 2027 }],
      });
    }
    // The weekdays around them still count: no guess at 补假 or 调休.
    for (const date of ['2027-02-04', '2027-02-09', '2027-04-02', '2027-05-03', '2027-10-04']) {
      expect(working(date), date).toBe(true);
    }
    // 261 weekdays in 2027, less the seven festival days on a weekday.
    expect(cal.workingDaysBetween('2026-12-31', '2027-12-31')).toEqual({
      days: 254,
      warnings: [{ code: 'CALENDAR_FALLBACK', year: 2027 }],
    });
    // February 2027 is four whole weeks; 除夕 (Fri) and lunar 1/3 (Mon) are off.
    expect(cal.workingDaysBetween('2027-01-31', '2027-02-28').days).toBe(18);
    // Thu 4 Feb: Tue 9 Feb is the first working day after.
    expect(cal.addWorkingDays('2027-02-04', 1).date).toBe('2027-02-09');
    // Tue 8 Jun: Thu 10 Jun is the first working day after the Dragon Boat Wednesday.
    expect(cal.addWorkingDays('2027-06-08', 1).date).toBe('2027-06-10');
    expect(cal.lastWorkingDayBefore('2027-10-04').date).toBe('2027-09-30');
    expect(cal.addWorkingDays('2027-09-30', 1)).toEqual({
      date: '2027-10-04',
      warnings: [{ code: 'CALENDAR_FALLBACK', year: 2027 }],
    });
  });

  it('an override still wins over a fallback festival day', () => {
    const c = new WorkingDayCalendar({
      overrides: [{ date: '2027-02-06', kind: 'workday', note: 'test: invented' }],
    });
    expect(c.describeDay('2027-02-06')).toMatchObject({
      working: true,
      reason: 'adjusted_workday',
      source: 'override',
    });
    expect(working('2027-02-06')).toBe(false);
  });

  it('warns when a count runs into a fallback year, once per year', () => {
    // Thu 31 Dec (1); Fri 1 January is New Year; Mon 4 (2) … Thu 7 January (5).
    const r = cal.addWorkingDays('2026-12-30', 5);
    expect(r.date).toBe('2027-01-07');
    expect(r.warnings).toEqual([{ code: 'CALENDAR_FALLBACK', year: 2027 }]);
    expect(cal.workingDaysBetween('2026-11-01', '2028-01-10').warnings).toEqual([
      { code: 'CALENDAR_FALLBACK', year: 2027 },
      { code: 'CALENDAR_FALLBACK', year: 2028 },
    ]);
  });

  it('flags late December of the last covered year: the next notice may reach back into it', () => {
    expect(cal.isWorkingDay('2026-12-28').warnings).toEqual([
      { code: 'CALENDAR_FALLBACK', year: 2027 },
    ]);
    expect(cal.isWorkingDay('2026-12-24').warnings).toEqual([]);
    expect(cal.isWorkingDay('2025-12-29').warnings).toEqual([]); // 2026 is covered
  });

  it('renders warnings in both languages', () => {
    const w = { code: 'CALENDAR_FALLBACK' as const, year: 2027 };
    expect(renderCalendarWarning(w, 'zh-CN')).toContain('2027年');
    expect(renderCalendarWarning(w, 'en')).toContain('2027');
  });
});

describe('the override table', () => {
  // The 2027 arrangement as an administrator would enter it; the dates here are invented test
  // data, not the 2027 notice (not yet published when this was written).
  const overrides2027: CalendarOverride[] = [
    { date: '2027-01-01', kind: 'holiday', note: 'test: New Year' },
    { date: '2027-10-01', kind: 'holiday', note: 'test: National Day' },
    { date: '2027-10-04', kind: 'holiday', note: 'test: National Day' },
    { date: '2027-10-09', kind: 'workday', note: 'test: make-up Saturday' },
  ];

  it('overrides win over the data', () => {
    const c = new WorkingDayCalendar({
      overrides: [
        { date: '2026-10-10', kind: 'holiday', note: 'make-up Saturday cancelled' },
        { date: '2026-10-05', kind: 'workday', note: 'test' },
        { date: '2026-06-03', kind: 'holiday', note: 'test' },
      ],
    });
    expect(c.describeDay('2026-10-10')).toMatchObject({
      working: false,
      source: 'override',
      note: 'make-up Saturday cancelled',
    });
    expect(working('2026-10-05', c)).toBe(true);
    expect(working('2026-06-03', c)).toBe(false);
    expect(working('2026-10-10')).toBe(true); // the default calendar is untouched
  });

  it('an incomplete override year still warns; a complete one is covered', () => {
    const partial = new WorkingDayCalendar({ overrides: overrides2027 });
    expect(partial.isWorkingDay('2027-10-01')).toEqual({
      working: false,
      warnings: [{ code: 'CALENDAR_FALLBACK', year: 2027 }],
    });
    expect(partial.coverage(2027)).toBe('fallback');

    const complete = new WorkingDayCalendar({ overrides: overrides2027, completeYears: [2027] });
    expect(complete.coverage(2027)).toBe('override');
    expect(complete.isWorkingDay('2027-10-01')).toEqual({ working: false, warnings: [] });
    expect(complete.isWorkingDay('2027-10-09')).toEqual({ working: true, warnings: [] });
    expect(complete.addWorkingDays('2027-09-30', 1)).toEqual({ date: '2027-10-05', warnings: [] });
    expect(complete.coveredYears().at(-1)).toBe(2027);
    expect(complete.isWorkingDay('2026-12-28').warnings).toEqual([]);
  });

  it('refuses malformed and duplicate entries', () => {
    const bad = (o: Partial<CalendarOverride>) =>
      codeOf(
        () =>
          new WorkingDayCalendar({
            overrides: [{ date: '2027-01-01', kind: 'holiday', note: 'x', ...o }],
          }),
      );
    expect(bad({ date: '2027-02-30' })).toBe('CALENDAR_OVERRIDE_INVALID');
    expect(bad({ kind: 'weekend' as 'holiday' })).toBe('CALENDAR_OVERRIDE_INVALID');
    expect(bad({ note: '  ' })).toBe('CALENDAR_OVERRIDE_INVALID');
    expect(
      codeOf(
        () =>
          new WorkingDayCalendar({
            overrides: [
              { date: '2027-01-01', kind: 'holiday', note: 'a' },
              { date: '2027-01-01', kind: 'workday', note: 'b' },
            ],
          }),
      ),
    ).toBe('CALENDAR_OVERRIDE_DUPLICATE');
    expect(codeOf(() => new WorkingDayCalendar({ completeYears: [27] }))).toBe(
      'CALENDAR_YEAR_INVALID',
    );
  });
});

describe('missingNextYearWarning', () => {
  it('warns in December when next year is not covered', () => {
    expect(cal.missingNextYearWarning('2026-12-01')).toEqual({
      code: 'CALENDAR_NEXT_YEAR_MISSING',
      year: 2027,
    });
    expect(cal.missingNextYearWarning('2026-12-31')).toEqual({
      code: 'CALENDAR_NEXT_YEAR_MISSING',
      year: 2027,
    });
    expect(cal.missingNextYearWarning('2026-11-30')).toBeUndefined();
    expect(cal.missingNextYearWarning('2025-12-15')).toBeUndefined();
    const entered = new WorkingDayCalendar({ completeYears: [2027] });
    expect(entered.missingNextYearWarning('2026-12-01')).toBeUndefined();
    expect(renderCalendarWarning(cal.missingNextYearWarning('2026-12-01')!, 'zh-CN')).toContain(
      '2027年',
    );
  });
});

describe('the notice data', () => {
  it('has one notice per year 2015–2026 with sound dates', () => {
    expect(CN_HOLIDAY_NOTICES.map((n) => n.year)).toEqual(cal.coveredYears());
    const seen = new Map<string, string>();
    for (const notice of CN_HOLIDAY_NOTICES) {
      for (const p of notice.periods) {
        expect(isLocalDate(p.off[0]) && isLocalDate(p.off[1])).toBe(true);
        expect(p.off[0] <= p.off[1]).toBe(true);
        expect(Number(p.off[0].slice(0, 4))).toBeGreaterThanOrEqual(notice.year - 1);
        for (let d = p.off[0]; d <= p.off[1]; d = addDays(d, 1)) {
          expect(seen.has(d), d).toBe(false);
          seen.set(d, 'off');
        }
        for (const d of p.work) {
          expect(isLocalDate(d)).toBe(true);
          expect(isoWeekday(d), `make-up day ${d} is a weekend day`).toBeGreaterThanOrEqual(6);
          expect(seen.has(d), d).toBe(false);
          seen.set(d, 'work');
        }
      }
    }
  });
});
