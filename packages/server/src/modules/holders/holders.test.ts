/**
 * Holders online (issue 13): sign-in with a one-time code and its throttles, holder sessions kept
 * apart from staff routes, the holder's own data and nobody else's, family service (亲情服务)
 * with its limits, and each self-service act per jurisdiction where the pack's places allow it
 * online, refused with the pack's article where they do not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { issuedCard } from '../../testing/cards.js';
import { holderToken, lastCode, signInHolder, TEST_PHONE } from '../../testing/holders.js';
import { registerPerson, residentId } from '../../testing/people.js';

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform({ SSCARD_HOLDER_MAX_WARDS: '2' });
  w = await buildWorld(t);
}, 120_000);
afterAll(() => t.close());

const start = (idNumber: string, phone = TEST_PHONE, ip?: string) =>
  t.api({
    method: 'POST',
    url: '/api/v1/holder/sign-in/start',
    payload: { idNumber, phone },
    ...(ip ? { remoteAddress: ip } : {}),
  });
const signIn = (challengeId: string, code: string) =>
  t.api({ method: 'POST', url: '/api/v1/holder/sign-in', payload: { challengeId, code } });
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('sign-in with a one-time code', () => {
  it('signs in with the code sent to the phone on record; the token is a holder session', async () => {
    const person = await registerPerson(t, w.tokens.branchA);
    const res = await start(person.idNumber);
    expect(res.statusCode).toBe(202);
    const ok = await signIn(res.json().challengeId, lastCode(t));
    expect(ok.statusCode).toBe(200);
    const body = ok.json();
    expect(body.holder.personId).toBe(person.id);
    expect(body.holder.idNumberMasked).not.toContain(person.idNumber.slice(6, 14));
    const me = await t.api({ method: 'GET', url: '/api/v1/holder/me', token: body.token });
    expect(me.statusCode).toBe(200);
    expect(me.json().wards).toEqual([]);
  });

  it('answers the same for a phone or a document that is not on record, and no code works', async () => {
    const person = await registerPerson(t, w.tokens.branchA);
    const sentBefore = t.platform.services.notify.kind;
    expect(sentBefore).toBe('simulator');
    const otherPhone = await start(person.idNumber, '13900001111');
    const nobody = await start(residentId('1990-01-01'), '13900002222');
    for (const r of [otherPhone, nobody]) {
      expect(r.statusCode).toBe(202);
      expect(Object.keys(r.json()).sort()).toEqual([
        'challengeId',
        'expiresAt',
        'resendAfterSeconds',
      ]);
      expect((await signIn(r.json().challengeId, '000000')).json().code).toBe(
        'HOLDER_CODE_INVALID',
      );
    }
    expect(() => lastCode(t, '13900001111')).toThrow(/no code/);
  });

  it('counts wrong codes: after five the code stops working, even the right one', async () => {
    const person = await registerPerson(t, w.tokens.branchA);
    const { challengeId } = (await start(person.idNumber)).json();
    const code = lastCode(t);
    for (let i = 1; i <= 4; i++)
      expect((await signIn(challengeId, wrong(code))).json().code).toBe('HOLDER_CODE_INVALID');
    const fifth = await signIn(challengeId, wrong(code));
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().code).toBe('HOLDER_CODE_ATTEMPTS');
    expect((await signIn(challengeId, code)).json().code).toBe('HOLDER_CODE_ATTEMPTS');
  });

  it('throttles code requests from one address across documents', async () => {
    const ip = '198.51.100.7';
    let last = 0;
    for (let i = 0; i < 31; i++)
      last = (await start(residentId('1980-01-01'), TEST_PHONE, ip)).statusCode;
    expect(last).toBe(429);
  });

  it('keeps holders off staff routes and staff off holder routes', async () => {
    const person = await registerPerson(t, w.tokens.branchA);
    const token = await holderToken(t, person.id);
    const staffRoute = await t.api({ method: 'GET', url: '/api/v1/organizations', token });
    expect(staffRoute.statusCode).toBe(403);
    expect(staffRoute.json().code).toBe('HOLDER_ROUTE_STAFF_ONLY');
    const search = await t.api({
      method: 'POST',
      url: '/api/v1/persons/search',
      token,
      payload: { idType: 'resident_id', idNumber: person.idNumber },
    });
    expect(search.json().code).toBe('HOLDER_ROUTE_STAFF_ONLY');
    const holderRoute = await t.api({
      method: 'GET',
      url: '/api/v1/holder/me',
      token: w.tokens.branchA,
    });
    expect(holderRoute.statusCode).toBe(403);
    expect(holderRoute.json().code).toBe('HOLDER_SESSION_REQUIRED');
  });

  it('signs out: the token stops working', async () => {
    const person = await registerPerson(t, w.tokens.branchA);
    const token = await holderToken(t, person.id);
    expect(
      (await t.api({ method: 'POST', url: '/api/v1/holder/sign-out', token })).statusCode,
    ).toBe(200);
    expect((await t.api({ method: 'GET', url: '/api/v1/holder/me', token })).statusCode).toBe(401);
  });
});

describe('the holder’s own data, and nobody else’s', () => {
  it('reads their own cards and applications; another holder’s card is not found', async () => {
    const mine = await issuedCard(t, w);
    const theirs = await issuedCard(t, w);
    const token = await holderToken(t, mine.personId);
    const cards = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${mine.personId}/cards`,
      token,
    });
    expect(cards.statusCode).toBe(200);
    expect(cards.json().items.map((c: { cardNo: string }) => c.cardNo)).toContain(mine.cardNo);
    expect(
      (await t.api({ method: 'GET', url: `/api/v1/applications/${mine.appId}`, token })).statusCode,
    ).toBe(200);
    for (const url of [
      `/api/v1/cards/${theirs.cardNo}`,
      `/api/v1/persons/${theirs.personId}/cards`,
      `/api/v1/persons/${theirs.personId}`,
      `/api/v1/applications/${theirs.appId}`,
      `/api/v1/persons/${theirs.personId}/access-log`,
    ])
      expect((await t.api({ method: 'GET', url, token })).statusCode, url).toBe(404);
    const loss = await t.api({
      method: 'POST',
      url: `/api/v1/cards/${theirs.cardNo}/loss`,
      token,
      payload: { kind: 'temporary' },
    });
    expect(loss.statusCode).toBe(404);
  });

  it('changes their contact data online, but not what needs proof at a counter', async () => {
    const person = await registerPerson(t, w.tokens.branchA);
    const token = await holderToken(t, person.id);
    const ok = await t.api({
      method: 'PATCH',
      url: `/api/v1/persons/${person.id}`,
      token,
      payload: { postcode: '200003' },
    });
    expect(ok.statusCode).toBe(200);
    const hardship = await t.api({
      method: 'PATCH',
      url: `/api/v1/persons/${person.id}`,
      token,
      payload: { hardship: 'dibao' },
    });
    expect(hardship.statusCode).toBe(422);
  });

  it('sees who read or used their data', async () => {
    const card = await issuedCard(t, w);
    const token = await holderToken(t, card.personId);
    const log = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${card.personId}/access-log`,
      token,
    });
    expect(log.statusCode).toBe(200);
    expect(log.json().items.length).toBeGreaterThan(0);
    // The holder's own sign-in is shown as theirs, not as an unknown party.
    const signIn = log.json().items.find((e: { action: string }) => e.action === 'holder.sign_in');
    expect(signIn?.by).toBe('持卡人');
  });
});

describe('family service (亲情服务)', () => {
  it('adds a child under 16 whose record names the holder as guardian, and acts for the child', async () => {
    const parent = await registerPerson(t, w.tokens.branchA);
    const childId = await registerChild(parent.idNumber);
    const token = await holderToken(t, parent.id);
    const add = await t.api({
      method: 'POST',
      url: '/api/v1/holder/wards',
      token,
      payload: { idType: 'household_register', idNumber: childId.idNumber, relation: 'child' },
    });
    expect(add.statusCode).toBe(200);
    expect(add.json()).toMatchObject({
      status: 'added',
      ward: { personId: childId.id, proof: 'recorded_guardian' },
    });
    // The session's actor now acts for the child too.
    expect(
      (await t.api({ method: 'GET', url: `/api/v1/persons/${childId.id}/cards`, token }))
        .statusCode,
    ).toBe(200);
    const change = await t.api({
      method: 'PATCH',
      url: `/api/v1/persons/${childId.id}`,
      token,
      payload: { postcode: '200001' },
    });
    expect(change.statusCode).toBe(200);
    const audit = await t.platform.deps.db
      .selectFrom('audit_log')
      .select(['actor_username', 'details'])
      .where('action', '=', 'person.update')
      .where('target_id', '=', childId.id)
      .executeTakeFirstOrThrow();
    expect(audit.actor_username).toBe(`holder:${parent.id}`);
    expect(audit.details).toMatchObject({ actingFor: childId.id });
  });

  it('refuses a child whose recorded guardian is someone else', async () => {
    const stranger = await registerPerson(t, w.tokens.branchA);
    const other = await registerPerson(t, w.tokens.branchA);
    const child = await registerChild(other.idNumber);
    const token = await holderToken(t, stranger.id);
    const add = await t.api({
      method: 'POST',
      url: '/api/v1/holder/wards',
      token,
      payload: { idType: 'household_register', idNumber: child.idNumber, relation: 'child' },
    });
    expect(add.statusCode).toBe(422);
    expect(add.json().code).toBe('HOLDER_WARD_NOT_GUARDIAN');
  });

  it('adds a consenting parent with the code sent to the parent’s phone, up to the limit', async () => {
    const holder = await registerPerson(t, w.tokens.branchA, { birthDate: '1990-05-05' });
    const token = await holderToken(t, holder.id);
    const addAdult = async () => {
      const elder = await registerPerson(t, w.tokens.branchA, { birthDate: '1950-02-02' });
      const asked = await t.api({
        method: 'POST',
        url: '/api/v1/holder/wards',
        token,
        payload: { idNumber: elder.idNumber, relation: 'parent' },
      });
      if (asked.statusCode !== 200) return asked;
      expect(asked.json().status).toBe('consent_required');
      return t.api({
        method: 'POST',
        url: '/api/v1/holder/wards',
        token,
        payload: { challengeId: asked.json().challengeId, code: lastCode(t) },
      });
    };
    expect((await addAdult()).json().status).toBe('added');
    expect((await addAdult()).json().status).toBe('added');
    const third = await addAdult();
    expect(third.statusCode).toBe(422);
    expect(third.json().code).toBe('HOLDER_WARD_LIMIT');
    const me = (await t.api({ method: 'GET', url: '/api/v1/holder/me', token })).json();
    expect(me.wards).toHaveLength(2);
    const removed = await t.api({
      method: 'POST',
      url: `/api/v1/holder/wards/${me.wards[0].personId}/remove`,
      token,
    });
    expect(removed.statusCode).toBe(200);
    expect(
      (await t.api({ method: 'GET', url: `/api/v1/persons/${me.wards[0].personId}/cards`, token }))
        .statusCode,
    ).toBe(404);
  });
});

// Last: these move the clock, which ends the fixture's staff sessions.
describe('codes and throttles over time', () => {
  it('a code works once and not after it expires', async () => {
    const person = await registerPerson(t, w.tokens.branchA);
    const first = (await start(person.idNumber)).json().challengeId;
    const code = lastCode(t);
    expect((await signIn(first, code)).statusCode).toBe(200);
    expect((await signIn(first, code)).json().code).toBe('HOLDER_CODE_INVALID');
    const second = (await start(person.idNumber)).json().challengeId;
    const later = lastCode(t);
    await t.setClock(new Date(t.platform.deps.clock.now().getTime() + 301_000));
    expect((await signIn(second, later)).json().code).toBe('HOLDER_CODE_INVALID');
  });

  it('throttles code requests per document and phone, then frees them when the window passes', async () => {
    const person = await registerPerson(t, w.tokens.branchA);
    for (let i = 0; i < 5; i++) expect((await start(person.idNumber)).statusCode).toBe(202);
    const sixth = await start(person.idNumber);
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().code).toBe('HOLDER_SIGN_IN_THROTTLED');
    await t.setClock(new Date(t.platform.deps.clock.now().getTime() + 61 * 60_000));
    expect((await start(person.idNumber)).statusCode).toBe(202);
  });
});

/** A child under 16 registered with the household register, the parent as guardian on record. */
async function registerChild(guardianIdNumber: string): Promise<{ id: string; idNumber: string }> {
  const idNumber = residentId('2018-04-04');
  const res = await t.api({
    method: 'POST',
    url: '/api/v1/persons',
    token: w.tokens.branchA,
    payload: {
      idType: 'household_register',
      idNumber,
      name: '测试童',
      phone: TEST_PHONE,
      guardian: {
        name: '测试人',
        idType: 'resident_id',
        idNumber: guardianIdNumber,
        relation: '父母',
      },
    },
  });
  if (res.statusCode !== 201) throw new Error(`child: ${res.statusCode} ${res.body}`);
  return { id: res.json().id, idNumber };
}

export { signInHolder };
