/**
 * Whether a card works right now, function by function: a pure function of its state, its
 * jurisdiction's rules and the clock. A temporary loss whose term has passed stops counting at
 * that instant where the rules restore the card automatically (SH-18, HN-17), with no job needed.
 *
 * What each act stops is the pack's: `loss.effect` (SG-14 every function, SH-18 the social
 * function), `effects.freeze` (HN-42 the one-card functions, not the bank account; FZ-28 the card),
 * `effects.suspension` (FZ-35) and `effects.cancellation` (HN-27: the one-card functions end, the
 * bank account lives on for the agent until it is closed).
 */
import type { RulePack } from '../rules/schema.js';
import { CARD_FUNCTIONS, type CardFunction } from '../rules/vocabulary.js';
import { shanghaiDate } from '../time/local-date.js';
import type { CardState, LossState } from './card.js';

export type BlockReason =
  | 'not_issued'
  | 'ended'
  | 'expired'
  | 'lost'
  | 'suspended'
  | 'frozen'
  | 'social_not_enabled'
  | 'financial_not_activated';

export interface Usability {
  /** The social security function can be used (valid for hospitals, pharmacies, transit). */
  usable: boolean;
  social: boolean;
  /**
   * The one-card (一卡通) public-service functions (HN-4): identity, public services, transit. They
   * are enabled with the social function and stop where the pack says (`effects`, `loss.effect`).
   */
  oneCard: boolean;
  financial: boolean;
  /** The loss as it stands now: a lapsed temporary loss reads as none. */
  loss: LossState;
  pinLocked: boolean;
  expired: boolean;
  /** Why the card as a whole is blocked (as before: the first reasons that apply). */
  blocked: BlockReason[];
  /** For each function, what stops it now (empty when it works). */
  stoppedBy: Record<CardFunction, BlockReason[]>;
  /**
   * HN-27: the card is cancelled but its bank account is not yet closed, so the financial
   * function stays with the agent and the card is kept (see `bankAccountClosureDue`).
   */
  bankAccountClosurePending: boolean;
}

const ALL: readonly CardFunction[] = CARD_FUNCTIONS;

/** The functions a loss stops under the pack (`loss.effect`). */
export function lossStops(pack: RulePack): readonly CardFunction[] {
  return pack.loss.effect.value === 'all_functions_stop' ? ALL : ['social', 'one_card'];
}

/** The loss in force at `now`: a temporary loss past its term is over where the pack restores it. */
export function effectiveLoss(card: CardState, pack: RulePack, now: Date): LossState {
  const loss = card.loss;
  if (
    loss.kind === 'temporary' &&
    loss.until !== null &&
    now >= loss.until &&
    pack.loss.temporary.autoRestore.value
  ) {
    return { kind: 'none' };
  }
  return loss;
}

/**
 * Whether a cancelled card still carries a function the cancellation leaves alive (HN-27: the
 * bank account, until it is closed). Only a card that was handed over has anything left.
 */
export function financialOutlivesCancellation(card: CardState, pack: RulePack): boolean {
  return (
    card.status === 'cancelled' &&
    card.issuedAt !== null &&
    !card.bankAccountClosedAt &&
    !pack.effects.cancellation.value.includes('financial')
  );
}

export function usability(card: CardState, pack: RulePack, now: Date): Usability {
  const blocked: BlockReason[] = [];
  const loss = effectiveLoss(card, pack, now);
  const expired = card.expiresOn !== null && shanghaiDate(now) > card.expiresOn;
  if (card.status === 'in_production' || card.status === 'in_stock') blocked.push('not_issued');
  if (card.status === 'replaced' || card.status === 'cancelled' || card.status === 'destroyed')
    blocked.push('ended');
  if (expired) blocked.push('expired');
  if (loss.kind !== 'none') blocked.push('lost');
  if (card.suspendedAt) blocked.push('suspended');
  if (card.frozenAt) blocked.push('frozen');
  const base = card.status === 'issued' && !expired && !card.suspendedAt && !card.frozenAt;
  if (base && card.socialEnabledAt === null) blocked.push('social_not_enabled');
  if (base && card.financialActivatedAt === null) blocked.push('financial_not_activated');

  const outlives = financialOutlivesCancellation(card, pack);
  const stoppedBy = Object.fromEntries(ALL.map((fn) => [fn, [] as BlockReason[]])) as Record<
    CardFunction,
    BlockReason[]
  >;
  const stop = (fns: readonly CardFunction[], why: BlockReason) => {
    for (const fn of fns) if (!stoppedBy[fn].includes(why)) stoppedBy[fn].push(why);
  };
  if (card.status === 'in_production' || card.status === 'in_stock') stop(ALL, 'not_issued');
  if (card.status === 'replaced' || card.status === 'destroyed') stop(ALL, 'ended');
  if (card.status === 'cancelled') stop(outlives ? pack.effects.cancellation.value : ALL, 'ended');
  if (expired) stop(ALL, 'expired');
  if (loss.kind !== 'none') stop(lossStops(pack), 'lost');
  if (card.suspendedAt) stop(pack.effects.suspension.value, 'suspended');
  if (card.frozenAt) stop(pack.effects.freeze.value, 'frozen');
  for (const fn of ALL) {
    if (stoppedBy[fn].length) continue;
    if (fn !== 'financial' && card.socialEnabledAt === null)
      stoppedBy[fn].push('social_not_enabled');
    if (fn === 'financial' && card.financialActivatedAt === null)
      stoppedBy[fn].push('financial_not_activated');
  }
  const social = stoppedBy.social.length === 0;
  return {
    usable: social,
    social,
    oneCard: stoppedBy.one_card.length === 0,
    financial: stoppedBy.financial.length === 0,
    loss,
    pinLocked: card.pinLockedAt !== null,
    expired,
    blocked,
    stoppedBy,
    bankAccountClosurePending: outlives,
  };
}
