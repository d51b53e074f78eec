/**
 * Checks shared by every number built on GB 11643: the birth-date block, the sequence's sex
 * digit and the MOD 11-2 check character. Errors carry positions and expectations, never the
 * number itself.
 */
import type { Bilingual } from '../errors/entry.js';
import { DomainError } from '../errors/domain-error.js';
import { isRealDate, type LocalDate } from '../time/local-date.js';
import { idDocumentLabel, type IdDocumentType, type Sex } from './document-types.js';
import { mod11_2CheckChar } from './mod11-2.js';

/** Nobody alive was born earlier; a 18xx date is a typo. */
export const EARLIEST_BIRTH_YEAR = 1900;

/** 17 digits then a digit or `X`, the shape of every 18-character number here. */
export const SHAPE_18 = /^\d{17}[\dX]$/;

/** The one normalisation the specification allows: a lower-case check character `x`. */
export function normaliseCheckX(raw: string): string {
  return raw.length === 18 && raw[17] === 'x' ? `${raw.slice(0, 17)}X` : raw;
}

export function documentParams(type: IdDocumentType): { documentZh: string; documentEn: string } {
  const label = idDocumentLabel(type);
  return { documentZh: label.zh, documentEn: label.en };
}

export function formatError(
  code: 'ID_NUMBER_FORMAT' | 'DOCUMENT_NUMBER_FORMAT',
  type: IdDocumentType,
  expected: Bilingual,
  raw: string,
): DomainError {
  return new DomainError(code, {
    ...documentParams(type),
    expectedZh: expected.zh,
    expectedEn: expected.en,
    length: raw.length,
  });
}

/**
 * Reads `YYYYMMDD` (or `YYMMDD` with a century) at 0-based `start`. `from` and `to` in the error
 * are 1-based character positions, as officers count them on the card.
 */
export function birthDateAt(
  number: string,
  start: number,
  today: LocalDate,
  century?: string,
): LocalDate {
  const digits = century ? 6 : 8;
  const block = (century ?? '') + number.slice(start, start + digits);
  const year = Number(block.slice(0, 4));
  const month = Number(block.slice(4, 6));
  const day = Number(block.slice(6, 8));
  if (!isRealDate(year, month, day) || year < EARLIEST_BIRTH_YEAR) {
    throw new DomainError('ID_NUMBER_BIRTH_DATE', { from: start + 1, to: start + digits });
  }
  const date = `${block.slice(0, 4)}-${block.slice(4, 6)}-${block.slice(6, 8)}`;
  if (date > today) throw new DomainError('ID_NUMBER_BIRTH_FUTURE', { today });
  return date;
}

/** Odd sequence digit for men, even for women (GB 11643 §5.3; the 2023 PR ID copies it). */
export function sexFromDigit(digit: string): Sex {
  return Number(digit) % 2 === 1 ? 'male' : 'female';
}

export function requireCheckChar(number18: string): void {
  const expected = mod11_2CheckChar(number18.slice(0, 17));
  if (number18[17] !== expected) throw new DomainError('ID_NUMBER_CHECKSUM', { expected });
}
