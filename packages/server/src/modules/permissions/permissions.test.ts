/**
 * FZ-37: a branch asks for an account, a change of its acts or a lock; the bank approves and the
 * request is filed with the centre; 3 working days, late ones flagged. An account holds only the
 * acts granted to it. Separation of duties: the centre administrator cannot read the audit trail.
 */
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

const post = (url: string, token: string, payload: unknown = {}) =>
  t.api({ method: 'POST', url, token, payload: payload as Record<string, unknown> });

describe('FZ-37 permission requests', () => {
  let requestId: string;
  let newStaffId: string;
  let oneTimePassword: string;

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

  it('another bank cannot approve it; the branch’s own bank does, and the centre sees it filed', async () => {
    expect(
      (await post(`/api/v1/permission-requests/${requestId}/approve`, w.tokens.bankB)).statusCode,
    ).toBe(404);
    expect(
      (await post(`/api/v1/permission-requests/${requestId}/approve`, w.tokens.branchA)).statusCode,
    ).toBe(403);
    const ok = await post(`/api/v1/permission-requests/${requestId}/approve`, w.tokens.bankA);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().request).toMatchObject({ status: 'approved', late: false });
    expect(ok.json().request.filedAt).not.toBeNull();
    newStaffId = ok.json().request.createdStaffId;
    oneTimePassword = ok.json().oneTimePassword;
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

  it('the new account holds only its granted acts', async () => {
    const token = await t.login('fz.brancha.op2', oneTimePassword);
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
    const token = await t.login('fz.brancha.op2', oneTimePassword);
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
          password: 'Strong-Pass-2026',
        })
      ).statusCode,
    ).toBe(403);
  });
});
