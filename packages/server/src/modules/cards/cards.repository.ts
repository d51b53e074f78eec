/**
 * Cards at rest. The bank account number is sealed like other personal data (AAD bound to the
 * card) with a blind index for exact lookups; everything else is plain state.
 */
import type { CardChange, CardState, LossState } from '@sscard/domain';
import type { InferResult, Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Keyring } from '../../crypto/keyring.js';
import type { Database, PreparedQuery } from '../../db/database.js';
import type { Trx } from '../../db/transact.js';
import { slices } from '../../lists.js';
import type { CardsTable } from '../../db/schema.js';

export type CardRow = Selectable<CardsTable>;
type Executor = Database | Trx;

/** Columns beyond the domain's state that an act may set. */
export type CardColumns = Omit<Updateable<CardsTable>, 'card_no' | 'version' | 'updated_at'>;

/**
 * Every column of a card, by name, in the table's order. A prepared statement's answer may not
 * change shape: one that said `cards.*` would fail on a node still running when a migration adds
 * a column.
 */
const CARD_COLUMNS = everyColumn<CardsTable>()([
  'card_no',
  'person_id',
  'jurisdiction',
  'kind',
  'application_id',
  'generation',
  'bank_id',
  'branch_id',
  'bank_account_enc',
  'bank_account_hmac',
  'status',
  'has_photo',
  'produced_at',
  'stocked_at',
  'issued_at',
  'issued_to',
  'expires_on',
  'social_enabled_at',
  'financial_activated_at',
  'loss_kind',
  'loss_since',
  'loss_until',
  'suspended_at',
  'frozen_at',
  'frozen_reason',
  'pin_hash',
  'pin_failures',
  'pin_locked_at',
  'pin_changed_at',
  'replacement_application_id',
  'replaced_by',
  'ended_at',
  'end_reason',
  'cancel_evidence',
  'returned_at',
  'destroyed_at',
  'ecard_issued_at',
  'version',
  'updated_at',
  'unclaimed_at',
  'unclaimed_action',
  'undeliverable_reason',
  'bank_account_closed_at',
]);

/** The list as given, which the type check refuses if it leaves out a column of `T`. */
function everyColumn<T>() {
  return <const C extends readonly (keyof T & string)[]>(
    columns: C & ([Exclude<keyof T, C[number]>] extends [never] ? unknown : never),
  ): C => columns;
}

/** A card with the organisation that took its application (`findWithAcceptedBy`). */
function withAcceptedBy(db: Database, cardNo: string) {
  return db
    .selectFrom('cards')
    .select(CARD_COLUMNS)
    .select((eb) =>
      eb
        .selectFrom('applications as a')
        .select('a.accepted_by')
        .whereRef('a.id', '=', 'cards.application_id')
        .whereRef('a.person_id', '=', 'cards.person_id')
        .as('application_accepted_by'),
    )
    .where('cards.card_no', '=', cardNo);
}

