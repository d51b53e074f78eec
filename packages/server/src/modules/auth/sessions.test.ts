import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_ADMIN_PASSWORD,
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

interface Listed {
  id: string;
  username: string;
  current: boolean;
  secondFactor: boolean;
}

async function list(token: string, query = ''): Promise<Listed[]> {
  const res = await t.api({ method: 'GET', url: `/api/v1/sessions${query}`, token });
  expect(res.statusCode).toBe(200);
  return res.json().items;
}

const usernames = (items: Listed[]) => [...new Set(items.map((s) => s.username))].sort();
const me = (token: string) => t.api({ method: 'GET', url: '/api/v1/auth/me', token });
const end = (token: string, id: string) =>
  t.api({ method: 'DELETE', url: `/api/v1/sessions/${id}`, token });

describe('sessions', () => {
  it('shows everyone their own sessions, marking the current one', async () => {
    const second = await t.login('sh.brancha', STAFF_PASSWORD);
    const items = await list(w.tokens.branchA);
    expect(usernames(items)).toEqual(['sh.brancha']);
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(items.every((s) => !s.secondFactor)).toBe(true);
    const other = items.find((s) => !s.current)!;
    // A user may end their own other session.
    expect((await end(w.tokens.branchA, other.id)).statusCode).toBe(204);
    expect((await me(second)).json().code).toBe('SESSION_EXPIRED');
    expect((await end(w.tokens.branchA, other.id)).statusCode).toBe(404);
  });

  it('shows an administrator the sessions in their scope, and only there', async () => {
    expect(usernames(await list(w.tokens.bankA))).toEqual(['sh.banka', 'sh.brancha']);
    expect(usernames(await list(w.tokens.bankA, '?mine=true'))).toEqual(['sh.banka']);
    const centre = usernames(await list(w.tokens.centre));
    expect(centre).toEqual(
      expect.arrayContaining(['sh.centre', 'sh.banka', 'sh.bankb', 'sh.branchb', 'sh.vendor']),
    );
    expect(centre).not.toContain('admin');
    expect(usernames(await list(w.tokens.admin))).toContain('admin');
    const admins = (await list(w.tokens.centre)).filter((s) => s.username === 'sh.banka');
    expect(admins.every((s) => s.secondFactor)).toBe(true);
  });

  it('lets an administrator end a session in scope, not outside it', async () => {
    const victim = await t.login('sh.brancha', STAFF_PASSWORD);
    const sessionOf = async (token: string) => (await list(token)).find((s) => s.current)!.id;
    const victimSession = await sessionOf(victim);
    const bankBSession = await sessionOf(w.tokens.bankB);

    expect((await end(w.tokens.bankA, bankBSession)).statusCode).toBe(404);
    // A branch operator may end only its own sessions: another's is refused for the role.
    const notMine = await end(w.tokens.branchA, bankBSession);
    expect(notMine.statusCode).toBe(403);
    expect(notMine.json().code).toBe('FORBIDDEN');
    expect((await me(w.tokens.bankB)).statusCode).toBe(200);

    expect((await end(w.tokens.bankA, victimSession)).statusCode).toBe(204);
    expect((await me(victim)).statusCode).toBe(401);
    expect((await me(w.tokens.branchA)).statusCode).toBe(200);

    const audit = await t.platform.deps.db
      .selectFrom('audit_log')
      .select(['action', 'actor_username', 'details'])
      .where('target_id', '=', victimSession)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'session.end', actor_username: 'sh.banka' });
  });

  it('lets the installation administrator end anyone’s session', async () => {
    const token = await t.login('sh.vendor', STAFF_PASSWORD);
    const id = (await list(token)).find((s) => s.current)!.id;
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    expect((await end(admin, id)).statusCode).toBe(204);
    expect((await me(token)).statusCode).toBe(401);
  });
});
