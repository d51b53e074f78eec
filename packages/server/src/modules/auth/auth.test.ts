import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_ADMIN_PASSWORD,
  TEST_START,
  createTestPlatform,
  type TestPlatform,
} from '../../testing/harness.js';
import { STAFF_PASSWORD, buildWorld, type World } from '../../testing/fixtures.js';

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
});
afterAll(() => t.close());

const login = (username: string, password: string, otp?: string) =>
  t.api({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password, ...(otp ? { otp } : {}) },
  });

describe('login and sessions', () => {
  it('logs in with username, password and one-time code and returns a bearer token with its expiry', async () => {
    const res = await login('admin', TEST_ADMIN_PASSWORD, await t.otp('admin'));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    expect(body.expiresAt).toBe('2026-05-06T21:00:00.000+08:00'); // 12 h absolute timeout
    const me = await t.api({ method: 'GET', url: '/api/v1/auth/me', token: body.token });
    expect(me.json()).toMatchObject({
      username: 'admin',
      role: 'installation_admin',
      scope: { kind: 'all' },
      clock: 'manual', // the test platform's clock: the web marks a test installation
    });
  });

  it('tells every account whether the installation runs on the system clock', async () => {
    const sys = await createTestPlatform({ SSCARD_CLOCK: 'system' });
    try {
      const token = await sys.login('admin', TEST_ADMIN_PASSWORD);
      const me = await sys.api({ method: 'GET', url: '/api/v1/auth/me', token });
      expect(me.json().clock).toBe('system');
    } finally {
      await sys.close();
    }
  });

  it('stores only a hash of the token', async () => {
    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    const rows = await t.platform.deps.db.selectFrom('sessions').select('token_hash').execute();
    for (const r of rows) expect(r.token_hash.toString('base64url')).not.toBe(token);
    expect(rows.every((r) => r.token_hash.length === 32)).toBe(true);
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const unknown = await login('nobody', 'whatever-1A!');
    const wrong = await login('sh.centre', 'wrong-password-1A!');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().code).toBe('LOGIN_FAILED');
    expect(wrong.json().code).toBe('LOGIN_FAILED');
  });

  it('locks an account after repeated failures, then lets it in when the lock expires', async () => {
    for (let i = 0; i < 4; i++)
      expect((await login('sh.community', 'bad-Password-1')).json().code).toBe('LOGIN_FAILED');
    const fifth = await login('sh.community', 'bad-Password-1');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('ACCOUNT_LOCKED');
    // Even the right password is refused while locked.
    expect((await login('sh.community', STAFF_PASSWORD)).statusCode).toBe(423);
    await t.setClock(new Date(TEST_START.getTime() + 16 * 60_000));
    expect((await login('sh.community', STAFF_PASSWORD)).statusCode).toBe(200);
    await t.setClock(TEST_START);
  });

  it('ends a session after the idle timeout and at the absolute timeout', async () => {
    const token = await t.login('sh.auditor', STAFF_PASSWORD);
    await t.setClock(new Date(TEST_START.getTime() + 29 * 60_000));
    expect((await t.api({ method: 'GET', url: '/api/v1/auth/me', token })).statusCode).toBe(200);
    await t.setClock(new Date(TEST_START.getTime() + 60 * 60_000));
    const idle = await t.api({ method: 'GET', url: '/api/v1/auth/me', token });
    expect(idle.statusCode).toBe(401);
    expect(idle.json().code).toBe('SESSION_EXPIRED');

    await t.setClock(TEST_START);
    const busy = await t.login('sh.auditor', STAFF_PASSWORD);
    for (let minutes = 25; minutes <= 12 * 60; minutes += 25) {
      await t.setClock(new Date(TEST_START.getTime() + minutes * 60_000));
      const res = await t.api({ method: 'GET', url: '/api/v1/auth/me', token: busy });
      if (minutes < 12 * 60) expect(res.statusCode).toBe(200);
    }
    await t.setClock(new Date(TEST_START.getTime() + 12 * 60 * 60_000 + 1));
    expect((await t.api({ method: 'GET', url: '/api/v1/auth/me', token: busy })).statusCode).toBe(
      401,
    );
    await t.setClock(TEST_START);
  });

  it('logs out', async () => {
    const token = await t.login('sh.bankb', STAFF_PASSWORD);
    expect((await t.api({ method: 'POST', url: '/api/v1/auth/logout', token })).statusCode).toBe(
      204,
    );
    expect((await t.api({ method: 'GET', url: '/api/v1/auth/me', token })).json().code).toBe(
      'SESSION_EXPIRED',
    );
  });

  it('ends every session of an account the moment it is disabled', async () => {
    const token = await t.login('sh.branchb', STAFF_PASSWORD);
    const list = await t.api({
      method: 'GET',
      url: '/api/v1/staff?role=branch_operator',
      token: w.tokens.bankB,
    });
    const target = list.json().items.find((s: { username: string }) => s.username === 'sh.branchb');
    const res = await t.api({
      method: 'POST',
      url: `/api/v1/staff/${target.id}/disable`,
      token: w.tokens.bankB,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('disabled');
    expect((await t.api({ method: 'GET', url: '/api/v1/auth/me', token })).statusCode).toBe(401);
    expect(
      (await t.api({ method: 'GET', url: '/api/v1/auth/me', token: w.tokens.branchB })).statusCode,
    ).toBe(401);
    const again = await login('sh.branchb', STAFF_PASSWORD);
    expect(again.json().code).toBe('ACCOUNT_DISABLED');
  });

  it('refuses a malformed bearer header', async () => {
    const res = await t.api({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: 'Basic abc' },
    });
    expect(res.statusCode).toBe(401);
  });
});
