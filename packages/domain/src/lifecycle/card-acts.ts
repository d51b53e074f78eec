/**
 * The acts on an issued card, as pure decisions: each takes the card, the rule pack in force and
 * the clock, and either returns what changes or refuses with the article that says no. The server
 * applies the change in one transaction with its audit record; nothing here touches storage.
 */
import { DomainError, type Citation } from '../errors/domain-error.js';
import { citationOf } from '../rules/registry.js';
import type { RulePack } from '../rules/schema.js';
import type { Source } from '../rules/param.js';
import type { CardFunction, PlaceAct, ServicePlace } from '../rules/vocabulary.js';
import { addDays, addMonths, addYears, shanghaiDate, type LocalDate } from '../time/local-date.js';
import { CARD_STATUS_LABELS, ENDED_STATUSES, type CardState, type LossState } from './card.js';
import { actParams, type ActName } from './labels.js';
import { requirePlace } from './place.js';
import { effectiveLoss, financialOutlivesCancellation, lossStops } from './usability.js';

const DAY_MS = 24 * 60 * 60 * 1000;

type Cited = { source: Parameters<typeof citationOf>[0] };
const cite = (param: Cited): Citation => citationOf(param.source);

/**
 * The citation of the first parameter that rests on an article, else of the first: where a
 * refusal follows from several parameters (SH-18: no long-term option, because the term is five
 * days), the article whose words refuse is cited rather than the platform default.
 */
export function citeDeciding(...params: { source: Source }[]): Citation {
  const cited = params.find((p) => !p.source.default);
  return cite(cited ?? params[0]!);
}

export type CardChange = Partial<
  Pick<
    CardState,
    | 'status'
    | 'issuedAt'
    | 'expiresOn'
    | 'socialEnabledAt'
    | 'financialActivatedAt'
    | 'loss'
    | 'suspendedAt'
    | 'frozenAt'
    | 'pinFailures'
    | 'pinLockedAt'
    | 'bankAccountClosedAt'
  >
>;

function statusParams(
  status: CardState['status'] | 'suspended' | 'not_suspended' | 'frozen' | 'not_frozen',
) {
  const extra = {
    suspended: { zh: '已停用', en: 'suspended' },
    not_suspended: { zh: '未停用', en: 'not suspended' },
    frozen: { zh: '已冻结', en: 'frozen' },
    not_frozen: { zh: '未冻结', en: 'not frozen' },
  } as const;
  const label =
    status in extra
      ? extra[status as keyof typeof extra]
      : CARD_STATUS_LABELS[status as CardState['status']];
  return { status: label.zh, statusEn: label.en };
}

function stateError(status: Parameters<typeof statusParams>[0], act: ActName): DomainError {
  return new DomainError('CARD_STATE', { ...statusParams(status), ...actParams(act) });
}

/**
 * Refuses any act on a card that has ended: a replaced card never comes back (SH-23, HN-20,
 * FZ-33), nor does a cancelled or destroyed one.
 */
export { stateError };

export function requireLive(card: CardState, pack: RulePack): void {
  if (ENDED_STATUSES.includes(card.status)) {
    const citation = card.status === 'replaced' ? cite(pack.replacement.oldCardInvalid) : undefined;
    throw new DomainError('CARD_ENDED', statusParams(card.status), citation);
  }
}

export function requireIssued(card: CardState, pack: RulePack, act: ActName): void {
  requireLive(card, pack);
  if (card.status !== 'issued') throw stateError(card.status, act);
}

/** The place check, where the caller gave a place (see each act). */
function checkPlace(pack: RulePack, act: PlaceAct, place: ServicePlace | undefined): void {
  if (place !== undefined) requirePlace(pack, act, place);
}

// ---- issuing (发放) -------------------------------------------------------------------------

export type IssueTo = 'holder' | 'agent' | 'mail' | 'unit' | 'home_visit';

