/**
 * When a card is due. Deadlines in minutes, days and working days go through the working-day
 * calendar; months and years (unclaimed cards, automatic cancellation) are calendar months
 * ending at the end of that Shanghai day.
 */
import { computeDue, endOfShanghaiDay } from '../calendar/due.js';
import type { CalendarWarning } from '../calendar/warnings.js';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import type { Duration } from '../rules/schema.js';
import { addMonths, addYears, shanghaiDate } from '../time/local-date.js';

export function dueAfter(
  start: Date,
  limit: Pick<Duration, 'amount' | 'unit'>,
  calendar: WorkingDayCalendar,
): { due: Date; warnings: CalendarWarning[] } {
  if (limit.unit === 'months' || limit.unit === 'years') {
    const day = shanghaiDate(start);
    const end =
      limit.unit === 'months' ? addMonths(day, limit.amount) : addYears(day, limit.amount);
    return { due: endOfShanghaiDay(end), warnings: [] };
  }
  return computeDue(start, { amount: limit.amount, unit: limit.unit }, calendar);
}
