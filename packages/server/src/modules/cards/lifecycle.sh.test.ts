/**
 * Shanghai (SH) over HTTP: apply, agency checks (SH-10), production, issue, separate activation
 * (SH-12), temporary loss for 5 days (SH-18), un-report (SH-19), replacement after formal loss and
 * the old card ending at the new card's issue (SH-23).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, TEST_START, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { registerPerson } from '../../testing/people.js';
import { findHolder } from '../../testing/cards.js';

let t: TestPlatform;
let w: World;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
});
afterAll(() => t.close());

const post = (
  url: string,
  token: string,
  payload: unknown = {},
  headers: Record<string, string> = {},
) => t.api({ method: 'POST', url, token, payload: payload as Record<string, unknown>, headers });

describe('a first card in Shanghai', () => {
  let personId: string;
  let idNumber: string;
  let appId: string;
  let cardNo: string;

  it('accepts the application and waits for the three agency checks (SH-10)', async () => {
    ({ id: personId, idNumber } = await registerPerson(t, w.tokens.branchA));
    const res = await post('/api/v1/applications', w.tokens.branchA, { personId, kind: 'first' });
    expect(res.statusCode).toBe(201);
    const app = res.json();
    appId = app.id;
    expect(app.status).toBe('checking');
    expect(app.checks.map((c: { agency: string }) => c.agency).sort()).toEqual([
      'hrss_insurance',
      'medical_insurance',
      'police_identity',
    ]);
    // 3 working days from receipt: Wed 6 May 2026 → Thu 7, Fri 8, Sat 9 (a make-up working day).
    expect(app.checks[0].dueAt).toBe('2026-05-09T23:59:59.999+08:00');
    expect(app.fee).toMatchObject({ amountFen: 0, citation: { rule: 'SH-24' } });
  });

  it('refuses a second first application for the same person', async () => {
    const res = await post('/api/v1/applications', w.tokens.branchA, { personId, kind: 'first' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('APPLICATION_EXISTS');
  });

  it('approves when all three agencies pass, and production is due 30 days later (SH-11)', async () => {
    for (const agency of ['police', 'hrss']) {
      const r = await post(`/api/v1/applications/${appId}/checks`, w.tokens.centre, {
        agency,
        result: 'pass',
      });
      expect(r.json().status).toBe('checking');
    }
    const last = await post(`/api/v1/applications/${appId}/checks`, w.tokens.centre, {
      agency: 'medical',
      result: 'pass',
    });
    const app = last.json();
    expect(app.status).toBe('in_production');
    expect(app.due.at).toBe('2026-06-05T23:59:59.999+08:00');
    expect(app.due.rule.rule).toBe('SH-11');
    cardNo = app.cardNo;
    expect(cardNo).toMatch(/^31000000000\d{3}[\dX]$/);
  });

  it('stocks, issues, and leaves the social function for a separate activation (SH-12)', async () => {
    expect(
      (await post(`/api/v1/applications/${appId}/stock`, w.tokens.branchA)).json().status,
    ).toBe('in_stock');
    const issued = await post(`/api/v1/cards/${cardNo}/issue`, w.tokens.branchA, { to: 'holder' });
    expect(issued.statusCode).toBe(200);
    expect(issued.json()).toMatchObject({
      status: 'issued',
      usable: false,
      blocked: ['social_not_enabled', 'financial_not_activated'],
    });
    const active = await post(`/api/v1/cards/${cardNo}/activate`, w.tokens.branchA, {
      function: 'social',
    });
    expect(active.json()).toMatchObject({ usable: true, functions: { social: { usable: true } } });
    expect(
      (
        await t.api({
          method: 'GET',
          url: `/api/v1/applications/${appId}`,
          token: w.tokens.branchA,
        })
      ).json().status,
    ).toBe('issued');
  });

  it('temporary loss stops the social function for 5 days, then it works again with no job (SH-18)', async () => {
    const lost = await post(`/api/v1/cards/${cardNo}/loss`, w.tokens.centre, {
      kind: 'temporary',
      via: 'phone',
    });
    expect(lost.statusCode).toBe(200);
    expect(lost.json()).toMatchObject({
      usable: false,
      loss: { kind: 'temporary', until: '2026-05-11T09:00:00.000+08:00' },
    });
    const bankCounter = await post(`/api/v1/cards/${cardNo}/loss`, w.tokens.branchA, {
      kind: 'temporary',
    });
    expect(bankCounter.json().code).toBe('LOSS_ALREADY_REPORTED');
    await t.setClock(new Date(TEST_START.getTime() + 6 * DAY));
    const token = await t.login('sh.brancha', 'Staff-Test-2026!');
    const later = await t.api({ method: 'GET', url: `/api/v1/cards/${cardNo}`, token });
    expect(later.json()).toMatchObject({ usable: true, loss: { kind: 'temporary', lapsed: true } });
    await t.setClock(TEST_START);
  });

  it('a formal loss, then a replacement, and no un-report after it (SH-19); the old card dies when the new one is issued (SH-23)', async () => {
    const token = await t.login('sh.brancha', 'Staff-Test-2026!');
    const community = w.tokens.community;
    // SH-18: the holder comes to the community outlet with their ID; it finds them by the number.
    await findHolder(t, community, idNumber);
    const formal = await post(`/api/v1/cards/${cardNo}/loss`, community, { kind: 'formal' });
    expect(formal.json()).toMatchObject({ usable: false, loss: { kind: 'formal' } });
    const repl = await post('/api/v1/applications', token, {
      personId,
      kind: 'replacement',
      oldCardNo: cardNo,
      production: 'instant',
    });
    expect(repl.statusCode).toBe(201);
    expect(repl.json()).toMatchObject({ status: 'approved', due: { rule: { rule: 'SH-23' } } });
    const unreport = await post(`/api/v1/cards/${cardNo}/unreport`, community, {});
    expect(unreport.json()).toMatchObject({
      code: 'UNREPORT_AFTER_REPLACEMENT',
      rule: { rule: expect.stringMatching(/^SH-|DEFAULT/) },
    });
    const made = await post(`/api/v1/applications/${repl.json().id}/produce`, token);
    expect(made.json().status).toBe('in_stock');
    const newCard = made.json().cardNo;
    // Until the new card is issued, the old one still exists (lost); then it is replaced for good.
    expect(
      (await t.api({ method: 'GET', url: `/api/v1/cards/${cardNo}`, token })).json().status,
    ).toBe('issued');
    await post(`/api/v1/cards/${newCard}/issue`, token, { to: 'holder' });
    const old = (await t.api({ method: 'GET', url: `/api/v1/cards/${cardNo}`, token })).json();
    expect(old).toMatchObject({ status: 'replaced', replacedBy: newCard, usable: false });
    const again = await post(`/api/v1/cards/${cardNo}/unreport`, community, {});
    // The old card has ended (SH-23); un-reporting is refused by the cut-off that came first.
    expect(again.json().code).toBe('UNREPORT_AFTER_REPLACEMENT');
    const cards = await t.api({ method: 'GET', url: `/api/v1/persons/${personId}/cards`, token });
    expect(
      cards
        .json()
        .items.map((c: { status: string }) => c.status)
        .sort(),
    ).toEqual(['issued', 'replaced']);
  });
});
