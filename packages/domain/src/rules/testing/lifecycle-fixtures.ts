/* Test support: cards, applicants and applications in the states the article tests need, and a
   way to catch a refusal. Nothing in the domain's public API imports this file. */
import { DomainError } from '../../errors/domain-error.js';
import type { Applicant, ApplicantCards, SubmissionInput } from '../../lifecycle/application.js';
import type { CardChange } from '../../lifecycle/card-acts.js';
import type { CardState } from '../../lifecycle/card.js';

/** 2026-05-06 09:00 in Shanghai, a Wednesday. */
export const T0 = new Date('2026-05-06T01:00:00Z');
export const TODAY = '2026-05-06';
export const DAY = 24 * 60 * 60 * 1000;

export function card(over: Partial<CardState> = {}): CardState {
  return {
    cardNo: '31000000000001X',
    jurisdiction: 'SH',
    kind: 'regular',
    status: 'issued',
    hasPhoto: true,
    issuedAt: T0,
    expiresOn: null,
    socialEnabledAt: T0,
    financialActivatedAt: T0,
    loss: { kind: 'none' },
    suspendedAt: null,
    frozenAt: null,
    pinSet: true,
    pinFailures: 0,
    pinLockedAt: null,
    replacementApplicationId: null,
    ...over,
  };
}

/** A card made and waiting at the outlet. */
export function stock(over: Partial<CardState> = {}): CardState {
  return card({
    status: 'in_stock',
    issuedAt: null,
    socialEnabledAt: null,
    financialActivatedAt: null,
    pinSet: false,
    ...over,
  });
}

export const apply = (c: CardState, change: CardChange): CardState => ({ ...c, ...change });

/** The refusal `fn` throws; fails the test if it throws nothing or something else. */
export function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** The refusal `fn` throws, or null when it goes through. */
export function outcome(fn: () => unknown): DomainError | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
}

export const adult: Applicant = {
  birthDate: '1980-01-01',
  idType: 'resident_id',
  hasPhoto: true,
  diedOn: null,
};

export const child: Applicant = {
  birthDate: '2015-01-01',
  idType: 'household_register',
  hasPhoto: true,
  diedOn: null,
};

export const noCards: ApplicantCards = {
  live: null,
  pending: null,
  temporary: null,
  openApplicationKinds: [],
};

export const counterApplication: SubmissionInput = {
  kind: 'first',
  channel: 'counter',
  production: 'batch',
  delivery: 'counter',
  branchCanInstantIssue: false,
  consentToDelay: true,
};
