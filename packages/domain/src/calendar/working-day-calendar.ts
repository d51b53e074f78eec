/**
 * Working days in mainland China: Monday to Friday, less the public holidays, plus the weekend
 * days the State Council makes working days (调休). Built from the notices in cn-holiday-notices.ts and an
 * override table that administrators edit when a new notice is published; an override wins over
 * the data for its day.
 *
 * Years: a year is covered by `data` (its notice is in cn-holiday-notices.ts), or by `override` (an administrator
 * marked it complete after entering its notice), or it falls back. The fallback counts Monday to
 * Friday as working days less the festival days that 《全国年节及纪念日放假办法》 fixes (the version
 * in force on the day: New Year, Spring Festival, Qingming, Labour Day, Dragon Boat, Mid-Autumn,
 * National Day; see statutory-holidays.ts). It cannot know the notice's 补假 for a festival on a
 * weekend, nor its 调休 (rest days moved next to a festival, Saturdays and Sundays made working
 * days), so a fallback answer may still move by a few days once the notice is entered. Fallback is
 * never silent: every answer that looked at a fallback day carries a CALENDAR_FALLBACK warning.
 */
import { DomainError } from '../errors/domain-error.js';
import { addDays, isLocalDate, isoWeekday, type LocalDate } from '../time/local-date.js';
import { CN_HOLIDAY_NOTICES, type Festival, type HolidayNotice } from './cn-holiday-notices.js';
import { statutoryHolidays } from './statutory-holidays.js';
import type { CalendarWarning } from './warnings.js';

export interface CalendarOverride {
  date: LocalDate;
  kind: 'holiday' | 'workday';
  /** Why: normally the notice and item, e.g. "国办发明电〔2026〕x号 元旦". Required. */
  note: string;
}

export interface CalendarOptions {
  overrides?: readonly CalendarOverride[];
  /** Years whose whole arrangement has been entered as overrides: they count as covered. */
  completeYears?: readonly number[];
  /** Replaces the built-in notices; for tests. */
  notices?: readonly HolidayNotice[];
}

export type Coverage = 'data' | 'override' | 'fallback';

export interface DayInfo {
  date: LocalDate;
  working: boolean;
  reason: 'weekday' | 'weekend' | 'holiday' | 'adjusted_workday';
  festival?: Festival;
  /** The override's note, when an override decided the day. */
  note?: string;
  source: Coverage;
  warnings: CalendarWarning[];
}

interface Entry {
  working: boolean;
  festival?: Festival;
  note?: string;
  fromOverride: boolean;
}

/**
 * A notice for year Y+1 can reach back into the end of December of Y (New Year 2019 made
 * 2018-12-29 a working day and 12-31 a holiday). So while Y+1 is not covered, days from this date
 * of December on are uncertain too and carry Y+1's fallback warning.
 */
const SPILLOVER_FROM = '12-25';

export class WorkingDayCalendar {
  private readonly entries = new Map<LocalDate, Entry>();
  private readonly dataYears: ReadonlySet<number>;
  private readonly completeYears: ReadonlySet<number>;

  constructor(options: CalendarOptions = {}) {
    const notices = options.notices ?? CN_HOLIDAY_NOTICES;
    this.dataYears = new Set(notices.map((n) => n.year));
    for (const notice of notices) {
      for (const period of notice.periods) {
        for (let d = period.off[0]; d <= period.off[1]; d = addDays(d, 1)) {
          this.entries.set(d, { working: false, festival: period.festival, fromOverride: false });
        }
        for (const d of period.work) {
          this.entries.set(d, { working: true, festival: period.festival, fromOverride: false });
        }
      }
    }
    const seen = new Set<LocalDate>();
    (options.overrides ?? []).forEach((o, i) => {
      const index = i + 1;
      if (!isLocalDate(o.date))
        throw new DomainError('CALENDAR_OVERRIDE_INVALID', { index, field: 'date' });
      if (o.kind !== 'holiday' && o.kind !== 'workday') {
        throw new DomainError('CALENDAR_OVERRIDE_INVALID', { index, field: 'kind' });
      }
      if (typeof o.note !== 'string' || o.note.trim() === '') {
        throw new DomainError('CALENDAR_OVERRIDE_INVALID', { index, field: 'note' });
      }
      if (seen.has(o.date)) throw new DomainError('CALENDAR_OVERRIDE_DUPLICATE', { date: o.date });
      seen.add(o.date);
      this.entries.set(o.date, { working: o.kind === 'workday', note: o.note, fromOverride: true });
    });
    for (const year of options.completeYears ?? []) requireYear(year);
    this.completeYears = new Set(options.completeYears ?? []);
  }

  /**
   * Where the answers for `year` come from; `fallback` means Monday–Friday less the statutory
   * festival days, with a warning (the notice's 调休 are unknown).
   */
  coverage(year: number): Coverage {
    requireYear(year);
    if (this.dataYears.has(year)) return 'data';
    if (this.completeYears.has(year)) return 'override';
    return 'fallback';
  }

  /** Covered years, ascending: those with a notice in cn-holiday-notices.ts and those marked complete. */
  coveredYears(): number[] {
    return [...new Set([...this.dataYears, ...this.completeYears])].sort((a, b) => a - b);
  }

