/**
 * Foreign permanent resident ID numbers (外国人永久居留身份证).
 *
 * 2023 format (issued from 1 December 2023; National Immigration Administration, 新版外国人永久居留
 * 身份证机读信息规则 2023版): 18 characters modelled on GB 11643. Position 1 is `9` (citizen numbers
 * start 1–8), 2–3 the province where it was issued, 4–6 the ISO 3166-1 numeric code of the
 * nationality, 7–14 the birth date, 15–17 a sequence whose last digit is odd for men and even for
 * women, 18 the MOD 11-2 check character, computed as for citizen numbers.
 *
 * Old format (2004–2023, still valid until expiry): 15 characters, 3 Latin capital letters for
 * the nationality (ISO 3166-1 alpha-3) then 12 digits. The published description stops there:
 * what the 12 digits encode and whether one of them is a check digit is not in any official text
 * we could find, and the third-party libraries that claim a layout contradict each other. So we
 * check only the structure and that the letters are an ISO alpha-3 code; we verify no check
 * digit and derive no birth date or sex (a `YYMMDD` block, if there is one, would not tell the
 * century anyway). Such holders get a platform number from `assignSsn`.
 */
import { DomainError } from '../errors/domain-error.js';
import type { LocalDate } from '../time/local-date.js';
import { countryByAlpha3, countryByNumeric } from './countries.js';
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

const TYPE = 'foreign_permanent_residence';
const PR_SHAPE = {
  zh: '以9开头的18位（前17位为数字，末位为数字或X），或旧版15位（3位大写字母加12位数字）',
  en: '18 characters starting with 9 (17 digits, then a digit or X), or the old 15-character form (3 capital letters, then 12 digits)',
};

export function parsePermanentResidenceNumber(raw: string, today: LocalDate): ParsedIdDocument {
  if (raw.length === 15) return parseOldFormat(raw);
  const number = normaliseCheckX(raw);
  if (!SHAPE_18.test(number) || number[0] !== '9') {
    throw formatError('ID_NUMBER_FORMAT', TYPE, PR_SHAPE, raw);
  }
  const province = number.slice(1, 3);
  if (!isProvinceCode(province)) {
    throw new DomainError('ID_NUMBER_REGION', { code: province, ...documentParams(TYPE) });
  }
  const country = countryByNumeric(number.slice(3, 6));
  if (!country) throw new DomainError('ID_NUMBER_NATIONALITY', { code: number.slice(3, 6) });
  const birthDate = birthDateAt(number, 6, today);
  requireCheckChar(number);
  return {
    type: TYPE,
    number,
    birthDate,
    sex: sexFromDigit(number[16]!),
    regionCode: province,
    nationality: country.alpha3,
    ssn: number,
  };
}

function parseOldFormat(raw: string): ParsedIdDocument {
  if (!/^[A-Z]{3}\d{12}$/.test(raw)) throw formatError('ID_NUMBER_FORMAT', TYPE, PR_SHAPE, raw);
  const country = countryByAlpha3(raw.slice(0, 3));
  if (!country) throw new DomainError('ID_NUMBER_NATIONALITY', { code: raw.slice(0, 3) });
  return { type: TYPE, number: raw, nationality: country.alpha3 };
}
