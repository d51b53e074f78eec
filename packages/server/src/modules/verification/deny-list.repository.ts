/**
 * The offline deny-list at rest (migration 0011): `deny_list` holds one row per card number that
 * was ever listed, with the list version in which the row last changed; `deny_list_state` the
 * current version and how far the last build looked. A build runs in one transaction holding the
 * state row's lock (`locked`), so builds on several nodes follow one another and one change
 * never makes two versions.
 */
import type { CardState, LocalDate, LossState } from '@sscard/domain';
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import { inTransaction } from '../../db/pglite-dialect.js';
import type { Trx } from '../../db/transact.js';
import type { CardRow } from '../cards/cards.repository.js';

export interface DenyListState {
  version: number;
  /** The instant of the last build (the cards it looked at are those changed before it). */
  builtThrough: Date | null;
  /** Its Shanghai calendar day (expiries are by day). */
  builtOn: LocalDate | null;
}

/** The columns of a card that its listing depends on (what `usability` reads). */
const CARD_COLUMNS = [
  'c.card_no',
  'c.jurisdiction',
  'c.kind',
  'c.status',
  'c.has_photo',
  'c.issued_at',
  'c.expires_on',
  'c.social_enabled_at',
  'c.financial_activated_at',
  'c.loss_kind',
  'c.loss_since',
  'c.loss_until',
  'c.suspended_at',
  'c.frozen_at',
  'c.replacement_application_id',
  'c.ended_at',
  'c.bank_account_closed_at',
] as const;

/** An issued card as a build sees it: the card, its holder's death, its row in the list. */
export type DenyListCandidate = Pick<
  CardRow,
  | 'card_no'
  | 'jurisdiction'
  | 'kind'
  | 'status'
  | 'has_photo'
  | 'issued_at'
  | 'expires_on'
  | 'social_enabled_at'
  | 'financial_activated_at'
  | 'loss_kind'
  | 'loss_since'
  | 'loss_until'
  | 'suspended_at'
  | 'frozen_at'
  | 'replacement_application_id'
  | 'ended_at'
  | 'bank_account_closed_at'
> & {
  died_on: LocalDate | null;
  /** null: the card has no row in the list (never listed). */
  listed: boolean | null;
  listed_reasons: string[] | null;
};

/**
 * The domain's view of a candidate (as `toCardState`, from fewer columns: a build reads a million
 * cards, so it reads only what a card's usability depends on; the PIN plays no part in it).
 */
export function candidateState(row: DenyListCandidate, shortCode: string): CardState {
  const loss: LossState =
    row.loss_kind === 'temporary'
      ? { kind: 'temporary', since: row.loss_since!, until: row.loss_until }
      : row.loss_kind === 'formal'
        ? { kind: 'formal', since: row.loss_since! }
        : { kind: 'none' };
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
    loss,
    suspendedAt: row.suspended_at,
    frozenAt: row.frozen_at,
    pinSet: false,
    pinFailures: 0,
    pinLockedAt: null,
    replacementApplicationId: row.replacement_application_id,
    endedAt: row.ended_at,
    bankAccountClosedAt: row.bank_account_closed_at,
  };
}

export interface DenyListWrite {
  card_no: string;
  jurisdiction: string;
  listed: boolean;
  reasons: string[];
  version: number;
}

/** What may have changed a card's listing since the last build (incremental candidates). */
export interface ChangeWindow {
  /** Cards and persons changed at or after this instant. */
  changedFrom: Date;
  /** Temporary losses whose term ended in [changedFrom, now]. */
  now: Date;
  /** Cards whose last day of validity is in [expiredFrom, expiredBefore). */
  expiredFrom: LocalDate;
  expiredBefore: LocalDate;
}

/** Rows per multi-row upsert (5 parameters a row, well under PostgreSQL's 65,535). */
const WRITE_BATCH = 1000;

function toState(row: {
  version: number | string;
  built_through: Date | null;
  built_on: string | null;
}): DenyListState {
  return {
    version: Number(row.version),
    builtThrough: row.built_through,
    builtOn: row.built_on,
  };
}

export class DenyListRepository {
  constructor(private readonly db: Database) {}