export interface IssueInput {
  to: IssueTo;
  /** The agent showed their own ID and the holder's (SG-12, HN-12). */
  agentDocumentsSeen?: boolean;
  /** FZ-24: home visits keep a photo of the holder with the card. */
  homeVisitPhotoRecord?: boolean;
  /** FZ-25: a unit collecting its members' cards signs the roster (花名册). */
  unitRosterSigned?: boolean;
  /**
   * The holder's recorded date of death, if any: such a card is never handed over (ZS-17(二),
   * HN-12, FZ-27 make it undeliverable; SG-18 cancels it; elsewhere the platform default).
   */
  holderDiedOn?: LocalDate | null;
}

const ISSUE_METHODS: Record<IssueTo, readonly string[]> = {
  holder: ['self'],
  agent: ['agent'],
  mail: ['mail', 'courier'],
  unit: ['unit'],
  home_visit: ['home_visit'],
};

/**
 * Hands a card over (发放). `place`: where (places.issue; a temporary card is handed over where
 * it is applied for, places.temporary, SG-19 现场发放). Omitted only by callers not yet passing it:
 * then the place is not checked.
 */
export function issue(
  card: CardState,
  pack: RulePack,
  input: IssueInput,
  now: Date,
  place?: ServicePlace,
): CardChange {
  requireLive(card, pack);
  if (card.status !== 'in_stock') throw stateError(card.status, 'issued');
  if (input.holderDiedOn) {
    throw new DomainError('HOLDER_DECEASED', { diedOn: input.holderDiedOn }, deathCitation(pack));
  }
  checkPlace(pack, card.kind === 'temporary' ? 'temporary' : 'issue', place);
  const methods = pack.pickup.methods;
  if (!ISSUE_METHODS[input.to].some((m) => methods.value.includes(m as never))) {
    throw new DomainError(
      'ISSUE_METHOD_NOT_ALLOWED',
      { jurisdiction: pack.name.zh, method: input.to },
      cite(methods),
    );
  }
  if (input.to === 'agent' && !input.agentDocumentsSeen) {
    throw new DomainError('AGENT_DOCUMENTS_REQUIRED', {}, cite(pack.agents.agentShowsOwnId));
  }
  if (
    input.to === 'home_visit' &&
    pack.pickup.homeVisitPhotoRecord.value &&
    !input.homeVisitPhotoRecord
  ) {
    throw new DomainError('HOME_VISIT_PHOTO_REQUIRED', {}, cite(pack.pickup.homeVisitPhotoRecord));
  }
  if (input.to === 'unit' && pack.pickup.unitRosterSignature.value && !input.unitRosterSigned) {
    throw new DomainError(
      'UNIT_ROSTER_SIGNATURE_REQUIRED',
      {},
      cite(pack.pickup.unitRosterSignature),
    );
  }
  const social = pack.activation.socialFunction.value;
  return {
    status: 'issued',
    issuedAt: now,
    // The social function is enabled on handing over where the rules say so (SG-13, HN-15, FZ-31).
    socialEnabledAt: social === 'at_pickup' || social === 'before_handover' ? now : null,
    // Where no separate bank activation is needed (FZ-31), the account opened at the counter works
    // at once; a card sent by courier waits until the bank has reached the holder.
    financialActivatedAt:
      pack.activation.financialNeedsBankActivation.value || input.to === 'mail' ? null : now,
    expiresOn: expiryOf(card, pack, now),
  };
}

/**
 * The article that keeps a dead holder's card from being handed over: the pack's undeliverable
 * cards where death is one of them (ZS-17, HN-12, FZ-27), else its grounds for cancellation where
 * death is one (SG-18), else the platform default.
 */
export function deathCitation(pack: RulePack): Citation {
  const undeliverable = pack.unclaimed.undeliverable;
  const grounds = pack.cancellation.grounds;
  const candidates = [
    ...(undeliverable.value.includes('death') ? [undeliverable] : []),
    ...(grounds.value.includes('death') ? [grounds] : []),
  ];
  return citeDeciding(...(candidates.length ? candidates : [undeliverable]));
}

/** HN-6: ten years; SG-19: a temporary card lasts 90 days; elsewhere no expiry. */
function expiryOf(card: CardState, pack: RulePack, now: Date): string | null {
  const today = shanghaiDate(now);
  if (card.kind === 'temporary') {
    const v = pack.temporaryCard.validity.value;
    if (!v) return null;
    if (v.unit === 'days') return addDays(today, v.amount);
    if (v.unit === 'months') return addMonths(today, v.amount);
    if (v.unit === 'years') return addYears(today, v.amount);
    return today;
  }
  const years = pack.card.validityYears.value;
  return years ? addYears(today, years) : null;
}