  describeDay(date: LocalDate): DayInfo {
    requireDate(date);
    const warnings: CalendarWarning[] = [];
    this.collectWarnings(date, warnings);
    const entry = this.entries.get(date);
    const weekend = isoWeekday(date) >= 6;
    if (entry) {
      const info: DayInfo = {
        date,
        working: entry.working,
        reason: entry.working ? (weekend ? 'adjusted_workday' : 'weekday') : 'holiday',
        source: entry.fromOverride ? 'override' : 'data',
        warnings,
      };
      if (entry.festival) info.festival = entry.festival;
      if (entry.note) info.note = entry.note;
      return info;
    }
    const source = this.coverage(year(date));
    const festival = source === 'fallback' ? this.fallbackFestival(date) : undefined;
    if (festival) return { date, working: false, reason: 'holiday', festival, source, warnings };
    return { date, working: !weekend, reason: weekend ? 'weekend' : 'weekday', source, warnings };
  }

  isWorkingDay(date: LocalDate): { working: boolean; warnings: CalendarWarning[] } {
    const { working, warnings } = this.describeDay(date);
    return { working, warnings };
  }

  /**
   * The n-th working day after `start`. The start day itself never counts, whether or not it is
   * a working day: "30 working days from acceptance" is the 30th working day after the day of
   * acceptance. n = 0 returns `start` unchanged.
   */
  addWorkingDays(start: LocalDate, n: number): { date: LocalDate; warnings: CalendarWarning[] } {
    requireDate(start);
    requireAmount(n, 'working_days', MAX_WORKING_DAYS);
    const warnings: CalendarWarning[] = [];
    let date = start;
    for (let left = n; left > 0;) {
      date = addDays(date, 1);
      if (this.working(date, warnings)) left--;
    }
    return { date, warnings };
  }

  /**
   * Working days in (from, to]: the day `from` excluded, `to` included, so that
   * `workingDaysBetween(s, addWorkingDays(s, n).date)` is n. Negative when `to` is before `from`.
   */
  workingDaysBetween(
    from: LocalDate,
    to: LocalDate,
  ): { days: number; warnings: CalendarWarning[] } {
    requireDate(from);
    requireDate(to);
    const warnings: CalendarWarning[] = [];
    const [a, b, sign] = from <= to ? [from, to, 1] : [to, from, -1];
    let days = 0;
    for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) {
      if (this.working(d, warnings)) days++;
    }
    return { days: sign * days, warnings };
  }

  /**
   * The last working day strictly before `date`. FZ-27 ledgers are due the working day before
   * month end: pass the last day of the month. (For the last working day of a month, pass the
   * first day of the next.)
   */
  lastWorkingDayBefore(date: LocalDate): { date: LocalDate; warnings: CalendarWarning[] } {
    requireDate(date);
    const warnings: CalendarWarning[] = [];
    let d = addDays(date, -1);
    while (!this.working(d, warnings)) d = addDays(d, -1);
    return { date: d, warnings };
  }

  /**
   * In December, a warning when next year is not covered, so the console and admin pages can ask
   * for the State Council notice to be entered before deadlines start landing in January.
   */
  missingNextYearWarning(today: LocalDate): CalendarWarning | undefined {
    requireDate(today);
    const next = year(today) + 1;
    if (today.slice(5, 7) !== '12' || this.coverage(next) !== 'fallback') return undefined;
    return { code: 'CALENDAR_NEXT_YEAR_MISSING', year: next };
  }

  private working(date: LocalDate, warnings: CalendarWarning[]): boolean {
    this.collectWarnings(date, warnings);
    const entry = this.entries.get(date);
    if (entry) return entry.working;
    if (this.coverage(year(date)) === 'fallback' && this.fallbackFestival(date)) return false;
    return isoWeekday(date) <= 5;
  }

  /**
   * In a fallback year, the festival of a statutory holiday on `date`, if any. Only the festival
   * days themselves: the 补假 and 调休 the notice would add are unknown (CALENDAR_FALLBACK says so).
   */
  private fallbackFestival(date: LocalDate): Festival | undefined {
    return statutoryHolidays(year(date)).get(date);
  }

  private collectWarnings(date: LocalDate, warnings: CalendarWarning[]): void {
    const y = year(date);
    if (this.coverage(y) === 'fallback') addFallback(warnings, y);
    else if (date.slice(5) >= SPILLOVER_FROM && y < 9999 && this.coverage(y + 1) === 'fallback') {
      addFallback(warnings, y + 1);
    }
  }
}

/** About ten years; regulation time limits are days or months, so more is a configuration error. */
export const MAX_WORKING_DAYS = 2500;

function addFallback(warnings: CalendarWarning[], y: number): void {
  if (!warnings.some((w) => w.code === 'CALENDAR_FALLBACK' && w.year === y)) {
    warnings.push({ code: 'CALENDAR_FALLBACK', year: y });
  }
}

function year(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

function requireDate(date: LocalDate): void {
  if (typeof date !== 'string' || !isLocalDate(date)) {
    throw new DomainError('CALENDAR_DATE_INVALID', { value: String(date).slice(0, 20) });
  }
}

function requireYear(y: number): void {
  if (!Number.isInteger(y) || y < 1900 || y > 9999) {
    throw new DomainError('CALENDAR_YEAR_INVALID', { value: String(y).slice(0, 20) });
  }
}

export type TimeLimitUnit = 'minutes' | 'days' | 'working_days';

const UNIT_NAMES: Record<TimeLimitUnit, { zh: string; en: string }> = {
  minutes: { zh: '分钟', en: 'minutes' },
  days: { zh: '自然日', en: 'calendar days' },
  working_days: { zh: '工作日', en: 'working days' },
};

export function requireAmount(n: number, unit: TimeLimitUnit, max: number): void {
  if (!Number.isInteger(n) || n < 0 || n > max) {
    const name = UNIT_NAMES[unit];
    throw new DomainError('CALENDAR_AMOUNT_INVALID', {
      unit,
      unitZh: name.zh,
      unitEn: name.en,
      max,
    });
  }
}
