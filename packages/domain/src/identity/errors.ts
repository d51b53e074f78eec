import { defineErrors } from '../errors/entry.js';

/**
 * Error codes of the identity module. No message or parameter ever carries the number itself:
 * logs must never contain identity numbers. Positions, expected check characters, lengths and
 * the two-digit province or three-character nationality code are fine.
 */
export const identityErrors = defineErrors({
  ID_DOCUMENT_TYPE_UNKNOWN: {
    kind: 'invalid',
    title: { zh: '不支持的证件类型', en: 'Unknown identity document type' },
    detail: {
      zh: '证件类型“{type}”不在支持的范围内。',
      en: 'Document type "{type}" is not supported.',
    },
  },
  ID_NUMBER_WHITESPACE: {
    kind: 'invalid',
    title: { zh: '证件号码含有空白字符', en: 'Document number contains white space' },
    detail: {
      zh: '证件号码中含有空格、换行或其他空白字符，请删除后重新填写。',
      en: 'The document number contains spaces, line breaks or other white space; remove them and try again.',
    },
  },
  ID_NUMBER_FORMAT: {
    kind: 'invalid',
    title: { zh: '证件号码格式不正确', en: 'Malformed document number' },
    detail: {
      zh: '{documentZh}号码应为{expectedZh}；所填号码共{length}位。',
      en: 'A {documentEn} number must be {expectedEn}; the number given has {length} characters.',
    },
  },
  ID_NUMBER_REGION: {
    kind: 'invalid',
    title: { zh: '证件号码的行政区划代码无效', en: 'Invalid division code in the number' },
    detail: {
      zh: '号码中的行政区划代码“{code}”对{documentZh}无效。',
      en: 'The division code "{code}" in the number is not valid for a {documentEn}.',
    },
  },
  ID_NUMBER_NATIONALITY: {
    kind: 'invalid',
    title: { zh: '证件号码的国籍代码无效', en: 'Invalid nationality code in the number' },
    detail: {
      zh: '号码中的国籍代码“{code}”不是 ISO 3166-1 中的国家或地区代码。',
      en: 'The nationality code "{code}" in the number is not an ISO 3166-1 country or region.',
    },
  },
  ID_NUMBER_BIRTH_DATE: {
    kind: 'invalid',
    title: { zh: '证件号码的出生日期无效', en: 'Invalid birth date in the number' },
    detail: {
      zh: '号码第{from}至{to}位的出生日期不是真实存在的日期，或早于1900年1月1日。',
      en: 'The birth date in characters {from} to {to} of the number is not a real date, or is before 1 January 1900.',
    },
  },
  ID_NUMBER_BIRTH_FUTURE: {
    kind: 'invalid',
    title: { zh: '证件号码的出生日期晚于今天', en: 'Birth date in the number is in the future' },
    detail: {
      zh: '号码中的出生日期晚于今天（{today}）。',
      en: 'The birth date in the number is after today ({today}).',
    },
  },
  ID_NUMBER_CHECKSUM: {
    kind: 'invalid',
    title: { zh: '证件号码校验码不正确', en: 'Check character does not match' },
    detail: {
      zh: '第18位校验码应为“{expected}”，号码可能填写有误，请逐位核对。',
      en: 'The 18th character should be "{expected}"; the number is probably mistyped, check it digit by digit.',
    },
  },
  ID_DOCUMENT_MISMATCH: {
    kind: 'invalid',
    title: { zh: '号码与证件类型不符', en: 'Number does not match the document type' },
    detail: {
      zh: '所选证件类型为“{typeZh}”，但该号码是{detectedZh}号码。',
      en: 'The document type chosen is {typeEn}, but the number is a {detectedEn} number.',
    },
  },
  DOCUMENT_NUMBER_FORMAT: {
    kind: 'invalid',
    title: { zh: '证件号码格式不正确', en: 'Malformed document number' },
    detail: {
      zh: '{documentZh}号码应为{expectedZh}；所填号码共{length}位。',
      en: 'A {documentEn} number must be {expectedEn}; the number given has {length} characters.',
    },
  },
  SSN_NATIONALITY_UNKNOWN: {
    kind: 'invalid',
    title: { zh: '国籍代码无效', en: 'Unknown nationality' },
    detail: {
      zh: '“{nationality}”不是 ISO 3166-1 三位字母国家或地区代码。',
      en: '"{nationality}" is not an ISO 3166-1 alpha-3 country or region code.',
    },
  },
  SSN_BIRTH_DATE_INVALID: {
    kind: 'invalid',
    title: { zh: '出生日期无效', en: 'Invalid birth date' },
    detail: {
      zh: '出生日期须为1900年1月1日或以后的真实日期。',
      en: 'The birth date must be a real date on or after 1 January 1900.',
    },
  },
  SSN_SEQUENCE_OUT_OF_RANGE: {
    kind: 'invalid',
    title: { zh: '顺序号超出范围', en: 'Sequence number out of range' },
    detail: {
      zh: '顺序号须为{min}至{max}之间的整数。',
      en: 'The sequence number must be a whole number from {min} to {max}.',
    },
  },
});
