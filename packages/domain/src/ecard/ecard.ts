/**
 * The electronic card (电子社保卡, issue 13), decided without I/O. An e-card is the mirror of one
 * physical card (HN-4: 一一对应、唯一映射、状态相同): issued on request only to the holder of a
 * live physical card (HN-13), and usable exactly while that card is, computed from the card's live
 * state at each use (nothing is copied). Its payment PIN is its own (HN-14), counted and locked
 * like any PIN; how the PIN is hashed is the server's (scrypt).
 */
import { DomainError, type Citation } from '../errors/domain-error.js';
import type { CardState } from '../lifecycle/card.js';
import { citationOf } from '../rules/registry.js';
import type { RulePack } from '../rules/schema.js';
import {
  VERDICT_REASON_LABELS,
  cardVerdict,
  type Verdict,
  type VerdictReason,
} from '../verification/verdict.js';
import { formatShanghai } from '../time/local-date.js';

/** Wrong payment PINs in a row before the PIN locks (platform default: HN-14 sets no number). */
export const ECARD_PIN_MAX_FAILURES = 5;
/** How long a locked payment PIN stays locked (platform default). */
export const ECARD_PIN_LOCK_HOURS = 24;

/** What of the physical card's state the e-card looks at, each time. */
export interface EcardCardFacts {
  card: CardState;
  pack: RulePack;
  now: Date;
  holderDeceased: boolean;
  endedBy?: 'replacement' | 'change' | null;
}

/** Reasons that stop an e-card: everything but a function not yet switched on at the bank. */
const NOT_ABNORMAL: readonly VerdictReason[] = ['financial_not_activated'];

/** HN-13 as the pack cites it (or the platform default where the pack does not speak). */
export function ecardCitation(pack: RulePack): Citation {
  return citationOf(pack.ecard.mirrorsPhysicalStatus.source);
}

/**
 * The e-card's status, the physical card's: the same verdict a terminal gets for the social
 * function (HN-13: 持卡人所持实体社会保障卡为注销等异常状态时,电子社会保障卡无法申领和使用).
 */
export function ecardVerdict(facts: EcardCardFacts): Verdict {
  return cardVerdict({
    card: facts.card,
    pack: facts.pack,
    now: facts.now,
    fn: 'social',
    endedBy: facts.endedBy ?? null,
    holderDeceased: facts.holderDeceased,
  });
}

export type EcardStatus = 'active' | 'unusable';

export function ecardStatus(facts: EcardCardFacts): {
  status: EcardStatus;
  reasons: VerdictReason[];
} {
  const reasons = ecardVerdict(facts)
    .reasons.map((r) => r.code)
    .filter((c) => !NOT_ABNORMAL.includes(c));
  return { status: reasons.length ? 'unusable' : 'active', reasons };
}

function reasonParams(reasons: readonly VerdictReason[]) {
  return {
    reasons: reasons.map((r) => VERDICT_REASON_LABELS[r].zh).join('、'),
    reasonsEn: reasons.map((r) => VERDICT_REASON_LABELS[r].en.toLowerCase()).join(', '),
  };
}

/**
 * HN-13: an e-card only for a physical card handed over and in a normal state; one per card
 * (`existing`: the card already has one).
 */
export function decideEcardIssue(facts: EcardCardFacts, existing: boolean): void {
  const { pack, card } = facts;
  if (!pack.ecard.offered.value)
    throw new DomainError('ECARD_NOT_OFFERED', {}, citationOf(pack.ecard.offered.source));
  const requires = pack.ecard.requiresPhysicalCard;
  const reasons = ecardStatus(facts).reasons;
  if (card.status !== 'issued' && !reasons.includes('not_issued')) reasons.unshift('not_issued');
  if (reasons.length)
    throw new DomainError(
      'ECARD_NEEDS_LIVE_CARD',
      reasonParams(reasons),
      citationOf((requires.value ? requires : pack.ecard.mirrorsPhysicalStatus).source),
    );
  if (existing) throw new DomainError('ECARD_EXISTS', {}, citationOf(pack.ecard.offered.source));
}

/** HN-13: a QR code is made, and accepted, only while the physical card works. */
export function requireEcardUsable(facts: EcardCardFacts): void {
  const { reasons } = ecardStatus(facts);
  if (reasons.length)
    throw new DomainError('ECARD_UNUSABLE', reasonParams(reasons), ecardCitation(facts.pack));
}

// ---- the payment PIN (HN-14) ----------------------------------------------------------------------

export interface EcardPinState {
  pinSet: boolean;
  pinFailures: number;
  pinLockedAt: Date | null;
}

/** HN-14 as the pack cites it. */
export function ecardPinCitation(pack: RulePack): Citation {
  return citationOf(pack.ecard.separatePaymentPin.source);
}

/** Six digits, not one digit six times, not a run up or down. */
export function requireEcardPinFormat(pin: string, pack: RulePack): void {
  const ok =
    /^\d{6}$/.test(pin) &&
    !/^(\d)\1{5}$/.test(pin) &&
    !'0123456789'.includes(pin) &&
    !'9876543210'.includes(pin);
  if (!ok) throw new DomainError('ECARD_PIN_FORMAT', {}, ecardPinCitation(pack));
}

export function ecardPinLockedUntil(state: EcardPinState): Date | null {
  return state.pinLockedAt
    ? new Date(state.pinLockedAt.getTime() + ECARD_PIN_LOCK_HOURS * 3_600_000)
    : null;
}

/** Refused while the lock holds; a lock past its term counts as none. */
export function beforeEcardPinAttempt(state: EcardPinState, pack: RulePack, now: Date): void {
  const until = ecardPinLockedUntil(state);
  if (until && now < until)
    throw new DomainError(
      'ECARD_PIN_LOCKED',
      { max: ECARD_PIN_MAX_FAILURES, until: formatShanghai(until) },
      ecardPinCitation(pack),
    );
}

/** The state after an attempt with the current PIN, and the refusal a wrong one gets. */
export function afterEcardPinAttempt(
  state: EcardPinState,
  pack: RulePack,
  matches: boolean,
  now: Date,
): { change: Pick<EcardPinState, 'pinFailures' | 'pinLockedAt'>; refusal: DomainError | null } {
  const lapsed = ecardPinLockedUntil(state) !== null; // checked before: a lock here has lapsed
  if (matches) return { change: { pinFailures: 0, pinLockedAt: null }, refusal: null };
  const failures = (lapsed ? 0 : state.pinFailures) + 1;
  if (failures >= ECARD_PIN_MAX_FAILURES) {
    const change = { pinFailures: failures, pinLockedAt: now };
    const until = ecardPinLockedUntil({ ...state, ...change })!;
    return {
      change,
      refusal: new DomainError(
        'ECARD_PIN_LOCKED',
        { max: ECARD_PIN_MAX_FAILURES, until: formatShanghai(until) },
        ecardPinCitation(pack),
      ),
    };
  }
  return {
    change: { pinFailures: failures, pinLockedAt: null },
    refusal: new DomainError(
      'ECARD_PIN_WRONG',
      { remaining: ECARD_PIN_MAX_FAILURES - failures },
      ecardPinCitation(pack),
    ),
  };
}