// ---- activation (启用 / 激活) ------------------------------------------------------------

export function activate(
  card: CardState,
  pack: RulePack,
  fn: 'social' | 'financial',
  now: Date,
  place: ServicePlace,
): CardChange {
  requireIssued(card, pack, 'activated');
  blockIfStopped(card, pack, now, fn);
  if (fn === 'social') {
    if (card.socialEnabledAt)
      throw new DomainError(
        'FUNCTION_ALREADY_ACTIVE',
        { function: '社会保障' },
        cite(pack.activation.socialFunction),
      );
    requirePlace(pack, 'socialActivation', place);
    return { socialEnabledAt: now };
  }
  if (card.financialActivatedAt)
    throw new DomainError(
      'FUNCTION_ALREADY_ACTIVE',
      { function: '金融' },
      cite(pack.activation.financialNeedsBankActivation),
    );
  // SG-13, HN-15: the bank account is activated at the bank, not where the card was collected.
  requirePlace(pack, 'financialActivation', place);
  return { financialActivatedAt: now };
}

/**
 * A function is not activated while an act stops it, and the refusal cites the article that
 * stops it: the loss (`loss.effect`), the freeze or the stop (`effects`). A freeze that leaves
 * the bank account alone (HN-42) does not block the bank account's activation.
 */
function blockIfStopped(
  card: CardState,
  pack: RulePack,
  now: Date,
  fn: 'social' | 'financial',
): void {
  const stops = (fns: readonly CardFunction[]) => fns.includes(fn);
  const loss = effectiveLoss(card, pack, now);
  const refusal = (why: string, whyEn: string, citation: Citation) =>
    new DomainError('CARD_BLOCKED', { why, whyEn }, citation);
  if (loss.kind !== 'none' && stops(lossStops(pack)))
    throw refusal('已挂失', 'reported lost', cite(pack.loss.effect));
  if (card.frozenAt && stops(pack.effects.freeze.value))
    throw refusal('已冻结', 'frozen', citeDeciding(pack.effects.freeze, pack.suspension.forMisuse));
  if (card.suspendedAt && stops(pack.effects.suspension.value))
    throw refusal(
      '已停用',
      'suspended',
      citeDeciding(pack.effects.suspension, pack.suspension.onRequest),
    );
}

// ---- loss (挂失) and un-reporting (解挂) -------------------------------------------------

export interface LossInput {
  kind: 'temporary' | 'formal';
  /** `default`: the pack's term; `long`: until un-reported (HN-17). */
  term: 'default' | 'long';
}

export function reportLoss(
  card: CardState,
  pack: RulePack,
  input: LossInput,
  now: Date,
  place: ServicePlace,
): CardChange {
  requireIssued(card, pack, 'reported_lost');
  const current = effectiveLoss(card, pack, now);
  const rules = pack.loss;
  if (input.kind === 'temporary') {
    if (!rules.temporary.allowed.value)
      throw new DomainError('LOSS_NOT_ALLOWED', {}, cite(rules.temporary.allowed));
    if (current.kind !== 'none') throw new DomainError('LOSS_ALREADY_REPORTED');
    requirePlace(pack, 'temporaryLoss', place);
    if (input.term === 'long' && !rules.temporary.longTermOption.value) {
      // SH-18 sets the term (5 日): its words refuse an open-ended one, not the default.
      throw new DomainError(
        'LOSS_TERM_NOT_ALLOWED',
        {},
        citeDeciding(rules.temporary.longTermOption, rules.temporary.termDays),
      );
    }
    // "有效期为 5 日" (SH-18), "15日" (HN-17) read as N × 24 hours from the report: the term
    // runs to the same time of day, so a loss reported at night gets the full term. (Reading it as
    // days ending at midnight, as `dueAfter` counts deadlines, would shorten a late report.)
    const days = rules.temporary.termDays.value;
    const until =
      input.term === 'long' || days === null ? null : new Date(now.getTime() + days * DAY_MS);
    return { loss: { kind: 'temporary', since: now, until } };
  }
  if (current.kind === 'formal') throw new DomainError('LOSS_ALREADY_REPORTED');
  requirePlace(pack, 'formalLoss', place);
  // A formal loss within a temporary one, or directly (SH-18, HN-16): the social function stops.
  return { loss: { kind: 'formal', since: now } };
}

