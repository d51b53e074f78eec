import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import {
  destructionCardNumbers,
  filedLate,
  lastDayOfMonth,
  ledgerOverdue,
  monthlyLedgerDue,
  parseLedgerDay,
  parseLedgerMonth,
} from './ledgers.js';

const calendar = new WorkingDayCalendar();

describe('ledgers (FZ-27)', () => {
  it('knows the last day of a month', () => {
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2028-02')).toBe('2028-02-29');
    expect(lastDayOfMonth('2026-12')).toBe('2026-12-31');
  });

  it('is due the working day before month end, by the statutory calendar', () => {
    // 30 Nov 2026 is a Monday: Friday the 27th.
    expect(monthlyLedgerDue('2026-11', calendar).dueOn).toBe('2026-11-27');
    // 31 May 2026 is a Sunday, the 30th a Saturday: Friday the 29th.
    expect(monthlyLedgerDue('2026-05', calendar).dueOn).toBe('2026-05-29');
    // 30 Sep 2026 is a Wednesday: the 29th.
    expect(monthlyLedgerDue('2026-09', calendar).dueOn).toBe('2026-09-29');
    // 28 Feb 2026 is the month's last day: the working day before it is Friday the 27th.
    expect(monthlyLedgerDue('2026-02', calendar).dueOn).toBe('2026-02-27');
  });

  it('flags late filings and overdue ledgers after the due day only', () => {
    expect(filedLate('2026-11-27', '2026-11-27')).toBe(false);
    expect(filedLate('2026-11-27', '2026-11-28')).toBe(true);
    expect(filedLate(null, '2030-01-01')).toBe(false);
    expect(ledgerOverdue('2026-11-27', false, '2026-11-27')).toBe(false);
    expect(ledgerOverdue('2026-11-27', false, '2026-11-30')).toBe(true);
    expect(ledgerOverdue('2026-11-27', true, '2026-11-30')).toBe(false);
  });

  it('checks periods and card numbers', () => {
    expect(parseLedgerMonth('2026-11', '2026-11-30')).toBe('2026-11');
    expect(() => parseLedgerMonth('2026-12', '2026-11-30')).toThrow();
    expect(() => parseLedgerMonth('2026-13', '2027-11-30')).toThrow();
    expect(() => parseLedgerMonth('0000-01', '2027-11-30')).toThrow();
    expect(parseLedgerDay('2026-11-30', '2026-11-30')).toBe('2026-11-30');
    expect(() => parseLedgerDay('2026-12-01', '2026-11-30')).toThrow();
    expect(destructionCardNumbers([' A1234 ', 'W0001'])).toEqual(['A1234', 'W0001']);
    expect(() => destructionCardNumbers([])).toThrow();
    expect(() => destructionCardNumbers(['A1234', 'A1234'])).toThrow();
    expect(() => destructionCardNumbers(['=cmd|x'])).toThrow();
  });
});
