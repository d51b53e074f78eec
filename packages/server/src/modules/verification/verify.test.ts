/**
 * Service points and online checks over HTTP (issue 12), in Fuzhou: terminals registered by the
 * centre and by a bank (FZ-12, ZS-18), suspended, rotated and retired; cards checked online
 * (HN-32) with each invalid reason naming its article; the social PIN checked only at pharmacies
 * (FZ-32) and locked after six failures; every check in the verification log and in the holder's
 * access log; a suspended service point refused at once (FZ-42).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { registerPerson } from '../../testing/people.js';
import { systemContext } from '../../context.js';

let t: TestPlatform;
let w: World;
let pharmacyKey: string;
let pharmacyTerminal: string;
let hospitalKey: string;
let hospitalId: string;

const post = (url: string, token: string, payload: unknown = {}, headers = {}) =>
  t.api({ method: 'POST', url, token, payload: payload as Record<string, unknown>, headers });
const get = (url: string, token: string) => t.api({ method: 'GET', url, token });
/** A call as a terminal: its own credential, no session. */
const asTerminal = (key: string, url: string, payload: unknown) =>
  t.api({
    method: 'POST',
    url,
    payload: payload as Record<string, unknown>,
    headers: { authorization: `Terminal ${key}` },
  });
const check = (key: string, cardNo: string, extra: object = {}) =>
  asTerminal(key, '/api/v1/verify/card', { cardNo, ...extra });

async function register(token: string, organizationId: string, extra: object = {}) {
  const res = await post('/api/v1/terminals', token, {
    organizationId,
    kind: 'pos',
    label: '收银台读卡器',
    brand: '示例',
    model: 'R-100',
    rateLimitPerSecond: 1000,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ terminal: { id: string; filedLate: boolean }; apiKey: string }>();
}

async function issuedCard() {
  const person = await registerPerson(t, w.tokens.branchA, { county: '350102' });
  const app = await post('/api/v1/applications', w.tokens.branchA, {
    personId: person.id,
    kind: 'first',
    production: 'instant',
  });
  const made = await post(`/api/v1/applications/${app.json().id}/produce`, w.tokens.branchA);
  const cardNo = made.json().cardNo as string;
  await post(`/api/v1/cards/${cardNo}/issue`, w.tokens.branchA, { to: 'holder' });
  return { person, cardNo };
}

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t, 'FZ', '350100');
  const hospital = await t.platform.services.organizations.create(
    {
      kind: 'service_point',
      servicePointKind: 'hospital',
      code: 'FZ-HOSPITAL',
      name: '福州示例医院',
      jurisdiction: '350100',
      parentId: w.centreId,
    },
    systemContext('test'),
  );
  hospitalId = hospital.id;
  const p = await register(w.tokens.centre, w.pharmacyId);
  pharmacyKey = p.apiKey;
  pharmacyTerminal = p.terminal.id;
  hospitalKey = (await register(w.tokens.centre, hospitalId, { kind: 'card_reader' })).apiKey;
});
afterAll(() => t.close());

