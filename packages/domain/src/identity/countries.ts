import type { Bilingual } from '../errors/entry.js';
import { ISO_3166_1_ROWS } from './iso-3166-1-table.js';

/** One ISO 3166-1 entry. Nationality is stored as alpha-3; the 2023 PR ID carries the numeric. */
export interface Country {
  alpha2: string;
  alpha3: string;
  /** Three digits with leading zeros, as printed in numbers: `004`, not `4`. */
  numeric: string;
  name: Bilingual;
}

export const COUNTRIES: readonly Country[] = ISO_3166_1_ROWS.map(
  ([alpha2, alpha3, numeric, zh, en]) => ({
    alpha2,
    alpha3,
    numeric,
    name: { zh, en },
  }),
);

const byAlpha2 = new Map(COUNTRIES.map((c) => [c.alpha2, c]));
const byAlpha3 = new Map(COUNTRIES.map((c) => [c.alpha3, c]));
const byNumeric = new Map(COUNTRIES.map((c) => [c.numeric, c]));

/** Exact, upper-case lookups: codes are data, so `chn` is not silently taken for `CHN`. */
export function countryByAlpha2(code: string): Country | undefined {
  return byAlpha2.get(code);
}

export function countryByAlpha3(code: string): Country | undefined {
  return byAlpha3.get(code);
}

export function countryByNumeric(code: string): Country | undefined {
  return byNumeric.get(code);
}