export class CardsRepository {
  /** The SQL of `findWithAcceptedBy`, built once by Kysely and prepared once per connection. */
  private readonly withAcceptedBySql: string;

  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring,
    private readonly prepared: PreparedQuery,
  ) {
    this.withAcceptedBySql = withAcceptedBy(db, '').compile().sql;
  }

  async find(
    cardNo: string,
    db: Executor = this.db,
    forUpdate = false,
  ): Promise<CardRow | undefined> {
    let q = db.selectFrom('cards').selectAll().where('card_no', '=', cardNo);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /**
   * A card with what deciding access to it needs besides the row, in one prepared statement (the
   * staff's card read): the organisation that took its application (`accepting`). The application
   * is the holder's own (a card is made from its application, for the same person, and never
   * moves), so the subquery stays with the holder's rows.
   */
  async findWithAcceptedBy(
    cardNo: string,
  ): Promise<{ row: CardRow; acceptedBy: string | null } | undefined> {
    const [found] = await this.prepared<InferResult<ReturnType<typeof withAcceptedBy>>[number]>(
      'card_with_accepted_by',
      this.withAcceptedBySql,
      [cardNo],
    );
    if (!found) return undefined;
    const { application_accepted_by: acceptedBy, ...row } = found;
    return { row, acceptedBy: acceptedBy ?? null };
  }

  listForPerson(personId: string, db: Executor = this.db): Promise<CardRow[]> {
    return db
      .selectFrom('cards')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('produced_at', 'desc')
      .execute();
  }

  /** The cards of many persons at once (a roster chunk). */
  listForPersons(personIds: string[], db: Executor = this.db): Promise<CardRow[]> {
    if (!personIds.length) return Promise.resolve([]);
    return db.selectFrom('cards').selectAll().where('person_id', 'in', personIds).execute();
  }

  /** Reserves `n` consecutive serials at once: answers the first (the rest follow it). */
  async nextSerials(
    trx: Trx,
    jurisdiction: string,
    kind: 'regular' | 'temporary',
    n: number,
  ): Promise<number> {
    const row = await trx
      .insertInto('card_serials')
      .values({ jurisdiction, kind, last_value: n })
      .onConflict((oc) =>
        oc
          .columns(['jurisdiction', 'kind'])
          .doUpdateSet({ last_value: sql<number>`card_serials.last_value + ${n}` }),
      )
      .returning('last_value')
      .executeTakeFirstOrThrow();
    return Number(row.last_value) - n + 1;
  }

  async insertMany(trx: Trx, rows: Insertable<CardsTable>[]): Promise<void> {
    for (const part of slices(rows, 400)) await trx.insertInto('cards').values(part).execute();
  }

  async nextSerial(trx: Trx, jurisdiction: string, kind: 'regular' | 'temporary'): Promise<number> {
    const row = await trx
      .insertInto('card_serials')
      .values({ jurisdiction, kind, last_value: 1 })
      .onConflict((oc) =>
        oc
          .columns(['jurisdiction', 'kind'])
          .doUpdateSet({ last_value: sql<number>`card_serials.last_value + 1` }),
      )
      .returning('last_value')
      .executeTakeFirstOrThrow();
    return Number(row.last_value);
  }

  async insert(trx: Trx, row: Insertable<CardsTable>): Promise<void> {
    await trx.insertInto('cards').values(row).execute();
  }

  /** Regular cards in stock the daily sweep has not marked, by card number (a batch after `after`). */
  inStockUnswept(after: string, limit: number) {
    return this.db
      .selectFrom('cards as c')
      .innerJoin('applications as a', 'a.id', 'c.application_id')
      .select(['c.card_no', 'c.jurisdiction', 'c.produced_at', 'c.stocked_at', 'a.due_at'])
      .where('c.status', '=', 'in_stock')
      .where('c.unclaimed_at', 'is', null)
      .where('c.kind', '=', 'regular')
      .where('c.card_no', '>', after)
      .orderBy('c.card_no')
      .limit(limit)
      .execute();
  }

  /** Live regular cards of holders whose death is recorded, by card number. */
  liveOfDeceased(after: string, limit: number) {
    return this.db
      .selectFrom('cards as c')
      .innerJoin('persons as p', 'p.id', 'c.person_id')
      .select(['c.card_no', 'c.jurisdiction', 'c.status', 'p.died_on'])
      .where('p.died_on', 'is not', null)
      .where('c.status', 'in', ['in_production', 'in_stock', 'issued'])
      .where('c.kind', '=', 'regular')
      .where('c.card_no', '>', after)
      .orderBy('c.card_no')
      .limit(limit)
      .execute();
  }

  /** HN-27: cards cancelled on their holder's death whose bank account is not yet closed. */
  awaitingAccountClosure(after: string, limit: number) {
    return this.db
      .selectFrom('cards')
      .selectAll()
      .where('status', '=', 'cancelled')
      .where('end_reason', '=', 'death')
      .where('bank_account_closed_at', 'is', null)
      .where('bank_account_enc', 'is not', null)
      .where('card_no', '>', after)
      .orderBy('card_no')
      .limit(limit)
      .execute();
  }

  /** A person's cards made but not handed over (production or stock). */
  async pendingOf(personId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('cards')
      .select('card_no')
      .where('person_id', '=', personId)
      .where('status', 'in', ['in_production', 'in_stock'])
      .execute();
    return rows.map((r) => r.card_no);
  }

  /** The organisation that took the card's application (for access: `accepting`). */
  async acceptedBy(applicationId: string, db: Executor = this.db): Promise<string | null> {
    const row = await db
      .selectFrom('applications')
      .select('accepted_by')
      .where('id', '=', applicationId)
      .executeTakeFirst();
    return row?.accepted_by ?? null;
  }

  /**
   * SG-19: the holder's live temporary cards in a jurisdiction end when the card itself is
   * received; answers their applications, so the caller can close those never collected.
   */
  async endTemporaryCards(
    trx: Trx,
    personId: string,
    jurisdiction: string,
    now: Date,
  ): Promise<string[]> {
    const ended = await trx
      .updateTable('cards')
      .set({
        status: 'cancelled',
        ended_at: now,
        end_reason: 'regular_card_received',
        updated_at: now,
        version: sql<number>`version + 1`,
      })
      .where('person_id', '=', personId)
      .where('jurisdiction', '=', jurisdiction)
      .where('kind', '=', 'temporary')
      .where('status', 'in', ['in_stock', 'issued'])
      .returning('application_id')
      .execute();
    return ended.map((c) => c.application_id);
  }

  async update(trx: Trx, cardNo: string, columns: CardColumns, now: Date): Promise<void> {
    await trx
      .updateTable('cards')
      .set({ ...columns, version: sql<number>`version + 1`, updated_at: now })
      .where('card_no', '=', cardNo)
      .execute();
  }

  sealAccount(
    cardNo: string,
    accountNo: string,
  ): { bank_account_enc: string; bank_account_hmac: Buffer } {
    return {
      bank_account_enc: this.keyring.encrypt(accountNo, `cards.bank_account:${cardNo}`),
      bank_account_hmac: this.keyring.blindIndex('bank_account', accountNo),
    };
  }

  openAccount(row: CardRow): string | null {
    return row.bank_account_enc
      ? this.keyring.decrypt(row.bank_account_enc, `cards.bank_account:${row.card_no}`)
      : null;
  }
}

