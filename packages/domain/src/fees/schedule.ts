/**
 * Amounts the regulations delegate (to a bank's card rules, a price bureau, "as prescribed") are
 * installation configuration: per jurisdiction short code, per fee item, whole fen. Nothing here
 * is law; the fee answer always cites the article that delegates the amount.
 */
import { DomainError } from '../errors/domain-error.js';

/** The fee items of a pack's `fees` section that carry a charge. */
export const FEE_ITEMS = [
  'first',
  'replacement',
  'change',
  'reissue',
  'temporary',
  'temporaryLostOrDamaged',
] as const;
export type FeeItem = (typeof FEE_ITEMS)[number];

/** `{ HN: { replacement: 2000, change: 2000 } }`: amounts in fen (1 yuan = 100 fen). */
export type FeeSchedule = Readonly<Record<string, Readonly<Partial<Record<FeeItem, number>>>>>;

/**
 * Charged where an amount is delegated but not configured: nothing. Charging an unknown amount
 * risks an unlawful fee (SG-24 names 违法收取费用); the answer is flagged so the gap is seen.
 */
export const UNCONFIGURED_FEE_FEN = 0;

/** Check a schedule read from configuration; throws `FEE_SCHEDULE_INVALID` naming the entry. */
export function validateFeeSchedule(input: unknown): FeeSchedule {
  const fail = (path: string, value: unknown): never => {
    throw new DomainError('FEE_SCHEDULE_INVALID', {
      path,
      value: JSON.stringify(value) ?? 'nothing',
    });
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('(root)', input);
  for (const [code, items] of Object.entries(input as Record<string, unknown>)) {
    if (!/^[A-Z]{2,4}$/.test(code)) fail(code, code);
    if (typeof items !== 'object' || items === null || Array.isArray(items)) fail(code, items);
    for (const [item, fen] of Object.entries(items as Record<string, unknown>)) {
      if (!(FEE_ITEMS as readonly string[]).includes(item)) fail(`${code}.${item}`, item);
      if (!Number.isSafeInteger(fen) || (fen as number) < 0) fail(`${code}.${item}`, fen);
    }
  }
  return input as FeeSchedule;
}
