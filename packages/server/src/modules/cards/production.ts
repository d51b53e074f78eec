/**
 * Making a card for an application: a number from the jurisdiction's serial, the bank account
 * opened at the bank (HN-11, FZ-16: 开户), and the card row in production (batch) or straight in
 * stock (made on the spot at the counter, FZ-21: 20 minutes).
 */
import { DomainError, formatCardNumber } from '@sscard/domain';
import { BankError, type BankAdapter } from '../../adapters/bank/bank-adapter.js';
import type { Trx } from '../../db/transact.js';
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
  let account: { bank_account_enc: string; bank_account_hmac: Buffer } | null = null;
  if (kind === 'regular' && !(!instant && (await p.opensByFile?.(app.bank_id, trx)))) {
    try {
      const { accountNo } = await p.bank.openAccount({
        bank: await p.orgCode(app.bank_id, trx),
        branch: await p.orgCode(app.branch_id, trx),
        cardNo,
        holder: { name: person.name, idType: person.idType, idNumber: person.idNumber },
        requestId: `open:${cardNo}`,
      });
      account = p.cards.sealAccount(cardNo, accountNo);
    } catch (e) {
      if (e instanceof BankError) throw new DomainError('BANK_REFUSED', { reason: e.code });
      throw e;
    }
  }
  await p.cards.insert(trx, {
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
  });
  return cardNo;
}
