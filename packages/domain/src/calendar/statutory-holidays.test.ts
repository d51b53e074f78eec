import { describe, expect, it } from 'vitest';
import { isoWeekday } from '../time/local-date.js';
import { CN_HOLIDAY_NOTICES } from './cn-holiday-notices.js';
import { HOLIDAY_MEASURES, statutoryHolidays } from './statutory-holidays.js';
import { WorkingDayCalendar } from './working-day-calendar.js';

const cal = new WorkingDayCalendar();
const days = (year: number): Record<string, string> => Object.fromEntries(statutoryHolidays(year));

describe('the festival days of 《全国年节及纪念日放假办法》', () => {
  it('2027 under the 2025 version: 1 + 4 + 1 + 2 + 1 + 1 + 3 days', () => {
    // Lunar new year 2027 is Saturday 6 February (除夕 Friday the 5th); Qingming falls on 5 April;
    // lunar 5/5 is 9 June and 8/15 is 15 September.
    expect(days(2027)).toEqual({
      '2027-01-01': 'new_year',
      '2027-02-05': 'spring_festival',
      '2027-02-06': 'spring_festival',
      '2027-02-07': 'spring_festival',
      '2027-02-08': 'spring_festival',
      '2027-04-05': 'qingming',
      '2027-05-01': 'labour_day',
      '2027-05-02': 'labour_day',
      '2027-06-09': 'dragon_boat',
      '2027-09-15': 'mid_autumn',
      '2027-10-01': 'national_day',
      '2027-10-02': 'national_day',
      '2027-10-03': 'national_day',
    });
  });

  it('marks a day that is both Mid-Autumn and National Day once, with both names', () => {
    expect(days(2028)['2028-10-03']).toBe('mid_autumn_national_day');
    expect(statutoryHolidays(2028).size).toBe(12);
    expect([...statutoryHolidays(2028).keys()]).toEqual([...statutoryHolidays(2028).keys()].sort());
  });

  it('applies the version in force on the day', () => {
    // 2014 version: Spring Festival is lunar 1/1–1/3, Labour Day one day.
    expect(Object.keys(days(2014))).toEqual([
      '2014-01-01',
      '2014-01-31',
      '2014-02-01',
      '2014-02-02',
      '2014-04-05',
      '2014-05-01',
      '2014-06-02',
      '2014-09-08',
      '2014-10-01',
      '2014-10-02',
      '2014-10-03',
    ]);
    // 2008 version: 除夕 to lunar 1/2.
    expect(Object.keys(days(2013)).slice(0, 5)).toEqual([
      '2013-01-01',
      '2013-02-09',
      '2013-02-10',
      '2013-02-11',
      '2013-04-04',
    ]);
    // 1999 version from 18 September 1999: three days at Labour Day, none for Qingming.
    expect(Object.keys(days(2000))).toContain('2000-05-03');
    expect(Object.values(days(2000))).not.toContain('qingming');
    // 1999 itself: one Labour Day under the 1949 version, then National Day 1–3 October.
    expect(Object.keys(days(1999)).filter((d) => d >= '1999-05-01')).toEqual([
      '1999-05-01',
      '1999-10-01',
      '1999-10-02',
      '1999-10-03',
    ]);
    // Before the first measures of 23 December 1949 there is nothing to apply.
    expect(statutoryHolidays(1949).size).toBe(0);
    expect(days(1950)['1950-10-02']).toBe('national_day');
    expect(days(1950)['1950-10-03']).toBeUndefined();
  });

  it('lists the versions oldest first', () => {
    const effective = HOLIDAY_MEASURES.map((m) => m.effective);
    expect(effective).toEqual([...effective].sort());
    expect(effective.at(-1)).toBe('2025-01-01');
  });

  it('agrees with every notice 2015–2026: each festival day is a day off with that festival', () => {
    for (const { year } of CN_HOLIDAY_NOTICES) {
      for (const [date, festival] of statutoryHolidays(year)) {
        const day = cal.describeDay(date);
        expect(day, date).toMatchObject({ working: false, reason: 'holiday', source: 'data' });
        if (festival === 'mid_autumn_national_day') {
          expect(day.festival, date).toMatch(/mid_autumn|national_day/);
        } else if (day.festival !== 'mid_autumn_national_day') {
          expect(day.festival, date).toBe(festival);
        }
      }
    }
  });

  it('computes any year the calendar accepts', () => {
    for (const year of [1900, 2100, 9999]) {
      for (const date of statutoryHolidays(year).keys()) {
        expect(date.slice(0, 4)).toBe(String(year));
        expect(isoWeekday(date)).toBeGreaterThanOrEqual(1);
      }
    }
  });
});