describe('terminals (ZS-18, FZ-12, SG-26)', () => {
  it('a registration answers the key once, keeps only its hash, and is audited', async () => {
    const { terminal, apiKey } = await register(w.tokens.centre, w.pharmacyId);
    expect(apiKey).toMatch(/^sst_[A-Za-z0-9_-]{32}$/);
    const read = await get(`/api/v1/terminals/${terminal.id}`, w.tokens.centre);
    expect(read.body).not.toContain(apiKey);
    expect(read.json()).toMatchObject({ credentialHint: apiKey.slice(-4), status: 'active' });
    const stored = await t.platform.deps.db
      .selectFrom('terminals')
      .select('credential_hash')
      .where('id', '=', terminal.id)
      .executeTakeFirstOrThrow();
    expect(stored.credential_hash.toString('utf8')).not.toContain(apiKey);
    const audit = await t.platform.deps.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', terminal.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('terminal.register');
    expect(JSON.stringify(audit)).not.toContain(apiKey);
  });

  it('a bank registers its own branches’ terminals, not another bank’s, not a service point’s', async () => {
    await register(w.tokens.bankA, w.branchA);
    const other = await post('/api/v1/terminals', w.tokens.bankA, {
      organizationId: w.branchB,
      kind: 'card_reader',
      label: '读卡器',
    });
    expect(other.statusCode).toBe(404);
    const pharmacy = await post('/api/v1/terminals', w.tokens.bankA, {
      organizationId: w.pharmacyId,
      kind: 'card_reader',
      label: '读卡器',
    });
    expect(pharmacy.statusCode).toBe(404);
  });

  it('terminals belong to service points and counters only', async () => {
    const res = await post('/api/v1/terminals', w.tokens.centre, {
      organizationId: w.vendorId,
      kind: 'card_reader',
      label: '读卡器',
    });
    expect(res.json()).toMatchObject({ code: 'TERMINAL_OWNER_KIND' });
  });

  it('FZ-12: a change filed after 7 working days is flagged, with an alert citing the article', async () => {
    const { terminal } = await register(w.tokens.centre, w.pharmacyId);
    // TEST_START is 2026-05-06 (Wednesday); 2026-04-20 is more than 7 working days before.
    const late = await post(`/api/v1/terminals/${terminal.id}/change`, w.tokens.centre, {
      model: 'R-200',
      changedOn: '2026-04-20',
    });
    expect(late.json()).toMatchObject({ filedLate: true, filingRule: 'FZ-12', model: 'R-200' });
    const alerts = await get('/api/v1/alerts?kind=terminal.filed_late', w.tokens.centre);
    expect(JSON.stringify(alerts.json())).toContain('FZ-12');
    const onTime = await post(`/api/v1/terminals/${terminal.id}/change`, w.tokens.centre, {
      model: 'R-300',
      changedOn: '2026-05-01',
    });
    expect(onTime.json()).toMatchObject({ filedLate: false });
  });

  it('suspension, resumption, rotation and retirement take effect at the next check', async () => {
    const { cardNo } = await issuedCard();
    const { terminal, apiKey } = await register(w.tokens.centre, w.pharmacyId);
    expect((await check(apiKey, cardNo)).json()).toMatchObject({ valid: true });
    const reason = { reason: '设备送修' };
    await post(`/api/v1/terminals/${terminal.id}/suspend`, w.tokens.centre, reason);
    expect((await check(apiKey, cardNo)).json()).toMatchObject({ code: 'TERMINAL_NOT_ACTIVE' });
    await post(`/api/v1/terminals/${terminal.id}/resume`, w.tokens.centre, reason);
    expect((await check(apiKey, cardNo)).statusCode).toBe(200);
    const rotated = await post(`/api/v1/terminals/${terminal.id}/rotate`, w.tokens.centre, {});
    const newKey = rotated.json().apiKey as string;
    expect(newKey).not.toBe(apiKey);
    expect((await check(apiKey, cardNo)).json()).toMatchObject({ code: 'TERMINAL_AUTH_REQUIRED' });
    expect((await check(newKey, cardNo)).statusCode).toBe(200);
    await post(`/api/v1/terminals/${terminal.id}/retire`, w.tokens.centre, reason);
    expect((await check(newKey, cardNo)).statusCode).toBe(403);
    const again = await post(`/api/v1/terminals/${terminal.id}/resume`, w.tokens.centre, reason);
    expect(again.json()).toMatchObject({ code: 'TERMINAL_NOT_ACTIVE' });
  });

  it('FZ-42: a suspended service point’s terminals are refused at once, citing the article', async () => {
    const { cardNo } = await issuedCard();
    const { apiKey } = await register(w.tokens.centre, hospitalId, { kind: 'card_reader' });
    const reason = { reason: '网络安全事件' };
    await post(`/api/v1/organizations/${hospitalId}/suspend`, w.tokens.centre, reason);
    const refused = await check(apiKey, cardNo);
    expect(refused.json()).toMatchObject({
      code: 'ORGANIZATION_SUSPENDED',
      rule: { rule: 'FZ-42' },
    });
    await post(`/api/v1/organizations/${hospitalId}/restore`, w.tokens.centre, reason);
    expect((await check(apiKey, cardNo)).statusCode).toBe(200);
  });

  it('a bad or missing credential is refused, and a terminal is over its rate at once', async () => {
    const { cardNo } = await issuedCard();
    expect((await check('sst_' + 'A'.repeat(32), cardNo)).statusCode).toBe(401);
    const none = await t.api({ method: 'POST', url: '/api/v1/verify/card', payload: { cardNo } });
    expect(none.statusCode).toBe(401);
    const { apiKey } = await register(w.tokens.centre, w.pharmacyId, { rateLimitPerSecond: 2 });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await check(apiKey, cardNo)).statusCode);
    expect(answers).toEqual([200, 200, 429]); // the manual clock stands still: no refill
  });
});

