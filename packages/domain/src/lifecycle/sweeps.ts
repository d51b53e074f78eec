/**
 * What the card service does on its own, without anyone at a counter:
 * - unclaimed cards (未领卡, 睡眠卡): a card still in stock past the pack's limit (ZS-17 six months
 *   after production, SG-12 twelve months after the pickup date, HN-12 180 days, FZ-27 six
 *   months) gets the pack's action: cancelled (ZS, FZ, which also destroys it later at a counter),
 *   or recorded as recovered and held (HN) or returned to the management department (SG), in
 *   which two cases it stays in stock and can still be handed over;
 * - automatic cancellation (ZS-15): the card of a holder who died is cancelled once the pack's
 *   period has passed since the death, if nobody applied to cancel it;
 * - undeliverable cards (ZS-17(二), HN-12, FZ-27): a card made but not handed over whose applicant
 *   died, moved away for work, settled abroad, or whose production failed, gets the pack's action
 *   when the fact is recorded and in the daily sweep;
 * - the bank account after a cancellation (HN-27): due for closure 180 days after it;
 * - the delay notice (FZ-23): a card not issued by its due date is flagged until the applicant
 *   has been told.
 * Each is a pure decision here; `cards.sweep` (server jobs) finds the cards and applies it.
 */
import type { Citation } from '../errors/domain-error.js';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import { citationOf } from '../rules/registry.js';
import type { RulePack } from '../rules/schema.js';
import type { UnclaimedAction, UndeliverableReason } from '../rules/vocabulary.js';
import { startOfShanghaiDay, type LocalDate } from '../time/local-date.js';
import type { CardState } from './card.js';
import { dueAfter } from './due.js';
import { financialOutlivesCancellation } from './usability.js';

/** The events of a card in stock that an unclaimed-card limit may run from. */
export interface StockEvents {
  producedAt: Date | null;
  stockedAt: Date | null;
  /** The pickup time on the application receipt (申领回执): the application's due date. */
  pickupDueAt: Date | null;
}

export interface UnclaimedDecision {
  /** When the limit ran out. */
  since: Date;
  action: UnclaimedAction;
  /** Whether the action ends the card (cancel, cancel_and_destroy). */
  ends: boolean;
  citation: Citation;
}

/** Actions that end the card; the others record where it went and leave it in stock. */
const ENDING: readonly UnclaimedAction[] = ['cancel', 'cancel_and_destroy'];

/** Whether a card in stock is unclaimed at `now` under the pack, and what follows. */
export function unclaimedDecision(
  events: StockEvents,
  pack: RulePack,
  calendar: WorkingDayCalendar,
  now: Date,
): UnclaimedDecision | null {
  const { after, action } = pack.unclaimed;
  if (!after.value || !action.value) return null;
  const start = startOf(after.value.from, events);
  if (!start) return null;
  const { due } = dueAfter(start, after.value, calendar);
  if (now <= due) return null;
  return {
    since: due,
    action: action.value,
    ends: ENDING.includes(action.value),
    citation: citationOf(after.source),
  };
}

function startOf(from: string, e: StockEvents): Date | null {
  switch (from) {
    case 'production_complete':
      return e.producedAt ?? e.stockedAt;
    case 'ready_for_pickup':
      return e.stockedAt;
    case 'pickup_due':
      return e.pickupDueAt ?? e.stockedAt;
    default:
      return e.stockedAt;
  }
}

/**
 * ZS-15: when the card of a holder who died on `diedOn` is due for automatic cancellation, or
 * null where the pack provides none.
 */
export function automaticCancellationDue(
  diedOn: LocalDate,
  pack: RulePack,
  calendar: WorkingDayCalendar,
): { due: Date; citation: Citation } | null {
  const after = pack.cancellation.automaticAfter;
  if (!after.value) return null;
  const { due } = dueAfter(startOfShanghaiDay(diedOn), after.value, calendar);
  return { due, citation: citationOf(after.source) };
}

