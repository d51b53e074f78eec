/**
 * CSV for reports and ledgers: RFC 4180 quoting, CRLF line ends, and a UTF-8 byte-order mark so
 * Excel on a Chinese Windows opens it as UTF-8 rather than GBK.
 *
 * Formula injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
 * would run as a formula when opened in a spreadsheet (a name typed as `=HYPERLINK(...)`), so it
 * is written with a leading `'`. Numbers are written as numbers.
 */
import type { Cell } from './xlsx-write.js';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
const BOM = '\ufeff';

export function toCsv(headers: string[], rows: Cell[][]): string {
  const lines = [headers.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return BOM + lines.join('\r\n') + '\r\n';
}

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
