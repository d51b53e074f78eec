/**
 * The card fee (工本费) for an application, from the pack's `fees` section. Integers in fen only.
 * The answer cites the article that sets or delegates the charge, and the one that waives it.
 */
import { DomainError, type Citation } from '../errors/domain-error.js';
import { citationOf } from '../rules/registry.js';
import type { RulePack } from '../rules/schema.js';
import type { ApplicationKind, ChangeReason, Hardship } from '../rules/vocabulary.js';
import { addMonths, addYears, isLocalDate, type LocalDate } from '../time/local-date.js';
import { UNCONFIGURED_FEE_FEN, type FeeItem, type FeeSchedule } from './schedule.js';

export interface FeeRequest {
  pack: RulePack;
  kind: ApplicationKind;
  /** Why a card is changed or reissued. */
  reason?: ChangeReason;
  /** The day of the act (Asia/Shanghai). */
  today: LocalDate;
  /** 发卡日期 of the card being changed (SG-17 warranty). */
  cardIssuedOn?: LocalDate;
  /** The day the holder received that card (FZ-33 one-month grace); defaults to cardIssuedOn. */
  cardPickedUpOn?: LocalDate;
  person?: { hardship: 'none' | Hardship };
  /** The person's first card in this jurisdiction, whatever the kind (not for temporary cards). */
  isFirstCard?: boolean;
  /** SG-19: a temporary card is reissued because the earlier one was lost or damaged. */
  temporaryCardLostOrDamaged?: boolean;
  schedule?: FeeSchedule;
}

export type FeeExemptionKind = 'hardship' | 'free_reason' | 'warranty' | 'quality_defect_grace';

export interface FeeQuote {
  /** Whole fen; never a float. */
  amountFen: number;
  basis: 'free' | 'fixed' | 'configured';
  item: FeeItem;
  /** The article that sets (or delegates) the charge for this item. */
  citation: Citation;
  /** Present when a charge was waived, with the waiving article. */
  exemption?: { kind: FeeExemptionKind; citation: Citation };
  /** Present when the amount came from configuration rather than the regulation. */
  configuration?: { key: string; source: 'schedule' | 'unconfigured' };
}

export function computeFee(request: FeeRequest): FeeQuote {
  const { pack, kind } = request;
  for (const field of ['today', 'cardIssuedOn', 'cardPickedUpOn'] as const) {
    const value = request[field];
    if (value !== undefined && !isLocalDate(value)) {
      throw new DomainError('VALIDATION', { summary: `${field} is not a date: ${value}` });
    }
  }
  if (!pack.application.kinds.value.includes(kind)) {
    throw new DomainError(
      'FEE_KIND_NOT_OFFERED',
      { jurisdiction: pack.code, kind },
      citationOf(pack.application.kinds.source),
    );
  }
  if (kind === 'temporary') {
    return charge(
      request,
      request.temporaryCardLostOrDamaged ? 'temporaryLostOrDamaged' : 'temporary',
    );
  }
  if (kind === 'first' || request.isFirstCard) return charge(request, 'first');

  const base = charge(request, kind);
  if (base.basis === 'free') return base;
  const exemption = findExemption(request, kind);
  if (!exemption) return base;
  const { configuration: _amountNotUsed, ...rest } = base;
  return { ...rest, amountFen: 0, basis: 'free', exemption };
}

function charge(request: FeeRequest, item: FeeItem): FeeQuote {
  const { pack } = request;
  const param = pack.fees[item];
  const citation = citationOf(param.source);
  const value = param.value;
  if (value === 'not_offered') {
    throw new DomainError(
      'FEE_KIND_NOT_OFFERED',
      { jurisdiction: pack.code, kind: item },
      citation,
    );
  }
  if (value === 'free') return { amountFen: 0, basis: 'free', item, citation };
  if (typeof value === 'object') return { amountFen: value.fen, basis: 'fixed', item, citation };
  const configured = request.schedule?.[pack.code]?.[item];
  return {
    amountFen: configured ?? UNCONFIGURED_FEE_FEN,
    basis: 'configured',
    item,
    citation,
    configuration: {
      key: `${pack.code}.${item}`,
      source: configured === undefined ? 'unconfigured' : 'schedule',
    },
  };
}

function findExemption(
  request: FeeRequest,
  kind: 'replacement' | 'change' | 'reissue',
): FeeQuote['exemption'] {
  const { pack, reason, today } = request;
  const fees = pack.fees;

  const hardship = request.person?.hardship;
  if (hardship && hardship !== 'none' && fees.hardshipExempt.value.includes(hardship)) {
    return { kind: 'hardship', citation: citationOf(fees.hardshipExempt.source) };
  }
  if (reason && kind !== 'replacement' && fees.freeReasons.value.includes(reason)) {
    return { kind: 'free_reason', citation: citationOf(fees.freeReasons.source) };
  }
  const warranty = fees.warranty.value;
  if (
    warranty &&
    warranty.kinds.includes(kind) &&
    reason &&
    !warranty.excludedReasons.includes(reason)
  ) {
    const issued = required(request, 'cardIssuedOn');
    if (today <= addYears(issued, warranty.maxCardAgeYears)) {
      return { kind: 'warranty', citation: citationOf(fees.warranty.source) };
    }
  }
  const grace = fees.qualityDefectGrace.value;
  if (grace && kind === 'change' && reason && grace.reasons.includes(reason)) {
    const pickedUp = request.cardPickedUpOn ?? required(request, 'cardIssuedOn');
    if (today <= addMonths(pickedUp, grace.months)) {
      return { kind: 'quality_defect_grace', citation: citationOf(fees.qualityDefectGrace.source) };
    }
  }
  return undefined;
}

function required(request: FeeRequest, field: 'cardIssuedOn'): LocalDate {
  const value = request[field];
  if (value === undefined) {
    throw new DomainError('FEE_INPUT_MISSING', { jurisdiction: request.pack.code, field });
  }
  return value;
}
