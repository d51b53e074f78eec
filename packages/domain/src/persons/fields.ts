/**
 * Checks for the person registry's free-text fields. Each refuses with a clear code rather than
 * quietly fixing the input: a name typed with the wrong dot is refused with the right dot named.
 */
import { DomainError } from '../errors/domain-error.js';

// Han ideographs: the URO block, extension A, and the supplementary extensions (rare characters
// in personal names are in extension B and later; 《通用规范汉字表》 draws on them).
const HAN = '\\u{3400}-\\u{4DBF}\\u{4E00}-\\u{9FFF}\\u{F900}-\\u{FAFF}\\u{20000}-\\u{3134F}';
const CHINESE_NAME = new RegExp(`^[${HAN}]+(?:·[${HAN}]+)*$`, 'u');
// Latin names as printed on passports: letters (with diacritics), single spaces, hyphens, apostrophes, commas.
const LATIN_NAME = /^[\p{Script=Latin}]+(?:[ ,'-][\p{Script=Latin}]+)*$/u;
const WRONG_DOTS = ['•', '・', '．', '‧', '･', '.', '∙', '⋅'];

export type NameScript = 'han' | 'latin';

/** Validates a name; returns which script it is written in. */
export function checkName(name: string, allowLatin: boolean): NameScript {
  const chars = [...name];
  if (chars.length === 0 || chars.length > 60) {
    throw new DomainError('PERSON_NAME_INVALID', { hint: '1–60' });
  }
  if (name !== name.trim() || /\s{2,}|[\t\n\r\u3000]/.test(name)) {
    throw new DomainError('PERSON_NAME_INVALID', { hint: 'whitespace' });
  }
  if (CHINESE_NAME.test(name)) return 'han';
  if (allowLatin && LATIN_NAME.test(name)) return 'latin';
  const dot = WRONG_DOTS.find((d) => name.includes(d));
  const hasHan = new RegExp(`[${HAN}]`, 'u').test(name);
  if (dot && hasHan) throw new DomainError('PERSON_NAME_DOT', { found: dot });
  throw new DomainError('PERSON_NAME_INVALID', { hint: '' });
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-\d{7,8}$/;

export function checkPhone(phone: string): void {
  if (!MOBILE.test(phone) && !LANDLINE.test(phone)) throw new DomainError('PHONE_INVALID');
}

export function checkPostcode(postcode: string): void {
  if (!/^\d{6}$/.test(postcode)) throw new DomainError('POSTCODE_INVALID');
}

export const MEDICAL_INSURANCE_TYPES = ['employee', 'resident', 'other'] as const; // 职工医保、城乡居民医保、其他
export type MedicalInsuranceType = (typeof MEDICAL_INSURANCE_TYPES)[number];

export const HARDSHIP_STATUSES = ['none', 'tekun', 'dibao'] as const; // 无、特困人员、低保对象
export type HardshipStatus = (typeof HARDSHIP_STATUSES)[number];
