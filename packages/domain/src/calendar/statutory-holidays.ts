/**
 * The public holidays for all citizens (全体公民放假的节日) fixed by 《全国年节及纪念日放假办法》,
 * in each version in force since 1949. The working-day calendar uses them for a year whose State
 * Council notice (国务院办公厅关于{year}年部分节假日安排的通知) is not loaded: the festival days
 * themselves are known years ahead, from the Gregorian date, the lunar calendar or the solar term.
 *
 * What this cannot know: the notice's arrangement around them. A festival on a Saturday or Sunday
 * is made up on a working day (补假, article 6 of the measures), and the notice joins festivals
 * to weekends by moving rest days and making Saturdays or Sundays working days (调休). Only the
 * notice says which days those are, so a fallback year's answers may still move by a few days:
 * the calendar marks every one of them with CALENDAR_FALLBACK (see working-day-calendar.ts).
 *
 * Holidays for part of the citizens (妇女节、青年节、儿童节、建军节) and memorial days are not days
 * off for everyone, so they are not here.
 *
 * The lunar dates and the Qingming solar term come from `tyme4ts` (pure computation, Beijing time),
 * checked in the tests against every notice from 2015 to 2026.
 */
import { LunarDay, SolarTerm, type SolarDay } from 'tyme4ts';
import type { LocalDate } from '../time/local-date.js';
import type { Festival } from './cn-holiday-notices.js';

/** A day of a festival, by the calendar the measures name it in. */
export type StatutoryDay =
  | { calendar: 'gregorian'; month: number; day: number }
  | { calendar: 'lunar'; month: number; day: number }
  /** 农历除夕: the last day of the lunar year, the day before lunar 1/1. */
  | { calendar: 'lunar_new_years_eve' }
  /** 农历清明当日: the day (Beijing time) of the Qingming solar term, 4 or 5 April. */
  | { calendar: 'qingming_term' };

export interface HolidayMeasures {
  /** The instrument that set (or last amended) this version. */
  instrument: string;
  /** The first day this version applies; it applies until the next version's first day. */
  effective: LocalDate;
  holidays: readonly { festival: Festival; days: readonly StatutoryDay[] }[];
}

const gregorian = (month: number, day: number): StatutoryDay => ({
  calendar: 'gregorian',
  month,
  day,
});
const lunar = (month: number, day: number): StatutoryDay => ({ calendar: 'lunar', month, day });
const EVE: StatutoryDay = { calendar: 'lunar_new_years_eve' };
const QINGMING: StatutoryDay = { calendar: 'qingming_term' };

