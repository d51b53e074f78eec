/**
 * Vendor production batches (FZ-20, FZ-22) and the return files of vendors and banks: every
 * query about them. A return file's content is sealed (a bank's holds ID and account numbers).
 */
import type { DataScope } from '@sscard/domain';
import { sql, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { Keyring } from '../../crypto/keyring.js';
import type { Database } from '../../db/database.js';
import { pageOf, type Paging } from '../../db/paging.js';
import type { DB } from '../../db/schema.js';
import type {
  ProductionBatchItemsTable,
  ProductionBatchesTable,
  ReturnFilesTable,
} from '../../db/schema-production.js';

export type BatchRow = Selectable<ProductionBatchesTable>;
export type BatchItemRow = Selectable<ProductionBatchItemsTable>;
export type ReturnFileRow = Selectable<ReturnFilesTable>;
type Executor = Database | Transaction<DB>;
type Trx = Transaction<DB>;

/** An application whose card waits for a production batch. */
export interface ProductionCandidate {
  application_id: string;
  card_no: string;
  person_id: string;
  branch_id: string;
}

export class ProductionRepository {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring,
  ) {}

  /**
   * Approved batch applications of a bank whose card is in production, with its bank account
   * open where the card has a financial account (temporary cards have none), in no live batch;
   * oldest approval first. Locked, so two batches never take the same card.
   */
  async candidates(
    trx: Trx,
    f: { jurisdiction: string; bankId: string; limit: number },
  ): Promise<ProductionCandidate[]> {
    return trx
      .selectFrom('applications as a')
      .innerJoin('cards as c', 'c.card_no', 'a.card_no')
      .where('a.jurisdiction', '=', f.jurisdiction)
      .where('a.bank_id', '=', f.bankId)
      .where('a.status', '=', 'in_production')
      .where('a.production', '=', 'batch')
      .where('c.status', '=', 'in_production')
      .where((eb) =>
        eb.or([eb('c.kind', '=', 'temporary'), eb('c.bank_account_hmac', 'is not', null)]),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('production_batch_items as i')
              .select('i.seq')
              .whereRef('i.card_no', '=', 'c.card_no')
              .where('i.result', '<>', 'failed'),
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

  async insertBatch(trx: Trx, row: Omit<BatchRow, 'succeeded' | 'failed'>): Promise<void> {
    await trx.insertInto('production_batches').values(row).execute();
  }

  async insertItems(trx: Trx, rows: Omit<BatchItemRow, 'result'>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('production_batch_items')
        .values(rows.slice(i, i + 500))
        .execute();
  }

  async find(id: string, db: Executor = this.db, lock = false): Promise<BatchRow | undefined> {
    let q = db.selectFrom('production_batches').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async update(trx: Trx, id: string, columns: Updateable<ProductionBatchesTable>, now: Date) {
    await trx
      .updateTable('production_batches')
      .set({ ...columns, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async items(batchId: string, db: Executor = this.db): Promise<BatchItemRow[]> {
    return db
      .selectFrom('production_batch_items')
      .selectAll()
      .where('batch_id', '=', batchId)
      .orderBy('seq')
      .execute();
  }

  async updateItem(
    trx: Trx,
    batchId: string,
    seq: number,
    columns: Updateable<ProductionBatchItemsTable>,
  ) {
    await trx
      .updateTable('production_batch_items')
      .set(columns)
      .where('batch_id', '=', batchId)
      .where('seq', '=', seq)
      .execute();
  }

  /** The batches in a data scope, newest first (a vendor sees its own). */
  async list(
    scope: DataScope,
    f: { status?: BatchRow['status'] | undefined },
    paging: Paging,
  ): Promise<{ items: BatchRow[]; total: number }> {
    let q = this.db.selectFrom('production_batches');
    if (scope.kind === 'jurisdiction') q = q.where('jurisdiction', 'like', `${scope.prefix}%`);
    if (scope.kind === 'bank') q = q.where('bank_id', '=', scope.bankId);
    if (scope.kind === 'organization') q = q.where('vendor_id', '=', scope.organizationId);
    if (f.status) q = q.where('status', '=', f.status);
    return pageOf(q, (x) => x.selectAll().orderBy('created_at', 'desc').orderBy('id'), paging);
  }

  /** The organisations' codes and names, for files and answers. */
  async orgs(ids: string[], db: Executor = this.db) {
    if (ids.length === 0) return new Map<string, { code: string; name: string }>();
    const rows = await db
      .selectFrom('organizations')
      .select(['id', 'code', 'name'])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name }]));
  }

  // ---- return files (vendors' and banks') ---------------------------------------------------

  async insertReturnFile(
    trx: Trx,
    row: Omit<ReturnFileRow, 'content_enc' | 'result' | 'imported_at' | 'status'>,
    content: string,
  ): Promise<void> {
    await trx
      .insertInto('return_files')
      .values({
        ...row,
        status: 'stored',
        result: null,
        imported_at: null,
        content_enc: this.keyring.encrypt(content, `return_files.content:${row.id}`),
      })
      .execute();
  }

  async findReturnFile(id: string, db: Executor = this.db, lock = false) {
    let q = db.selectFrom('return_files').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async findReturnFileBySha(kind: 'vendor' | 'bank', sha256: string, db: Executor = this.db) {
    return db
      .selectFrom('return_files')
      .selectAll()
      .where('kind', '=', kind)
      .where('sha256', '=', sha256)
      .executeTakeFirst();
  }

  openReturnFile(row: ReturnFileRow): string {
    return this.keyring.decrypt(row.content_enc, `return_files.content:${row.id}`);
  }

  /** Imported: the summary kept, the sealed content dropped (it is no longer needed). */
  async markReturnFileImported(trx: Trx, id: string, result: object, now: Date) {
    await trx
      .updateTable('return_files')
      .set({
        status: 'imported',
        result: JSON.stringify(result),
        imported_at: now,
        content_enc: sql<string>`''`,
      })
      .where('id', '=', id)
      .execute();
  }
}
