import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  ageOn,
  daysBetween,
  formatShanghai,
  isLocalDate,
  isoWeekday,
  shanghaiDate,
  startOfShanghaiDay,
} from './local-date.js';

describe('local dates in China Standard Time', () => {
  it('reads the Shanghai calendar day of an instant', () => {
    expect(shanghaiDate(new Date('2026-04-30T16:00:00Z'))).toBe('2026-05-01');
    expect(shanghaiDate(new Date('2026-04-30T15:59:59Z'))).toBe('2026-04-30');
    expect(startOfShanghaiDay('2026-05-01').toISOString()).toBe('2026-04-30T16:00:00.000Z');
    expect(formatShanghai(new Date('2026-05-01T01:00:00Z'))).toBe('2026-05-01T09:00:00.000+08:00');
  });

  it('checks real dates', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2023-13-01')).toBe(false);
    expect(isLocalDate('2023-1-01')).toBe(false);
  });

  it('does day, month and age arithmetic', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(daysBetween('2026-01-01', '2026-03-01')).toBe(59);
    expect(isoWeekday('2026-11-25')).toBe(3);
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(ageOn('2010-06-15', '2026-06-14')).toBe(15);
    expect(ageOn('2010-06-15', '2026-06-15')).toBe(16);
  });
});
