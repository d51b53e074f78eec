/**
 * The social PIN (社保应用密码). Where the rules enable it, a card has a six-digit PIN, set at
 * issue to the pack's initial value (FZ-32: 888888) or chosen by the holder; wrong attempts count
 * and lock it at the pack's limit (FZ-32: 6), and a counter unlocks or resets it. Hainan does not
 * use one (HN-14): every PIN act there is refused with that article. Hashing and the constant-time
 * comparison are the server's; these functions decide what an attempt means.
 */
import { DomainError, type Citation } from '../errors/domain-error.js';
import { citationOf } from '../rules/registry.js';
import type { RulePack } from '../rules/schema.js';
import type { CardChange } from './card-acts.js';
import { requireIssued } from './card-acts.js';
import { requirePlace } from './place.js';
import type { ServicePlace } from '../rules/vocabulary.js';
import type { CardState } from './card.js';

export function requirePinEnabled(pack: RulePack): void {
  if (!pack.pin.socialEnabled.value)
    throw new DomainError('PIN_NOT_ENABLED', {}, citationOf(pack.pin.socialEnabled.source));
}

export function checkPinFormat(pin: string): void {
  if (!/^\d{6}$/.test(pin)) throw new DomainError('PIN_FORMAT');
}

/** A new PIN: six digits, not one digit repeated, not a run up or down (123456, 654321). */
export function checkNewPin(pin: string): void {
  checkPinFormat(pin);
  const d = [...pin].map(Number);
  const same = d.every((x) => x === d[0]);
  const up = d.every((x, i) => i === 0 || x === d[i - 1]! + 1);
  const down = d.every((x, i) => i === 0 || x === d[i - 1]! - 1);
  if (same || up || down) throw new DomainError('PIN_TOO_SIMPLE');
}

function lockCitation(pack: RulePack): Citation {
  return citationOf(pack.pin.lockoutAttempts.source);
}

/** Before any attempt: the card must be issued, the PIN enabled, set and not locked. */
export function beforePinAttempt(card: CardState, pack: RulePack): void {
  requirePinEnabled(pack);
  requireIssued(card, pack, 'pin');
  if (card.pinLockedAt) throw new DomainError('PIN_LOCKED', {}, lockCitation(pack));
  if (!card.pinSet) throw new DomainError('PIN_NOT_SET');
}

export interface PinAttemptOutcome {
  /** Always saved, even when the attempt is refused: the count must survive the refusal. */
  change: CardChange;
  /** Present when the PIN was wrong: thrown after the change is committed. */
  refusal?: DomainError;
}

export function afterPinAttempt(
  card: CardState,
  pack: RulePack,
  correct: boolean,
  now: Date,
): PinAttemptOutcome {
  if (correct) return { change: card.pinFailures ? { pinFailures: 0 } : {} };
  const failures = card.pinFailures + 1;
  const limit = pack.pin.lockoutAttempts.value;
  if (limit !== null && failures >= limit) {
    return {
      change: { pinFailures: failures, pinLockedAt: now },
      refusal: new DomainError('PIN_LOCKED', {}, lockCitation(pack)),
    };
  }
  const remaining = limit === null ? '∞' : limit - failures;
  return {
    change: { pinFailures: failures },
    refusal: new DomainError('PIN_WRONG', { remaining }, lockCitation(pack)),
  };
}

/** Setting a first PIN (no initial value on file) or changing it after the old one matched. */
export function newPin(
  card: CardState,
  pack: RulePack,
  pin: string,
  sameAsOld: boolean,
  place: ServicePlace,
): CardChange {
  requirePinEnabled(pack);
  requireIssued(card, pack, 'pin');
  requirePlace(pack, 'pinChange', place);
  if (card.pinLockedAt) throw new DomainError('PIN_LOCKED', {}, lockCitation(pack));
  checkNewPin(pin);
  if (sameAsOld) throw new DomainError('PIN_SAME');
  return { pinFailures: 0, pinLockedAt: null };
}

/** Reset at a counter with the holder's ID (FZ-32, SG-21): back to the initial PIN, or a new one. */
export function resetPin(
  card: CardState,
  pack: RulePack,
  chosen: string | undefined,
  place: ServicePlace,
): { change: CardChange; pin: string } {
  requirePinEnabled(pack);
  requireIssued(card, pack, 'pin');
  requirePlace(pack, 'pinReset', place);
  const initial = pack.pin.initial.value;
  const pin = chosen ?? initial;
  if (!pin) throw new DomainError('PIN_FORMAT');
  if (chosen) checkNewPin(chosen);
  return { change: { pinFailures: 0, pinLockedAt: null }, pin };
}

/** SG-21: a locked social PIN is unlocked at the 社保卡综合服务窗口; FZ-32: by a reset at a branch or in the app. */
export function unlockPin(card: CardState, pack: RulePack, place: ServicePlace): CardChange {
  requirePinEnabled(pack);
  requireIssued(card, pack, 'pin');
  requirePlace(pack, 'pinUnlock', place);
  if (!card.pinLockedAt)
    throw new DomainError('CARD_STATE', {
      status: '密码未锁定',
      statusEn: 'not PIN-locked',
      act: '解锁密码',
      actEn: 'PIN-unlocked',
    });
  return { pinFailures: 0, pinLockedAt: null };
}
