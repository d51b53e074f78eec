export * from './errors.js';
export * from './warnings.js';
export {
  WorkingDayCalendar,
  MAX_WORKING_DAYS,
  type CalendarOptions,
  type CalendarOverride,
  type Coverage,
  type DayInfo,
  type TimeLimitUnit,
} from './working-day-calendar.js';
export {
  statutoryHolidays,
  HOLIDAY_MEASURES,
  type HolidayMeasures,
  type StatutoryDay,
} from './statutory-holidays.js';
export { computeDue, endOfShanghaiDay, type TimeLimit } from './due.js';
export {
  CN_HOLIDAY_NOTICES,
  COVERED_YEARS,
  type Festival,
  type HolidayNotice,
  type HolidayPeriod,
} from './cn-holiday-notices.js';
