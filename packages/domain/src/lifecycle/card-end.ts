/**
 * The end of a card: cancellation (注销), the card handed back (收回), destruction (销毁).
 * Cancellation checks the grounds the pack allows, the business that must be settled first
 * (SG-18) and, for a death, the evidence the pack names (FZ-35); the evidence is recorded.
 */
import { DomainError, type Citation } from '../errors/domain-error.js';
import { citationOf } from '../rules/registry.js';
import type { RulePack } from '../rules/schema.js';
import {
  APPLICANT_RELATIONS,
  type ApplicantRelation,
  type CancellationGround,
  type ServicePlace,
} from '../rules/vocabulary.js';
import { requireLive, stateError } from './card-acts.js';
import type { CardState } from './card.js';
import { requirePlace } from './place.js';
import { financialOutlivesCancellation } from './usability.js';

const cite = (p: { source: Parameters<typeof citationOf>[0] }): Citation => citationOf(p.source);

/** The words the API takes, mapped onto the packs' grounds. */
export const CANCEL_REASON_ALIASES: Record<string, CancellationGround> = {
  transfer: 'insurance_transferred',
  ineligible: 'no_longer_entitled',
};

export interface CancelEvidence {
  /** 死亡证明 number, or equivalent document reference. */
  deathCertificate?: string;
  /** HN-27: 告知承诺制 instead of the certificate. */
  commitment?: boolean;
  applicantIdSeen?: boolean;
  relativeIdSeen?: boolean;
  cardHandedIn?: boolean;
  /**
   * Who asks, one of APPLICANT_RELATIONS: `holder`, `guardian`, `household_member`, `relative`,
   * `agent`. Required when the holder has died or is missing (SG-18: 监护人或户籍内家庭成员).
   * Typed as text because it is recorded as given; other words are refused.
   */
  applicantRelation?: ApplicantRelation | (string & {});
}

export interface CancelAttestations {
  relatedBusinessSettled?: boolean;
  medicalAccountSettled?: boolean;
  bankAccountClosed?: boolean;
  holderReminded?: boolean;
}

export interface CancelInput {
  reason: string;
  evidence?: CancelEvidence;
  attestations?: CancelAttestations;
  /** Open applications of this person in this jurisdiction, found by the caller. */
  openApplications: number;
  /**
   * Where the holder's side asks (places.cancellation; for a temporary card places.temporary).
   * Not checked for a card never handed over, which the service cancels itself, nor when omitted
   * by callers not yet passing it.
   */
  place?: ServicePlace;
}

/** SG-19: a temporary card is handed back and cancelled when it expires, is lost or is damaged. */
export const TEMPORARY_CARD_ENDINGS = ['expired', 'lost', 'damaged', 'card_received'] as const;

export function cancel(card: CardState, pack: RulePack, input: CancelInput): { ground: string } {
  requireLive(card, pack);
  if (card.status !== 'issued' && card.status !== 'in_stock')
    throw stateError(card.status, 'cancelled');
  if (card.kind === 'temporary') {
    if (!(TEMPORARY_CARD_ENDINGS as readonly string[]).includes(input.reason)) {
      throw new DomainError(
        'CANCEL_GROUND_NOT_ALLOWED',
        { jurisdiction: pack.name.zh, reason: input.reason },
        cite(pack.temporaryCard.returnOn),
      );
    }
    if (input.place !== undefined) requirePlace(pack, 'temporary', input.place);
    return { ground: input.reason };
  }
  const rules = pack.cancellation;
  const ground = CANCEL_REASON_ALIASES[input.reason] ?? input.reason;
  // A card never handed over (unclaimed, undeliverable, failed) may be cancelled for any stated
  // reason (ZS-17, FZ-27); an issued card only on the grounds of the regulation.
  const issued = card.status === 'issued';
  if (issued && !(rules.grounds.value as readonly string[]).includes(ground)) {
    throw new DomainError(
      'CANCEL_GROUND_NOT_ALLOWED',
      { jurisdiction: pack.name.zh, reason: input.reason },
      cite(rules.grounds),
    );
  }
  if (issued && input.place !== undefined) requirePlace(pack, 'cancellation', input.place);
  if (issued) checkPreconditions(pack, input);
  if (issued && ground === 'death') checkDeathEvidence(pack, input.evidence ?? {});
  if (issued && (ground === 'death' || ground === 'missing'))
    checkDeathApplicant(pack, input.evidence?.applicantRelation);
  return { ground };
}

/** Whom each word of `cancellation.deathApplicants` admits: an agent may be anyone acting for
 * the holder; relatives (亲属) include the members of the household (户籍内家庭成员). */
const ADMITS: Record<string, readonly ApplicantRelation[]> = {
  agent: ['agent', 'guardian', 'household_member', 'relative'],
  relative: ['relative', 'household_member'],
  household_member: ['household_member'],
  guardian: ['guardian'],
};

