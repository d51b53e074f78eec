/**
 * Social security numbers (社会保障号码). HN-5 takes the citizen number as the SSN and, for
 * everyone else, a number "按照全国统一规则编制"; that national rule is not available offline, so
 * the platform documents its own below. Numbers that already fit (citizen numbers, HMT residence
 * permits, 2023 PR IDs) are used as they are; see `ParsedIdDocument.ssn`.
 */
import { DomainError } from '../errors/domain-error.js';
import { isLocalDate, type LocalDate } from '../time/local-date.js';
import { parseCitizenNumber, parseHmtPermitNumber, HMT_PREFIXES } from './citizen.js';
import { countryByAlpha3, countryByNumeric } from './countries.js';
import type { Sex } from './document-types.js';
import { parsePermanentResidenceNumber } from './foreign-permanent-residence.js';
import { mod11_2CheckChar } from './mod11-2.js';
import {
  EARLIEST_BIRTH_YEAR,
  SHAPE_18,
  birthDateAt,
  formatError,
  normaliseCheckX,
  requireCheckChar,
  sexFromDigit,
} from './number-parts.js';

export const SSN_SEQUENCE_MIN = 1;
export const SSN_SEQUENCE_MAX = 499;

/** The `9` + `00` prefix of platform-assigned numbers. */
export const PLATFORM_SSN_PREFIX = '900';

export interface AssignSsnInput {
  /** ISO 3166-1 alpha-3; `HKG`, `MAC`, `TWN` for compatriots without a residence permit. */
  nationality: string;
  birthDate: LocalDate;
  sex: Sex;
  /** 1..499: the n-th number given to people of this nationality, birth date and sex. */
  sequence: number;
}

/**
 * The platform rule for people without an 18-digit number (passport, HK/Macao or Taiwan travel
 * permit, old-format PR ID): an 18-character number shaped like the 2023 PR ID, so every system
 * that accepts those accepts it too, and built so that it can never equal a real number.
 *
 *   9 | 00 | NNN | YYYYMMDD | SSS | C
 *
 * - `9`: the foreigner marker of the 2023 PR ID; citizen numbers and HMT permits start with 1–8.
 * - `00`: a province code that is never issued (GB/T 2260 provinces are 11–65), so no real PR ID
 *   can match.
 * - `NNN`: ISO 3166-1 numeric code of the nationality (Hong Kong 344, Macao 446, Taiwan 158 for
 *   compatriots without a residence permit; 156 for a Chinese citizen with no citizen number,
 *   such as an overseas Chinese holding only a passport).
 * - `YYYYMMDD`: birth date.
 * - `SSS`: 2·sequence − 1 for men (odd: 001…997), 2·sequence for women (even: 002…998), so each
 *   sequence number maps to exactly one code of the right parity, as in GB 11643.
 * - `C`: ISO 7064 MOD 11-2 check character, as in GB 11643.
 *
 * The caller picks the lowest sequence not yet used for the same nationality, birth date and sex
 * (a uniqueness constraint in storage); 499 people per combination is the ceiling.
 */
export function assignSsn(input: AssignSsnInput): string {
  const country = countryByAlpha3(input.nationality);
  if (!country) {
    throw new DomainError('SSN_NATIONALITY_UNKNOWN', {
      nationality: String(input.nationality).slice(0, 10),
    });
  }
  if (!isLocalDate(input.birthDate) || Number(input.birthDate.slice(0, 4)) < EARLIEST_BIRTH_YEAR) {
    throw new DomainError('SSN_BIRTH_DATE_INVALID');
  }
  if (input.sex !== 'male' && input.sex !== 'female')
    throw new RangeError('sex must be male or female');
  const { sequence } = input;
  if (!Number.isInteger(sequence) || sequence < SSN_SEQUENCE_MIN || sequence > SSN_SEQUENCE_MAX) {
    throw new DomainError('SSN_SEQUENCE_OUT_OF_RANGE', {
      min: SSN_SEQUENCE_MIN,
      max: SSN_SEQUENCE_MAX,
    });
  }
  const code = input.sex === 'male' ? 2 * sequence - 1 : 2 * sequence;
  const body =
    PLATFORM_SSN_PREFIX +
    country.numeric +
    input.birthDate.replaceAll('-', '') +
    String(code).padStart(3, '0');
  return body + mod11_2CheckChar(body);
}

export type SsnOrigin =
  'citizen' | 'hmt_residence_permit' | 'foreign_permanent_residence' | 'platform_assigned';

export interface ParsedSsn {
  ssn: string;
  origin: SsnOrigin;
  birthDate: LocalDate;
  sex: Sex;
  /** Alpha-3, for PR IDs and platform-assigned numbers. */
  nationality?: string;
  /** 6-digit address code (citizen, HMT) or 2-digit province (PR). */
  regionCode?: string;
}

/**
 * Validates an 18-character social security number of any origin and reads it. Same input rule
 * as `parseIdDocument`: only a lower-case `x` is normalised.
 */
export function parseSsn(raw: string, today: LocalDate): ParsedSsn {
  const ssn = normaliseCheckX(raw);
  if (!SHAPE_18.test(ssn)) {
    throw formatError(
      'ID_NUMBER_FORMAT',
      'resident_id',
      {
        zh: '18位（前17位为数字，末位为数字或X）',
        en: '18 characters (17 digits, then a digit or X)',
      },
      raw,
    );
  }
  if (ssn.startsWith(PLATFORM_SSN_PREFIX)) {
    const country = countryByNumeric(ssn.slice(3, 6));
    if (!country) throw new DomainError('ID_NUMBER_NATIONALITY', { code: ssn.slice(3, 6) });
    const birthDate = birthDateAt(ssn, 6, today);
    requireCheckChar(ssn);
    const sex = sexFromDigit(ssn[16]!);
    return { ssn, origin: 'platform_assigned', birthDate, sex, nationality: country.alpha3 };
  }
  const doc = ssn.startsWith('9')
    ? parsePermanentResidenceNumber(ssn, today)
    : Object.hasOwn(HMT_PREFIXES, ssn.slice(0, 6))
      ? parseHmtPermitNumber(ssn, today)
      : parseCitizenNumber('resident_id', ssn, today);
  const origin: SsnOrigin = doc.type === 'resident_id' ? 'citizen' : (doc.type as SsnOrigin);
  return {
    ssn,
    origin,
    birthDate: doc.birthDate!,
    sex: doc.sex!,
    ...(doc.nationality ? { nationality: doc.nationality } : {}),
    ...(doc.regionCode ? { regionCode: doc.regionCode } : {}),
  };
}