export interface UnreportInput {
  /** The holder brought the found card (SG-15, HN-19, FZ-34). */
  cardPresented?: boolean;
}

export function unreport(
  card: CardState,
  pack: RulePack,
  input: UnreportInput,
  now: Date,
  place: ServicePlace,
): CardChange {
  const rules = pack.loss.unreport;
  // Once a replacement has been applied for, the old card stays lost (ZS-13, SG-15, HN-19, FZ-34),
  // whether or not it has already ended: the cut-off is the article the holder needs to hear.
  if (card.replacementApplicationId && rules.cutoff.value === 'replacement_applied') {
    throw new DomainError('UNREPORT_AFTER_REPLACEMENT', {}, cite(rules.cutoff));
  }
  requireIssued(card, pack, 'unreported');
  const current = effectiveLoss(card, pack, now);
  if (current.kind === 'none') throw new DomainError('NOT_REPORTED_LOST');
  if (current.kind === 'formal' && rules.cutoff.value === 'formal_loss') {
    throw new DomainError('UNREPORT_AFTER_REPLACEMENT', {}, cite(rules.cutoff));
  }
  requirePlace(pack, 'unreport', place);
  if (rules.requiresCard.value && !input.cardPresented)
    throw new DomainError('CARD_REQUIRED_FOR_UNREPORT', {}, cite(rules.requiresCard));
  return { loss: { kind: 'none' } as LossState };
}

// ---- suspension (停用) and freezing (冻结 / 中止) ---------------------------------------

// `place` (places.suspension, places.freeze): omitted only by callers not yet passing it.

export function suspend(
  card: CardState,
  pack: RulePack,
  now: Date,
  place?: ServicePlace,
): CardChange {
  requireIssued(card, pack, 'suspended');
  if (!pack.suspension.onRequest.value)
    throw new DomainError('SUSPENSION_NOT_PROVIDED', {}, cite(pack.suspension.onRequest));
  if (card.suspendedAt) throw stateError('suspended', 'suspended');
  checkPlace(pack, 'suspension', place);
  return { suspendedAt: now };
}

export function resume(card: CardState, pack: RulePack, place?: ServicePlace): CardChange {
  requireIssued(card, pack, 'resumed');
  if (!card.suspendedAt) throw stateError('not_suspended', 'resumed');
  checkPlace(pack, 'suspension', place);
  return { suspendedAt: null };
}

export function freeze(
  card: CardState,
  pack: RulePack,
  now: Date,
  place?: ServicePlace,
): CardChange {
  requireIssued(card, pack, 'frozen');
  if (!pack.suspension.forMisuse.value)
    throw new DomainError('FREEZE_NOT_PROVIDED', {}, cite(pack.suspension.forMisuse));
  if (card.frozenAt) throw stateError('frozen', 'frozen');
  checkPlace(pack, 'freeze', place);
  return { frozenAt: now };
}

export function unfreeze(card: CardState, pack: RulePack, place?: ServicePlace): CardChange {
  requireIssued(card, pack, 'unfrozen');
  if (!card.frozenAt) throw stateError('not_frozen', 'unfrozen');
  checkPlace(pack, 'freeze', place);
  return { frozenAt: null };
}

// ---- the bank account after a cancellation (HN-27) ------------------------------------

/**
 * HN-27: the bank reports the account of a card cancelled on the holder's death closed. From
 * then the card has no function left and can be taken back and destroyed.
 */
export function closeBankAccount(card: CardState, pack: RulePack, now: Date): CardChange {
  if (!financialOutlivesCancellation(card, pack)) {
    throw new DomainError('CARD_STATE', {
      ...statusParams(card.status),
      act: '登记银行账户注销',
      actEn: 'given a bank account closure',
    });
  }
  return { bankAccountClosedAt: now };
}