/** What is known of an applicant whose card is made but not handed over. */
export interface UndeliverableFacts {
  /** The recorded date of death. */
  diedOn?: LocalDate | null | undefined;
  /** 工作调动: moved away for work. */
  jobTransfer?: boolean | undefined;
  /** 出国（境）定居: settled abroad. */
  settledAbroad?: boolean | undefined;
  /** 制卡失败: the card's production failed (the vendor's return file, FZ-20). */
  productionFailed?: boolean | undefined;
}

export interface UndeliverableDecision {
  reason: UndeliverableReason;
  action: UnclaimedAction;
  /** Whether the action ends the card (ZS-17 cancel, FZ-27 cancel and destroy). */
  ends: boolean;
  /** FZ-27: recovered and destroyed as well (a waste card, FZ-36). */
  destroy: boolean;
  citation: Citation;
}

const FACTS: [UndeliverableReason, (f: UndeliverableFacts) => boolean][] = [
  ['death', (f) => !!f.diedOn],
  ['emigration', (f) => !!f.settledAbroad],
  ['job_transfer', (f) => !!f.jobTransfer],
  ['production_failure', (f) => !!f.productionFailed],
];

/**
 * ZS-17(二), HN-12, FZ-27: what to do with a card that was made (or failed) but never handed over
 * when its applicant died, moved away for work, settled abroad, or its production failed. Null
 * when the card is no longer in the service's hands, no listed fact holds, or the pack sets no
 * action (then the card just waits in stock; a dead holder's card is still never issued, see
 * `issue`). The citation is the article naming the action.
 */
export function undeliverableDecision(
  card: Pick<CardState, 'status'>,
  facts: UndeliverableFacts,
  pack: RulePack,
): UndeliverableDecision | null {
  if (card.status !== 'in_production' && card.status !== 'in_stock') return null;
  const { undeliverable, undeliverableAction } = pack.unclaimed;
  const action = undeliverableAction.value;
  if (!action) return null;
  const found = FACTS.find(
    ([reason, holds]) => undeliverable.value.includes(reason) && holds(facts),
  );
  if (!found) return null;
  return {
    reason: found[0],
    action,
    ends: ENDING.includes(action),
    destroy: action === 'cancel_and_destroy',
    citation: citationOf(undeliverableAction.source),
  };
}

/**
 * HN-27: the bank account of a card cancelled on its holder's death is to be closed within 180
 * days of the cancellation; until then the card is kept (the agent collects benefits through it).
 * Null when nothing outlives the card's cancellation or the pack sets no period.
 */
export function bankAccountClosureDue(
  card: CardState,
  pack: RulePack,
  calendar: WorkingDayCalendar,
): { due: Date; citation: Citation } | null {
  const within = pack.cancellation.bankAccountClosureWithin;
  if (!within.value || !card.endedAt || !financialOutlivesCancellation(card, pack)) return null;
  const { due } = dueAfter(card.endedAt, within.value, calendar);
  return { due, citation: citationOf(within.source) };
}

/** An application's card as the delay-notice duty sees it. */
export interface DelayNoticeFacts {
  /** When the card is due (the application's deadline). */
  dueAt: Date | null;
  /** When it was handed over (or sent by courier), if yet. */
  issuedAt: Date | null;
  /** When the applicant was told of the delay, if yet. */
  noticeGivenAt: Date | null;
}

/**
 * FZ-23: 因特殊情况需延期发放的，应及时通知申领人. A card past its due date and not yet issued
 * needs the notice; the platform flags it (it does not refuse the late card, which would punish
 * the applicant for the bank's delay). Null where nothing is owed.
 */
export function delayNoticeDue(
  facts: DelayNoticeFacts,
  pack: RulePack,
  now: Date,
): { overdueSince: Date; citation: Citation } | null {
  const rule = pack.production.delayNotice;
  if (!rule.value || !facts.dueAt || facts.issuedAt || facts.noticeGivenAt) return null;
  if (now <= facts.dueAt) return null;
  return { overdueSince: facts.dueAt, citation: citationOf(rule.source) };
}
