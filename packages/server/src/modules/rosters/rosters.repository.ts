/**
 * Rosters at rest: the roster, its sealed upload (AES-256-GCM, the roster id as associated data)
 * and one outcome per data row. Rows are written many at a time (one multi-row INSERT per chunk),
 * idempotent by (roster_id, row_no).
 */
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Keyring } from '../../crypto/keyring.js';
import type { Database } from '../../db/database.js';
import { pageOf } from '../../db/paging.js';
import type { Trx } from '../../db/transact.js';
import type { RosterRowsTable, RostersTable } from '../../db/schema-rosters.js';

type Savepoint = 'roster_row' | 'roster_chunk';

export type RosterRow = Selectable<RostersTable>;
export type RosterLine = Selectable<RosterRowsTable>;
type Executor = Database | Trx;

export class RostersRepository {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring,
  ) {}

  find(id: string, db: Executor = this.db, forUpdate = false): Promise<RosterRow | undefined> {
    let q = db.selectFrom('rosters').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /** The roster of the same file from the same unit, if it was imported before. */
  findSameFile(
    trx: Executor,
    jurisdiction: string,
    unitKey: string,
    sha256: string,
  ): Promise<RosterRow | undefined> {
    return trx
      .selectFrom('rosters')
      .selectAll()
      .where('jurisdiction', '=', jurisdiction)
      .where('unit_key', '=', unitKey)
      .where('file_sha256', '=', sha256)
      .executeTakeFirst();
  }

  async insert(trx: Trx, row: Insertable<RostersTable>, file: Uint8Array): Promise<void> {
    await trx.insertInto('rosters').values(row).execute();
    await trx
      .insertInto('roster_files')
      .values({
        roster_id: row.id,
        file_enc: this.keyring.encryptBytes(Buffer.from(file), `roster_files.sealed:${row.id}`),
      })
      .execute();
  }

  async update(trx: Trx, id: string, changes: Updateable<RostersTable>, now: Date): Promise<void> {
    await trx
      .updateTable('rosters')
      .set({ ...changes, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  /** A savepoint around a chunk's or one row's writes: a refusal is undone without the rest. */
  async savepoint(trx: Trx, name: Savepoint = 'roster_row'): Promise<void> {
    await sql`savepoint ${sql.id(name)}`.execute(trx);
  }
  async releaseSavepoint(trx: Trx, name: Savepoint = 'roster_row'): Promise<void> {
    await sql`release savepoint ${sql.id(name)}`.execute(trx);
  }
  async rollbackToSavepoint(trx: Trx, name: Savepoint = 'roster_row'): Promise<void> {
    await sql`rollback to savepoint ${sql.id(name)}`.execute(trx);
  }

  /** The uploaded file, opened. */
  async file(id: string, db: Executor = this.db): Promise<Uint8Array | undefined> {
    const row = await db
      .selectFrom('roster_files')
      .select('file_enc')
      .where('roster_id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const plain = this.keyring.decryptBytes(Buffer.from(row.file_enc), `roster_files.sealed:${id}`);
    return new Uint8Array(plain.buffer, plain.byteOffset, plain.length);
  }

  /** One multi-row INSERT per chunk; a row already recorded (a resumed chunk) is kept. */
  async insertRows(trx: Trx, rows: Insertable<RosterRowsTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) {
      await trx
        .insertInto('roster_rows')
        .values(rows.slice(i, i + 1000))
        .onConflict((oc) => oc.columns(['roster_id', 'row_no']).doNothing())
        .execute();
    }
  }

  list(
    filter: { jurisdictions: string[] | null; bankId: string | null },
    page: { limit: number; offset: number },
  ): Promise<{ items: RosterRow[]; total: number }> {
    let q = this.db.selectFrom('rosters');
    if (filter.jurisdictions) q = q.where('jurisdiction', 'in', filter.jurisdictions);
    if (filter.bankId) q = q.where('bank_id', '=', filter.bankId);
    return pageOf(q, (x) => x.selectAll().orderBy('created_at', 'desc').orderBy('id'), page);
  }

  rows(
    id: string,
    outcome: 'accepted' | 'refused' | undefined,
    page: { limit: number; offset: number },
  ): Promise<RosterLine[]> {
    let q = this.db.selectFrom('roster_rows').selectAll().where('roster_id', '=', id);
    if (outcome) q = q.where('outcome', '=', outcome);
    return q.orderBy('row_no').limit(page.limit).offset(page.offset).execute();
  }

  async countRows(id: string, outcome?: 'accepted' | 'refused'): Promise<number> {
    let q = this.db
      .selectFrom('roster_rows')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('roster_id', '=', id);
    if (outcome) q = q.where('outcome', '=', outcome);
    return (await q.executeTakeFirstOrThrow()).n;
  }

  /** Every row's outcome, in file order, in pages (the report streams through them). */
  async *allRows(id: string, pageSize = 5000): AsyncGenerator<RosterLine> {
    let after = 0;
    for (;;) {
      const page = await this.db
        .selectFrom('roster_rows')
        .selectAll()
        .where('roster_id', '=', id)
        .where('row_no', '>', after)
        .orderBy('row_no')
        .limit(pageSize)
        .execute();
      for (const r of page) yield r;
      if (page.length < pageSize) return;
      after = page[page.length - 1]!.row_no;
    }
  }
}
