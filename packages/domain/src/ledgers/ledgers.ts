/**
 * Ledgers and registers of cards (FZ-27, ZS-17, FZ-36, HN-25): the fields each ledger lists, when
 * the monthly one is due, and the categories of the destruction register. Pure.
 */
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import type { CalendarWarning } from '../calendar/warnings.js';
import { DomainError } from '../errors/domain-error.js';
import { addDays, isLocalDate, type LocalDate } from '../time/local-date.js';

/** FZ-27 每日台账明细: 姓名、社会保障号码、社保卡号，银行账号、制卡时间、计划移交时间. */
export const BRANCH_DAILY_FIELDS = [
  'name',
  'ssn',
  'card_number',
  'bank_account_number',
  'produced_at',
  'planned_handover_at',
] as const;
/** FZ-27 每月台账明细: 网点名称、姓名、社会保障号码、社保卡号，银行账号、制卡时间、是否入库管理、入库时间. */
export const BANK_MONTHLY_FIELDS = [
  'outlet',
  'name',
  'ssn',
  'card_number',
  'bank_account_number',
  'produced_at',
  'stocked',
  'stocked_at',
] as const;
export type LedgerField =
  (typeof BRANCH_DAILY_FIELDS)[number] | (typeof BANK_MONTHLY_FIELDS)[number];

/** Column headers as FZ-27 words them, and in English. */
export const LEDGER_FIELD_LABELS: Record<LedgerField, { zh: string; en: string }> = {
  outlet: { zh: '网点名称', en: 'Outlet' },
  name: { zh: '姓名', en: 'Name' },
  ssn: { zh: '社会保障号码', en: 'Social security number' },
  card_number: { zh: '社保卡号', en: 'Card number' },
  bank_account_number: { zh: '银行账号', en: 'Bank account number' },
  produced_at: { zh: '制卡时间', en: 'Made at' },
  planned_handover_at: { zh: '计划移交时间', en: 'Planned handover' },
  stocked: { zh: '是否入库管理', en: 'Stocked' },
  stocked_at: { zh: '入库时间', en: 'Stocked at' },
};

export const LEDGER_KINDS = ['branch_daily', 'bank_monthly'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** What a destruction register entry destroys (FZ-36: 收回的注销卡、废卡、旧卡、未发放卡). */
export const DESTRUCTION_CATEGORIES = ['recalled', 'returned', 'waste'] as const;
export type DestructionCategory = (typeof DESTRUCTION_CATEGORIES)[number];
export const DESTRUCTION_CATEGORY_LABELS: Record<DestructionCategory, { zh: string; en: string }> =
  {
    recalled: { zh: '收回的注销卡', en: 'Recalled (cancelled) cards' },
    returned: { zh: '交回的旧卡', en: 'Returned old cards' },
    waste: { zh: '废卡、未发放卡', en: 'Waste and unissued cards' },
  };
export const MAX_DESTRUCTION_CARDS = 500;
const CARD_NO = /^[A-Za-z0-9-]{4,40}$/;

/** The card numbers of a destruction entry: trimmed, 1..500, distinct, well formed. */
export function destructionCardNumbers(input: readonly string[]): string[] {
  const cards = input.map((c) => c.trim());
  const fine =
    cards.length >= 1 &&
    cards.length <= MAX_DESTRUCTION_CARDS &&
    new Set(cards).size === cards.length &&
    cards.every((c) => CARD_NO.test(c));
  if (!fine) throw new DomainError('DESTRUCTION_CARDS_INVALID', { max: MAX_DESTRUCTION_CARDS });
  return cards;
}

/** `YYYY-MM`: a month no later than `today`'s. */
export function parseLedgerMonth(month: string, today: LocalDate): string {
  if (!/^(19|2\d)\d{2}-(0[1-9]|1[0-2])$/.test(month) || month > today.slice(0, 7))
    throw new DomainError('LEDGER_PERIOD_INVALID', {
      expected: '年月（YYYY-MM）',
      expectedEn: 'a month (YYYY-MM)',
    });
  return month;
}

/** `YYYY-MM-DD`: a day no later than `today`. */
export function parseLedgerDay(day: string, today: LocalDate): LocalDate {
  if (!isLocalDate(day) || day > today || day < '1900-01-01')
    throw new DomainError('LEDGER_PERIOD_INVALID', {
      expected: '日期（YYYY-MM-DD）',
      expectedEn: 'a date (YYYY-MM-DD)',
    });
  return day;
}

export function firstDayOfMonth(month: string): LocalDate {
  return `${month}-01`;
}

/** The last day of `YYYY-MM`. */
export function lastDayOfMonth(month: string): LocalDate {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

/**
 * FZ-27: the monthly ledger is handed in 每月月末前一个工作日, read as the last working day strictly
 * before the month's last day (November 2026: the 30th is a Monday, so Friday the 27th).
 */
export function monthlyLedgerDue(
  month: string,
  calendar: WorkingDayCalendar,
): { dueOn: LocalDate; warnings: CalendarWarning[] } {
  const { date, warnings } = calendar.lastWorkingDayBefore(lastDayOfMonth(month));
  return { dueOn: date, warnings };
}

/** Whether a filing made on `filedOn` (Shanghai date) is late for a ledger due on `dueOn`. */
export function filedLate(dueOn: LocalDate | null, filedOn: LocalDate): boolean {
  return dueOn !== null && filedOn > dueOn;
}

/** Unfiled and past its due day: what the ledger page shows as overdue. */
export function ledgerOverdue(dueOn: LocalDate | null, filed: boolean, today: LocalDate): boolean {
  return !filed && dueOn !== null && today > dueOn;
}
