/**
 * Applications (申领): the rules that decide whether one is accepted, which checks it must pass
 * before production, when its card is due, and how it moves:
 *
 *   submitted → checking → approved | rejected → in_production → produced → in_stock → issued
 *   (or withdrawn before production)
 *
 * Everything here is a pure decision over the rule pack in force; the server stores the result.
 */
import { DomainError, type Citation } from '../errors/domain-error.js';
import type { IdDocumentType } from '../identity/document-types.js';
import { citationOf } from '../rules/registry.js';
import type { Deadline, RulePack } from '../rules/schema.js';
import type {
  ApplicationChannel,
  ApplicationKind,
  ChangeReason,
  ProductionCheck,
  ServicePlace,
} from '../rules/vocabulary.js';
import { ageOn, type LocalDate } from '../time/local-date.js';
import { CARD_STATUS_LABELS, type CardState } from './card.js';
import { placeOfChannel, requirePlace } from './place.js';

export const APPLICATION_STATUSES = [
  'submitted',
  'checking', // 核验中
  'approved', // 核验通过
  'rejected', // 核验不通过（附理由）
  'in_production', // 制卡中
  'produced', // 制卡完成
  'in_stock', // 已到网点，待领取
  'issued', // 已发放
  'withdrawn', // 已撤回
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const OPEN_APPLICATION_STATUSES: readonly ApplicationStatus[] = [
  'submitted',
  'checking',
  'approved',
  'in_production',
  'produced',
  'in_stock',
];

export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, { zh: string; en: string }> = {
  submitted: { zh: '已提交', en: 'submitted' },
  checking: { zh: '核验中', en: 'being checked' },
  approved: { zh: '核验通过', en: 'approved' },
  rejected: { zh: '不予受理', en: 'rejected' },
  in_production: { zh: '制卡中', en: 'in production' },
  produced: { zh: '制卡完成', en: 'produced' },
  in_stock: { zh: '待领取', en: 'in stock' },
  issued: { zh: '已发放', en: 'issued' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};

/** The API's agency names (SH-10) and the packs' check names. */
export const CHECK_ALIASES: Record<string, ProductionCheck> = {
  police: 'police_identity',
  hrss: 'hrss_insurance',
  medical: 'medical_insurance',
  population: 'population_database',
};

/** Checks answered by another agency: they stay pending until their answer is recorded. */
export const AGENCY_CHECKS: readonly ProductionCheck[] = [
  'police_identity',
  'hrss_insurance',
  'medical_insurance',
  'population_database',
];
/** Checks the counter makes with the documents in hand; online they wait for staff. */
export const COUNTER_CHECKS: readonly ProductionCheck[] = ['documents_on_site', 'applicant_info'];
const IN_PERSON_CHANNELS: readonly ApplicationChannel[] = ['counter', 'agent', 'unit'];

const cite = (p: { source: Parameters<typeof citationOf>[0] }): Citation => citationOf(p.source);

export type Delivery = 'counter' | 'mail' | 'home' | 'unit';
const DELIVERY_METHODS: Record<Delivery, readonly string[]> = {
  counter: ['self', 'agent'],
  mail: ['mail', 'courier'],
  home: ['home_visit'],
  unit: ['unit'],
};

export interface Applicant {
  birthDate: LocalDate;
  idType: IdDocumentType;
  hasPhoto: boolean;
  diedOn: LocalDate | null;
  /** A guardian is on the person's record. */
  hasGuardian?: boolean;
}

/** The person's cards and applications in this jurisdiction, as the caller found them. */
export interface ApplicantCards {
  live: CardState | null;
  pending: CardState | null;
  temporary: CardState | null;
  openApplicationKinds: readonly ApplicationKind[];
}

export interface SubmissionInput {
  kind: ApplicationKind;
  reason?: ChangeReason | undefined;
  /** How it came: in person (`counter`), `online`, at a terminal, or brought by a unit or agent. */
  channel: ApplicationChannel;
  /**
   * Where it is taken (places.<kind>; HN-22(一)'s places for a change of an expired card). When
   * omitted, the channel's own place (`online`, `self_service`); a counter channel without a place
   * is not checked, for callers not yet passing it.
   */
  place?: ServicePlace | undefined;
  production: 'instant' | 'batch';
  delivery: Delivery;
  /** Who acts for the applicant, if anyone; whether they showed both documents. */
  agent?: { kind: 'agent' | 'guardian'; documentsSeen: boolean } | undefined;
  consentToDelay?: boolean | undefined;
  bankLossReceipt?: boolean | undefined;
  studioPhotoReceipt?: boolean | undefined;
  hospitalProof?: boolean | undefined;
  /** The receiving branch has instant production equipment (即时制卡设备). */
  branchCanInstantIssue: boolean;
  /** The old card, for replacement, change and reissue. */
  oldCard?: CardState | undefined;
}

export type CheckStart = 'pass' | 'pending' | 'system';

export interface SubmissionDecision {
  checks: { check: ProductionCheck; start: CheckStart }[];
  /** The deadline for the card and the pack parameter it comes from. */
  deadline: { limit: Deadline; citation: Citation } | null;
  /** When the old card dies: now (HN-20, FZ-33) or when the new card is issued (SH-23). */
  oldCardEnds: 'on_acceptance' | 'on_issue_of_new_card' | null;
}

function applicantAge(applicant: Applicant, today: LocalDate): number {
  return ageOn(applicant.birthDate, today);
}

export function checkSubmission(
  pack: RulePack,
  applicant: Applicant,
  cards: ApplicantCards,
  input: SubmissionInput,
  today: LocalDate,
): SubmissionDecision {
  const { kind } = input;
  const app = pack.application;
  if (
    !app.kinds.value.includes(kind) &&
    !(kind === 'temporary' && pack.temporaryCard.offered.value)
  ) {
    throw new DomainError(
      'APPLICATION_KIND_NOT_OFFERED',
      { jurisdiction: pack.name.zh, kind },
      cite(kind === 'temporary' ? pack.temporaryCard.offered : app.kinds),
    );
  }
  // A unit or an agent bringing the application (HN-9, SG-10, FZ-15) is the proxies' question.
  if (
    (input.channel === 'unit' || input.channel === 'agent') &&
    !app.proxies.value.includes(input.channel)
  ) {
    throw new DomainError(
      'CHANNEL_NOT_OFFERED',
      { jurisdiction: pack.name.zh, channel: input.channel },
      cite(app.proxies),
    );
  }
  // Where the application is taken: SG-16, SG-17, SG-19 (service window only), HN-20, HN-22 …
  const place = input.place ?? placeOfChannel(input.channel);
  if (place) requirePlace(pack, kind, place, input.reason);
  if (applicant.diedOn) throw new DomainError('PERSON_DECEASED');
  const age = applicantAge(applicant, today);
  checkDocument(pack, applicant, age);
  checkAgent(pack, applicant, input, age);
  if (
    !DELIVERY_METHODS[input.delivery].some((m) => pack.pickup.methods.value.includes(m as never))
  ) {
    throw new DomainError(
      'DELIVERY_NOT_OFFERED',
      { jurisdiction: pack.name.zh, delivery: input.delivery },
      cite(pack.pickup.methods),
    );
  }
  if (kind === 'temporary') return checkTemporary(pack, cards, input);

  checkPhoto(pack, applicant, age, input);
  const oldCardEnds = checkCards(pack, cards, input);
  const instant = checkProduction(pack, input);
  return {
    checks: checksFor(pack, input),
    deadline: deadlineFor(pack, kind, instant),
    oldCardEnds,
  };
}

function checkDocument(pack: RulePack, applicant: Applicant, age: number): void {
  const rule = pack.identity.documents[applicant.idType];
  if (!rule.value.accepted) {
    throw new DomainError(
      'DOCUMENT_NOT_ACCEPTED',
      { jurisdiction: pack.name.zh, document: applicant.idType },
      cite(rule),
    );
  }
  if (rule.value.onlyUnderAge !== undefined && age >= rule.value.onlyUnderAge) {
    throw new DomainError(
      'DOCUMENT_AGE_RULE',
      {
        age,
        document: applicant.idType,
        rule: `${rule.value.onlyUnderAge} 周岁以上须使用其他证件`,
        ruleEn: `this document is for those under ${rule.value.onlyUnderAge}`,
      },
      cite(rule),
    );
  }
  // A document required from an age (SG-10: 年满十六周岁的，须提供居民身份证) is expressed by the
  // other citizen document's `onlyUnderAge`, checked above; foreigners' documents are unaffected.
}

function checkAgent(
  pack: RulePack,
  applicant: Applicant,
  input: SubmissionInput,
  age: number,
): void {
  const minors = pack.agents.minors.value;
  // SG-10: 不满十六周岁的申领人须由其监护人代为办理 — the guardian, not any agent.
  if (
    age < minors.belowAge &&
    minors.mandatory &&
    (!input.agent || input.agent.kind !== 'guardian')
  ) {
    throw new DomainError('AGENT_REQUIRED', { age: minors.belowAge }, cite(pack.agents.minors));
  }
  // HN-10: for a child the guardian is registered, on the person's record or with the application.
  const guardianKnown = applicant.hasGuardian || input.agent?.kind === 'guardian';
  if (age < minors.belowAge && pack.agents.guardianRecorded.value && !guardianKnown) {
    throw new DomainError(
      'AGENT_REQUIRED',
      { age: minors.belowAge },
      cite(pack.agents.guardianRecorded),
    );
  }
  if (input.agent && pack.agents.agentShowsOwnId.value && !input.agent.documentsSeen) {
    throw new DomainError('AGENT_DOCUMENTS_REQUIRED', {}, cite(pack.agents.agentShowsOwnId));
  }
}

function checkPhoto(
  pack: RulePack,
  applicant: Applicant,
  age: number,
  input: SubmissionInput,
): void {
  if (applicant.hasPhoto) return;
  const optionalBelow = pack.photo.optionalBelowAge.value;
  if (optionalBelow !== null && age < optionalBelow) return; // HN-5, FZ-16: young children may have no photo
  if (pack.photo.studioReceiptWhenMissing.value) {
    if (!input.studioPhotoReceipt)
      throw new DomainError(
        'STUDIO_RECEIPT_REQUIRED',
        {},
        cite(pack.photo.studioReceiptWhenMissing),
      );
    return;
  }
  throw new DomainError(
    'PHOTO_REQUIRED',
    { age },
    optionalBelow !== null ? cite(pack.photo.optionalBelowAge) : undefined,
  );
}

/** One card per person, and what replacement, change and reissue need of the old card. */
function checkCards(
  pack: RulePack,
  cards: ApplicantCards,
  input: SubmissionInput,
): SubmissionDecision['oldCardEnds'] {
  const { kind } = input;
  if (kind === 'first') {
    const held = cards.live ?? cards.pending;
    if (held) {
      throw new DomainError(
        'ONE_CARD_PER_PERSON',
        { jurisdiction: pack.name.zh, cardStatus: CARD_STATUS_LABELS[held.status].zh },
        cite(pack.card.onePerPerson),
      );
    }
    if (cards.openApplicationKinds.length)
      throw new DomainError('APPLICATION_EXISTS', { jurisdiction: pack.name.zh });
    return null;
  }
  const old = input.oldCard;
  if (!old) {
    if (kind === 'reissue' && !cards.live) return null; // re-application with no card in hand
    throw new DomainError('OLD_CARD_REQUIRED');
  }
  if (old.status !== 'issued') {
    throw new DomainError('CARD_STATE', {
      status: CARD_STATUS_LABELS[old.status].zh,
      statusEn: CARD_STATUS_LABELS[old.status].en,
      act: '补换',
      actEn: 'replaced',
    });
  }
  if (old.replacementApplicationId || cards.pending)
    throw new DomainError('APPLICATION_EXISTS', { jurisdiction: pack.name.zh });
  if (kind === 'replacement') {
    const rules = pack.replacement;
    // SG-16, HN-20: 补领须在正式挂失后办理.
    if (rules.requiresFormalLoss.value && old.loss.kind !== 'formal') {
      throw new DomainError('REPLACEMENT_NEEDS_FORMAL_LOSS', {}, cite(rules.requiresFormalLoss));
    }
    if (rules.bankLossReceiptRequired.value && !input.bankLossReceipt) {
      throw new DomainError('BANK_LOSS_RECEIPT_REQUIRED', {}, cite(rules.bankLossReceiptRequired));
    }
    return rules.oldCardInvalid.value;
  }
  const rules = kind === 'change' ? pack.change : pack.reissue;
  if (!input.reason || !(rules.reasons.value as readonly string[]).includes(input.reason)) {
    throw new DomainError(
      'CHANGE_REASON_NOT_ALLOWED',
      { jurisdiction: pack.name.zh, kind, reason: input.reason ?? '—' },
      cite(rules.reasons),
    );
  }
  return rules.oldCardInvalid.value ?? 'on_issue_of_new_card';
}

function checkProduction(pack: RulePack, input: SubmissionInput): boolean {
  const instant = pack.production.instant.value;
  if (input.production === 'instant') {
    if (instant.offered === 'none' || !instant.kinds.includes(input.kind)) {
      throw new DomainError(
        'INSTANT_NOT_OFFERED',
        {
          why: `该统筹区不为“${input.kind}”提供即时制卡。`,
          whyEn: `Instant production is not offered for "${input.kind}" here.`,
        },
        cite(pack.production.instant),
      );
    }
    // The pack's instant production (SH-23: at capable outlets; FZ-21) is where it is equipped.
    if (!input.branchCanInstantIssue) {
      throw new DomainError(
        'INSTANT_NOT_OFFERED',
        {
          why: '该网点没有即时制卡设备。',
          whyEn: 'This branch has no instant production equipment.',
        },
        cite(pack.production.instant),
      );
    }
    return true;
  }
  // FZ-16: a counter that cannot make the card on the spot explains why and gets consent.
  if (
    pack.production.nonInstantNeedsConsent.value &&
    input.channel === 'counter' &&
    instant.offered !== 'none' &&
    !input.consentToDelay
  ) {
    throw new DomainError(
      'DELAY_CONSENT_REQUIRED',
      {},
      cite(pack.production.nonInstantNeedsConsent),
    );
  }
  return false;
}

/**
 * The checks before production. They verify a new applicant (SH-10, SG-11, HN-11, FZ-16), so a
 * first application and a re-application on new key information (SH-22 → SH-10) go through
 * them; a replacement or change for a card already issued to a verified holder does not.
 */
function checksFor(pack: RulePack, input: SubmissionInput): SubmissionDecision['checks'] {
  if (input.kind !== 'first' && input.kind !== 'reissue') return [];
  return pack.checks.required.value.map((check) => {
    let start: CheckStart = 'pending';
    if (check === 'card_status')
      start = 'pass'; // the one-card rule above is that check
    else if (check === 'bank_account_opening') start = 'system';
    else if (COUNTER_CHECKS.includes(check) && IN_PERSON_CHANNELS.includes(input.channel))
      start = 'pass';
    else if (!AGENCY_CHECKS.includes(check) && !COUNTER_CHECKS.includes(check)) start = 'pass';
    return { check, start };
  });
}

function deadlineFor(
  pack: RulePack,
  kind: ApplicationKind,
  instant: boolean,
): SubmissionDecision['deadline'] {
  const byKind =
    kind === 'replacement'
      ? pack.replacement.deadline
      : kind === 'change'
        ? pack.change.deadline
        : kind === 'reissue'
          ? pack.reissue.deadline
          : null;
  // An instant card is due by the instant deadline (FZ-21); where the pack sets none, the kind's.
  const onTheSpot = instant
    ? { value: pack.production.instant.value.deadline, source: pack.production.instant.source }
    : null;
  const candidates = [onTheSpot, byKind, pack.production.deadline];
  for (const c of candidates) {
    if (c && c.value) return { limit: c.value, citation: citationOf(c.source) };
  }
  return null;
}

/** SG-19: a temporary card for the insured who urgently need care before their card comes. */
function checkTemporary(
  pack: RulePack,
  cards: ApplicantCards,
  input: SubmissionInput,
): SubmissionDecision {
  const t = pack.temporaryCard;
  if (cards.temporary) throw new DomainError('APPLICATION_EXISTS', { jurisdiction: pack.name.zh });
  const conditions = t.conditions.value;
  const awaiting =
    cards.pending !== null ||
    cards.openApplicationKinds.some((k) => k !== 'temporary') ||
    (cards.live !== null && cards.live.loss.kind !== 'none');
  const refuse = (why: string, whyEn: string) =>
    new DomainError('TEMPORARY_CARD_CONDITIONS', { why, whyEn }, cite(t.conditions));
  if (conditions.includes('hospital_proof') && !input.hospitalProof)
    throw refuse(
      '须提供医院住院或就诊证明。',
      'A hospital admission or treatment certificate is required.',
    );
  if (
    (conditions.includes('awaiting_card') || conditions.includes('awaiting_replacement')) &&
    !awaiting
  ) {
    throw refuse(
      '临时卡只在尚未领到社保卡或补卡期间办理。',
      'Temporary cards are for people waiting for their card or its replacement.',
    );
  }
  return { checks: [], deadline: null, oldCardEnds: null };
}

// ---- moving an application along -------------------------------------------------------

export function requireApplicationStatus(
  status: ApplicationStatus,
  allowed: readonly ApplicationStatus[],
  act: { zh: string; en: string },
): void {
  if (!allowed.includes(status)) {
    throw new DomainError('APPLICATION_STATE', {
      status: APPLICATION_STATUS_LABELS[status].zh,
      statusEn: APPLICATION_STATUS_LABELS[status].en,
      act: act.zh,
      actEn: act.en,
    });
  }
}

export interface CheckRecord {
  check: ProductionCheck;
  result: 'pending' | 'pass' | 'fail';
}

/** The next status once a check answer is in: rejected on a fail, approved when all pass. */
export function afterCheck(checks: readonly CheckRecord[]): 'checking' | 'approved' | 'rejected' {
  if (checks.some((c) => c.result === 'fail')) return 'rejected';
  return checks.every((c) => c.result === 'pass') ? 'approved' : 'checking';
}

/** SH-10, FZ-17: the reason of a failed check goes back to the applicant; cite the rule that says so. */
export function rejectionCitation(pack: RulePack): Citation {
  return cite(pack.checks.reasonGivenOnFailure);
}
