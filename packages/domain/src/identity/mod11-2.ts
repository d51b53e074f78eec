import { DomainError } from '../errors/domain-error.js';

/**
 * ISO 7064 MOD 11-2, the check character of GB 11643-1999 citizen numbers, HMT residence permits
 * and 2023 permanent-residence IDs. Weight of position i (1-based, of 18) is 2^(18-i) mod 11; the
 * check character makes the weighted sum ≡ 1 (mod 11), with 10 written `X`. Because 11 is prime
 * and adjacent weights differ, it catches every single-character error and every transposition
 * of two adjacent characters.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

export function mod11_2CheckChar(body17: string): string {
  if (!/^\d{17}$/.test(body17)) {
    throw new DomainError('ID_NUMBER_FORMAT', {
      documentZh: '本体码',
      documentEn: 'number body',
      expectedZh: '17位数字',
      expectedEn: '17 digits',
      length: body17.length,
    });
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * WEIGHTS[i]!;
  const value = (12 - (sum % 11)) % 11;
  return value === 10 ? 'X' : String(value);
}

/** True when `id18` is 17 digits followed by the right check character (upper-case `X` only). */
export function verifyMod11_2(id18: string): boolean {
  return /^\d{17}[\dX]$/.test(id18) && mod11_2CheckChar(id18.slice(0, 17)) === id18[17];
}
