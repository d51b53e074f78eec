/**
 * Card numbers (社保卡卡号). Our documented format, 15 characters:
 *
 *   DDDDDD SSSSSSSS C
 *
 * - `DDDDDD`: the division code of the issuing jurisdiction (310000 Shanghai),
 * - `SSSSSSSS`: a serial per jurisdiction, from 00000001; temporary cards (SG-19) take serials
 *   from 90000000 up, so a temporary card is recognisable by its number,
 * - `C`: ISO 7064 MOD 11-2 check character over the 14 digits (0–9 or X), the same family as the
 *   citizen number's, so a mistyped digit or two swapped neighbours are caught at the counter.
 */
import { DomainError } from '../errors/domain-error.js';

const SERIAL_DIGITS = 8;
export const TEMPORARY_SERIAL_BASE = 90_000_000;
const MAX_SERIAL = 10 ** SERIAL_DIGITS - 1;

/** ISO 7064 MOD 11-2 over a string of digits of any length. */
export function mod11_2Of(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const weight = 2 ** (digits.length - i) % 11;
    sum += Number(digits[i]) * weight;
  }
  const value = (12 - (sum % 11)) % 11;
  return value === 10 ? 'X' : String(value);
}

export function formatCardNumber(divisionCode: string, serial: number, temporary = false): string {
  const n = temporary ? TEMPORARY_SERIAL_BASE + serial : serial;
  if (
    !/^\d{6}$/.test(divisionCode) ||
    !Number.isInteger(serial) ||
    serial < 1 ||
    n > MAX_SERIAL ||
    (!temporary && n >= TEMPORARY_SERIAL_BASE)
  ) {
    throw new RangeError(`card serial out of range: ${serial}`);
  }
  const body = divisionCode + String(n).padStart(SERIAL_DIGITS, '0');
  return body + mod11_2Of(body);
}

export interface ParsedCardNumber {
  cardNo: string;
  divisionCode: string;
  serial: number;
  temporary: boolean;
}

/** Reads a card number or refuses with CARD_NUMBER_INVALID; a lowercase x is read as X. */
export function parseCardNumber(raw: string): ParsedCardNumber {
  const cardNo = raw.endsWith('x') ? `${raw.slice(0, -1)}X` : raw;
  if (!/^\d{14}[\dX]$/.test(cardNo) || mod11_2Of(cardNo.slice(0, 14)) !== cardNo[14]) {
    throw new DomainError('CARD_NUMBER_INVALID');
  }
  const serial = Number(cardNo.slice(6, 14));
  return {
    cardNo,
    divisionCode: cardNo.slice(0, 6),
    serial,
    temporary: serial >= TEMPORARY_SERIAL_BASE,
  };
}