  /** The current version and last build, without waiting for a build in progress. */
  async state(): Promise<DenyListState> {
    const row = await this.db
      .selectFrom('deny_list_state')
      .select(['version', 'built_through', 'built_on'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return toState(row);
  }

  /**
   * Runs `build` in one transaction that holds the state row's lock. With `wait` false, answers
   * null at once when another build holds it (a read then serves the version committed so far).
   */
  async locked<T>(
    wait: boolean,
    build: (trx: Trx, state: DenyListState) => Promise<T>,
  ): Promise<T | null> {
    return this.db.transaction().execute((trx) =>
      // Like the act step: on the embedded database a query that forgets the transaction fails
      // at once instead of waiting for the one connection this transaction holds.
      inTransaction.run(true, async () => {
        const q = trx
          .selectFrom('deny_list_state')
          .select(['version', 'built_through', 'built_on'])
          .where('id', '=', 1)
          .forUpdate();
        const row = await (wait ? q : q.skipLocked()).executeTakeFirst();
        if (!row) return null;
        return build(trx, toState(row));
      }),
    );
  }

  private candidates(trx: Trx) {
    return trx
      .selectFrom('cards as c')
      .innerJoin('persons as p', 'p.id', 'c.person_id')
      .leftJoin('deny_list as d', 'd.card_no', 'c.card_no')
      .select([...CARD_COLUMNS, 'p.died_on', 'd.listed', 'd.reasons as listed_reasons'])
      .where('c.issued_at', 'is not', null);
  }

  /** Every card ever handed over, after `after` in card-number order: a full build's page. */
  issuedPage(trx: Trx, after: string, limit: number): Promise<DenyListCandidate[]> {
    return this.candidates(trx)
      .where('c.card_no', '>', after)
      .orderBy('c.card_no')
      .limit(limit)
      .execute();
  }

  /** These cards, as a build sees them (cards never handed over are left out). */
  byNumbers(trx: Trx, cardNos: readonly string[]): Promise<DenyListCandidate[]> {
    if (!cardNos.length) return Promise.resolve([]);
    // One array parameter, not one parameter per card: planned once, whatever the count.
    return this.candidates(trx)
      .where(sql<boolean>`c.card_no = any(${[...cardNos]}::text[])`)
      .orderBy('c.card_no')
      .execute();
  }

  /**
   * The handed-over cards whose listing may have changed inside the window: changed by an act,
   * a temporary loss that lapsed by itself, a validity that ran out, or a holder whose death
   * was recorded (persons.updated_at). Card numbers only, each once. One query per cause (a
   * union), so each can use its own index where the schema has one.
   */
  async changedIn(trx: Trx, w: ChangeWindow): Promise<string[]> {
    const cards = () =>
      trx.selectFrom('cards as c').select('c.card_no').where('c.issued_at', 'is not', null);
    const rows = await cards()
      .where('c.updated_at', '>=', w.changedFrom)
      .union(
        cards()
          .where('c.loss_kind', '=', 'temporary')
          .where('c.loss_until', '>=', w.changedFrom)
          .where('c.loss_until', '<=', w.now),
      )
      .union(
        cards()
          .where('c.expires_on', '>=', w.expiredFrom)
          .where('c.expires_on', '<', w.expiredBefore),
      )
      .union(
        trx
          .selectFrom('persons as p')
          .innerJoin('cards as c', 'c.person_id', 'p.id')
          .select('c.card_no')
          .where('p.died_on', 'is not', null)
          .where('p.updated_at', '>=', w.changedFrom)
          .where('c.issued_at', 'is not', null),
      )
      .execute();
    return rows.map((r) => r.card_no).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Writes the changed rows: one multi-row upsert per batch. */
  async write(trx: Trx, rows: readonly DenyListWrite[]): Promise<void> {
    for (let i = 0; i < rows.length; i += WRITE_BATCH) {
      await trx
        .insertInto('deny_list')
        .values(rows.slice(i, i + WRITE_BATCH))
        .onConflict((oc) =>
          oc.column('card_no').doUpdateSet({
            jurisdiction: (eb) => eb.ref('excluded.jurisdiction'),
            listed: (eb) => eb.ref('excluded.listed'),
            reasons: (eb) => eb.ref('excluded.reasons'),
            version: (eb) => eb.ref('excluded.version'),
          }),
        )
        .execute();
    }
  }

  async saveState(trx: Trx, state: DenyListState): Promise<void> {
    await trx
      .updateTable('deny_list_state')
      .set({
        version: state.version,
        built_through: state.builtThrough,
        built_on: state.builtOn,
      })
      .where('id', '=', 1)
      .execute();
  }

  /** The cards of a jurisdiction listed now (a full list). */
  listed(jurisdiction: string): Promise<{ card_no: string; reasons: string[] }[]> {
    return this.db
      .selectFrom('deny_list')
      .select(['card_no', 'reasons'])
      .where('jurisdiction', '=', jurisdiction)
      .where('listed', '=', true)
      .execute();
  }

  /** The rows of a jurisdiction changed after version `since` (a delta). */
  changedSince(
    jurisdiction: string,
    since: number,
  ): Promise<{ card_no: string; listed: boolean; reasons: string[] }[]> {
    return this.db
      .selectFrom('deny_list')
      .select(['card_no', 'listed', 'reasons'])
      .where('jurisdiction', '=', jurisdiction)
      .where('version', '>', since)
      .execute();
  }

  /** Listed cards per jurisdiction, and rows in all (for the build report and the CLI). */
  async counts(): Promise<{ jurisdiction: string; listed: number; rows: number }[]> {
    const rows = await this.db
      .selectFrom('deny_list')
      .select([
        'jurisdiction',
        sql<number>`count(*) filter (where listed)`.as('listed'),
        sql<number>`count(*)`.as('rows'),
      ])
      .groupBy('jurisdiction')
      .orderBy('jurisdiction')
      .execute();
    return rows.map((r) => ({
      jurisdiction: r.jurisdiction,
      listed: Number(r.listed),
      rows: Number(r.rows),
    }));
  }
}
