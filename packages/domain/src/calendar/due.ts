/**
 * When a time limit runs out. Each unit has one reading, applied everywhere:
 * - minutes: added to the starting instant, to the millisecond (holidays do not stop the clock).
 * - days: calendar days counted like working days: the day the clock starts does not count, and
 *   the limit ends at the end of the last day, 23:59:59.999 Shanghai time. So 3 days from
 *   10:00 on 1 May run out at 23:59:59.999 on 4 May; 0 days means the end of the starting day.
 * - working_days: `addWorkingDays` on the Shanghai day of the start (start day excluded), ending
 *   at 23:59:59.999 of that working day; any calendar warnings are passed on.
 * "End of day" rather than the same clock time: people count deadlines in days, and an office
 * that accepts a file at 16:00 expects the whole last day to act on it.
 */
import { addDays, shanghaiDate, startOfShanghaiDay, type LocalDate } from '../time/local-date.js';
import type { CalendarWarning } from './warnings.js';
import {
  MAX_WORKING_DAYS,
  requireAmount,
  type TimeLimitUnit,
  type WorkingDayCalendar,
} from './working-day-calendar.js';

export interface TimeLimit {
  amount: number;
  unit: TimeLimitUnit;
}

const MAX_MINUTES = 60 * 24 * 366; // a year: longer limits are set in days
const MAX_DAYS = 3660;

export function computeDue(
  startInstant: Date,
  deadline: TimeLimit,
  calendar: WorkingDayCalendar,
): { due: Date; warnings: CalendarWarning[] } {
  if (!(startInstant instanceof Date) || Number.isNaN(startInstant.getTime())) {
    throw new RangeError('startInstant must be a valid Date');
  }
  const { amount, unit } = deadline;
  switch (unit) {
    case 'minutes':
      requireAmount(amount, unit, MAX_MINUTES);
      return { due: new Date(startInstant.getTime() + amount * 60_000), warnings: [] };
    case 'days':
      requireAmount(amount, unit, MAX_DAYS);
      return { due: endOfShanghaiDay(addDays(shanghaiDate(startInstant), amount)), warnings: [] };
    case 'working_days': {
      requireAmount(amount, unit, MAX_WORKING_DAYS);
      const { date, warnings } = calendar.addWorkingDays(shanghaiDate(startInstant), amount);
      return { due: endOfShanghaiDay(date), warnings };
    }
    default:
      throw new RangeError(`unknown deadline unit: ${String(unit)}`);
  }
}

/** 23:59:59.999 in Shanghai on `date`: the last instant of that day. */
export function endOfShanghaiDay(date: LocalDate): Date {
  return new Date(startOfShanghaiDay(addDays(date, 1)).getTime() - 1);
}
