import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { STAFF_PASSWORD, buildWorld, type World } from '../../testing/fixtures.js';

let t: TestPlatform;
let w: World;
let zs: World;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
  zs = await buildWorld(t, 'ZS', '330900');
});
afterAll(() => t.close());

const FZ42 = {
  rule: 'FZ-42',
  quote: '市信息数据中心有权在合作银行发生网络与数据安全事件时暂停合作银行的网络专线接入',
};

const act = (token: string, id: string, what: 'suspend' | 'restore', reason = '专线异常流量') =>
  t.api({
    method: 'POST',
    url: `/api/v1/organizations/${id}/${what}`,
    token,
    payload: { reason },
  });
const me = (token: string, lang?: string) =>
  t.api({ method: 'GET', url: '/api/v1/auth/me', token, ...(lang ? { lang } : {}) });
const login = (username: string, password = STAFF_PASSWORD) =>
  t.api({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

describe('suspending a bank’s access (FZ-42)', () => {
  it('is the centre’s act, inside its jurisdiction, for banks, branches and outlets', async () => {
    expect((await act(w.tokens.bankA, w.bankA, 'suspend')).statusCode).toBe(403);
    expect((await act(w.tokens.admin, w.bankA, 'suspend')).statusCode).toBe(403);
    expect((await act(zs.tokens.centre, w.bankA, 'suspend')).statusCode).toBe(404);
    const centre = await act(w.tokens.centre, w.centreId, 'suspend');
    expect(centre.statusCode).toBe(422);
    expect(centre.json().code).toBe('ORGANIZATION_NOT_SUSPENDABLE');
    const noReason = await t.api({
      method: 'POST',
      url: `/api/v1/organizations/${w.bankA}/suspend`,
      token: w.tokens.centre,
      payload: {},
    });
    expect(noReason.statusCode).toBe(422);
  });

  it('refuses every request and every login by the bank’s and its branches’ staff, citing FZ-42', async () => {
    const res = await act(w.tokens.centre, w.bankA, 'suspend');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: w.bankA, status: 'suspended' });
    expect(res.json().suspendedAt).toMatch(/\+08:00$/);

    for (const token of [w.tokens.bankA, w.tokens.branchA]) {
      const refused = await me(token);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('ORGANIZATION_SUSPENDED');
      expect(refused.json().rule).toEqual(FZ42);
    }
    const en = await me(w.tokens.branchA, 'en');
    expect(en.json().detail).toContain('SH BANKA 测试机构');

    const branchLogin = await login('sh.brancha');
    expect(branchLogin.statusCode).toBe(403);
    expect(branchLogin.json().rule).toEqual(FZ42);
    // A wrong password still says only that: the suspension is no oracle.
    expect((await login('sh.brancha', 'Wrong-Pass-2026')).json().code).toBe('LOGIN_FAILED');
    // The administrator's second factor is not even asked for.
    expect((await login('sh.banka')).json().code).toBe('ORGANIZATION_SUSPENDED');

    // The other bank, the centre and the ZS world carry on.
    expect((await me(w.tokens.bankB)).statusCode).toBe(200);
    expect((await me(w.tokens.branchB)).statusCode).toBe(200);
    expect((await me(w.tokens.centre)).statusCode).toBe(200);
    expect((await me(zs.tokens.branchA)).statusCode).toBe(200);

    // The centre still sees the bank, marked suspended.
    const seen = await t.api({
      method: 'GET',
      url: `/api/v1/organizations/${w.bankA}`,
      token: w.tokens.centre,
    });
    expect(seen.json().status).toBe('suspended');
    expect((await act(w.tokens.centre, w.bankA, 'suspend')).json().code).toBe(
      'ORGANIZATION_ALREADY_SUSPENDED',
    );

    const audit = await t.platform.deps.db
      .selectFrom('audit_log')
      .select(['action', 'reason', 'outcome', 'details'])
      .where('target_id', '=', w.bankA)
      .where('action', '=', 'organization.suspend')
      .where('outcome', '=', 'success')
      .executeTakeFirstOrThrow();
    expect(audit.reason).toBe('专线异常流量');
    expect(audit.details).toMatchObject({ rule: 'FZ-42', organizations: 2, sessionsEnded: 2 });
  });

  it('lets them back in when restored; the sessions ended by the suspension stay ended', async () => {
    const res = await act(w.tokens.centre, w.bankA, 'restore', '事件已处置，已采取防范措施');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'active', suspendedAt: null });
    expect((await me(w.tokens.branchA)).json().code).toBe('SESSION_EXPIRED');
    const token = await t.login('sh.brancha', STAFF_PASSWORD);
    expect((await me(token)).statusCode).toBe(200);
    expect((await me(await t.login('sh.banka', STAFF_PASSWORD))).statusCode).toBe(200);
    expect((await act(w.tokens.centre, w.bankA, 'restore')).json().code).toBe(
      'ORGANIZATION_NOT_SUSPENDED',
    );
  });

  it('can suspend one branch or outlet alone', async () => {
    expect((await act(w.tokens.centre, w.branchB, 'suspend')).statusCode).toBe(200);
    expect((await me(w.tokens.branchB)).json().code).toBe('ORGANIZATION_SUSPENDED');
    expect((await me(w.tokens.bankB)).statusCode).toBe(200);
    expect((await act(w.tokens.centre, w.outletId, 'suspend')).statusCode).toBe(200);
    expect((await me(w.tokens.community)).json().rule.rule).toBe('FZ-42');
    expect((await act(w.tokens.centre, w.branchB, 'restore')).statusCode).toBe(200);
    expect((await act(w.tokens.centre, w.outletId, 'restore')).statusCode).toBe(200);
    expect((await login('sh.branchb')).statusCode).toBe(200);
  });
});
