/**
 * Passports and travel permits carry no birth date, sex or check character we can rely on, so
 * they are opaque: we check a sane shape and nothing else. Holders need `assignSsn`.
 *
 * - HK/Macao permit (港澳居民来往内地通行证): `H` (Hong Kong) or `M` (Macao), an 8-digit lifetime
 *   number, and on cards that print it, 2 more digits counting renewals (公安部《港澳居民来往内地
 *   通行证号码规则》, 2010). The first 9 characters identify the person across renewals.
 * - Taiwan permit (台湾居民来往大陆通行证): since 25 September 2008 an 8-digit lifetime number
 *   ("一人一号、终身不变"); the issue count moved out of the number. The older 10-character forms
 *   had 5-year validity, so none is still valid and they are refused.
 * - Passports: issuing states differ too much for more than 5–20 capital letters or digits.
 */
import { formatError } from './number-parts.js';
import type { ParsedIdDocument } from './parsed.js';

export function parsePassportNumber(raw: string): ParsedIdDocument {
  if (!/^[A-Z0-9]{5,20}$/.test(raw)) {
    throw formatError(
      'DOCUMENT_NUMBER_FORMAT',
      'passport',
      { zh: '5至20位大写字母或数字', en: '5 to 20 capital letters or digits' },
      raw,
    );
  }
  return { type: 'passport', number: raw };
}

export function parseHkMacauPermitNumber(raw: string): ParsedIdDocument {
  if (!/^[HM]\d{8}(\d{2})?$/.test(raw)) {
    throw formatError(
      'DOCUMENT_NUMBER_FORMAT',
      'hk_macau_travel_permit',
      {
        zh: 'H或M加8位数字（可再加2位换证次数）',
        en: 'H or M, then 8 digits (optionally 2 more: the renewal count)',
      },
      raw,
    );
  }
  return { type: 'hk_macau_travel_permit', number: raw };
}

export function parseTwPermitNumber(raw: string): ParsedIdDocument {
  if (!/^\d{8}$/.test(raw)) {
    throw formatError(
      'DOCUMENT_NUMBER_FORMAT',
      'tw_travel_permit',
      { zh: '8位数字', en: '8 digits' },
      raw,
    );
  }
  return { type: 'tw_travel_permit', number: raw };
}
