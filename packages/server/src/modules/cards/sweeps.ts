/**
 * The daily card sweep (job `cards.sweep`): finds the cards whose pack says the service must act
 * on its own, and has `CardsService` act on each, one transaction and one audit record per card,
 * in the platform's name. The rule (is it due, what follows) is the domain's
 * (`lifecycle/sweeps.ts`) and is checked again inside each act, so a card handed over or
 * cancelled at a counter meanwhile is left alone; the sweep asks first, so a card not due costs
 * no transaction. Candidates come through partial indexes
 * (migration 0007) in batches, keyed by card number, so a sweep resumes where it stopped.
 */
import {
  automaticCancellationDue,
  bankAccountClosureDue,
  delayNoticeDue,
  unclaimedDecision,
} from '@sscard/domain';
import type { AlertsService } from '../alerts/alerts.service.js';
import { toCardState } from './cards.repository.js';
import type { ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import type { CardsService } from './cards.service.js';

const BATCH = 200;

export interface SweepReport {
  /** Cards in stock looked at, and those marked unclaimed (of which ended: cancelled). */
  inStock: number;
  unclaimed: number;
  unclaimedEnded: number;
  /** Live cards of holders who died, looked at, and those cancelled (ZS-15). */
  ofDeceased: number;
  cancelled: number;
  /** Cards made but not handed over whose holder died, given the pack's action (ZS-17, HN-12, FZ-27). */
  undeliverable: number;
  /** HN-27: bank accounts of cards cancelled on death not closed within the pack's period. */
  accountClosureOverdue: number;
  /** FZ-23: late cards whose applicant was not told. */
  delayNoticeDue: number;
}

export async function sweepCards(
  deps: Pick<Deps, 'repos' | 'clock' | 'calendar' | 'rules'>,
  cards: CardsService,
  alerts: Pick<AlertsService, 'raise'>,
  ctx: ActContext,
): Promise<SweepReport> {
  const report: SweepReport = {
    inStock: 0,
    unclaimed: 0,
    unclaimedEnded: 0,
    ofDeceased: 0,
    cancelled: 0,
    undeliverable: 0,
    accountClosureOverdue: 0,
    delayNoticeDue: 0,
  };
  const now = deps.clock.now();
  const calendar = await deps.calendar.calendar();
  const packOf = (jurisdiction: string) => deps.rules.resolve(jurisdiction, now).pack;
  const repo = deps.repos.cards;
  for await (const c of batches((after) => repo.inStockUnswept(after, BATCH))) {
    report.inStock += 1;
    const events = { producedAt: c.produced_at, stockedAt: c.stocked_at, pickupDueAt: c.due_at };
    if (!unclaimedDecision(events, packOf(c.jurisdiction), calendar, now)) continue;
    const card = await cards.markUnclaimed(c.card_no, ctx);
    if (!card) continue;
    report.unclaimed += 1;
    if (card.status === 'cancelled') report.unclaimedEnded += 1;
  }
  for await (const c of batches((after) => repo.liveOfDeceased(after, BATCH))) {
    report.ofDeceased += 1;
    if (c.status !== 'issued') {
      if (await cards.markUndeliverable(c.card_no, {}, ctx, true)) report.undeliverable += 1;
      continue;
    }
    const due = automaticCancellationDue(c.died_on!, packOf(c.jurisdiction), calendar);
    if (!due || now <= due.due) continue;
    if (await cards.cancelAutomatically(c.card_no, ctx)) report.cancelled += 1;
  }
  for await (const c of batches((after) => repo.awaitingAccountClosure(after, BATCH))) {
    const pack = packOf(c.jurisdiction);
    const due = bankAccountClosureDue(toCardState(c, pack.code), pack, calendar);
    if (!due || now <= due.due) continue;
    report.accountClosureOverdue += 1;
    await alerts.raise({
      kind: 'card.account_closure_overdue',
      jurisdiction: c.jurisdiction,
      severity: 'warning',
      key: c.card_no,
      details: { cardNo: c.card_no, due: due.due.toISOString(), rule: due.citation.rule },
      message: `bank account of card ${c.card_no} not closed by ${due.due.toISOString()} (${due.citation.rule})`,
    });
  }
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const late = await deps.repos.applications.lateWithoutNotice(now, after, BATCH);
    for (const a of late) {
      const pack = deps.rules.resolve(a.jurisdiction, a.submitted_at).pack;
      const owed = delayNoticeDue(
        { dueAt: a.due_at, issuedAt: a.issued_at, noticeGivenAt: a.delay_notice_at },
        pack,
        now,
      );
      if (!owed) continue;
      report.delayNoticeDue += 1;
      await alerts.raise({
        kind: 'application.delay_notice_due',
        jurisdiction: a.jurisdiction,
        severity: 'warning',
        key: a.id,
        details: {
          applicationId: a.id,
          dueAt: owed.overdueSince.toISOString(),
          rule: owed.citation.rule,
        },
        message: `application ${a.id} is late and its applicant was not told (${owed.citation.rule})`,
      });
    }
    if (late.length < BATCH) break;
    after = late[late.length - 1]!.id;
  }
  return report;
}

/** Cards, a batch at a time, each batch after the last card number of the one before. */
async function* batches<T extends { card_no: string }>(
  next: (after: string) => Promise<T[]>,
): AsyncGenerator<T> {
  let after = '';
  for (;;) {
    const rows = await next(after);
    yield* rows;
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.card_no;
  }
}
