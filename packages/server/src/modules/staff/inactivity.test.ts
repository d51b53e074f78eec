import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@sscard/domain';
import { systemContext } from '../../context.js';
import {
  TEST_ADMIN_PASSWORD,
  TEST_START,
  createTestPlatform,
  type TestPlatform,
} from '../../testing/harness.js';
import { STAFF_PASSWORD, buildWorld, type World } from '../../testing/fixtures.js';

let t: TestPlatform;
let w: World;
const ids: Record<string, string> = {};

const DAY = 24 * 60 * 60_000;
const day = (n: number) => t.setClock(new Date(TEST_START.getTime() + n * DAY));

beforeAll(async () => {
  t = await createTestPlatform({ SSCARD_STAFF_INACTIVE_DAYS: '90' });
  w = await buildWorld(t);
  const make = async (username: string, role: Role, organizationId: string) => {
    ids[username] = (
      await t.platform.services.staff.create(
        { username, displayName: username, role, organizationId, password: STAFF_PASSWORD },
        systemContext('test'),
      )
    ).staff.id;
  };
  await make('sh.idle.a', 'branch_operator', w.branchA);
  await make('sh.idle.b', 'branch_operator', w.branchB);
  await make('sh.late', 'community_operator', w.outletId);
  await make('sh.busy', 'branch_operator', w.branchA);
});
afterAll(() => t.close());

const login = (username: string) =>
  t.api({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password: STAFF_PASSWORD },
  });
const sweep = (token: string) =>
  t.api({ method: 'POST', url: '/api/v1/staff/sweep-inactive', token });

describe('inactive accounts (SSCARD_STAFF_INACTIVE_DAYS, 90 by default)', () => {
  it('are disabled at their next login once the period has passed', async () => {
    await day(89);
    await t.login('sh.busy', STAFF_PASSWORD);
    await t.login('sh.banka', STAFF_PASSWORD);
    await day(91);
    const res = await login('sh.late');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('ACCOUNT_DISABLED');
    const row = await t.platform.services.staff.get({ kind: 'all' }, ids['sh.late']!);
    expect(row).toMatchObject({ status: 'disabled', disabled_reason: 'inactive' });
  });

  it('are disabled by the sweep, within the caller’s scope, with an audit record each', async () => {
    const bankA = await t.login('sh.banka', STAFF_PASSWORD);
    const mine = await sweep(bankA);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().disabled.map((s: { username: string }) => s.username)).toEqual([
      'sh.brancha',
      'sh.idle.a',
    ]);
    expect(mine.json().cutoff).toBe('2026-05-07T09:00:00.000+08:00');

    const admin = await t.login('admin', TEST_ADMIN_PASSWORD); // exempt: the way back in
    const all = await sweep(admin);
    const names = all.json().disabled.map((s: { username: string }) => s.username);
    expect(names).toEqual(
      expect.arrayContaining(['sh.idle.b', 'sh.centre', 'sh.auditor', 'sh.bankb', 'sh.vendor']),
    );
    expect(names).not.toContain('sh.busy');
    expect(names).not.toContain('sh.banka');
    expect(names).not.toContain('admin');
    expect(names).not.toContain('sh.late'); // already disabled at login

    // Nothing left: a second sweep disables nobody but is still on the record.
    expect((await sweep(admin)).json().disabled).toEqual([]);

    expect((await login('sh.idle.b')).json().code).toBe('ACCOUNT_DISABLED');
    const view = await t.api({
      method: 'GET',
      url: `/api/v1/staff/${ids['sh.idle.a']}`,
      token: admin,
    });
    expect(view.json()).toMatchObject({ status: 'disabled', disabledReason: 'inactive' });

    const audit = await t.platform.deps.db
      .selectFrom('audit_log')
      .select(['action', 'details', 'actor_username'])
      .where('target_id', '=', ids['sh.idle.a']!)
      .where('action', '=', 'staff.disable')
      .executeTakeFirstOrThrow();
    expect(audit.actor_username).toBe('sh.banka');
    expect(audit.details).toMatchObject({ reason: 'inactive', inactiveDays: 90 });
    const sweeps = await t.platform.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'staff.sweep_inactive')
      .execute();
    expect(sweeps).toHaveLength(3);
  });

  it('can be enabled again, and then count their inactivity afresh', async () => {
    const bankA = await t.login('sh.banka', STAFF_PASSWORD);
    const res = await t.api({
      method: 'POST',
      url: `/api/v1/staff/${ids['sh.idle.a']}/enable`,
      token: bankA,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'active', disabledReason: null });
    expect(
      (
        await t.api({
          method: 'POST',
          url: `/api/v1/staff/${ids['sh.idle.a']}/enable`,
          token: bankA,
        })
      ).json().code,
    ).toBe('ACCOUNT_ALREADY_ACTIVE');
    expect(
      (
        await t.api({
          method: 'POST',
          url: `/api/v1/staff/${ids['sh.idle.b']}/enable`,
          token: bankA,
        })
      ).statusCode,
    ).toBe(404);
    expect((await login('sh.idle.a')).statusCode).toBe(200);
  });

  it('may not be swept by those who may not disable accounts', async () => {
    const token = await t.login('sh.busy', STAFF_PASSWORD);
    expect((await sweep(token)).statusCode).toBe(403);
  });
});
