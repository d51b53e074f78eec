/**
 * Every query of the ledgers and the destruction register (FZ-27, ZS-17, FZ-36, HN-25). The
 * ledgers are computed from cards, applications and persons on read; SSNs and bank accounts are
 * opened here (and nowhere else in this module) with the keyring, bound to their row and column
 * exactly as the persons and cards repositories seal them.
 */
import { sql, type Selectable } from 'kysely';
import type { DataScope } from '@sscard/domain';
import type { Keyring } from '../../crypto/keyring.js';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../db/transact.js';
import { orgScopePredicate } from '../organizations/scope.js';
import type { DestructionRecordsTable, LedgerFilingsTable } from '../../db/schema-backoffice.js';

type Executor = Database | Trx;

/** One card of a ledger, opened. */
export interface LedgerCard {
  cardNo: string;
  personId: string;
  name: string;
  ssn: string;
  bankAccount: string | null;
  branchId: string | null;
  outlet: string | null;
  producedAt: Date | null;
  stockedAt: Date | null;
  dueAt: Date | null;
}

export interface InventorySummaryRow {
  branchId: string;
  branchName: string;
  opening: number;
  in: number;
  out: number;
  closing: number;
}

export interface InventoryMovement {
  at: Date;
  cardNo: string;
  branchId: string;
  branchName: string;
  direction: 'in' | 'out';
  reason: 'stocked' | 'issued' | 'destroyed';
}

/** Where an inventory ledger looks: one branch, a bank's branches, or a centre's jurisdiction. */
export type InventoryScope =
  | { kind: 'branch'; id: string }
  | { kind: 'bank'; id: string }
  | { kind: 'jurisdiction'; prefix: string };

export type FilingRow = Selectable<LedgerFilingsTable> & { organization_name: string };
export type DestructionRow = Selectable<DestructionRecordsTable> & {
  organization_name: string;
  cards: { card_no: string; known: boolean }[];
};

interface RawLedgerRow {
  card_no: string;
  person_id: string;
  name: string;
  ssn_enc: string;
  bank_account_enc: string | null;
  branch_id: string | null;
  outlet: string | null;
  produced_at: Date | null;
  stocked_at: Date | null;
  due_at: Date | null;
}

const toDate = (v: Date | string | null): Date | null =>
  v === null ? null : v instanceof Date ? v : new Date(v);

