/**
 * Regression tests for the holes an independent review found (issue 9), each tried the way the
 * reviewer tried it: as a counter of one bank or city against another's customers, as a centre
 * against another city's settings. Each failed on the code before the one act step and the
 * access-by-relationship table (packages/domain/src/access/policy.ts).
 */
import { formatCardNumber } from '@sscard/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHolder, issuedCard, openApplication, type IssuedCard } from '../testing/cards.js';
import { buildWorld, type World } from '../testing/fixtures.js';
import { createTestPlatform, type TestPlatform } from '../testing/harness.js';
import { registerPerson, residentId } from '../testing/people.js';

let t: TestPlatform;
let sh: World;
let hn: World;

beforeAll(async () => {
  t = await createTestPlatform({ SSCARD_PRESENCE_MINUTES: '5' });
  sh = await buildWorld(t, 'SH', '310000');
  hn = await buildWorld(t, 'HN', '460000');
});
afterAll(() => t.close());

const post = (url: string, token: string, payload: object = {}, headers = {}) =>
  t.api({ method: 'POST', url, token, payload: payload as Record<string, unknown>, headers });
const get = (url: string, token: string, headers = {}) =>
  t.api({ method: 'GET', url, token, headers });
const full = (id: string, token: string, reason = '核对身份') =>
  get(`/api/v1/persons/${id}?view=full`, token, {
    'x-sscard-reason': encodeURIComponent(reason),
  });
/** The answer without what differs between any two requests. */
const shape = (res: { statusCode: number; json(): Record<string, unknown> }) => {
  const { requestId: _r, ...body } = res.json();
  return { status: res.statusCode, body };
};

