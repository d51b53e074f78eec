/**
 * What a person looks like in an answer. This is the one place that decides what is shown:
 * masked by default, in full only when the caller asked with a reason and holds the permission
 * (the service has audited that read before we get here).
 */
import {
  maskAddress,
  maskDate,
  maskIdNumber,
  maskName,
  maskPhone,
  formatShanghai,
} from '@sscard/domain';
import { Type, type Static } from '@sinclair/typebox';
import type { Person } from './persons.repository.js';

const Str = Type.String();
const NullableStr = Type.Union([Type.String(), Type.Null()]);

export const PersonView = Type.Object(
  {
    id: Str,
    masked: Type.Boolean({ description: 'true when personal fields are masked (the default)' }),
    ssn: Str,
    idType: Str,
    idNumber: Str,
    name: Str,
    sex: Type.String({ enum: ['male', 'female'] }),
    birthDate: Type.String({ description: 'YYYY-MM-DD, or YYYY-**-** when masked' }),
    ethnicity: NullableStr,
    nationality: Str,
    phone: NullableStr,
    householdAddress: NullableStr,
    residenceAddress: NullableStr,
    postcode: NullableStr,
    occupation: NullableStr,
    medicalInsurance: NullableStr,
    hardship: Str,
    guardian: Type.Union([
      Type.Object({ name: Str, idType: Str, idNumber: Str, relation: Str }),
      Type.Null(),
    ]),
    diedOn: NullableStr,
    hasPhoto: Type.Boolean(),
    jurisdiction: Str,
    version: Type.Integer(),
    createdAt: Str,
    updatedAt: Str,
  },
  { $id: 'Person' },
);
export type PersonView = Static<typeof PersonView>;

export function presentPerson(p: Person, full: boolean): PersonView {
  const m = <T extends string | null>(value: T, mask: (v: string) => string): T =>
    (full || value === null ? value : mask(value)) as T;
  return {
    id: p.id,
    masked: !full,
    ssn: m(p.ssn, maskIdNumber),
    idType: p.idType,
    idNumber: m(p.idNumber, maskIdNumber),
    name: m(p.name, maskName),
    sex: p.sex,
    birthDate: m(p.birthDate, maskDate),
    ethnicity: p.ethnicity,
    nationality: p.nationality,
    phone: m(p.phone, maskPhone),
    householdAddress: m(p.householdAddress, maskAddress),
    residenceAddress: m(p.residenceAddress, maskAddress),
    postcode: p.postcode,
    occupation: p.occupation,
    medicalInsurance: p.medicalInsurance,
    hardship: p.hardship,
    guardian: p.guardian
      ? {
          name: m(p.guardian.name, maskName),
          idType: p.guardian.idType,
          idNumber: m(p.guardian.idNumber, maskIdNumber),
          relation: p.guardian.relation,
        }
      : null,
    diedOn: p.diedOn,
    hasPhoto: p.photoId !== null,
    jurisdiction: p.jurisdiction,
    version: p.version,
    createdAt: formatShanghai(p.createdAt),
    updatedAt: formatShanghai(p.updatedAt),
  };
}