export class LedgersRepository {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring,
  ) {}

  private open(r: RawLedgerRow): LedgerCard {
    return {
      cardNo: r.card_no,
      personId: r.person_id,
      name: r.name,
      ssn: this.keyring.decrypt(r.ssn_enc, `persons.ssn:${r.person_id}`),
      bankAccount: r.bank_account_enc
        ? this.keyring.decrypt(r.bank_account_enc, `cards.bank_account:${r.card_no}`)
        : null,
      branchId: r.branch_id,
      outlet: r.outlet,
      producedAt: toDate(r.produced_at),
      stockedAt: toDate(r.stocked_at),
      dueAt: toDate(r.due_at),
    };
  }

  private ledgerBase(db: Executor) {
    return db
      .selectFrom('cards as c')
      .innerJoin('persons as p', 'p.id', 'c.person_id')
      .innerJoin('applications as a', 'a.id', 'c.application_id')
      .leftJoin('organizations as o', 'o.id', 'c.branch_id')
      .select([
        'c.card_no',
        'c.person_id',
        'p.name',
        'p.ssn_enc',
        'c.bank_account_enc',
        'c.branch_id',
        'o.name as outlet',
        'c.produced_at',
        'c.stocked_at',
        'a.due_at',
      ]);
  }

  /**
   * FZ-27 每日台账: the cards in the branch's stock at the end of the day (`end`): taken into
   * stock by then, neither handed over nor destroyed by then. Waste cards (cancelled, never
   * handed over) stay until destroyed.
   */
  async branchDaily(branchId: string, end: Date, db: Executor = this.db): Promise<LedgerCard[]> {
    const rows = await this.ledgerBase(db)
      .where('c.branch_id', '=', branchId)
      .where('c.stocked_at', 'is not', null)
      .where('c.stocked_at', '<=', end)
      .where((eb) => eb.or([eb('c.issued_at', 'is', null), eb('c.issued_at', '>', end)]))
      .where((eb) => eb.or([eb('c.destroyed_at', 'is', null), eb('c.destroyed_at', '>', end)]))
      .orderBy('c.stocked_at')
      .orderBy('c.card_no')
      .execute();
    return rows.map((r) => this.open(r as RawLedgerRow));
  }

  /**
   * FZ-27 每月台账: the bank's cards made by the end of the month (`end`) and not handed over or
   * destroyed before it began (`start`): every card the bank held, in stock or still on its way,
   * at some time in the month.
   */
  async bankMonthly(
    bankId: string,
    start: Date,
    end: Date,
    db: Executor = this.db,
  ): Promise<LedgerCard[]> {
    const rows = await this.ledgerBase(db)
      .where('c.bank_id', '=', bankId)
      .where('c.produced_at', 'is not', null)
      .where('c.produced_at', '<=', end)
      .where((eb) => eb.or([eb('c.issued_at', 'is', null), eb('c.issued_at', '>=', start)]))
      .where((eb) => eb.or([eb('c.destroyed_at', 'is', null), eb('c.destroyed_at', '>=', start)]))
      .orderBy('o.name')
      .orderBy('c.produced_at')
      .orderBy('c.card_no')
      .execute();
    return rows.map((r) => this.open(r as RawLedgerRow));
  }

  private inventoryWhere(scope: InventoryScope) {
    switch (scope.kind) {
      case 'branch':
        return sql`c.branch_id = ${scope.id}`;
      case 'bank':
        return sql`c.bank_id = ${scope.id}`;
      case 'jurisdiction':
        return sql`c.jurisdiction like ${`${scope.prefix}%`}`;
    }
  }

  /**
   * ZS-17 管理台账 of unissued cards: per branch, the cards in stock at `start`, taken in and
   * gone out (handed over or destroyed) in [start, end], and in stock at `end`.
   */
  async inventorySummary(
    scope: InventoryScope,
    start: Date,
    end: Date,
    db: Executor = this.db,
  ): Promise<InventorySummaryRow[]> {
    const where = this.inventoryWhere(scope);
    const { rows } = await sql<{
      branch_id: string;
      branch_name: string;
      opening: string | number;
      in: string | number;
      out: string | number;
      closing: string | number;
    }>`
      with m as (
        select c.branch_id, c.stocked_at, least(c.issued_at, c.destroyed_at) as out_at
        from cards c
        where c.stocked_at is not null and c.branch_id is not null and ${where}
      )
      select m.branch_id, o.name as branch_name,
        count(*) filter (where m.stocked_at < ${start} and (m.out_at is null or m.out_at >= ${start})) as opening,
        count(*) filter (where m.stocked_at >= ${start} and m.stocked_at <= ${end}) as in,
        count(*) filter (where m.out_at >= ${start} and m.out_at <= ${end} and m.stocked_at <= ${end}) as out,
        count(*) filter (where m.stocked_at <= ${end} and (m.out_at is null or m.out_at > ${end})) as closing
      from m join organizations o on o.id = m.branch_id
      group by m.branch_id, o.name
      order by o.name, m.branch_id
    `.execute(db);
    return rows
      .map((r) => ({
        branchId: r.branch_id,
        branchName: r.branch_name,
        opening: Number(r.opening),
        in: Number(r.in),
        out: Number(r.out),
        closing: Number(r.closing),
      }))
      .filter((r) => r.opening + r.in + r.out + r.closing > 0);
  }

  /** The movements in and out of stock in [start, end], oldest first. */
  async inventoryMovements(
    scope: InventoryScope,
    start: Date,
    end: Date,
    db: Executor = this.db,
  ): Promise<InventoryMovement[]> {
    const where = this.inventoryWhere(scope);
    const { rows } = await sql<{
      at: Date | string;
      card_no: string;
      branch_id: string;
      branch_name: string;
      direction: 'in' | 'out';
      reason: 'stocked' | 'issued' | 'destroyed';
    }>`
      select m.at, m.card_no, m.branch_id, o.name as branch_name, m.direction, m.reason
      from (
        select c.stocked_at as at, c.card_no, c.branch_id, 'in' as direction, 'stocked' as reason
        from cards c where c.stocked_at is not null and ${where}
        union all
        select least(c.issued_at, c.destroyed_at), c.card_no, c.branch_id, 'out',
          case when c.issued_at is not null and (c.destroyed_at is null or c.issued_at <= c.destroyed_at)
            then 'issued' else 'destroyed' end
        from cards c
        where c.stocked_at is not null and (c.issued_at is not null or c.destroyed_at is not null)
          and ${where}
      ) m join organizations o on o.id = m.branch_id
      where m.at >= ${start} and m.at <= ${end}
      order by m.at, m.card_no, m.direction
    `.execute(db);
    return rows.map((r) => ({
      at: toDate(r.at)!,
      cardNo: r.card_no,
      branchId: r.branch_id,
      branchName: r.branch_name,
      direction: r.direction,
      reason: r.reason,
    }));
  }

  // ---- filings ------------------------------------------------------------------------------

  async insertFiling(trx: Trx, row: Omit<LedgerFilingsTable, 'late'> & { late: boolean }) {
    await trx.insertInto('ledger_filings').values(row).execute();
  }

  async findFiling(id: string, db: Executor = this.db): Promise<FilingRow | undefined> {
    return db
      .selectFrom('ledger_filings as f')
      .innerJoin('organizations as o', 'o.id', 'f.organization_id')
      .selectAll('f')
      .select('o.name as organization_name')
      .where('f.id', '=', id)
      .executeTakeFirst();
  }

  /** Filings of a kind and period by the organisations in the scope, newest first. */
  async filings(
    scope: DataScope,
    f: { kind?: LedgerFilingsTable['kind']; period?: string; organizationId?: string },
    db: Executor = this.db,
  ): Promise<FilingRow[]> {
    let q = db
      .selectFrom('ledger_filings as f')
      .innerJoin('organizations as o', 'o.id', 'f.organization_id')
      .selectAll('f')
      .select('o.name as organization_name');
    q = q.where(orgScopePredicate(scope, 'o'));
    if (f.kind) q = q.where('f.kind', '=', f.kind);
    if (f.period) q = q.where('f.period', '=', f.period);
    if (f.organizationId) q = q.where('f.organization_id', '=', f.organizationId);
    return q.orderBy('f.filed_at', 'desc').limit(500).execute();
  }

  /** The banks in the scope (for the monthly filing status). */
  async banksInScope(scope: DataScope, db: Executor = this.db) {
    let q = db
      .selectFrom('organizations as o')
      .select(['o.id', 'o.name', 'o.jurisdiction'])
      .where('o.kind', '=', 'bank');
    q = q.where(orgScopePredicate(scope, 'o'));
    return q.orderBy('o.name').execute();
  }

  // ---- the destruction register -------------------------------------------------------------

  async recordedCards(cardNos: string[], db: Executor = this.db): Promise<string[]> {
    if (cardNos.length === 0) return [];
    const rows = await db
      .selectFrom('destruction_record_cards')
      .select('card_no')
      .where('card_no', 'in', cardNos)
      .execute();
    return rows.map((r) => r.card_no);
  }

  async insertDestruction(
    trx: Trx,
    record: DestructionRecordsTable,
    cards: { card_no: string; known: boolean }[],
  ): Promise<void> {
    await trx.insertInto('destruction_records').values(record).execute();
    await trx
      .insertInto('destruction_record_cards')
      .values(cards.map((c) => ({ ...c, record_id: record.id })))
      .execute();
  }

  async findDestruction(id: string, db: Executor = this.db): Promise<DestructionRow | undefined> {
    const row = await db
      .selectFrom('destruction_records as d')
      .innerJoin('organizations as o', 'o.id', 'd.organization_id')
      .selectAll('d')
      .select('o.name as organization_name')
      .where('d.id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const cards = await db
      .selectFrom('destruction_record_cards')
      .select(['card_no', 'known'])
      .where('record_id', '=', id)
      .orderBy('card_no')
      .execute();
    return { ...row, cards };
  }

  /** The register of the organisations in scope, destroyed in [from, to], newest first. */
  async destructions(
    scope: DataScope,
    f: { organizationId?: string; from?: Date; to?: Date },
    db: Executor = this.db,
  ): Promise<DestructionRow[]> {
    let q = db
      .selectFrom('destruction_records as d')
      .innerJoin('organizations as o', 'o.id', 'd.organization_id')
      .selectAll('d')
      .select('o.name as organization_name');
    q = q.where(orgScopePredicate(scope, 'o'));
    if (f.organizationId) q = q.where('d.organization_id', '=', f.organizationId);
    if (f.from) q = q.where('d.destroyed_at', '>=', f.from);
    if (f.to) q = q.where('d.destroyed_at', '<=', f.to);
    const rows = await q.orderBy('d.destroyed_at', 'desc').orderBy('d.id').limit(500).execute();
    if (rows.length === 0) return [];
    const cards = await db
      .selectFrom('destruction_record_cards')
      .select(['record_id', 'card_no', 'known'])
      .where(
        'record_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('card_no')
      .execute();
    return rows.map((r) => ({
      ...r,
      cards: cards
        .filter((c) => c.record_id === r.id)
        .map((c) => ({ card_no: c.card_no, known: c.known })),
    }));
  }
}