describe('card check (HN-32)', () => {
  it('a valid card: masked holder, no personal data', async () => {
    const { person, cardNo } = await issuedCard();
    const res = await check(pharmacyKey, cardNo);
    expect(res.json()).toMatchObject({
      valid: true,
      function: 'social',
      reasons: [],
      cardKind: 'regular',
      idRequired: false,
    });
    expect(res.json().holder.name).toMatch(/\*/);
    expect(res.body).not.toContain(person.idNumber);
  });

  it('a lost card is invalid, naming FZ-33; the SSN read from the chip must be the holder’s', async () => {
    const { person, cardNo } = await issuedCard();
    await post(`/api/v1/cards/${cardNo}/loss`, w.tokens.branchA, { kind: 'formal' });
    const res = await check(pharmacyKey, cardNo);
    expect(res.json()).toMatchObject({ valid: false, reasons: [{ code: 'lost' }] });
    expect(res.json().reasons[0].rule).toMatch(/^FZ-/);
    const other = await issuedCard();
    const ssn = await check(pharmacyKey, other.cardNo, { ssn: person.idNumber });
    expect(ssn.json()).toMatchObject({ valid: false, reasons: [{ code: 'ssn_mismatch' }] });
    const own = await check(pharmacyKey, other.cardNo, { ssn: other.person.idNumber });
    expect(own.json()).toMatchObject({ valid: true });
  });

  it('an unknown card is not found, and a malformed number is refused', async () => {
    const unknown = await check(pharmacyKey, '350100999999990');
    expect([404, 422]).toContain(unknown.statusCode);
    expect((await check(pharmacyKey, 'not-a-card-no!!')).statusCode).toBe(422);
  });

  it('an operator checks through their own organisation’s terminal only', async () => {
    const { cardNo } = await issuedCard();
    const own = await post('/api/v1/verify/card', w.tokens.pharmacy, {
      cardNo,
      terminalId: pharmacyTerminal,
    });
    expect(own.json()).toMatchObject({ valid: true });
    const hospitalTerminal = (await register(w.tokens.centre, hospitalId)).terminal.id;
    const other = await post('/api/v1/verify/card', w.tokens.pharmacy, {
      cardNo,
      terminalId: hospitalTerminal,
    });
    expect(other.json()).toMatchObject({ code: 'TERMINAL_NOT_OURS' });
    const branch = await post('/api/v1/verify/card', w.tokens.branchA, {
      cardNo,
      terminalId: pharmacyTerminal,
    });
    expect(branch.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('every check is logged, and the holder’s access log shows where the card was checked', async () => {
    const { person, cardNo } = await issuedCard();
    const before = await t.platform.deps.repos.verification.countLog({});
    await check(pharmacyKey, cardNo);
    await check(hospitalKey, cardNo, { function: 'financial' });
    expect(await t.platform.deps.repos.verification.countLog({})).toBe(before + 2);
    const log = await get(`/api/v1/persons/${person.id}/access-log`, w.tokens.centre);
    const checks = log.json().checks as { where: string; function: string }[];
    expect(checks).toHaveLength(2);
    expect(checks.map((c) => c.where).join()).toContain('福州示例医院');
  });
});

describe('PIN check at a terminal (FZ-32)', () => {
  it('a hospital’s terminal is refused by place before the PIN counts', async () => {
    const { cardNo } = await issuedCard();
    const res = await asTerminal(hospitalKey, '/api/v1/verify/pin', { cardNo, pin: '000000' });
    expect(res.json()).toMatchObject({ code: 'PIN_PLACE_NOT_ALLOWED', rule: { rule: 'FZ-32' } });
    const card = await get(`/api/v1/cards/${cardNo}`, w.tokens.branchA);
    expect(card.json().pin).toMatchObject({ failures: 0 });
  });

  it('a pharmacy checks it; six wrong PINs lock the card, as at a counter', async () => {
    const { cardNo } = await issuedCard();
    const ok = await asTerminal(pharmacyKey, '/api/v1/verify/pin', { cardNo, pin: '888888' });
    expect(ok.json()).toMatchObject({ valid: true });
    for (let i = 1; i <= 5; i++) {
      const wrong = await asTerminal(pharmacyKey, '/api/v1/verify/pin', { cardNo, pin: '000001' });
      expect(wrong.json()).toMatchObject({ code: 'PIN_WRONG', rule: { rule: 'FZ-32' } });
    }
    const sixth = await asTerminal(pharmacyKey, '/api/v1/verify/pin', { cardNo, pin: '000001' });
    expect(sixth.statusCode).toBe(423);
    const right = await asTerminal(pharmacyKey, '/api/v1/verify/pin', { cardNo, pin: '888888' });
    expect(right.json()).toMatchObject({ code: 'PIN_LOCKED' });
    const audit = await t.platform.deps.db
      .selectFrom('audit_log')
      .select(['action', 'actor_username'])
      .where('target_id', '=', cardNo)
      .where('action', '=', 'card.pin.check')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(7);
    expect(audit[0]!.actor_username).toMatch(/^terminal:/);
  });
});
