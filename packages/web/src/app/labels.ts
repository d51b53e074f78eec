/** Option lists for selects, labelled in the chosen language. */
import type { TFunction } from 'i18next';

export const ID_TYPES = [
  'resident_id',
  'household_register',
  'hmt_residence_permit',
  'foreign_permanent_residence',
  'passport',
  'hk_macau_travel_permit',
  'tw_travel_permit',
] as const;

export function idTypeOptions(t: TFunction, accepted?: readonly string[]) {
  return ID_TYPES.filter((id) => !accepted || accepted.includes(id)).map((value) => ({
    value,
    label: t(`idTypes.${value}`),
  }));
}

export function enumOptions(t: TFunction, prefix: string, values: readonly string[]) {
  return values.map((value) => ({
    value,
    label: t(`${prefix}.${value}`, { defaultValue: value }),
  }));
}
