/**
 * Dates, times and money as people read them here. The API gives instants in Asia/Shanghai
 * (`2026-05-01T09:00:00.000+08:00`); they are shown as Shanghai time whatever the browser's own
 * time zone, by reading the fields rather than converting. Money is in fen, shown as yuan.
 */
import { currentLanguage } from '../i18n';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/;

export function formatDateTime(value: string | null | undefined, seconds = false): string {
  if (!value) return '—';
  const m = INSTANT.exec(value);
  if (!m) return value;
  const [, y, mo, d, h, mi, s] = m;
  const time = h ? ` ${h}:${mi}${seconds && s ? `:${s}` : ''}` : '';
  if (currentLanguage() === 'en') return `${y}-${mo}-${d}${time}`;
  return `${y}年${Number(mo)}月${Number(d)}日${time}`;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const m = INSTANT.exec(value);
  if (!m) return value; // masked dates such as 1990-**-**
  const [, y, mo, d] = m;
  return currentLanguage() === 'en' ? `${y}-${mo}-${d}` : `${y}年${Number(mo)}月${Number(d)}日`;
}

const yuan = {
  'zh-CN': new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' }),
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'CNY' }),
};

export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  return yuan[currentLanguage()].format(fen / 100);
}

/** Whole years between a birth date (YYYY-MM-DD) and a day. */
export function ageOn(birthDate: string, on: string): number | null {
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const d = /^(\d{4})-(\d{2})-(\d{2})/.exec(on);
  if (!b || !d) return null;
  let age = Number(d[1]) - Number(b[1]);
  if (d[2]! + d[3]! < b[2]! + b[3]!) age -= 1;
  return age;
}

/** The Shanghai calendar day of an instant string, YYYY-MM-DD. */
export function dayOf(instant: string): string {
  return instant.slice(0, 10);
}

/** Birth date from an 18-digit resident ID number (GB 11643), for the form's hints only. */
export function birthDateFromId(id: string): string | null {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dXx]$/.exec(id.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}
