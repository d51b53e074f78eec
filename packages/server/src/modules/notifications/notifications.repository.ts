/**
 * Every query of the notifications outbox (`notifications`, migration 0016; docs/NOTIFICATIONS.md).
 * Messages of state changes are written by database triggers in the act's transaction; the daily
 * reminders through `write` (the same SQL function, so the same dedupe key and delivery job). A
 * delivery claims its message (`sending`) before calling the gateway and marks it `sent` after;
 * every write is guarded by the status it expects, so a message sent is never claimed again.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../db/transact.js';

export const NOTIFICATION_KINDS = [
  'card_ready',
  'pickup_reminder',
  'loss_lapse',
  'application_rejected',
  'ecard_issued',
  'ecard_suspended',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_STATUSES = ['queued', 'sending', 'sent', 'failed', 'dead'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface NotificationRow {
  id: string;
  person_id: string;
  jurisdiction: string;
  kind: NotificationKind;
  channel: string;
  payload: Record<string, unknown>;
  status: NotificationStatus;
  attempts: number;
  next_attempt_at: Date;
  locked_at: Date | null;
  last_error: string | null;
  sent_at: Date | null;
  dedupe_key: string;
  created_at: Date;
}

export interface NotificationListRow extends NotificationRow {
  person_name: string;
}

export class NotificationsRepository {
  constructor(private readonly db: Database) {}

  /** Writes a message and its delivery job once per dedupe key; true when it was new. */
  async write(
    trx: Trx,
    m: {
      personId: string;
      jurisdiction: string;
      kind: NotificationKind;
      payload: Record<string, unknown>;
      dedupeKey: string;
      at: Date;
    },
  ): Promise<boolean> {
    const before = await sql<{ n: number }>`
      select count(*)::int as n from notifications where dedupe_key = ${m.dedupeKey}`.execute(trx);
    if (Number(before.rows[0]?.n ?? 0) > 0) return false;
    await sql`select sscard_notify(${m.personId}::uuid, ${m.jurisdiction}, ${m.kind},
      ${JSON.stringify(m.payload)}::jsonb, ${m.dedupeKey}, ${m.at}::timestamptz)`.execute(trx);
    return true;
  }

  async find(id: string): Promise<NotificationRow | undefined> {
    const r = await sql<NotificationRow>`select * from notifications where id = ${id}`.execute(
      this.db,
    );
    return r.rows[0];
  }

  /**
   * Takes a message for one delivery attempt: queued or failed, or `sending` whose claim is older
   * than `staleBefore` (its node died mid-delivery: sent again with the same message id, which the
   * gateway drops when it already has it). A message `sent` or `dead` is never taken.
   */
  async claim(id: string, now: Date, staleBefore: Date): Promise<NotificationRow | undefined> {
    const r = await sql<NotificationRow>`
      update notifications set status = 'sending', attempts = attempts + 1, locked_at = ${now}
      where id = (select id from notifications where id = ${id}
                    and (status in ('queued', 'failed')
                         or (status = 'sending' and locked_at < ${staleBefore}))
                  for update skip locked)
      returning *`.execute(this.db);
    return r.rows[0];
  }

  async markSent(id: string, now: Date): Promise<boolean> {
    const r = await sql`update notifications set status = 'sent', sent_at = ${now},
        locked_at = null, last_error = null
      where id = ${id} and status = 'sending'`.execute(this.db);
    return Number(r.numAffectedRows ?? 0) > 0;
  }

  async markFailed(id: string, error: string, next: Date | null): Promise<void> {
    await sql`update notifications set status = ${next ? 'failed' : 'dead'}, last_error = ${error},
        next_attempt_at = coalesce(${next}, next_attempt_at), locked_at = null
      where id = ${id} and status = 'sending'`.execute(this.db);
  }

  async list(
    filter: {
      jurisdiction: string | 'all';
      kind?: NotificationKind | undefined;
      status?: NotificationStatus | undefined;
    },
    page: { limit: number; offset: number },
  ): Promise<{ items: NotificationListRow[]; total: number }> {
    const where = [
      filter.jurisdiction === 'all'
        ? sql`true`
        : sql`n.jurisdiction like ${filter.jurisdiction + '%'}`,
    ];
    if (filter.kind) where.push(sql`n.kind = ${filter.kind}`);
    if (filter.status) where.push(sql`n.status = ${filter.status}`);
    const cond = sql.join(where, sql` and `);
    const rows = await sql<NotificationListRow>`
      select n.*, p.name as person_name from notifications n join persons p on p.id = n.person_id
      where ${cond} order by n.created_at desc, n.id
      limit ${page.limit} offset ${page.offset}`.execute(this.db);
    const count = await sql<{ n: number }>`
      select count(*)::int as n from notifications n where ${cond}`.execute(this.db);
    return { items: rows.rows, total: Number(count.rows[0]?.n ?? 0) };
  }

  /** Regular cards in stock, not handed over nor marked unclaimed, by card number. */
  async inStock(after: string, limit: number) {
    const r = await sql<{
      card_no: string;
      person_id: string;
      jurisdiction: string;
      branch_id: string | null;
      produced_at: Date | null;
      stocked_at: Date | null;
      due_at: Date | null;
    }>`
      select c.card_no, c.person_id, c.jurisdiction, c.branch_id, c.produced_at, c.stocked_at,
             a.due_at
      from cards c join applications a on a.id = c.application_id
      where c.status = 'in_stock' and c.kind = 'regular' and c.unclaimed_at is null
        and c.card_no > ${after}
      order by c.card_no limit ${limit}`.execute(this.db);
    return r.rows;
  }

  /** Cards under a temporary loss, by card number. */
  async temporaryLosses(after: string, limit: number) {
    const r = await sql<{
      card_no: string;
      person_id: string;
      jurisdiction: string;
      loss_since: Date;
      loss_until: Date | null;
    }>`
      select card_no, person_id, jurisdiction, loss_since, loss_until from cards
      where loss_kind = 'temporary' and loss_since is not null
        and status not in ('cancelled', 'destroyed', 'replaced') and card_no > ${after}
      order by card_no limit ${limit}`.execute(this.db);
    return r.rows;
  }

  /** A branch's name, for a message (public information). */
  async branchName(id: string): Promise<string | undefined> {
    const r = await sql<{ name: string }>`select name from organizations where id = ${id}`.execute(
      this.db,
    );
    return r.rows[0]?.name;
  }
}
