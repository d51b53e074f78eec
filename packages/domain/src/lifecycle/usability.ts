/**
 * Whether a card works right now: a pure function of its state, its jurisdiction's rules and the
 * clock. A temporary loss whose term has passed stops counting at that instant where the rules
 * restore the card automatically (SH-18, HN-17), with no job needed.
 */
import type { RulePack } from '../rules/schema.js';
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
  financial: boolean;
  /** The loss as it stands now: a lapsed temporary loss reads as none. */
  loss: LossState;
  pinLocked: boolean;
  expired: boolean;
  blocked: BlockReason[];
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
  // Loss stops the social function at once everywhere; where the rules say so, everything stops.
  const lossStopsAll = loss.kind !== 'none' && pack.loss.effect.value === 'all_functions_stop';
  const social = base && loss.kind === 'none' && card.socialEnabledAt !== null;
  const financial = base && !lossStopsAll && card.financialActivatedAt !== null;
  if (base && card.socialEnabledAt === null) blocked.push('social_not_enabled');
  if (base && card.financialActivatedAt === null) blocked.push('financial_not_activated');
  return {
    usable: social,
    social,
    financial,
    loss,
    pinLocked: card.pinLockedAt !== null,
    expired,
    blocked,
  };
}
