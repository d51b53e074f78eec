/** Registered terminals and card readers (读写卡终端): every query about them. */
import type { DataScope } from '@sscard/domain';
import type { Selectable, Transaction, Updateable } from 'kysely';
import type { Database } from '../../db/database.js';
import type { DB, TerminalsTable } from '../../db/schema.js';
import { pageOf } from '../../db/paging.js';

export type TerminalRow = Selectable<TerminalsTable> & {
  organization_name: string;
  organization_kind: string;
  organization_bank_id: string | null;
};
export type TerminalColumns = Updateable<TerminalsTable>;
type Executor = Database | Transaction<DB>;

export class TerminalsRepository {
  constructor(private readonly db: Database) {}

  private base(db: Executor) {
    return db
      .selectFrom('terminals as t')
      .innerJoin('organizations as o', 'o.id', 't.organization_id')
      .selectAll('t')
      .select([
        'o.name as organization_name',
        'o.kind as organization_kind',
        'o.bank_id as organization_bank_id',
      ]);
  }

  async findById(
    id: string,
    db: Executor = this.db,
    lock = false,
  ): Promise<TerminalRow | undefined> {
    let q = this.base(db).where('t.id', '=', id);
    if (lock) q = q.forUpdate('t');
    return q.executeTakeFirst();
  }

  async insert(trx: Transaction<DB>, row: TerminalsTable & { status?: never }): Promise<void> {
    await trx.insertInto('terminals').values(row).execute();
  }

  async update(trx: Transaction<DB>, id: string, columns: TerminalColumns, now: Date) {
    await trx
      .updateTable('terminals')
      .set((eb) => ({ ...columns, version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .execute();
  }

  /** The terminals of the organisations in a data scope, newest first. */
  async list(
    scope: DataScope,
    f: { organizationId?: string | undefined; status?: TerminalRow['status'] | undefined },
    paging: { limit: number; offset: number },
  ): Promise<{ items: TerminalRow[]; total: number }> {
    let q = this.db
      .selectFrom('terminals as t')
      .innerJoin('organizations as o', 'o.id', 't.organization_id');
    if (scope.kind === 'jurisdiction') q = q.where('o.jurisdiction', 'like', `${scope.prefix}%`);
    if (scope.kind === 'bank') q = q.where('o.bank_id', '=', scope.bankId);
    if (scope.kind === 'organization') q = q.where('o.id', '=', scope.organizationId);
    if (f.organizationId) q = q.where('t.organization_id', '=', f.organizationId);
    if (f.status) q = q.where('t.status', '=', f.status);
    return pageOf(
      q,
      (filtered) =>
        filtered
          .selectAll('t')
          .select([
            'o.name as organization_name',
            'o.kind as organization_kind',
            'o.bank_id as organization_bank_id',
          ])
          .orderBy('t.registered_at', 'desc')
          .orderBy('t.id'),
      paging,
    );
  }
}