export function toLoss(row: CardRow): LossState {
  if (row.loss_kind === 'temporary')
    return { kind: 'temporary', since: row.loss_since!, until: row.loss_until };
  if (row.loss_kind === 'formal') return { kind: 'formal', since: row.loss_since! };
  return { kind: 'none' };
}

/** The domain's view of a stored card; `jurisdiction` is the pack's short code. */
export function toCardState(row: CardRow, shortCode: string): CardState {
  return {
    cardNo: row.card_no,
    jurisdiction: shortCode,
    kind: row.kind,
    status: row.status,
    hasPhoto: row.has_photo,
    issuedAt: row.issued_at,
    expiresOn: row.expires_on,
    socialEnabledAt: row.social_enabled_at,
    financialActivatedAt: row.financial_activated_at,
    loss: toLoss(row),
    suspendedAt: row.suspended_at,
    frozenAt: row.frozen_at,
    pinSet: row.pin_hash !== null,
    pinFailures: row.pin_failures,
    pinLockedAt: row.pin_locked_at,
    replacementApplicationId: row.replacement_application_id,
    endedAt: row.ended_at,
    bankAccountClosedAt: row.bank_account_closed_at,
  };
}

/** The domain's change as columns. */
export function toColumns(change: CardChange): CardColumns {
  const c: CardColumns = {};
  if (change.status !== undefined) c.status = change.status;
  if (change.issuedAt !== undefined) c.issued_at = change.issuedAt;
  if (change.expiresOn !== undefined) c.expires_on = change.expiresOn;
  if (change.socialEnabledAt !== undefined) c.social_enabled_at = change.socialEnabledAt;
  if (change.financialActivatedAt !== undefined)
    c.financial_activated_at = change.financialActivatedAt;
  if (change.suspendedAt !== undefined) c.suspended_at = change.suspendedAt;
  if (change.frozenAt !== undefined) c.frozen_at = change.frozenAt;
  if (change.pinFailures !== undefined) c.pin_failures = change.pinFailures;
  if (change.pinLockedAt !== undefined) c.pin_locked_at = change.pinLockedAt;
  if (change.bankAccountClosedAt !== undefined)
    c.bank_account_closed_at = change.bankAccountClosedAt;
  if (change.loss !== undefined) {
    const loss = change.loss;
    c.loss_kind = loss.kind;
    c.loss_since = loss.kind === 'none' ? null : loss.since;
    c.loss_until = loss.kind === 'temporary' ? loss.until : null;
  }
  return c;
}
