/**
 * The login lock tells nothing and cannot be raced (docs/ACCESS.md):
 * - a name that is no account counts its failures and locks exactly like an account, so the
 *   answers through a lockout are the same whether or not the name exists;
 * - a locked account answers ACCOUNT_LOCKED whatever the password;
 * - the decision is taken on the locked account row: under concurrent attempts, no session opens
 *   once a concurrent failure has locked the account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { systemContext } from '../../context.js';
import { TEST_START, createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { STAFF_PASSWORD, buildWorld, type World } from '../../testing/fixtures.js';

let t: TestPlatform;
let w: World;
const MINUTE = 60_000;
const WRONG = 'Wrong-Password-2026';

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
});
afterAll(() => t.close());

const login = (username: string, password: string) =>
  t.api({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

/** What an answer tells an observer: status, code, and the lock's end if any. */
function seen(res: LightMyRequestResponse) {
  const body = res.json<{ code?: string; detail?: string }>();
  return `${res.statusCode} ${body.code ?? 'token'}${body.detail ? ` ${body.detail}` : ''}`;
}

async function operator(username: string): Promise<string> {
  const created = await t.platform.services.staff.create(
    {
      username,
      displayName: username,
      role: 'branch_operator',
      organizationId: w.branchA,
      password: STAFF_PASSWORD,
    },
    systemContext('test'),
  );
  return created.staff.id;
}

describe('a name that is no account locks like one', () => {
  it('answers the same codes, in the same sequence, with the same lock end', async () => {
    await operator('sh.real');
    const real: string[] = [];
    const ghost: string[] = [];
    for (let i = 0; i < 7; i++) {
      real.push(seen(await login('sh.real', WRONG)));
      ghost.push(seen(await login('sh.ghost', WRONG)));
    }
    expect(ghost).toEqual(real);
    expect(real.slice(0, 4).every((s) => s.startsWith('401 LOGIN_FAILED'))).toBe(true);
    expect(real.slice(4).every((s) => s.startsWith('423 ACCOUNT_LOCKED'))).toBe(true);
    // The lock ends SSCARD_LOGIN_LOCK_MINUTES (15) after the failure that closed it.
    expect(real[4]).toContain('2026-05-06T01:15:00.000Z');

    // Whatever the password, a locked name answers the lock, known or not (and in English too).
    expect(seen(await login('sh.real', STAFF_PASSWORD))).toBe(real[4]);
    expect(seen(await login('SH.Ghost', STAFF_PASSWORD))).toBe(real[4]);
    const enReal = await t.api({
      method: 'POST',
      url: '/api/v1/auth/login',
      lang: 'en',
      payload: { username: 'sh.real', password: WRONG },
    });
    const enGhost = await t.api({
      method: 'POST',
      url: '/api/v1/auth/login',
      lang: 'en',
      payload: { username: 'sh.ghost', password: WRONG },
    });
    expect(seen(enGhost)).toBe(seen(enReal));

    // Failures of a name that is no account are kept only as a keyed hash of the name.
    const rows = await t.platform.deps.db.selectFrom('login_throttle').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('ghost');

    // Both locks lapse alike; the account then lets its owner in.
    await t.setClock(new Date(TEST_START.getTime() + 16 * MINUTE));
    try {
      expect(seen(await login('sh.ghost', WRONG))).toMatch(/^401 LOGIN_FAILED /);
      expect((await login('sh.real', STAFF_PASSWORD)).statusCode).toBe(200);
    } finally {
      await t.setClock(TEST_START);
    }
  });

  it('answers an unknown name and a wrong password alike before any lock', async () => {
    const unknown = await login('sh.nobody.here', WRONG);
    const wrong = await login('sh.brancha', WRONG);
    expect(seen(unknown)).toBe(seen(wrong));
  });
});

describe('racing the lock', () => {
  /**
   * 10 logins at once on an account one failure short of the lock: one with the right password,
   * nine wrong. Serialised on the account row, the right one either came first (it opens the one
   * session and clears the count, and the nine then close the lock on their fifth failure), or
   * after the first wrong one closed the lock (all ten are refused, no session).
   */
  // The right password sent first, in the middle and last of the ten.
  for (const [round, right] of [
    [1, 0],
    [2, 5],
    [3, 9],
  ] as const) {
    it(`opens no session once a concurrent failure locked the account (round ${round})`, async () => {
      const username = `sh.race${round}`;
      const id = await operator(username);
      const max = t.config.login.maxFailures;
      for (let i = 0; i < max - 1; i++)
        expect((await login(username, WRONG)).json().code).toBe('LOGIN_FAILED');

      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => login(username, i === right ? STAFF_PASSWORD : WRONG)),
      );
      const codes = answers.map((r) => (r.statusCode === 200 ? 'OK' : (r.json().code as string)));
      const opened = await t.platform.deps.db
        .selectFrom('sessions')
        .select(['id', 'created_at'])
        .where('staff_id', '=', id)
        .execute();
      const count = (code: string) => codes.filter((c) => c === code).length;
      const row = await t.platform.deps.db
        .selectFrom('staff')
        .select(['locked_until', 'failed_logins'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      // Either way the account ends locked, and only a login answered 200 opened a session.
      expect(row.locked_until!.getTime()).toBeGreaterThan(TEST_START.getTime());
      expect(opened).toHaveLength(count('OK'));
      if (count('OK') === 1) {
        // The right password came first: the count restarted, and the lock closed later.
        expect(count('LOGIN_FAILED')).toBe(max - 1);
        expect(count('ACCOUNT_LOCKED')).toBe(10 - max);
        expect(codes[right]).toBe('OK');
      } else {
        expect(codes).toEqual(Array(10).fill('ACCOUNT_LOCKED'));
      }
      // Every ACCOUNT_LOCKED names the same lock end.
      const ends = new Set(
        answers.filter((r) => r.statusCode === 423).map((r) => r.json().detail as string),
      );
      expect(ends.size).toBe(1);
    });
  }
});
