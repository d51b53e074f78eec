/**
 * What the card service does on its own, without anyone at a counter:
 * - unclaimed cards (未领卡, 睡眠卡): a card still in stock past the pack's limit (ZS-17 six months
 *   after production, SG-12 twelve months after the pickup date, HN-12 180 days, FZ-27 six
 *   months) gets the pack's action: cancelled (ZS, FZ, which also destroys it later at a counter),
 *   or recorded as recovered and held (HN) or returned to the management department (SG), in
 *   which two cases it stays in stock and can still be handed over;
 * - automatic cancellation (ZS-15): the card of a holder who died is cancelled once the pack's
 *   period has passed since the death, if nobody applied to cancel it.
 * Each is a pure decision here; `cards.sweep` (server jobs) finds the cards and applies it.
 */
import type { Citation } from '../errors/domain-error.js';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import { citationOf } from '../rules/registry.js';
import type { RulePack } from '../rules/schema.js';
import type { UnclaimedAction } from '../rules/vocabulary.js';
import { startOfShanghaiDay, type LocalDate } from '../time/local-date.js';
import { dueAfter } from './due.js';

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
