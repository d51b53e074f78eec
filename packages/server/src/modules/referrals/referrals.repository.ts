/**
 * Referrals from the 12333 / 12345 hotlines (FZ-46): every query. The caller's name and phone,
 * when the hotline passes them on, are sealed here with the keyring (bound to the referral);
 * the summary is the centre's own words and should carry no personal data.
 */
import type { DataScope } from '@sscard/domain';
import type { Selectable, Updateable } from 'kysely';
import type { Keyring } from '../../crypto/keyring.js';
import type { Database } from '../../db/database.js';
import type { ReferralsTable } from '../../db/schema-backoffice.js';
import type { Trx } from '../../db/transact.js';
import { pageOf } from '../../db/paging.js';

type Executor = Database | Trx;

export type ReferralRow = Omit<Selectable<ReferralsTable>, 'caller_enc'> & {
  assigned_name: string | null;
  assigned_jurisdiction: string | null;
  caller: { name: string | null; phone: string | null } | null;
};
export type ReferralColumns = Updateable<ReferralsTable>;

export class ReferralsRepository {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring,
  ) {}

  private base(db: Executor) {
    return db
      .selectFrom('referrals as r')
      .leftJoin('organizations as o', 'o.id', 'r.assigned_to')
      .selectAll('r')
      .select(['o.name as assigned_name', 'o.jurisdiction as assigned_jurisdiction']);
  }

  private open(
    row: Selectable<ReferralsTable> & {
      assigned_name: string | null;
      assigned_jurisdiction: string | null;
    },
  ): ReferralRow {
    const { caller_enc, ...rest } = row;
    return {
      ...rest,
      caller: caller_enc
        ? (JSON.parse(this.keyring.decrypt(caller_enc, `referrals.caller:${row.id}`)) as {
            name: string | null;
            phone: string | null;
          })
        : null,
    };
  }

  sealCaller(
    id: string,
    caller: { name?: string | null; phone?: string | null } | null,
  ): string | null {
    if (!caller || (!caller.name && !caller.phone)) return null;
    return this.keyring.encrypt(
      JSON.stringify({ name: caller.name ?? null, phone: caller.phone ?? null }),
      `referrals.caller:${id}`,
    );
  }

  async findById(
    id: string,
    db: Executor = this.db,
    lock = false,
  ): Promise<ReferralRow | undefined> {
    let q = this.base(db).where('r.id', '=', id);
    if (lock) q = q.forUpdate('r');
    const row = await q.executeTakeFirst();
    return row && this.open(row);
  }

  async findByTicket(hotline: string, ticketNo: string, db: Executor = this.db) {
    return db
      .selectFrom('referrals')
      .select('id')
      .where('hotline', '=', hotline as ReferralsTable['hotline'])
      .where('ticket_no', '=', ticketNo)
      .executeTakeFirst();
  }

  async insert(trx: Trx, row: Omit<ReferralsTable, 'escalations' | 'version'>): Promise<void> {
    await trx.insertInto('referrals').values(row).execute();
  }

  async update(trx: Trx, id: string, columns: ReferralColumns, now: Date): Promise<void> {
    await trx
      .updateTable('referrals')
      .set((eb) => ({ ...columns, version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .execute();
  }

  /**
   * The referrals an actor may see: the centre's jurisdiction, or those assigned to an
   * organisation in the actor's scope (a bank sees its own and its branches').
   */
  async list(
    scope: DataScope,
    f: { status?: ReferralsTable['status'] | undefined; overdueOn?: string | undefined },
    paging: { limit: number; offset: number },
  ): Promise<{ items: ReferralRow[]; total: number }> {
    let q = this.db
      .selectFrom('referrals as r')
      .leftJoin('organizations as o', 'o.id', 'r.assigned_to');
    if (scope.kind === 'jurisdiction') q = q.where('r.jurisdiction', 'like', `${scope.prefix}%`);
    if (scope.kind === 'bank') q = q.where('o.bank_id', '=', scope.bankId);
    if (scope.kind === 'organization') q = q.where('r.assigned_to', '=', scope.organizationId);
    if (f.status) q = q.where('r.status', '=', f.status);
    if (f.overdueOn) q = q.where('r.status', '=', 'assigned').where('r.due_on', '<', f.overdueOn);
    const page = await pageOf(
      q,
      (filtered) =>
        filtered
          .selectAll('r')
          .select(['o.name as assigned_name', 'o.jurisdiction as assigned_jurisdiction'])
          .orderBy('r.recorded_at', 'desc')
          .orderBy('r.id'),
      paging,
    );
    return { items: page.items.map((r) => this.open(r)), total: page.total };
  }

  /** Assigned, unanswered, past their due day and not yet escalated today: the daily job's work. */
  async toEscalate(today: string, dayStart: Date, db: Executor = this.db): Promise<string[]> {
    const rows = await db
      .selectFrom('referrals')
      .select('id')
      .where('status', '=', 'assigned')
      .where('due_on', '<', today)
      .where((eb) => eb.or([eb('escalated_at', 'is', null), eb('escalated_at', '<', dayStart)]))
      .orderBy('due_on')
      .limit(5000)
      .execute();
    return rows.map((r) => r.id);
  }
}