export const APPLICANT_RELATION_LABELS: Record<ApplicantRelation, { zh: string; en: string }> = {
  holder: { zh: '持卡人本人', en: 'the holder' },
  guardian: { zh: '监护人', en: 'the guardian' },
  household_member: { zh: '户籍内家庭成员', en: 'a member of the household' },
  relative: { zh: '亲属', en: 'a relative' },
  agent: { zh: '代理人', en: 'an agent' },
};

/** Whether the pack lets this applicant ask for a dead or missing holder's cancellation. */
export function deathApplicantAllowed(pack: RulePack, relation: string | undefined): boolean {
  if (!relation || !(APPLICANT_RELATIONS as readonly string[]).includes(relation)) return false;
  return pack.cancellation.deathApplicants.value.some((w) =>
    ADMITS[w]?.includes(relation as ApplicantRelation),
  );
}

/**
 * SG-18: 持卡人死亡或失踪的，由持卡人监护人或户籍内家庭成员办理; HN-27 the agent, FZ-35 a
 * relative. The holder cannot ask for themselves, and the relation is recorded with the act.
 */
function checkDeathApplicant(pack: RulePack, relation: string | undefined): void {
  if (deathApplicantAllowed(pack, relation)) return;
  const allowed = pack.cancellation.deathApplicants.value;
  const label = (lang: 'zh' | 'en') =>
    allowed.map((w) => APPLICANT_RELATION_LABELS[w][lang]).join(lang === 'zh' ? '或' : ' or ');
  throw new DomainError(
    'CANCEL_APPLICANT_NOT_ALLOWED',
    { relation: relation ?? '—', allowed: label('zh'), allowedEn: label('en') },
    cite(pack.cancellation.deathApplicants),
  );
}

function checkPreconditions(pack: RulePack, input: CancelInput): void {
  const pre = pack.cancellation.preconditions;
  const a = input.attestations ?? {};
  const open: string[] = [];
  if (pre.value.includes('related_business_settled')) {
    if (input.openApplications > 0) open.push(`${input.openApplications} open application(s)`);
    if (!a.relatedBusinessSettled) open.push('relatedBusinessSettled');
  }
  if (pre.value.includes('medical_account_settled') && !a.medicalAccountSettled)
    open.push('medicalAccountSettled');
  if (pre.value.includes('bank_account_closed') && !a.bankAccountClosed)
    open.push('bankAccountClosed');
  if (pre.value.includes('holder_reminded') && !a.holderReminded) open.push('holderReminded');
  if (open.length)
    throw new DomainError('CANCEL_OPEN_BUSINESS', { open: open.join(', ') }, cite(pre));
}

function checkDeathEvidence(pack: RulePack, e: CancelEvidence): void {
  const docs = pack.cancellation.deathDocuments;
  const missing: string[] = [];
  for (const doc of docs.value) {
    if (
      doc === 'death_certificate' &&
      !e.deathCertificate &&
      !(pack.cancellation.deathProofByCommitment.value && e.commitment)
    ) {
      missing.push('deathCertificate');
    }
    if (doc === 'applicant_id' && !e.applicantIdSeen) missing.push('applicantIdSeen');
    if (doc === 'relative_id' && !e.relativeIdSeen) missing.push('relativeIdSeen');
    if (doc === 'card' && !e.cardHandedIn) missing.push('cardHandedIn');
  }
  if (missing.length)
    throw new DomainError('DEATH_EVIDENCE_REQUIRED', { missing: missing.join(', ') }, cite(docs));
}

/** The physical card comes back to the counter: an old card after a change, a cancelled card. */
export function returnCard(card: CardState, returnedAt: Date | null): void {
  if (card.status !== 'replaced' && card.status !== 'cancelled')
    throw stateError(card.status, 'returned');
  if (returnedAt) throw stateError(card.status, 'returned');
}

/**
 * Only what the pack lists is destroyed: returned old cards, cancelled cards (HN-25, FZ-36). A
 * card whose bank account outlives its cancellation (HN-27) is kept until the account is closed.
 */
export function destroy(card: CardState, pack: RulePack, returnedAt: Date | null): void {
  if (financialOutlivesCancellation(card, pack))
    throw new DomainError(
      'CARD_KEPT_UNTIL_ACCOUNT_CLOSED',
      {},
      citationOf(pack.effects.cancellation.source),
    );
  const kinds = pack.destruction.cards;
  const category =
    card.status === 'replaced' && returnedAt
      ? 'returned_old'
      : card.status === 'cancelled'
        ? 'cancelled'
        : null;
  if (!category || !(kinds.value as readonly string[]).includes(category)) {
    throw new DomainError('DESTROY_NOT_ALLOWED', { status: card.status }, cite(kinds));
  }
}
