/**
 * Calendar dates and instants. Instants are `Date` (UTC inside); calendar days are ISO strings
 * `YYYY-MM-DD` in China Standard Time (Asia/Shanghai, UTC+8, no daylight saving since 1991).
 * Because CST has a fixed offset, the arithmetic is plain and needs no time-zone database.
 */
export type LocalDate = string;

const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real calendar date written `YYYY-MM-DD`. */
export function isLocalDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [, y, mo, d] = m.map(Number) as [number, number, number, number];
  return isRealDate(y, mo, d);
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const dt = new Date(Date.UTC(year, month - 1, day));
  return dt.getUTCFullYear() === year && dt.getUTCMonth() === month - 1 && dt.getUTCDate() === day;
}

/** The calendar day in Shanghai at this instant. */
export function shanghaiDate(instant: Date): LocalDate {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant at which this Shanghai calendar day begins (00:00 CST). */
export function startOfShanghaiDay(date: LocalDate): Date {
  return new Date(parseUtcMidnight(date) - OFFSET_MS);
}

/** ISO 8601 with the +08:00 offset, for showing instants to people in China. */
export function formatShanghai(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().replace('Z', '+08:00');
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(parseUtcMidnight(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((parseUtcMidnight(b) - parseUtcMidnight(a)) / DAY_MS);
}

/** 1 = Monday … 7 = Sunday (ISO weekday). */
export function isoWeekday(date: LocalDate): number {
  const d = new Date(parseUtcMidnight(date)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Same day `months` later; the 31st becomes the last day of a shorter month. */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

export function addYears(date: LocalDate, years: number): LocalDate {
  return addMonths(date, years * 12);
}

/** Completed years of age on `on` for someone born on `birthDate` (a 29 February birthday counts on 1 March). */
export function ageOn(birthDate: LocalDate, on: LocalDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

function parseUtcMidnight(date: LocalDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}
