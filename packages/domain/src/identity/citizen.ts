/**
 * Citizen numbers (GB 11643-1999) on resident ID cards and household registers, their 15-digit
 * predecessors, and the HMT residence permit numbers built the same way.
 * Order of checks: shape, then region, birth date, and last the check character, so that a typo
 * in the birth block is reported where it is rather than as a bare checksum failure.
 */
import { DomainError } from '../errors/domain-error.js';
import type { LocalDate } from '../time/local-date.js';
import type { IdDocumentType } from './document-types.js';
import { mod11_2CheckChar } from './mod11-2.js';
import {
  SHAPE_18,
  birthDateAt,
  documentParams,
  formatError,
  normaliseCheckX,
  requireCheckChar,
  sexFromDigit,
} from './number-parts.js';
import type { ParsedIdDocument } from './parsed.js';
import { isProvinceCode } from './provinces.js';

const CITIZEN_SHAPE = {
  zh: '18位（前17位为数字，末位为数字或X）或15位数字',
  en: '18 characters (17 digits, then a digit or X) or 15 digits',
};
const HMT_SHAPE = {
  zh: '18位（前17位为数字，末位为数字或X），以810000、820000或830000开头',
  en: '18 characters (17 digits, then a digit or X) starting with 810000, 820000 or 830000',
};

/** Residence permits for Hong Kong, Macao and Taiwan residents use these fixed address codes. */
export const HMT_PREFIXES: Readonly<Record<string, string>> = {
  '810000': 'HKG',
  '820000': 'MAC',
  '830000': 'TWN',
};

export function parseCitizenNumber(
  type: 'resident_id' | 'household_register',
  raw: string,
  today: LocalDate,
): ParsedIdDocument {
  if (raw.length === 15) {
    const number = checkLegacy(type, raw);
    return {
      type,
      number,
      upgradedFrom15: true,
      birthDate: birthDateAt(number, 6, today),
      sex: sexFromDigit(raw[14]!),
      regionCode: number.slice(0, 6),
      ssn: number,
    };
  }
  const number = normaliseCheckX(raw);
  if (!SHAPE_18.test(number)) throw formatError('ID_NUMBER_FORMAT', type, CITIZEN_SHAPE, raw);
  requireProvince(type, number);
  const birthDate = birthDateAt(number, 6, today);
  requireCheckChar(number);
  return {
    type,
    number,
    birthDate,
    sex: sexFromDigit(number[16]!),
    regionCode: number.slice(0, 6),
    ssn: number,
  };
}

export function parseHmtPermitNumber(raw: string, today: LocalDate): ParsedIdDocument {
  const type = 'hmt_residence_permit';
  const number = normaliseCheckX(raw);
  if (!SHAPE_18.test(number)) throw formatError('ID_NUMBER_FORMAT', type, HMT_SHAPE, raw);
  const prefix = number.slice(0, 6);
  if (!Object.hasOwn(HMT_PREFIXES, prefix)) {
    throw new DomainError('ID_NUMBER_REGION', { code: prefix, ...documentParams(type) });
  }
  const birthDate = birthDateAt(number, 6, today);
  requireCheckChar(number);
  return {
    type,
    number,
    birthDate,
    sex: sexFromDigit(number[16]!),
    regionCode: prefix,
    ssn: number,
  };
}

/**
 * A pre-1999 number: 6-digit address code, `YYMMDD` born in 19xx, 3-digit sequence, no check
 * character. The 18-digit form inserts `19` before the year and appends the MOD 11-2 character;
 * GB 11643-1999 made that the person's number, so the upgraded form is the one we store.
 */
export function upgradeLegacyId(id15: string): string {
  return checkLegacy('resident_id', id15);
}

function checkLegacy(type: IdDocumentType, id15: string): string {
  if (!/^\d{15}$/.test(id15)) throw formatError('ID_NUMBER_FORMAT', type, CITIZEN_SHAPE, id15);
  requireProvince(type, id15);
  // Every 19xx date is in the past, so only reality of the date needs checking here.
  birthDateAt(id15, 6, '9999-12-31', '19');
  const body = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return body + mod11_2CheckChar(body);
}

function requireProvince(type: IdDocumentType, number: string): void {
  const province = number.slice(0, 2);
  if (!isProvinceCode(province)) {
    throw new DomainError('ID_NUMBER_REGION', { code: province, ...documentParams(type) });
  }
}