describe('hole 1: a counter cannot reach someone else’s full record', () => {
  it('registering a Hainan resident’s number from Shanghai answers PERSON_EXISTS without the id', async () => {
    const hainan = await registerPerson(t, hn.tokens.branchA, { county: '460105' });
    const res = await post('/api/v1/persons', sh.tokens.branchA, {
      idType: 'resident_id',
      idNumber: hainan.idNumber,
      name: '冒名者',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('PERSON_EXISTS');
    expect(res.json().personId).toBeUndefined();
  });

  it('an application for another city’s resident is refused like a missing person, and creates no scope', async () => {
    const hainan = await registerPerson(t, hn.tokens.branchA, { county: '460105' });
    const applied = await post('/api/v1/applications', sh.tokens.branchA, {
      personId: hainan.id,
      kind: 'first',
    });
    const missing = await post('/api/v1/applications', sh.tokens.branchA, {
      personId: '01936f0e-1c2b-7d3e-8a4b-5c6d7e8f9a0b',
      kind: 'first',
    });
    expect(shape(applied)).toEqual(shape(missing));
    expect(applied.statusCode).toBe(404);
    expect((await full(hainan.id, sh.tokens.branchA)).statusCode).toBe(404);
    expect((await get(`/api/v1/persons/${hainan.id}`, sh.tokens.branchA)).statusCode).toBe(404);
  });

  it('with the holder at the counter (found by full number) it applies, sees the masked record, and still never the full one', async () => {
    const hainan = await registerPerson(t, hn.tokens.branchA, { county: '460105' });
    const found = await findHolder(t, sh.tokens.branchA, hainan.idNumber);
    expect(found?.id).toBe(hainan.id);
    const masked = await get(`/api/v1/persons/${hainan.id}`, sh.tokens.branchA);
    expect(masked.statusCode).toBe(200);
    expect(masked.json().masked).toBe(true);
    const applied = await post('/api/v1/applications', sh.tokens.branchA, {
      personId: hainan.id,
      kind: 'first',
    });
    expect(applied.statusCode).toBe(201);
    expect(applied.json().jurisdiction).toBe('310000');
    // It sees the person, so it is told plainly: the full record is not its business.
    const refused = await full(hainan.id, sh.tokens.branchA);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('NOT_RESPONSIBLE');
    // The presence lapses: the counter no longer sees the person (SSCARD_PRESENCE_MINUTES).
    const now = t.platform.deps.clock.now();
    await t.setClock(new Date(now.getTime() + 6 * 60_000));
    expect((await get(`/api/v1/persons/${hainan.id}`, sh.tokens.branchA)).statusCode).toBe(404);
  });

  it('a Shanghai counter may not apply in Hainan for a holder it serves', async () => {
    const hainan = await registerPerson(t, hn.tokens.branchA, { county: '460105' });
    await findHolder(t, sh.tokens.branchA, hainan.idNumber);
    const res = await post('/api/v1/applications', sh.tokens.branchA, {
      personId: hainan.id,
      kind: 'first',
      jurisdiction: 'HN',
      branchId: hn.branchA,
    });
    expect(res.statusCode).toBe(404);
  });

  it('serial card numbers: another bank’s card is not found, exactly like a card that does not exist', async () => {
    const card = await issuedCard(t, sh, 'branchB');
    const other = await get(`/api/v1/cards/${card.cardNo}`, sh.tokens.branchA);
    const none = await get(
      `/api/v1/cards/${formatCardNumber('310000', 89_999_998)}`,
      sh.tokens.branchA,
    );
    expect(other.statusCode).toBe(404);
    expect(shape(other)).toEqual(shape(none));
    const loss = await post(`/api/v1/cards/${card.cardNo}/loss`, sh.tokens.branchA, {
      kind: 'formal',
    });
    expect(loss.statusCode).toBe(404);
  });

  it('refusals before the scope check tell nothing: an out-of-scope person’s facts do not leak', async () => {
    const child = await registerPerson(t, sh.tokens.branchB, { birthDate: '2020-01-01' });
    // A child without a guardian would be refused for age at branch B; branch A learns nothing.
    const res = await post('/api/v1/applications', sh.tokens.branchA, {
      personId: child.id,
      kind: 'first',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });
});

describe('hole 2: a counter cannot end another bank’s business', () => {
  let card: IssuedCard;
  let appB: string;

  beforeAll(async () => {
    card = await issuedCard(t, sh, 'branchB');
    appB = (await openApplication(t, sh, 'branchB')).appId;
  });

  it('bank A’s branch cannot withdraw bank B’s application', async () => {
    const res = await post(`/api/v1/applications/${appB}/withdraw`, sh.tokens.branchA);
    expect(res.statusCode).toBe(404);
  });

  it('even serving the holder, bank A’s branch cannot cancel, take back or destroy bank B’s card', async () => {
    await findHolder(t, sh.tokens.branchA, card.idNumber);
    for (const act of ['return', 'destroy']) {
      const res = await post(`/api/v1/cards/${card.cardNo}/${act}`, sh.tokens.branchA);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('NOT_RESPONSIBLE');
    }
    const cancel = await post(`/api/v1/cards/${card.cardNo}/cancel`, sh.tokens.branchA, {
      reason: 'emigration',
    });
    expect(cancel.statusCode).toBe(403);
    expect(cancel.json().code).toBe('NOT_RESPONSIBLE');
  });

  it('a community outlet cannot cancel a card either', async () => {
    await findHolder(t, sh.tokens.community, card.idNumber);
    const res = await post(`/api/v1/cards/${card.cardNo}/cancel`, sh.tokens.community, {
      reason: 'emigration',
    });
    expect(res.statusCode).toBe(403);
  });

  it('but a counter of the city serving the holder takes their loss report (SH-18: community outlets)', async () => {
    await findHolder(t, sh.tokens.community, card.idNumber);
    const loss = await post(`/api/v1/cards/${card.cardNo}/loss`, sh.tokens.community, {
      kind: 'formal',
    });
    expect(loss.statusCode).toBe(200);
    expect(loss.json().loss.kind).toBe('formal');
  });

  it('the business’s own bank, or the centre, may end it', async () => {
    const res = await post(`/api/v1/applications/${appB}/withdraw`, sh.tokens.branchB);
    expect(res.statusCode).toBe(200);
    const cancel = await post(`/api/v1/cards/${card.cardNo}/cancel`, sh.tokens.centre, {
      reason: 'emigration',
      attestations: { relatedBusinessSettled: true, holderReminded: true },
    });
    expect(cancel.statusCode).not.toBe(403);
    expect(cancel.statusCode).not.toBe(404);
  });
});

describe('hole 5: configuration is scoped', () => {
  it('a city’s centre cannot change another jurisdiction’s fees, nor the national calendar', async () => {
    const other = await t.api({
      method: 'PUT',
      url: '/api/v1/fees/schedule/HN',
      token: sh.tokens.centre,
      payload: { replacement: 1 },
    });
    expect(other.statusCode).toBe(403);
    const whole = await t.api({
      method: 'PUT',
      url: '/api/v1/fees/schedule',
      token: sh.tokens.centre,
      payload: { HN: { replacement: 1 } },
    });
    expect(whole.statusCode).toBe(403);
    const calendar = await t.api({
      method: 'PUT',
      url: '/api/v1/calendar/overrides',
      token: sh.tokens.centre,
      payload: { overrides: [], completeYears: [] },
    });
    expect(calendar.statusCode).toBe(403);
    const clock = await t.api({
      method: 'PUT',
      url: '/api/v1/system/clock',
      token: sh.tokens.centre,
      payload: { now: '2026-05-07T09:00:00+08:00' },
    });
    expect(clock.statusCode).toBe(403);
  });

  it('its own jurisdiction’s amounts it may change, and the others stay', async () => {
    await t.api({
      method: 'PUT',
      url: '/api/v1/fees/schedule',
      token: sh.tokens.admin,
      payload: { HN: { replacement: 2000 } },
    });
    const mine = await t.api({
      method: 'PUT',
      url: '/api/v1/fees/schedule/SH',
      token: sh.tokens.centre,
      payload: { replacement: 1500 },
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ HN: { replacement: 2000 }, SH: { replacement: 1500 } });
  });
});

describe('hole 5 (sibling): alerts are scoped like the rest of oversight', () => {
  it('a city’s centre sees and acknowledges its own alerts and the installation’s, never another city’s', async () => {
    const { alerts } = t.platform.services;
    const raise = (key: string, jurisdiction: string | null) =>
      alerts.raise({
        kind: 'application.delay_notice_due',
        severity: 'warning',
        key,
        jurisdiction,
        details: { applicationId: key },
        message: `test alert ${key}`,
      });
    const hnAlert = (await raise('hn-late', '460000')).alert;
    const shAlert = (await raise('sh-late', '310000')).alert;
    const wide = (await raise('installation-wide', null)).alert;
    const seen = async (token: string) =>
      (await get('/api/v1/alerts?status=all&limit=100', token))
        .json<{ items: { id: string }[] }>()
        .items.map((a) => a.id);
    const bySh = await seen(sh.tokens.centre);
    expect(bySh).toEqual(expect.arrayContaining([shAlert.id, wide.id]));
    expect(bySh).not.toContain(hnAlert.id);
    expect(await seen(sh.tokens.auditor)).not.toContain(hnAlert.id);
    expect(await seen(sh.tokens.admin)).toEqual(expect.arrayContaining([hnAlert.id, shAlert.id]));
    // The public readiness answer lists only the installation's own alerts.
    const ready = (await t.api({ method: 'GET', url: '/readyz' })).json<{
      details: { alerts: { id: string }[] };
    }>();
    const publicIds = ready.details.alerts.map((a) => a.id);
    expect(publicIds).toContain(wide.id);
    expect(publicIds).not.toContain(hnAlert.id);
    expect(publicIds).not.toContain(shAlert.id);
    const ack = (id: string, token: string) =>
      post(`/api/v1/alerts/${id}/acknowledge`, token, {}, { 'x-sscard-reason': 'checked' });
    // Another city's alert answers like a missing one.
    const other = await ack(hnAlert.id, sh.tokens.centre);
    const missing = await ack('01890000-0000-7000-8000-000000000000', sh.tokens.centre);
    expect(other.statusCode).toBe(404);
    expect(shape(other)).toEqual(shape(missing));
    expect((await ack(shAlert.id, sh.tokens.centre)).statusCode).toBe(200);
    expect((await ack(hnAlert.id, hn.tokens.centre)).statusCode).toBe(200);
  });
});

describe('hole 9: a reason must say something', () => {
  it.each([
    ['spaces', '   '],
    ['zero-width spaces', '\u200b\u200b\u200b'],
    ['ideographic spaces', '\u3000\u3000'],
  ])('a reason of %s opens no full record', async (_what, reason) => {
    const person = await registerPerson(t, sh.tokens.branchA);
    const res = await full(person.id, sh.tokens.branchA, reason);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('REASON_REQUIRED');
  });

  it('nor freezes a card', async () => {
    const card = await issuedCard(t, sh, 'branchA');
    const res = await post(`/api/v1/cards/${card.cardNo}/freeze`, sh.tokens.centre, {
      reason: '\u3000\u200b ',
    });
    expect(res.statusCode).toBe(422);
  });
});

describe('hole 11: Idempotency-Key on every act', () => {
  it('a retried registration answers its first 201, and one person exists', async () => {
    const payload = {
      idType: 'resident_id',
      idNumber: residentId('1990-02-02'),
      name: '重试人',
    };
    const headers = { 'idempotency-key': 'register-retry-0001' };
    const first = await post('/api/v1/persons', sh.tokens.branchA, payload, headers);
    const again = await post('/api/v1/persons', sh.tokens.branchA, payload, headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
  });

  it('a retried photo upload and organisation registration answer their first answer', async () => {
    const person = await registerPerson(t, sh.tokens.branchA, { photo: false });
    const { fakeJpeg } = await import('@sscard/domain/testing');
    const photo = fakeJpeg(358, 441, 2000);
    const put = () =>
      t.api({
        method: 'PUT',
        url: `/api/v1/persons/${person.id}/photo`,
        token: sh.tokens.branchA,
        headers: { 'content-type': 'image/jpeg', 'idempotency-key': 'photo-retry-0001' },
        payload: photo,
      });
    const a = await put();
    const b = await put();
    expect(a.statusCode).toBe(200);
    expect(b.json().photoId).toBe(a.json().photoId);
    const org = () =>
      post(
        '/api/v1/organizations',
        sh.tokens.centre,
        {
          kind: 'branch',
          code: 'SH-BANKA-RETRY',
          name: '重试网点',
          jurisdiction: 'SH',
          parentId: sh.bankA,
        },
        { 'idempotency-key': 'org-retry-0001' },
      );
    const o1 = await org();
    const o2 = await org();
    expect(o1.statusCode).toBe(201);
    expect(o2.statusCode).toBe(201);
    expect(o2.json().id).toBe(o1.json().id);
  });
});

describe('hole 12: registration and request ids', () => {
  it('a branch cannot register people into another jurisdiction', async () => {
    const res = await post('/api/v1/persons', sh.tokens.branchA, {
      idType: 'resident_id',
      idNumber: residentId('1980-01-01', '460105'),
      name: '外地人',
      jurisdiction: 'HN',
    });
    expect(res.statusCode).toBe(403);
  });

  it('a client’s X-Request-Id is not what the audit record keeps', async () => {
    const res = await post(
      '/api/v1/persons',
      sh.tokens.branchA,
      { idType: 'resident_id', idNumber: residentId('1981-01-01'), name: '请求人' },
      { 'x-request-id': 'forged-request-id-0001' },
    );
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).not.toBe('forged-request-id-0001');
    expect(res.headers['x-client-request-id']).toBe('forged-request-id-0001');
    const rows = await t.platform.deps.db
      .selectFrom('audit_log')
      .select('request_id')
      .where('request_id', '=', 'forged-request-id-0001')
      .execute();
    expect(rows).toEqual([]);
  });
});
