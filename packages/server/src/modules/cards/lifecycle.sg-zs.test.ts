/**
 * Shaoguan (SG) and Zhoushan (ZS) over HTTP. SG: the guardian applies for a child (SG-10), social
 * function at pickup (SG-13), replacement only after formal loss with the bank's receipt (SG-16),
 * temporary cards (SG-19), cancellation only once business is settled (SG-18); its measures have
 * lapsed (SG-29) and still apply, flagged. ZS: separate activation (ZS-11), a temporary loss that
 * holds until un-reported, no un-report once a replacement is applied for (ZS-12, ZS-13),
 * replacement charged at the configured rate (ZS-10).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, TEST_START, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { registerPerson } from '../../testing/people.js';
import { findHolder } from '../../testing/cards.js';

let t: TestPlatform;
let sg: World;
let zs: World;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  t = await createTestPlatform();
  sg = await buildWorld(t, 'SG', '440200');
  zs = await buildWorld(t, 'ZS', '330900');
});
afterAll(() => t.close());

const post = (url: string, token: string, payload: unknown = {}) =>
  t.api({ method: 'POST', url, token, payload: payload as Record<string, unknown> });

async function issued(w: World, county: string, extra: Record<string, unknown> = {}) {
  const person = await registerPerson(t, w.tokens.branchA, { county });
  const app = await post('/api/v1/applications', w.tokens.branchA, {
    personId: person.id,
    kind: 'first',
    ...extra,
  });
  expect(app.statusCode).toBe(201);
  let a = app.json();
  for (const c of a.checks.filter((x: { result: string }) => x.result === 'pending')) {
    a = (
      await post(`/api/v1/applications/${a.id}/checks`, w.tokens.centre, {
        agency: c.agency,
        result: 'pass',
      })
    ).json();
  }
  expect(a.status).toBe('in_production');
  await post(`/api/v1/applications/${a.id}/stock`, w.tokens.branchA);
  const card = await post(`/api/v1/cards/${a.cardNo}/issue`, w.tokens.branchA, { to: 'holder' });
  return { person, cardNo: a.cardNo as string, card: card.json() };
}

describe('Shaoguan', () => {
  it('SG-10: a child under 16 applies through the guardian', async () => {
    const child = await registerPerson(t, sg.tokens.branchA, {
      county: '440203',
      birthDate: '2015-04-01',
    });
    const alone = await post('/api/v1/applications', sg.tokens.branchA, {
      personId: child.id,
      kind: 'first',
    });
    expect(alone.json()).toMatchObject({ code: 'AGENT_REQUIRED', rule: { rule: 'SG-10' } });
    const withGuardian = await post('/api/v1/applications', sg.tokens.branchA, {
      personId: child.id,
      kind: 'first',
      agent: {
        kind: 'guardian',
        name: '王建国',
        idType: 'resident_id',
        idNumber: '11010519491231002X',
        relation: '父亲',
        documentsSeen: true,
      },
    });
    expect(withGuardian.statusCode).toBe(201);
    expect(withGuardian.json().agent).toMatchObject({
      kind: 'guardian',
      name: '王**',
      idNumber: '110***********002X',
    });
    expect(withGuardian.body).not.toContain('11010519491231002X');
  });

  it('SG-11, SG-13: a population-database check, 30 working days, social function at pickup', async () => {
    const { card } = await issued(sg, '440203');
    expect(card).toMatchObject({ usable: true, rules: { lossRule: 'SG-14' } });
  });

  it('SG-16: replacement after formal loss and with the bank’s loss receipt; the old card ends on acceptance', async () => {
    const { person, cardNo } = await issued(sg, '440203');
    // SG-14, SG-16: formal loss and replacement at the service window, not at a bank branch.
    const window = sg.tokens.window;
    await findHolder(t, window, person.idNumber, 'resident_id');
    const atBank = await post(`/api/v1/cards/${cardNo}/loss`, sg.tokens.branchA, {
      kind: 'formal',
    });
    expect(atBank.json()).toMatchObject({ code: 'PLACE_NOT_ALLOWED', rule: { rule: 'SG-14' } });
    await post(`/api/v1/cards/${cardNo}/loss`, window, { kind: 'formal' });
    const bankReplacement = await post('/api/v1/applications', sg.tokens.branchA, {
      personId: person.id,
      kind: 'replacement',
      oldCardNo: cardNo,
      bankLossReceipt: true,
    });
    expect(bankReplacement.json()).toMatchObject({
      code: 'PLACE_NOT_ALLOWED',
      rule: { rule: 'SG-16' },
    });
    const noReceipt = await post('/api/v1/applications', window, {
      branchId: sg.branchA,
      personId: person.id,
      kind: 'replacement',
      oldCardNo: cardNo,
    });
    expect(noReceipt.json()).toMatchObject({
      code: 'BANK_LOSS_RECEIPT_REQUIRED',
      rule: { rule: 'SG-16' },
    });
    const ok = await post('/api/v1/applications', window, {
      branchId: sg.branchA,
      personId: person.id,
      kind: 'replacement',
      oldCardNo: cardNo,
      bankLossReceipt: true,
    });
    expect(ok.statusCode).toBe(201);
    const unreport = await post(`/api/v1/cards/${cardNo}/unreport`, window, {
      cardPresented: true,
    });
    expect(unreport.json()).toMatchObject({
      code: 'UNREPORT_AFTER_REPLACEMENT',
      rule: { rule: 'SG-15' },
    });
  });

  it('SG-19: a temporary card while waiting, with hospital proof, valid 90 days, free; returned when the card comes', async () => {
    const person = await registerPerson(t, sg.tokens.branchA, { county: '440203' });
    const first = await post('/api/v1/applications', sg.tokens.branchA, {
      personId: person.id,
      kind: 'first',
    });
    // SG-19: temporary cards are applied for, and handed over, at the service window.
    const window = sg.tokens.window;
    await findHolder(t, window, person.idNumber, 'resident_id');
    const atBank = await post('/api/v1/applications', sg.tokens.branchA, {
      personId: person.id,
      kind: 'temporary',
      hospitalProof: '韶关市第一人民医院住院证明 2026-0412',
    });
    expect(atBank.json()).toMatchObject({ code: 'PLACE_NOT_ALLOWED', rule: { rule: 'SG-19' } });
    const noProof = await post('/api/v1/applications', window, {
      branchId: sg.branchA,
      personId: person.id,
      kind: 'temporary',
    });
    expect(noProof.json()).toMatchObject({
      code: 'TEMPORARY_CARD_CONDITIONS',
      rule: { rule: 'SG-19' },
    });
    const temp = await post('/api/v1/applications', window, {
      branchId: sg.branchA,
      personId: person.id,
      kind: 'temporary',
      hospitalProof: '韶关市第一人民医院住院证明 2026-0412',
    });
    expect(temp.statusCode).toBe(201);
    expect(temp.json()).toMatchObject({
      status: 'approved',
      fee: { amountFen: 0, citation: { rule: 'SG-19' } },
    });
    const made = await post(`/api/v1/applications/${temp.json().id}/produce`, sg.tokens.branchA);
    const tempCard = made.json().cardNo as string;
    expect(tempCard.slice(6, 7)).toBe('9');
    const handed = await post(`/api/v1/cards/${tempCard}/issue`, window, {
      to: 'holder',
    });
    expect(handed.json()).toMatchObject({
      kind: 'temporary',
      usable: true,
      expiresOn: '2026-08-04',
    });
    // The person's own card arrives: the temporary card is handed back and cancelled.
    let a = first.json();
    a = (
      await post(`/api/v1/applications/${a.id}/checks`, sg.tokens.centre, {
        agency: 'population',
        result: 'pass',
      })
    ).json();
    await post(`/api/v1/applications/${a.id}/stock`, sg.tokens.branchA);
    await post(`/api/v1/cards/${a.cardNo}/issue`, sg.tokens.branchA, { to: 'holder' });
    const after = await t.api({
      method: 'GET',
      url: `/api/v1/cards/${tempCard}`,
      token: sg.tokens.branchA,
    });
    expect(after.json()).toMatchObject({ status: 'cancelled', endReason: 'regular_card_received' });
  });

  it('SG-18: no cancellation while business is open (at the service window, SG-6)', async () => {
    const { person, cardNo } = await issued(sg, '440203');
    await findHolder(t, sg.tokens.window, person.idNumber, 'resident_id');
    const res = await post(`/api/v1/cards/${cardNo}/cancel`, sg.tokens.window, {
      reason: 'emigration',
      attestations: { relatedBusinessSettled: true },
    });
    expect(res.json()).toMatchObject({ code: 'CANCEL_OPEN_BUSINESS', rule: { rule: 'SG-18' } });
  });

  it('SG-18: a death is cancelled at the guardian’s or a household member’s request only', async () => {
    const { person, cardNo } = await issued(sg, '440203');
    await findHolder(t, sg.tokens.window, person.idNumber, 'resident_id');
    const attestations = {
      relatedBusinessSettled: true,
      medicalAccountSettled: true,
      bankAccountClosed: true,
    };
    const evidence = {
      deathCertificate: 'No. 4402030099',
      relativeIdSeen: true,
      applicantIdSeen: true,
      cardHandedIn: true,
    };
    const agent = await post(`/api/v1/cards/${cardNo}/cancel`, sg.tokens.window, {
      reason: 'death',
      evidence: { ...evidence, applicantRelation: 'agent' },
      attestations,
    });
    expect(agent.json()).toMatchObject({
      code: 'CANCEL_APPLICANT_NOT_ALLOWED',
      rule: { rule: 'SG-18' },
    });
    const household = await post(`/api/v1/cards/${cardNo}/cancel`, sg.tokens.window, {
      reason: 'death',
      evidence: { ...evidence, applicantRelation: 'household_member' },
      attestations,
    });
    expect(household.json()).toMatchObject({ status: 'cancelled', endReason: 'death' });
  });
});

describe('Zhoushan', () => {
  it('ZS-11: the social function is activated after pickup', async () => {
    const { cardNo, card } = await issued(zs, '330902');
    expect(card.usable).toBe(false);
    expect(
      (
        await post(`/api/v1/cards/${cardNo}/activate`, zs.tokens.branchA, { function: 'social' })
      ).json().usable,
    ).toBe(true);
  });

  it('ZS-12, ZS-13: a temporary loss holds until un-reported; no un-report after a replacement is applied for', async () => {
    const { person, cardNo } = await issued(zs, '330902');
    await post(`/api/v1/cards/${cardNo}/activate`, zs.tokens.branchA, { function: 'social' });
    const lost = await post(`/api/v1/cards/${cardNo}/loss`, zs.tokens.branchA, {
      kind: 'temporary',
      via: 'phone',
    });
    expect(lost.json()).toMatchObject({ usable: false, loss: { until: null } });
    await t.setClock(new Date(TEST_START.getTime() + 60 * DAY));
    const token = await t.login('zs.brancha', 'Staff-Test-2026!');
    expect(
      (await t.api({ method: 'GET', url: `/api/v1/cards/${cardNo}`, token })).json().usable,
    ).toBe(false);
    await post(`/api/v1/cards/${cardNo}/loss`, token, { kind: 'formal' });
    const fees = await t.api({
      method: 'PUT',
      url: '/api/v1/fees/schedule/ZS',
      token: await t.login('zs.centre', 'Staff-Test-2026!'),
      payload: { replacement: 2000 },
    });
    expect(fees.statusCode).toBe(200);
    const repl = await post('/api/v1/applications', token, {
      personId: person.id,
      kind: 'replacement',
      oldCardNo: cardNo,
    });
    expect(repl.json().fee).toMatchObject({ amountFen: 2000, citation: { rule: 'ZS-10' } });
    const unreport = await post(`/api/v1/cards/${cardNo}/unreport`, token, {});
    expect(unreport.json()).toMatchObject({
      code: 'UNREPORT_AFTER_REPLACEMENT',
      rule: { rule: 'ZS-13' },
    });
    await t.setClock(TEST_START);
  });
});
