import type { Bilingual } from '../errors/entry.js';

/** The identity documents a person can apply with; the ids are stored and never renamed. */
export const ID_DOCUMENT_TYPE_IDS = [
  'resident_id', // 居民身份证
  'household_register', // 居民户口簿
  'hmt_residence_permit', // 港澳台居民居住证
  'foreign_permanent_residence', // 外国人永久居留身份证
  'passport', // 护照
  'hk_macau_travel_permit', // 港澳居民来往内地通行证
  'tw_travel_permit', // 台湾居民来往大陆通行证
] as const;
export type IdDocumentType = (typeof ID_DOCUMENT_TYPE_IDS)[number];

export type Sex = 'male' | 'female';

export interface IdDocumentTypeInfo {
  id: IdDocumentType;
  label: Bilingual;
}

export const ID_DOCUMENT_TYPES: readonly IdDocumentTypeInfo[] = [
  { id: 'resident_id', label: { zh: '居民身份证', en: 'Resident identity card' } },
  // Children under 16 often have no card yet; the register carries the same citizen number.
  { id: 'household_register', label: { zh: '居民户口簿', en: 'Household register' } },
  {
    id: 'hmt_residence_permit',
    label: {
      zh: '港澳台居民居住证',
      en: 'Residence permit for Hong Kong, Macao and Taiwan residents',
    },
  },
  {
    id: 'foreign_permanent_residence',
    label: { zh: '外国人永久居留身份证', en: 'Foreign permanent resident ID card' },
  },
  { id: 'passport', label: { zh: '护照', en: 'Passport' } },
  {
    id: 'hk_macau_travel_permit',
    label: {
      zh: '港澳居民来往内地通行证',
      en: 'Mainland travel permit for Hong Kong and Macao residents',
    },
  },
  {
    id: 'tw_travel_permit',
    label: { zh: '台湾居民来往大陆通行证', en: 'Mainland travel permit for Taiwan residents' },
  },
];

const BY_ID = new Map(ID_DOCUMENT_TYPES.map((t) => [t.id, t]));

export function isIdDocumentType(value: string): value is IdDocumentType {
  return BY_ID.has(value as IdDocumentType);
}

export function idDocumentLabel(type: IdDocumentType): Bilingual {
  const info = BY_ID.get(type);
  if (!info) throw new RangeError(`unknown document type: ${type}`);
  return info.label;
}
