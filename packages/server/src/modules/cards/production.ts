/**
 * Making a card for an application: a number from the jurisdiction's serial, the bank account
 * opened at the bank (HN-11, FZ-16: 开户), and the card row in production (batch) or straight in
 * stock (made on the spot at the counter, FZ-21: 20 minutes).
 */
import { DomainError, formatCardNumber } from '@sscard/domain';
import { BankError, type BankAdapter } from '../../adapters/bank/bank-adapter.js';
import type { Insertable } from 'kysely';
import type { CardsTable } from '../../db/schema.js';
import type { Trx } from '../../db/transact.js';
import { groupBy } from '../../lists.js';
import type { Person } from '../persons/persons.repository.js';
import type { ApplicationRow } from '../applications/applications.repository.js';
import type { CardsRepository } from './cards.repository.js';

export interface ProductionContext {
  cards: CardsRepository;
  bank: BankAdapter;
  orgCode: (id: string, trx: Trx) => Promise<string>;
  /**
   * Whether the card's bank opens accounts by file (FZ-18(四)(五), organisation data, 0019): then
   * the card is made without an account, which the bank's return file records (bank-files/).
   */
  opensByFile?: (bankId: string, trx: Trx) => Promise<boolean>;
}

export async function makeCard(
  p: ProductionContext,
  trx: Trx,
  app: ApplicationRow,
  person: Person,
  now: Date,
  instant: boolean,
): Promise<string> {
  const kind = app.kind === 'temporary' ? 'temporary' : 'regular';
  const serial = await p.cards.nextSerial(trx, app.jurisdiction, kind);
  const cardNo = formatCardNumber(app.jurisdiction, serial, kind === 'temporary');
  let account: Account = null;
  if (kind === 'regular' && !(!instant && (await p.opensByFile?.(app.bank_id, trx))))
    account = await openAccount(
      p,
      cardNo,
      person,
      await p.orgCode(app.bank_id, trx),
      await p.orgCode(app.branch_id, trx),
    );
  await p.cards.insert(trx, cardRow(app, person, cardNo, kind, account, instant, now));
  return cardNo;
}

type Account = { bank_account_enc: string; bank_account_hmac: Buffer } | null;

/** 开户: the bank opens the card's account (HN-11, FZ-16); its refusal is BANK_REFUSED. */
async function openAccount(
  p: ProductionContext,
  cardNo: string,
  person: Person,
  bank: string,
  branch: string,
): Promise<Account> {
  try {
    const { accountNo } = await p.bank.openAccount({
      bank,
      branch,
      cardNo,
      holder: { name: person.name, idType: person.idType, idNumber: person.idNumber },
      requestId: `open:${cardNo}`,
    });
    return p.cards.sealAccount(cardNo, accountNo);
  } catch (e) {
    if (e instanceof BankError) throw new DomainError('BANK_REFUSED', { reason: e.code });
    throw e;
  }
}

/** The card's row as made: in production (batch) or straight in stock (instant). */
function cardRow(
  app: Pick<ApplicationRow, 'id' | 'person_id' | 'jurisdiction' | 'bank_id' | 'branch_id'>,
  person: Person,
  cardNo: string,
  kind: 'regular' | 'temporary',
  account: Account,
  instant: boolean,
  now: Date,
): Insertable<CardsTable> {
  return {
    card_no: cardNo,
    person_id: app.person_id,
    jurisdiction: app.jurisdiction,
    kind,
    application_id: app.id,
    bank_id: app.bank_id,
    branch_id: app.branch_id,
    bank_account_enc: account?.bank_account_enc ?? null,
    bank_account_hmac: account?.bank_account_hmac ?? null,
    status: instant ? 'in_stock' : 'in_production',
    has_photo: person.photoId !== null,
    produced_at: instant ? now : null,
    stocked_at: instant ? now : null,
    issued_at: null,
    issued_to: null,
    expires_on: null,
    social_enabled_at: null,
    financial_activated_at: null,
    loss_since: null,
    loss_until: null,
    suspended_at: null,
    frozen_at: null,
    frozen_reason: null,
    pin_hash: null,
    pin_locked_at: null,
    pin_changed_at: null,
    replacement_application_id: null,
    replaced_by: null,
    ended_at: null,
    end_reason: null,
    cancel_evidence: null,
    returned_at: null,
    destroyed_at: null,
    ecard_issued_at: null,
    updated_at: now,
  };
}

/**
 * Batch cards for many approved applications at once (a roster chunk): the serials reserved in
 * one statement, accounts opened as `makeCard` opens them; answers the rows to insert once the
 * applications are written (`cards.insertMany`). A bank's refusal throws as in `makeCard`.
 */
export async function planBatchCards(
  p: ProductionContext,
  trx: Trx,
  items: {
    app: Pick<
      ApplicationRow,
      'id' | 'person_id' | 'jurisdiction' | 'bank_id' | 'branch_id' | 'kind'
    >;
    person: Person;
  }[],
  now: Date,
): Promise<Insertable<CardsTable>[]> {
  const rows: Insertable<CardsTable>[] = [];
  const byFile = new Map<string, boolean>();
  const codes = new Map<string, string>();
  const code = async (id: string) => {
    if (!codes.has(id)) codes.set(id, await p.orgCode(id, trx));
    return codes.get(id)!;
  };
  for (const kind of ['regular', 'temporary'] as const) {
    const mine = items.filter(
      (i) => (i.app.kind === 'temporary' ? 'temporary' : 'regular') === kind,
    );
    const byJurisdiction = groupBy(mine, (i) => i.app.jurisdiction);
    for (const [jurisdiction, group] of byJurisdiction) {
      let serial = await p.cards.nextSerials(trx, jurisdiction, kind, group.length);
      for (const { app, person } of group) {
        const cardNo = formatCardNumber(jurisdiction, serial++, kind === 'temporary');
        let account: Account = null;
        if (kind === 'regular') {
          if (!byFile.has(app.bank_id))
            byFile.set(app.bank_id, (await p.opensByFile?.(app.bank_id, trx)) ?? false);
          if (!byFile.get(app.bank_id))
            account = await openAccount(
              p,
              cardNo,
              person,
              await code(app.bank_id),
              await code(app.branch_id),
            );
        }
        rows.push(cardRow(app, person, cardNo, kind, account, false, now));
      }
    }
  }
  return rows;
}
