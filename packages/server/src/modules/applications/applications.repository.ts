/** Applications and their checks at rest; the agent's document number and a mail address are sealed. */
import { OPEN_APPLICATION_STATUSES } from '@sscard/domain';
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Keyring } from '../../crypto/keyring.js';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../db/transact.js';
import { slices } from '../../lists.js';
import type { ApplicationChecksTable, ApplicationsTable } from '../../db/schema.js';

export type ApplicationRow = Selectable<ApplicationsTable>;
export type CheckRow = Selectable<ApplicationChecksTable>;
type Executor = Database | Trx;

export class ApplicationsRepository {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring,
  ) {}

  async find(
    id: string,
    db: Executor = this.db,
    forUpdate = false,
  ): Promise<ApplicationRow | undefined> {
    let q = db.selectFrom('applications').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  checks(id: string, db: Executor = this.db): Promise<CheckRow[]> {
    return db
      .selectFrom('application_checks')
      .selectAll()
      .where('application_id', '=', id)
      .orderBy('agency')
      .execute();
  }

  listForPerson(personId: string, db: Executor = this.db): Promise<ApplicationRow[]> {
    return db
      .selectFrom('applications')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('submitted_at', 'desc')
      .execute();
  }

  openForPerson(trx: Executor, personId: string, jurisdiction: string): Promise<ApplicationRow[]> {
    return trx
      .selectFrom('applications')
      .selectAll()
      .where('person_id', '=', personId)
      .where('jurisdiction', '=', jurisdiction)
      .where('status', 'in', OPEN_APPLICATION_STATUSES as ApplicationRow['status'][])
      .execute();
  }

  /** The open applications of many persons at once (a roster chunk). */
  openForPersons(
    trx: Executor,
    personIds: string[],
    jurisdiction: string,
  ): Promise<ApplicationRow[]> {
    if (!personIds.length) return Promise.resolve([]);
    return trx
      .selectFrom('applications')
      .selectAll()
      .where('person_id', 'in', personIds)
      .where('jurisdiction', '=', jurisdiction)
      .where('status', 'in', OPEN_APPLICATION_STATUSES as ApplicationRow['status'][])
      .execute();
  }

  async insertMany(trx: Trx, rows: Insertable<ApplicationsTable>[]): Promise<void> {
    for (const part of slices(rows, 400))
      await trx.insertInto('applications').values(part).execute();
  }

  async insert(trx: Trx, row: Insertable<ApplicationsTable>): Promise<void> {
    await trx.insertInto('applications').values(row).execute();
  }

  async insertChecks(trx: Trx, rows: Selectable<ApplicationChecksTable>[]): Promise<void> {
    for (const part of slices(rows, 2000))
      await trx.insertInto('application_checks').values(part).execute();
  }

  async updateCheck(
    trx: Trx,
    id: string,
    agency: string,
    set: Updateable<ApplicationChecksTable>,
  ): Promise<void> {
    await trx
      .updateTable('application_checks')
      .set(set)
      .where('application_id', '=', id)
      .where('agency', '=', agency)
      .execute();
  }

  async update(
    trx: Trx,
    id: string,
    set: Omit<Updateable<ApplicationsTable>, 'id' | 'version' | 'updated_at'>,
    now: Date,
  ): Promise<void> {
    await trx
      .updateTable('applications')
      .set({ ...set, version: sql<number>`version + 1`, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  /** Open applications past their due date, their card not handed over, nobody told (FZ-23). */
  lateWithoutNotice(now: Date, after: string, limit: number) {
    return this.db
      .selectFrom('applications')
      .select(['id', 'jurisdiction', 'due_at', 'issued_at', 'delay_notice_at', 'submitted_at'])
      .where('status', 'in', ['approved', 'in_production', 'in_stock'])
      .where('due_at', '<', now)
      .where('delay_notice_at', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Closes the applications among `ids` whose card waits in stock (a card never collected). */
  async closeInStock(trx: Trx, ids: string[], now: Date): Promise<void> {
    if (!ids.length) return;
    await trx
      .updateTable('applications')
      .set({
        status: 'withdrawn',
        closed_at: now,
        updated_at: now,
        version: sql<number>`version + 1`,
      })
      .where('id', 'in', ids)
      .where('status', '=', 'in_stock')
      .execute();
  }

  seal(id: string, column: 'agent_id_number' | 'delivery_address', value: string): string {
    return this.keyring.encrypt(value, `applications.${column}:${id}`);
  }

  open(
    id: string,
    column: 'agent_id_number' | 'delivery_address',
    value: string | null,
  ): string | null {
    return value === null ? null : this.keyring.decrypt(value, `applications.${column}:${id}`);
  }
}
