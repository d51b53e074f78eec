import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { formatShanghai } from '../time/local-date.js';
import { computeDue, endOfShanghaiDay } from './due.js';
import { WorkingDayCalendar } from './working-day-calendar.js';

const cal = new WorkingDayCalendar();
const at = (iso: string): Date => new Date(iso);
const due = (start: string, amount: number, unit: 'minutes' | 'days' | 'working_days') =>
  computeDue(at(start), { amount, unit }, cal);

describe('computeDue', () => {
  it('adds minutes to the instant, holidays or not', () => {
    const r = due('2026-10-01T10:00:00+08:00', 90, 'minutes');
    expect(formatShanghai(r.due)).toBe('2026-10-01T11:30:00.000+08:00');
    expect(r.warnings).toEqual([]);
  });

  it('counts calendar days from the Shanghai day, ending at 23:59:59.999', () => {
    expect(formatShanghai(due('2026-05-01T10:00:00+08:00', 3, 'days').due)).toBe(
      '2026-05-04T23:59:59.999+08:00',
    );
    // 00:30 on 1 May in Shanghai is still 30 April in UTC: the Shanghai day decides.
    expect(formatShanghai(due('2026-04-30T16:30:00Z', 3, 'days').due)).toBe(
      '2026-05-04T23:59:59.999+08:00',
    );
    expect(formatShanghai(due('2026-05-01T10:00:00+08:00', 0, 'days').due)).toBe(
      '2026-05-01T23:59:59.999+08:00',
    );
  });

  it('counts working days with the calendar, ending at the end of that working day', () => {
    const r = due('2026-09-30T09:00:00+08:00', 1, 'working_days');
    expect(formatShanghai(r.due)).toBe('2026-10-08T23:59:59.999+08:00');
    expect(r.due.toISOString()).toBe('2026-10-08T15:59:59.999Z');
    expect(formatShanghai(due('2025-09-15T16:00:00+08:00', 30, 'working_days').due)).toBe(
      '2025-10-31T23:59:59.999+08:00',
    );
  });

  it('passes the fallback warning on', () => {
    const r = due('2026-12-30T09:00:00+08:00', 5, 'working_days');
    // 1 January 2027 is New Year by the measures, even without the 2027 notice.
    expect(formatShanghai(r.due)).toBe('2027-01-07T23:59:59.999+08:00');
    expect(r.warnings).toEqual([{ code: 'CALENDAR_FALLBACK', year: 2027 }]);
  });

  it('refuses bad amounts and instants', () => {
    for (const amount of [-1, 0.5, Number.POSITIVE_INFINITY]) {
      for (const unit of ['minutes', 'days', 'working_days'] as const) {
        expect(() => due('2026-05-01T10:00:00+08:00', amount, unit)).toThrow(DomainError);
      }
    }
    expect(() => computeDue(new Date(Number.NaN), { amount: 1, unit: 'days' }, cal)).toThrow(
      RangeError,
    );
  });

  it('ends a Shanghai day one millisecond before the next begins', () => {
    expect(endOfShanghaiDay('2026-12-31').toISOString()).toBe('2026-12-31T15:59:59.999Z');
  });
});
