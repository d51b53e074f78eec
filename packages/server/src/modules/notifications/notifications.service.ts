/**
 * The notifications outbox (issue 14, item 7; docs/NOTIFICATIONS.md).
 *
 * - Messages of state changes (card ready for pickup, application rejected, e-card issued or
 *   suspended) are written by database triggers (migration 0016) in the act's transaction, each
 *   with its `notify.deliver` job: every path that changes a card writes them, with no code in
 *   the acts.
 * - Reminders (a card not picked up before the pack's unclaimed limit; a temporary loss about to
 *   lapse) are written by the daily jobs `notifications.pickup_reminder` and
 *   `notifications.loss_lapse`, one act per batch.
 * - `notify.deliver` (a queue job) claims the message, opens the phone number from the sealed
 *   person record, renders the text and sends it through the notify adapter; a failure is retried
 *   by the queue with backoff, and the last one leaves the message `dead`.
 */
import {
  DomainError,
  addDays,
  maskName,
  shanghaiDate,
  startOfShanghaiDay,
  unclaimedDecision,
} from '@sscard/domain';
import type { NotifyAdapter } from '../../adapters/notify/notify-adapter.js';
import type { ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import type { DbQueue } from '../../jobs/queue-runner.js';
import type { QueueHandler } from '../../jobs/queue.js';
import {
  type NotificationKind,
  type NotificationListRow,
  type NotificationStatus,
} from './notifications.repository.js';
import { renderMessage, type TemplateData } from './templates.js';

/**
 * Documented defaults (the regulations say nothing of reminders): a pickup reminder
 * `PICKUP_REMINDER_DAYS_BEFORE` days before the pack's unclaimed limit; where a pack sets no
 * limit, one reminder `PICKUP_REMINDER_DAYS_AFTER_STOCK` days after the card arrived at its branch.
 * A lapsing temporary loss is told `LOSS_LAPSE_DAYS_BEFORE` day(s) before it lapses.
 */
export const PICKUP_REMINDER_DAYS_BEFORE = 7;
export const PICKUP_REMINDER_DAYS_AFTER_STOCK = 30;
export const LOSS_LAPSE_DAYS_BEFORE = 1;
/** A delivery claimed this long ago whose node said nothing since is tried again (same message id). */
export const DELIVERY_LEASE_MS = 10 * 60_000;

const DAY = 86_400_000;
const BATCH = 200;
const FAR_FUTURE = new Date(8.64e15);

export class NotificationsService {
  constructor(
    private readonly deps: Deps,
    private readonly notify: NotifyAdapter,
    private readonly queue: DbQueue,
  ) {}

  private get repo() {
    return this.deps.repos.notifications;
  }

  /** The delivery of one message: `notify.deliver`, payload `{ notificationId }`. */
  readonly deliver: QueueHandler = async (job, env) => {
    const id = String(job.payload.notificationId ?? '');
    const now = this.deps.clock.now();
    const n = await this.repo.claim(id, now, new Date(now.getTime() - DELIVERY_LEASE_MS));
    if (!n) {
      const current = await this.repo.find(id);
      // Another node is delivering it right now: try again after its lease.
      if (current?.status === 'sending') throw new Error('being delivered elsewhere');
      return { skipped: current?.status ?? 'missing' };
    }
    const person = await this.deps.repos.persons.findById(n.person_id);
    if (!person?.phone) {
      await this.repo.markFailed(id, 'no mobile number on record', null);
      return { sent: false, kind: n.kind, why: 'no mobile number on record' };
    }
    const text = renderMessage(n.kind, await this.templateData(n.payload));
    try {
      await this.notify.send({
        phone: person.phone,
        text,
        purpose: `notice.${n.kind}`,
        messageId: n.id,
      });
    } catch (e) {
      const last = env.attempt >= job.maxAttempts;
      const error = e instanceof DomainError ? e.code : 'delivery failed';
      await this.repo.markFailed(
        id,
        error,
        last ? null : new Date(now.getTime() + this.queue.backoff(env.attempt)),
      );
      throw new Error(error);
    }
    await this.repo.markSent(id, this.deps.clock.now());
    return { sent: true, kind: n.kind };
  };

  private async templateData(payload: Record<string, unknown>): Promise<TemplateData> {
    const str = (k: string) =>
      typeof payload[k] === 'string' ? (payload[k] as string) : undefined;
    const branchId = str('branchId');
    const branchName = branchId ? await this.repo.branchName(branchId) : undefined;
    const data: TemplateData = {};
    for (const [k, v] of [
      ['cardTail', str('cardTail')],
      ['reason', str('reason')],
      ['rule', str('rule')],
      ['until', str('until')],
      ['branchName', branchName],
    ] as const)
      if (v !== undefined) data[k] = v;
    return data;
  }

  /** Cards not picked up, reminded before the pack's unclaimed limit. */
  async remindPickup(ctx: ActContext): Promise<{ looked: number; reminded: number }> {
    const now = this.deps.clock.now();
    const calendar = await this.deps.calendar.calendar();
    let after = '';
    let looked = 0;
    let reminded = 0;
    for (;;) {
      const cards = await this.repo.inStock(after, BATCH);
      if (cards.length === 0) break;
      after = cards[cards.length - 1]!.card_no;
      looked += cards.length;
      const due = cards.flatMap((c) => {
        if (!c.stocked_at) return [];
        const stockedAt = new Date(c.stocked_at);
        const pack = this.deps.rules.resolve(c.jurisdiction, now).pack;
        const limit = unclaimedDecision(
          {
            producedAt: c.produced_at ? new Date(c.produced_at) : null,
            stockedAt,
            pickupDueAt: c.due_at ? new Date(c.due_at) : null,
          },
          pack,
          calendar,
          FAR_FUTURE,
        )?.since;
        const remindAt = limit
          ? new Date(limit.getTime() - PICKUP_REMINDER_DAYS_BEFORE * DAY)
          : new Date(stockedAt.getTime() + PICKUP_REMINDER_DAYS_AFTER_STOCK * DAY);
        if (now < remindAt || (limit && now >= limit)) return [];
        return [
          {
            personId: c.person_id,
            jurisdiction: c.jurisdiction,
            kind: 'pickup_reminder' as const,
            payload: {
              cardTail: c.card_no.slice(-4),
              branchId: c.branch_id,
              ...(limit ? { until: shanghaiDate(limit) } : {}),
            },
            dedupeKey: `pickup_reminder:${c.card_no}:${Math.floor(stockedAt.getTime() / 1000)}`,
          },
        ];
      });
      reminded += await this.write(ctx, 'notifications.pickup_reminder', due);
    }
    return { looked, reminded };
  }

  /** Temporary losses about to lapse (the pack's temporary-loss term). */
  async remindLossLapse(ctx: ActContext): Promise<{ looked: number; reminded: number }> {
    const now = this.deps.clock.now();
    let after = '';
    let looked = 0;
    let reminded = 0;
    for (;;) {
      const cards = await this.repo.temporaryLosses(after, BATCH);
      if (cards.length === 0) break;
      after = cards[cards.length - 1]!.card_no;
      looked += cards.length;
      const due = cards.flatMap((c) => {
        const since = new Date(c.loss_since);
        const term = this.deps.rules.resolve(c.jurisdiction, since).pack.loss.temporary.termDays
          .value;
        const until = c.loss_until
          ? new Date(c.loss_until)
          : term
            ? startOfShanghaiDay(addDays(shanghaiDate(since), term))
            : null;
        if (!until) return [];
        if (now < new Date(until.getTime() - LOSS_LAPSE_DAYS_BEFORE * DAY) || now >= until)
          return [];
        return [
          {
            personId: c.person_id,
            jurisdiction: c.jurisdiction,
            kind: 'loss_lapse' as const,
            payload: { cardTail: c.card_no.slice(-4), until: shanghaiDate(until) },
            dedupeKey: `loss_lapse:${c.card_no}:${Math.floor(since.getTime() / 1000)}`,
          },
        ];
      });
      reminded += await this.write(ctx, 'notifications.loss_lapse', due);
    }
    return { looked, reminded };
  }

  private async write(
    ctx: ActContext,
    action: string,
    messages: {
      personId: string;
      jurisdiction: string;
      kind: NotificationKind;
      payload: Record<string, unknown>;
      dedupeKey: string;
    }[],
  ): Promise<number> {
    if (messages.length === 0) return 0;
    return this.deps.acts.run(ctx, {
      name: 'notifications.remind',
      action,
      resource: 'installation',
      load: async () => true,
      target: () => ({ type: 'installation', id: null, jurisdiction: null }),
      apply: async ({ trx, now }) => {
        let written = 0;
        for (const m of messages) if (await this.repo.write(trx, { ...m, at: now })) written += 1;
        return { result: written, details: { candidates: messages.length, written } };
      },
    });
  }

  /** The outbox for the centre (masked: the holder's name, never the number). */
  async list(
    ctx: ActContext,
    filter: { kind?: NotificationKind | undefined; status?: NotificationStatus | undefined },
    page: { limit: number; offset: number },
  ) {
    const scope = ctx.actor!.scope;
    const jurisdiction =
      scope.kind === 'all' ? ('all' as const) : scope.kind === 'jurisdiction' ? scope.prefix : null;
    if (jurisdiction === null) return { items: [], total: 0 };
    const r = await this.repo.list({ jurisdiction, ...filter }, page);
    return { items: r.items.map(presentNotification), total: r.total };
  }
}

export function presentNotification(n: NotificationListRow) {
  const p = n.payload ?? {};
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return {
    id: n.id,
    kind: n.kind,
    channel: n.channel,
    status: n.status,
    attempts: n.attempts,
    jurisdiction: n.jurisdiction,
    holder: maskName(n.person_name),
    cardTail: typeof p.cardTail === 'string' ? p.cardTail : null,
    reason: typeof p.reason === 'string' ? p.reason : null,
    rule: typeof p.rule === 'string' ? p.rule : null,
    until: typeof p.until === 'string' ? p.until : null,
    lastError: n.last_error,
    createdAt: iso(n.created_at)!,
    nextAttemptAt: iso(n.next_attempt_at),
    sentAt: iso(n.sent_at),
  };
}
