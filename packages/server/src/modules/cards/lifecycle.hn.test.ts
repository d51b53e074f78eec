/**
 * Hainan (HN) over HTTP: social function enabled at pickup (HN-15), no social PIN (HN-14),
 * temporary loss 15 days or long-term and linked with the bank (HN-17), replacement only after
 * formal loss and the old card cancelled on acceptance (HN-20), ten-year validity (HN-6), hardship
 * fee exemption (HN-24), a failed bank account opening told to the applicant (HN-11).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankSimulator } from '../../adapters/bank/bank-simulator.js';
import { systemContext } from '../../context.js';
import { createTestPlatform, TEST_START, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { registerPerson } from '../../testing/people.js';

let t: TestPlatform;
let w: World;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t, 'HN', '460000');
});
afterAll(() => t.close());

const post = (url: string, token: string, payload: unknown = {}) =>
  t.api({ method: 'POST', url, token, payload: payload as Record<string, unknown> });

async function issuedCard(options: { hardship?: 'none' | 'tekun' | 'dibao' } = {}) {
  const person = await registerPerson(t, w.tokens.branchA, { county: '460105', ...options });
  const app = await post('/api/v1/applications', w.tokens.branchA, {
    personId: person.id,
    kind: 'first',
    production: 'instant',
  });
  expect(app.statusCode).toBe(201);
  expect(app.json().status).toBe('approved'); // HN-11's joint checks are made at the counter
  const made = await post(`/api/v1/applications/${app.json().id}/produce`, w.tokens.branchA);
  const cardNo = made.json().cardNo as string;
  const issued = await post(`/api/v1/cards/${cardNo}/issue`, w.tokens.branchA, { to: 'holder' });
  return { person, cardNo, card: issued.json() };
}

describe('Hainan', () => {
  it('HN-15, HN-6: the social function works from pickup; the card is valid ten years', async () => {
    const { card } = await issuedCard();
    expect(card).toMatchObject({
      status: 'issued',
      usable: true,
      expiresOn: '2036-05-06',
      pin: { enabled: false },
    });
    expect(card.functions.financial.usable).toBe(false); // bank activation is separate (HN-15)
  });

  it('HN-14: every PIN act is refused with its article', async () => {
    const { cardNo } = await issuedCard();
    for (const [path, body] of [
      ['pin', { new: '520131' }],
      ['pin/verify', { pin: '520131' }],
      ['pin/reset', {}],
      ['pin/unlock', {}],
    ] as const) {
      const res = await post(`/api/v1/cards/${cardNo}/${path}`, w.tokens.branchA, body);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'PIN_NOT_ENABLED', rule: { rule: 'HN-14' } });
    }
  });

  it('HN-17: 15 days or long-term, chosen by the holder; the bank account is locked in the same act', async () => {
    const { cardNo } = await issuedCard();
    await post(`/api/v1/cards/${cardNo}/activate`, w.tokens.branchA, { function: 'financial' });
    const lost = await post(`/api/v1/cards/${cardNo}/loss`, w.tokens.branchA, {
      kind: 'temporary',
      term: 'long',
      via: 'phone',
    });
    expect(lost.json()).toMatchObject({
      usable: false,
      loss: { kind: 'temporary', until: null },
      functions: { financial: { usable: false } },
    });
    const bank = t.platform.services.bank as BankSimulator;
    expect([...bank.accounts.values()].some((a) => a.lost === 'temporary')).toBe(true);
    await t.setClock(new Date(TEST_START.getTime() + 100 * DAY));
    const token = await t.login('hn.brancha', 'Staff-Test-2026!');
    expect(
      (await t.api({ method: 'GET', url: `/api/v1/cards/${cardNo}`, token })).json().usable,
    ).toBe(false);
    // HN-19: un-reporting at the bank with the card and ID.
    const missing = await post(`/api/v1/cards/${cardNo}/unreport`, token, {});
    expect(missing.json()).toMatchObject({
      code: 'CARD_REQUIRED_FOR_UNREPORT',
      rule: { rule: 'HN-19' },
    });
    const back = await post(`/api/v1/cards/${cardNo}/unreport`, token, { cardPresented: true });
    expect(back.json().usable).toBe(true);
    await t.setClock(TEST_START);
  });

  it('HN-17: a 15-day temporary loss lapses on the card and at the bank at the same instant', async () => {
    const { cardNo } = await issuedCard();
    await post(`/api/v1/cards/${cardNo}/activate`, w.tokens.branchA, { function: 'financial' });
    const lost = await post(`/api/v1/cards/${cardNo}/loss`, w.tokens.branchA, {
      kind: 'temporary',
      via: 'phone',
    });
    const until = new Date(lost.json().loss.until as string);
    const bank = t.platform.services.bank as BankSimulator;
    const accountNo = [...bank.accounts.entries()].find(([, a]) => a.cardNo === cardNo)![0];
    expect(bank.isLocked(accountNo, new Date(until.getTime() - 1))).toBe(true);
    expect(bank.isLocked(accountNo, until)).toBe(false);
    await t.setClock(until);
    const token = await t.login('hn.brancha', 'Staff-Test-2026!');
    const card = (await t.api({ method: 'GET', url: `/api/v1/cards/${cardNo}`, token })).json();
    expect(card).toMatchObject({ usable: true, functions: { financial: { usable: true } } });
    await t.setClock(TEST_START);
  });

  it('HN-20: replacement only after formal loss; the old card ends when the replacement is accepted', async () => {
    const { person, cardNo } = await issuedCard();
    const early = await post('/api/v1/applications', w.tokens.branchA, {
      personId: person.id,
      kind: 'replacement',
      oldCardNo: cardNo,
    });
    expect(early.json()).toMatchObject({
      code: 'REPLACEMENT_NEEDS_FORMAL_LOSS',
      rule: { rule: 'HN-20' },
    });
    await post(`/api/v1/cards/${cardNo}/loss`, w.tokens.branchA, { kind: 'formal' });
    const repl = await post('/api/v1/applications', w.tokens.branchA, {
      personId: person.id,
      kind: 'replacement',
      oldCardNo: cardNo,
    });
    expect(repl.statusCode).toBe(201);
    expect(repl.json()).toMatchObject({
      status: 'in_production',
      due: { rule: { rule: 'HN-26' } },
    });
    const old = await t.api({
      method: 'GET',
      url: `/api/v1/cards/${cardNo}`,
      token: w.tokens.branchA,
    });
    expect(old.json()).toMatchObject({ status: 'replaced', endReason: 'replacement_accepted' });
  });

  it('HN-24: hardship persons pay nothing for a replacement', async () => {
    const fees = await t.api({
      method: 'PUT',
      url: '/api/v1/fees/schedule/HN',
      token: w.tokens.centre,
      payload: { replacement: 2500 },
    });
    expect(fees.statusCode).toBe(200);
    const { person, cardNo } = await issuedCard({ hardship: 'dibao' });
    await post(`/api/v1/cards/${cardNo}/loss`, w.tokens.branchA, { kind: 'formal' });
    const repl = await post('/api/v1/applications', w.tokens.branchA, {
      personId: person.id,
      kind: 'replacement',
      oldCardNo: cardNo,
    });
    expect(repl.json().fee).toMatchObject({ amountFen: 0, exemption: { kind: 'hardship' } });
    const other = await issuedCard();
    await post(`/api/v1/cards/${other.cardNo}/loss`, w.tokens.branchA, { kind: 'formal' });
    const paid = await post('/api/v1/applications', w.tokens.branchA, {
      personId: other.person.id,
      kind: 'replacement',
      oldCardNo: other.cardNo,
    });
    expect(paid.json().fee).toMatchObject({ amountFen: 2500, citation: { rule: 'HN-24' } });
  });

  it('HN-11: a bank that cannot open the account refuses the application with the reason', async () => {
    const bank = t.platform.services.bank as BankSimulator;
    bank.refuseOpeningWhen = (holder) => holder.name === '开户失败';
    try {
      const person = await registerPerson(t, w.tokens.branchA, {
        county: '460105',
        name: '开户失败',
      });
      const res = await post('/api/v1/applications', w.tokens.branchA, {
        personId: person.id,
        kind: 'first',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe('BANK_REFUSED');
    } finally {
      bank.refuseOpeningWhen = null;
    }
  });

  it('HN-27: a death cancels the card, with the evidence recorded; emigration is not a ground here', async () => {
    const { cardNo } = await issuedCard();
    const emigration = await post(`/api/v1/cards/${cardNo}/cancel`, w.tokens.centre, {
      reason: 'emigration',
    });
    expect(emigration.json()).toMatchObject({
      code: 'CANCEL_GROUND_NOT_ALLOWED',
      rule: { rule: 'HN-27' },
    });
    // HN-27: the agent asks, at the city or county one-card agency (the centre's window).
    const death = await post(`/api/v1/cards/${cardNo}/cancel`, w.tokens.centre, {
      reason: 'death',
      evidence: {
        commitment: true,
        applicantIdSeen: true,
        cardHandedIn: true,
        applicantRelation: 'agent',
      },
    });
    expect(death.statusCode).toBe(200);
    expect(death.json()).toMatchObject({
      status: 'cancelled',
      endReason: 'death',
      usable: false,
      oneCard: false,
      // The bank account lives on for the agent to collect benefits, until closed (180 days).
      bankAccount: { closedAt: null, closurePending: true },
    });
    const kept = await post(`/api/v1/cards/${cardNo}/destroy`, w.tokens.branchA);
    expect(kept.json()).toMatchObject({
      code: 'CARD_KEPT_UNTIL_ACCOUNT_CLOSED',
      rule: { rule: 'HN-27' },
    });
    const closed = await post(`/api/v1/cards/${cardNo}/bank-account-closed`, w.tokens.branchA);
    expect(closed.json()).toMatchObject({ bankAccount: { closurePending: false } });
    const destroyed = await post(`/api/v1/cards/${cardNo}/destroy`, w.tokens.branchA);
    expect(destroyed.json()).toMatchObject({ status: 'destroyed' });
  });

  it('HN-27: a bank account still open 180 days after the death cancellation is flagged daily', async () => {
    const { cardNo } = await issuedCard();
    await post(`/api/v1/cards/${cardNo}/cancel`, w.tokens.centre, {
      reason: 'death',
      evidence: {
        commitment: true,
        applicantIdSeen: true,
        cardHandedIn: true,
        applicantRelation: 'agent',
      },
    });
    await t.setClock(new Date(TEST_START.getTime() + 200 * 24 * 3_600_000));
    try {
      const run = await t.platform.services.jobs.run('cards.sweep', systemContext('test'));
      expect(run.result).toMatchObject({ accountClosureOverdue: 1 });
      const alert = await t.platform.deps.db
        .selectFrom('alerts')
        .selectAll()
        .where('kind', '=', 'card.account_closure_overdue')
        .where('key', '=', cardNo)
        .executeTakeFirst();
      expect(alert?.details).toMatchObject({ cardNo, rule: 'HN-27' });
    } finally {
      await t.setClock(TEST_START);
    }
  });

  it('HN-12: a card not yet handed over whose holder died is recovered and held at once', async () => {
    const person = await registerPerson(t, w.tokens.branchA, { county: '460105' });
    const app = await post('/api/v1/applications', w.tokens.branchA, {
      personId: person.id,
      kind: 'first',
      production: 'instant',
    });
    const made = await post(`/api/v1/applications/${app.json().id}/produce`, w.tokens.branchA);
    const cardNo = made.json().cardNo as string;
    const death = await post(`/api/v1/persons/${person.id}/death`, w.tokens.branchA, {
      diedOn: '2026-05-05',
      evidence: '死亡医学证明 No. 4601050012',
    });
    expect(death.statusCode).toBe(200);
    const card = await t.api({
      method: 'GET',
      url: `/api/v1/cards/${cardNo}`,
      token: w.tokens.branchA,
    });
    expect(card.json()).toMatchObject({
      status: 'in_stock',
      undeliverable: { reason: 'death', action: 'recover_and_hold' },
    });
    const issue = await post(`/api/v1/cards/${cardNo}/issue`, w.tokens.branchA, { to: 'agent' });
    expect(issue.json()).toMatchObject({ code: 'HOLDER_DECEASED', rule: { rule: 'HN-12' } });
  });
});
