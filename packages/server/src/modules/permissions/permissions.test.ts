/**
 * FZ-37: a branch asks for an account, a change of its acts or a lock; the bank approves and the
 * request is filed with the centre; 3 working days, late ones flagged. An account holds only the
 * acts granted to it. An approved grant answers an activation ticket (never a password), shown
 * once: a retry with the same Idempotency-Key answers the first answer without it, and the saved
 * answer holds none. Separation of duties: the centre administrator cannot read the audit trail,
 * and no administrator approves a grant of a separated permission it does not hold.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, TEST_START, type TestPlatform } from '../../testing/harness.js';
import { STAFF_PASSWORD, buildWorld, type World } from '../../testing/fixtures.js';
import { registerPerson } from '../../testing/people.js';

let t: TestPlatform;
let w: World;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t, 'FZ', '350100');
});
afterAll(() => t.close());

const post = (url: string, token: string, payload: unknown = {}, key?: string) =>
  t.api({
    method: 'POST',
    url,
    token,
    payload: payload as Record<string, unknown>,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
const activate = (username: string, ticket: string, newPassword: string) =>
  t.api({
    method: 'POST',
    url: '/api/v1/auth/activate',
    payload: { username, ticket, newPassword },
  });
const NEW_PASSWORD = 'Own-Choice-2026!';

describe('FZ-37 permission requests', () => {
  let requestId: string;
  let newStaffId: string;
  let activationTicket: string;

  it('a branch asks for a new account with some acts; due in 3 working days', async () => {
    const res = await post('/api/v1/permission-requests', w.tokens.branchA, {
      kind: 'grant',
      account: { username: 'fz.brancha.op2', displayName: '新经办员' },
      permissions: ['person.read', 'card.read', 'card.loss', 'card.pin'],
      reason: '新员工上岗',
    });
    expect(res.statusCode).toBe(201);
    // Wed 6 May → Thu 7, Fri 8, Sat 9 (a make-up working day) in 2026.
    expect(res.json()).toMatchObject({
      status: 'requested',
      dueAt: '2026-05-09T23:59:59.999+08:00',
      overdue: false,
    });
    requestId = res.json().id;
    const wrong = await post('/api/v1/permission-requests', w.tokens.branchA, {
      kind: 'grant',
      account: { username: 'fz.x.op', displayName: 'x' },
      permissions: ['audit.read'],
      reason: '越权',
    });
    expect(wrong.statusCode).toBe(422);
  });

  it('another bank cannot approve it, nor the centre; the branch’s own bank does, and the centre sees it filed', async () => {
    expect(
      (await post(`/api/v1/permission-requests/${requestId}/approve`, w.tokens.bankB)).statusCode,
    ).toBe(404);
    expect(
      (await post(`/api/v1/permission-requests/${requestId}/approve`, w.tokens.branchA)).statusCode,
    ).toBe(403);
    // FZ-37 (二): a branch's request is its bank's to decide; the centre only sees it filed.
    const centre = await post(`/api/v1/permission-requests/${requestId}/approve`, w.tokens.centre);
    expect(centre.statusCode).toBe(403);
    expect(centre.json().code).toBe('NOT_RESPONSIBLE');
    const key = 'fz37-approve-op2';
    const ok = await post(
      `/api/v1/permission-requests/${requestId}/approve`,
      w.tokens.bankA,
      {},
      key,
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json().request).toMatchObject({ status: 'approved', late: false });
    expect(ok.json().request.filedAt).not.toBeNull();
    expect(ok.json()).not.toHaveProperty('oneTimePassword');
    expect(ok.json().activationTicket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    newStaffId = ok.json().request.createdStaffId;
    activationTicket = ok.json().activationTicket;

    // A retry with the same key answers the first answer (not 409), without the ticket.
    const again = await post(
      `/api/v1/permission-requests/${requestId}/approve`,
      w.tokens.bankA,
      {},
      key,
    );
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().request).toEqual(ok.json().request);
    expect(again.json()).toMatchObject({ activationTicket: null, redacted: ['activationTicket'] });
    // Neither the saved answer nor the account row holds the ticket in clear.
    const saved = await t.platform.deps.db
      .selectFrom('idempotency_keys')
      .select('response')
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(saved.response)).not.toContain(activationTicket);
    const row = await t.platform.deps.db
      .selectFrom('staff')
      .selectAll()
      .where('id', '=', newStaffId)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toBeNull();
    expect(JSON.stringify(row)).not.toContain(activationTicket);
    expect(row.activation_hash!.toString('hex')).toBe(
      createHash('sha256').update(activationTicket).digest('hex'),
    );

    const register = await t.api({
      method: 'GET',
      url: '/api/v1/permission-requests',
      token: w.tokens.centre,
    });
    expect(register.json().items.map((r: { id: string }) => r.id)).toContain(requestId);
    const otherBank = await t.api({
      method: 'GET',
      url: '/api/v1/permission-requests',
      token: w.tokens.bankB,
    });
    expect(otherBank.json().items).toEqual([]);
  });

  it('the ticket is no password; the holder sets their own with it, once', async () => {
    const withTicket = await t.api({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'fz.brancha.op2', password: activationTicket },
    });
    expect(withTicket.json().code).toBe('LOGIN_FAILED');
    expect((await activate('fz.brancha.op2', activationTicket, NEW_PASSWORD)).statusCode).toBe(204);
    expect((await activate('fz.brancha.op2', activationTicket, NEW_PASSWORD)).json().code).toBe(
      'ACTIVATION_INVALID',
    );
  });

  it('the new account holds only its granted acts', async () => {
    const token = await t.login('fz.brancha.op2', NEW_PASSWORD);
    const person = await registerPerson(t, w.tokens.branchA, { county: '350102' });
    const apply = await post('/api/v1/applications', token, {
      personId: person.id,
      kind: 'first',
      production: 'instant',
    });
    expect(apply.statusCode).toBe(403);
    expect(apply.json().code).toBe('FORBIDDEN');
    const me = await t.api({ method: 'GET', url: '/api/v1/auth/me', token });
    expect(me.json().permissions.sort()).toEqual([
      'card.loss',
      'card.pin',
      'card.read',
      'person.read',
    ]);
    void newStaffId;
  });

  it('a lock requested and approved late is flagged late, and ends the account’s sessions', async () => {
    const token = await t.login('fz.brancha.op2', NEW_PASSWORD);
    const req = await post('/api/v1/permission-requests', w.tokens.branchA, {
      kind: 'lock',
      staffId: newStaffId,
      reason: '员工离职',
    });
    expect(req.statusCode).toBe(201);
    await t.setClock(new Date(TEST_START.getTime() + 7 * DAY));
    try {
      const bank = await t.login('fz.banka', STAFF_PASSWORD);
      const pending = await t.api({
        method: 'GET',
        url: '/api/v1/permission-requests?status=requested',
        token: bank,
      });
      expect(pending.json().items[0]).toMatchObject({ overdue: true });
      const done = await post(`/api/v1/permission-requests/${req.json().id}/approve`, bank);
      expect(done.json().request).toMatchObject({ status: 'approved', late: true });
      expect((await t.api({ method: 'GET', url: '/api/v1/auth/me', token })).statusCode).toBe(401);
    } finally {
      await t.setClock(TEST_START);
    }
  });
});

describe('separation of duties (三权分立)', () => {
  it('administrators who grant accounts cannot read the audit trail; auditors can', async () => {
    expect(
      (await t.api({ method: 'GET', url: '/api/v1/audit', token: w.tokens.centre })).statusCode,
    ).toBe(403);
    expect(
      (await t.api({ method: 'GET', url: '/api/v1/audit', token: w.tokens.admin })).statusCode,
    ).toBe(403);
    expect(
      (await t.api({ method: 'GET', url: '/api/v1/audit', token: w.tokens.auditor })).statusCode,
    ).toBe(200);
    expect(
      (
        await post('/api/v1/staff', w.tokens.auditor, {
          username: 'fz.sneak',
          displayName: 'x',
          role: 'auditor',
          organizationId: w.centreId,
        })
      ).statusCode,
    ).toBe(403);
  });

  it('no administrator approves a grant of a separated permission it does not hold itself', async () => {
    const ask = async (username: string, permissions: string[]) => {
      const res = await post('/api/v1/permission-requests', w.tokens.branchA, {
        kind: 'grant',
        account: { username, displayName: '新经办员' },
        permissions,
        reason: '新员工上岗',
      });
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    };
    const full = await ask('fz.brancha.op3', ['person.read', 'person.read_full', 'card.read']);
    // The installation administrator does not read full records: it may not hand that out.
    const admin = await post(`/api/v1/permission-requests/${full}/approve`, w.tokens.admin);
    expect(admin.statusCode).toBe(403);
    expect(admin.json()).toMatchObject({
      code: 'SEPARATION_OF_DUTIES',
      rule: { rule: 'GB/T 22239-2019 8.1.4.2' },
    });
    expect(admin.json().detail).toContain('person.read_full');
    const staff = await t.platform.deps.db
      .selectFrom('staff')
      .select('id')
      .where('username', '=', 'fz.brancha.op3')
      .execute();
    expect(staff).toEqual([]);
    // A grant without it, the installation administrator may approve; the bank the other.
    const masked = await ask('fz.brancha.op4', ['person.read', 'card.read']);
    expect(
      (await post(`/api/v1/permission-requests/${masked}/approve`, w.tokens.admin)).statusCode,
    ).toBe(200);
    const bank = await post(`/api/v1/permission-requests/${full}/approve`, w.tokens.bankA);
    expect(bank.statusCode).toBe(200);
    expect(bank.json().activationTicket).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
