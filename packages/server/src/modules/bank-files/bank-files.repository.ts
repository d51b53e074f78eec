/** Bank account opening by file (FZ-18(四)(五)): every query about request batches and rows. */
import type { DataScope } from '@sscard/domain';
import type { Selectable, Transaction, Updateable } from 'kysely';
import type { Database } from '../../db/database.js';
import { pageOf, type Paging } from '../../db/paging.js';
import type { DB } from '../../db/schema.js';
import type { BankFileBatchesTable, BankFileRowsTable } from '../../db/schema-production.js';

export type BankFileRow = Selectable<BankFileBatchesTable>;
export type BankFileLine = Selectable<BankFileRowsTable>;
type Executor = Database | Transaction<DB>;
type Trx = Transaction<DB>;

export class BankFilesRepository {
  constructor(private readonly db: Database) {}

  /**
   * Cards of the bank being made without their account yet (the bank opens accounts by file),
   * whose application is in production, in no live request; oldest approval first, locked.
   */
  async candidates(trx: Trx, f: { jurisdiction: string; bankId: string; limit: number }) {
    return trx
      .selectFrom('applications as a')
      .innerJoin('cards as c', 'c.card_no', 'a.card_no')
      .where('a.jurisdiction', '=', f.jurisdiction)
      .where('a.bank_id', '=', f.bankId)
      .where('a.status', '=', 'in_production')
      .where('c.status', '=', 'in_production')
      .where('c.kind', '=', 'regular')
      .where('c.bank_account_hmac', 'is', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('bank_file_rows as r')
              .select('r.seq')
              .whereRef('r.card_no', '=', 'c.card_no')
              .where('r.result', '<>', 'refused'),
          ),
        ),
      )
      .select(['a.id as application_id', 'c.card_no', 'a.person_id', 'a.branch_id'])
      .orderBy('a.approved_at')
      .orderBy('a.id')
      .limit(f.limit)
      .forUpdate('a')
      .skipLocked()
      .execute();
  }

  async insertBatch(trx: Trx, row: Omit<BankFileRow, 'succeeded' | 'failed'>) {
    await trx.insertInto('bank_file_batches').values(row).execute();
  }

  async insertRows(trx: Trx, rows: Omit<BankFileLine, 'result'>[]) {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('bank_file_rows')
        .values(rows.slice(i, i + 500))
        .execute();
  }

  async find(id: string, db: Executor = this.db, lock = false): Promise<BankFileRow | undefined> {
    let q = db.selectFrom('bank_file_batches').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async update(trx: Trx, id: string, columns: Updateable<BankFileBatchesTable>, now: Date) {
    await trx
      .updateTable('bank_file_batches')
      .set({ ...columns, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async rows(batchId: string, db: Executor = this.db): Promise<BankFileLine[]> {
    return db
      .selectFrom('bank_file_rows')
      .selectAll()
      .where('batch_id', '=', batchId)
      .orderBy('seq')
      .execute();
  }

  async updateRow(trx: Trx, batchId: string, seq: number, columns: Updateable<BankFileRowsTable>) {
    await trx
      .updateTable('bank_file_rows')
      .set(columns)
      .where('batch_id', '=', batchId)
      .where('seq', '=', seq)
      .execute();
  }

  async list(scope: DataScope, paging: Paging) {
    let q = this.db.selectFrom('bank_file_batches');
    if (scope.kind === 'jurisdiction') q = q.where('jurisdiction', 'like', `${scope.prefix}%`);
    if (scope.kind === 'bank') q = q.where('bank_id', '=', scope.bankId);
    if (scope.kind === 'organization') q = q.where('bank_id', '=', scope.organizationId);
    return pageOf(q, (x) => x.selectAll().orderBy('created_at', 'desc').orderBy('id'), paging);
  }

  /** Whether a bank opens accounts online or by file (organisation data, 0019). */
  async setAccountOpening(trx: Trx, bankId: string, mode: 'online' | 'file') {
    await trx
      .updateTable('organizations')
      .set({ account_opening: mode })
      .where('id', '=', bankId)
      .execute();
  }
}
