/**
 * Fuzhou (FZ) over HTTP: instant cards at every counter (FZ-16, FZ-21), the social function
 * enabled before handover (FZ-31), PIN 888888 with six attempts (FZ-32), one kind of loss that
 * freezes the social function and un-reporting with the card (FZ-33, FZ-34), stopping a card on
 * request (FZ-35), freezing for misuse (FZ-28), and death cancellation with the relative's ID and
 * death certificate (FZ-35).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, STAFF_PASSWORD, type World } from '../../testing/fixtures.js';
import { registerPerson } from '../../testing/people.js';
import { findHolder } from '../../testing/cards.js';
import { systemContext } from '../../context.js';

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t, 'FZ', '350100');
});
afterAll(() => t.close());

const post = (url: string, token: string, payload: unknown = {}) =>
  t.api({ method: 'POST', url, token, payload: payload as Record<string, unknown> });

async function issuedCard() {
  const person = await registerPerson(t, w.tokens.branchA, { county: '350102' });
  const app = await post('/api/v1/applications', w.tokens.branchA, {
    personId: person.id,
    kind: 'first',
    production: 'instant',
  });
  expect(app.json()).toMatchObject({ status: 'approved', due: { rule: { rule: 'FZ-21' } } });
  const made = await post(`/api/v1/applications/${app.json().id}/produce`, w.tokens.branchA);
  const cardNo = made.json().cardNo as string;
  const issued = await post(`/api/v1/cards/${cardNo}/issue`, w.tokens.branchA, { to: 'holder' });
  return { person, cardNo, card: issued.json() };
}

describe('Fuzhou', () => {
  it('FZ-16: a counter that does not make the card at once needs the applicant’s consent', async () => {
    const person = await registerPerson(t, w.tokens.branchA, { county: '350102' });
    const res = await post('/api/v1/applications', w.tokens.branchA, {
      personId: person.id,
      kind: 'first',
    });
    expect(res.json()).toMatchObject({ code: 'DELAY_CONSENT_REQUIRED', rule: { rule: 'FZ-16' } });
    const ok = await post('/api/v1/applications', w.tokens.branchA, {
      personId: person.id,
      kind: 'first',
      consentToDelay: true,
    });
    expect(ok.json()).toMatchObject({
      status: 'in_production',
      due: { at: '2026-05-26T23:59:59.999+08:00' } /* 9 May 2026 is a make-up working Saturday */,
    });
  });

  it('FZ-21, FZ-31: made in 20 minutes, social function enabled before handover, account opened at issue', async () => {
    const { card } = await issuedCard();
    expect(card).toMatchObject({
      usable: true,
      functions: { social: { usable: true }, financial: { usable: true } },
    });
  });

  it('FZ-32: initial PIN 888888; six wrong attempts lock it; a branch resets it', async () => {
    const { person, cardNo } = await issuedCard();
    expect(
      (await post(`/api/v1/cards/${cardNo}/pin/verify`, w.tokens.branchA, { pin: '888888' }))
        .statusCode,
    ).toBe(200);
    for (let i = 1; i <= 5; i++) {
      const wrong = await post(`/api/v1/cards/${cardNo}/pin/verify`, w.tokens.branchA, {
        pin: '000001',
      });
      expect(wrong.json()).toMatchObject({ code: 'PIN_WRONG', rule: { rule: 'FZ-32' } });
    }
    const sixth = await post(`/api/v1/cards/${cardNo}/pin/verify`, w.tokens.branchA, {
      pin: '000001',
    });
    expect(sixth.statusCode).toBe(423);
    expect(sixth.json().code).toBe('PIN_LOCKED');
    expect(
      (await post(`/api/v1/cards/${cardNo}/pin/verify`, w.tokens.branchA, { pin: '888888' })).json()
        .code,
    ).toBe('PIN_LOCKED');
    // Another branch of the jurisdiction can reset it (任意一家营业网点), for the holder in front of
    // it: it finds them by their number first.
    await findHolder(t, w.tokens.branchB, person.idNumber);
    const reset = await post(`/api/v1/cards/${cardNo}/pin/reset`, w.tokens.branchB, {});
    expect(reset.json().pin).toEqual({ enabled: true, set: true, locked: false, failures: 0 });
    const change = await post(`/api/v1/cards/${cardNo}/pin`, w.tokens.branchA, {
      old: '888888',
      new: '520131',
    });
    expect(change.statusCode).toBe(200);
    expect(
      (await post(`/api/v1/cards/${cardNo}/pin/verify`, w.tokens.branchA, { pin: '520131' }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await post(`/api/v1/cards/${cardNo}/pin`, w.tokens.branchA, {
          old: '520131',
          new: '123456',
        })
      ).json().code,
    ).toBe('PIN_TOO_SIMPLE');
  });

  it('FZ-33, FZ-34: one kind of loss; un-reporting needs the card and restores everything', async () => {
    const { cardNo } = await issuedCard();
    const temp = await post(`/api/v1/cards/${cardNo}/loss`, w.tokens.branchA, {
      kind: 'temporary',
    });
    expect(temp.json().code).toBe('LOSS_NOT_ALLOWED');
    const lost = await post(`/api/v1/cards/${cardNo}/loss`, w.tokens.branchA, { kind: 'formal' });
    expect(lost.json()).toMatchObject({
      usable: false,
      functions: { financial: { usable: true } },
    });
    expect(
      (await post(`/api/v1/cards/${cardNo}/unreport`, w.tokens.branchA, {})).json(),
    ).toMatchObject({ code: 'CARD_REQUIRED_FOR_UNREPORT', rule: { rule: 'FZ-34' } });
    expect(
      (
        await post(`/api/v1/cards/${cardNo}/unreport`, w.tokens.branchA, { cardPresented: true })
      ).json().usable,
    ).toBe(true);
  });

  it('FZ-33: the old card is invalid from the moment the replacement is accepted', async () => {
    const { person, cardNo } = await issuedCard();
    await post(`/api/v1/cards/${cardNo}/loss`, w.tokens.branchA, { kind: 'formal' });
    const repl = await post('/api/v1/applications', w.tokens.branchA, {
      personId: person.id,
      kind: 'replacement',
      oldCardNo: cardNo,
      production: 'instant',
    });
    expect(repl.statusCode).toBe(201);
    const old = await t.api({
      method: 'GET',
      url: `/api/v1/cards/${cardNo}`,
      token: w.tokens.branchA,
    });
    expect(old.json().status).toBe('replaced');
    const unreport = await post(`/api/v1/cards/${cardNo}/unreport`, w.tokens.branchA, {
      cardPresented: true,
    });
    expect(unreport.json()).toMatchObject({
      code: 'UNREPORT_AFTER_REPLACEMENT',
      rule: { rule: 'FZ-34' },
    });
  });

  it('FZ-35: stop on request and resume; FZ-28: freeze for misuse (centre only)', async () => {
    const { cardNo } = await issuedCard();
    expect((await post(`/api/v1/cards/${cardNo}/suspend`, w.tokens.branchA)).json()).toMatchObject({
      suspended: true,
      usable: false,
    });
    expect((await post(`/api/v1/cards/${cardNo}/resume`, w.tokens.branchA)).json().usable).toBe(
      true,
    );
    expect(
      (await post(`/api/v1/cards/${cardNo}/freeze`, w.tokens.branchA, { reason: '冒用他人社保卡' }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await post(`/api/v1/cards/${cardNo}/freeze`, w.tokens.centre, { reason: '冒用他人社保卡' })
      ).json(),
    ).toMatchObject({ frozen: true, usable: false });
    expect((await post(`/api/v1/cards/${cardNo}/unfreeze`, w.tokens.centre)).json().usable).toBe(
      true,
    );
  });

  it('FZ-35: a death is cancelled on the relative’s ID and the death certificate, after the holder’s business is checked', async () => {
    const { cardNo } = await issuedCard();
    const bare = await post(`/api/v1/cards/${cardNo}/cancel`, w.tokens.branchA, {
      reason: 'death',
    });
    expect(bare.json()).toMatchObject({ code: 'CANCEL_OPEN_BUSINESS', rule: { rule: 'FZ-35' } });
    const noCert = await post(`/api/v1/cards/${cardNo}/cancel`, w.tokens.branchA, {
      reason: 'death',
      attestations: { holderReminded: true },
      evidence: { relativeIdSeen: true },
    });
    expect(noCert.json()).toMatchObject({
      code: 'DEATH_EVIDENCE_REQUIRED',
      rule: { rule: 'FZ-35' },
    });
    const ok = await post(`/api/v1/cards/${cardNo}/cancel`, w.tokens.branchA, {
      reason: 'death',
      attestations: { holderReminded: true },
      evidence: {
        relativeIdSeen: true,
        deathCertificate: 'No. 3501020012345',
        applicantRelation: 'relative',
      },
    });
    expect(ok.json()).toMatchObject({ status: 'cancelled', endReason: 'death' });
    expect(
      (await post(`/api/v1/cards/${cardNo}/return`, w.tokens.branchA)).json().returnedAt,
    ).not.toBeNull();
    expect((await post(`/api/v1/cards/${cardNo}/destroy`, w.tokens.branchA)).json().status).toBe(
      'destroyed',
    );
  });
  it('FZ-23: a late card whose applicant was not told raises an alert; the card’s branch records the notice, once', async () => {
    const person = await registerPerson(t, w.tokens.branchA, { county: '350102' });
    const app = (
      await post('/api/v1/applications', w.tokens.branchA, {
        personId: person.id,
        kind: 'first',
        consentToDelay: true,
      })
    ).json<{ id: string; due: { at: string }; delayNoticeAt: string | null }>();
    expect(app.delayNoticeAt).toBeNull();
    const before = t.platform.deps.clock.now();
    const alertsFor = async (centre: string) =>
      (
        await t.api({
          method: 'GET',
          url: '/api/v1/alerts?status=all&limit=100',
          token: centre,
        })
      )
        .json<{ items: { kind: string; details: { applicationId?: string; rule?: string } }[] }>()
        .items.filter((a) => a.details.applicationId === app.id);
    try {
      await t.setClock(new Date(Date.parse(app.due.at) + 86_400_000));
      // A day later the sessions have timed out: everyone logs in again.
      const [centre, branchA, branchB] = await Promise.all(
        ['fz.centre', 'fz.brancha', 'fz.branchb'].map((u) => t.login(u, STAFF_PASSWORD)),
      );
      const sweep = () => t.platform.services.jobs.run('cards.sweep', systemContext('test'));
      expect((await sweep()).status).toBe('succeeded');
      expect(await alertsFor(centre!)).toMatchObject([
        { kind: 'application.delay_notice_due', details: { rule: 'FZ-23' } },
      ]);
      // Another bank's branch does not see the application; the taking branch tells the applicant.
      const other = await post(`/api/v1/applications/${app.id}/delay-notice`, branchB!);
      expect(other.statusCode).toBe(404);
      const told = await post(`/api/v1/applications/${app.id}/delay-notice`, branchA!);
      expect(told.statusCode, told.body).toBe(200);
      expect(told.json().delayNoticeAt).not.toBeNull();
      // Told: the next sweep raises it no more (one alert, seen once).
      expect((await sweep()).status).toBe('succeeded');
      expect(await alertsFor(centre!)).toMatchObject([{ occurrences: 1 }]);
    } finally {
      await t.setClock(before);
    }
  });
});