/** Oldest first. Before the first version's effective day there are no statutory holidays. */
export const HOLIDAY_MEASURES: readonly HolidayMeasures[] = [
  {
    instrument: '政务院《全国年节及纪念日放假办法》（1949年12月23日）',
    effective: '1949-12-23',
    holidays: [
      { festival: 'new_year', days: [gregorian(1, 1)] },
      { festival: 'spring_festival', days: [lunar(1, 1), lunar(1, 2), lunar(1, 3)] },
      { festival: 'labour_day', days: [gregorian(5, 1)] },
      { festival: 'national_day', days: [gregorian(10, 1), gregorian(10, 2)] },
    ],
  },
  {
    instrument: '国务院令第270号（1999年9月18日发布施行）',
    effective: '1999-09-18',
    holidays: [
      { festival: 'new_year', days: [gregorian(1, 1)] },
      { festival: 'spring_festival', days: [lunar(1, 1), lunar(1, 2), lunar(1, 3)] },
      { festival: 'labour_day', days: [gregorian(5, 1), gregorian(5, 2), gregorian(5, 3)] },
      { festival: 'national_day', days: [gregorian(10, 1), gregorian(10, 2), gregorian(10, 3)] },
    ],
  },
  {
    instrument: '国务院令第513号（2007年12月14日公布，2008年1月1日起施行）',
    effective: '2008-01-01',
    holidays: [
      { festival: 'new_year', days: [gregorian(1, 1)] },
      { festival: 'spring_festival', days: [EVE, lunar(1, 1), lunar(1, 2)] },
      { festival: 'qingming', days: [QINGMING] },
      { festival: 'labour_day', days: [gregorian(5, 1)] },
      { festival: 'dragon_boat', days: [lunar(5, 5)] },
      { festival: 'mid_autumn', days: [lunar(8, 15)] },
      { festival: 'national_day', days: [gregorian(10, 1), gregorian(10, 2), gregorian(10, 3)] },
    ],
  },
  {
    instrument: '国务院令第644号（2013年12月11日公布，2014年1月1日起施行）',
    effective: '2014-01-01',
    holidays: [
      { festival: 'new_year', days: [gregorian(1, 1)] },
      { festival: 'spring_festival', days: [lunar(1, 1), lunar(1, 2), lunar(1, 3)] },
      { festival: 'qingming', days: [QINGMING] },
      { festival: 'labour_day', days: [gregorian(5, 1)] },
      { festival: 'dragon_boat', days: [lunar(5, 5)] },
      { festival: 'mid_autumn', days: [lunar(8, 15)] },
      { festival: 'national_day', days: [gregorian(10, 1), gregorian(10, 2), gregorian(10, 3)] },
    ],
  },
  {
    instrument: '国务院令第795号（2024年11月10日公布，2025年1月1日起施行）',
    effective: '2025-01-01',
    holidays: [
      { festival: 'new_year', days: [gregorian(1, 1)] },
      { festival: 'spring_festival', days: [EVE, lunar(1, 1), lunar(1, 2), lunar(1, 3)] },
      { festival: 'qingming', days: [QINGMING] },
      { festival: 'labour_day', days: [gregorian(5, 1), gregorian(5, 2)] },
      { festival: 'dragon_boat', days: [lunar(5, 5)] },
      { festival: 'mid_autumn', days: [lunar(8, 15)] },
      { festival: 'national_day', days: [gregorian(10, 1), gregorian(10, 2), gregorian(10, 3)] },
    ],
  },
];

const cache = new Map<number, ReadonlyMap<LocalDate, Festival>>();

/**
 * The statutory holidays falling in Gregorian `year` (1900–9999), each day with its festival
 * in date order,
 * under the version of the measures in force on that day. A day that is both Mid-Autumn and
 * National Day (as in 2020 or 2028) is `mid_autumn_national_day`. The notice's 补假 and 调休 days
 * are not included: see the module comment.
 */
export function statutoryHolidays(year: number): ReadonlyMap<LocalDate, Festival> {
  let days = cache.get(year);
  if (!days) {
    days = compute(year);
    cache.set(year, days);
  }
  return days;
}

function compute(year: number): ReadonlyMap<LocalDate, Festival> {
  const days = new Map<LocalDate, Festival>();
  HOLIDAY_MEASURES.forEach((measures, i) => {
    const until = HOLIDAY_MEASURES[i + 1]?.effective;
    if (measures.effective > `${year}-12-31` || (until && until <= `${year}-01-01`)) return;
    for (const { festival, days: rule } of measures.holidays) {
      for (const spec of rule) {
        const date = dateIn(year, spec);
        if (date < measures.effective || (until && date >= until)) continue;
        const already = days.get(date);
        days.set(date, already && already !== festival ? merge(already, festival) : festival);
      }
    }
  });
  return new Map([...days].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The only coincidence the measures allow: lunar 8/15 on 1–3 October. */
function merge(a: Festival, b: Festival): Festival {
  const both = new Set([a, b]);
  if (both.has('mid_autumn') && both.has('national_day')) return 'mid_autumn_national_day';
  return a;
}

function dateIn(year: number, spec: StatutoryDay): LocalDate {
  switch (spec.calendar) {
    case 'gregorian':
      return `${year}-${pad(spec.month)}-${pad(spec.day)}`;
    case 'lunar':
      // A lunar month and day fall once in each Gregorian year for the festivals here: lunar
      // 1/1 is 21 January–20 February, so 1/1–8/15 of lunar year Y lie within Gregorian year Y.
      return local(LunarDay.fromYmd(year, spec.month, spec.day).getSolarDay());
    case 'lunar_new_years_eve':
      return local(LunarDay.fromYmd(year, 1, 1).getSolarDay().next(-1));
    case 'qingming_term':
      return local(SolarTerm.fromName(year, '清明').getSolarDay());
  }
}

function local(day: SolarDay): LocalDate {
  return `${String(day.getYear()).padStart(4, '0')}-${pad(day.getMonth())}-${pad(day.getDay())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
