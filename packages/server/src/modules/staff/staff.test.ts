/**
 * Creating staff accounts. No administrator chooses or sees another account's password: the API
 * refuses one, answers a one-time activation ticket (only its SHA-256 is stored; a retried
 * creation answers without it), and the holder sets their own password with it. Separation of
 * duties (GB/T 22239-2019 8.1.4.2): an administrator creates no account holding a separated
 * permission (the audit trail, full records) that it does not hold itself.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_START, createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
});
afterAll(() => t.close());

const HOUR = 60 * 60_000;
const OWN_PASSWORD = 'Chosen-By-Me-2026';

const create = (token: string, body: Record<string, unknown>, key?: string) =>
  t.api({
    method: 'POST',
    url: '/api/v1/staff',
    token,
    payload: body,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
const activate = (username: string, ticket: string, newPassword = OWN_PASSWORD) =>
  t.api({
    method: 'POST',
    url: '/api/v1/auth/activate',
    payload: { username, ticket, newPassword },
  });
const login = (username: string, password: string) =>
  t.api({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
const operator = (username: string, organizationId: string) => ({
  username,
  displayName: username,
  role: 'branch_operator',
  organizationId,
});
const staffRows = (username: string) =>
  t.platform.deps.db.selectFrom('staff').selectAll().where('username', '=', username).execute();
const sessionsOf = async (username: string) =>
  (
    await t.platform.deps.db
      .selectFrom('sessions as s')
      .innerJoin('staff as st', 'st.id', 's.staff_id')
      .select('s.id')
      .where('st.username', '=', username)
      .execute()
  ).length;

describe('new accounts: nobody but the holder chooses the password', () => {
  it('refuses a password in the request with a clear problem, and creates nothing', async () => {
    const res = await create(w.tokens.bankA, {
      ...operator('sh.chosen', w.branchA),
      password: 'Strong-Pass-2026',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('PASSWORD_NOT_ACCEPTED');
    expect(res.json().detail).toContain('activationTicket');
    expect(await staffRows('sh.chosen')).toEqual([]);
  });

  it('answers a one-time activation ticket, kept only as its SHA-256; no login before activation', async () => {
    const res = await create(w.tokens.bankA, operator('sh.newop', w.branchA));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ username: 'sh.newop', activated: false, status: 'active' });
    expect(body.activationTicket).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    // SSCARD_STAFF_ACTIVATION_HOURS (72) from now.
    expect(body.activationExpiresAt).toBe('2026-05-09T09:00:00.000+08:00');
    const [row] = await staffRows('sh.newop');
    expect(row!.password_hash).toBeNull();
    expect(row!.activation_hash!.toString('hex')).toBe(
      createHash('sha256').update(body.activationTicket).digest('hex'),
    );
    expect(JSON.stringify(row)).not.toContain(body.activationTicket);
    expect(t.logs()).not.toContain(body.activationTicket);

    // An account without a password answers exactly like a wrong password.
    const before = await login('sh.newop', body.activationTicket);
    expect(before.statusCode).toBe(401);
    expect(before.json().code).toBe('LOGIN_FAILED');
    expect((await login('sh.newop', OWN_PASSWORD)).json().code).toBe('LOGIN_FAILED');
  });

  it('lets the holder set their own password with it, once; no session opens', async () => {
    const ticket = (await create(w.tokens.bankA, operator('sh.holder', w.branchA))).json()
      .activationTicket as string;
    expect((await activate('sh.holder', 'A'.repeat(43))).json().code).toBe('ACTIVATION_INVALID');
    expect((await activate('sh.nobody', ticket)).json().code).toBe('ACTIVATION_INVALID');
    expect((await activate('sh.newop', ticket)).json().code).toBe('ACTIVATION_INVALID');
    expect((await activate('sh.holder', ticket, 'short')).json().code).toBe('PASSWORD_TOO_WEAK');

    const ok = await activate('sh.holder', ticket);
    expect(ok.statusCode).toBe(204);
    expect(await sessionsOf('sh.holder')).toBe(0);
    const [row] = await staffRows('sh.holder');
    expect(row).toMatchObject({ activation_hash: null, activation_expires_at: null });
    expect(row!.password_hash).toMatch(/^scrypt\$/);
    const audit = await t.platform.deps.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('target_id', '=', row!.id)
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'staff.create', outcome: 'success' },
        { action: 'auth.activate', outcome: 'refused' },
        { action: 'auth.activate', outcome: 'success' },
      ]),
    );

    // Spent: it sets no password again.
    expect((await activate('sh.holder', ticket, 'Another-Pass-2026')).json().code).toBe(
      'ACTIVATION_INVALID',
    );
    expect((await login('sh.holder', OWN_PASSWORD)).statusCode).toBe(200);
  });

  it('lets a ticket lapse after SSCARD_STAFF_ACTIVATION_HOURS', async () => {
    const ticket = (await create(w.tokens.bankA, operator('sh.late.op', w.branchA))).json()
      .activationTicket as string;
    await t.setClock(new Date(TEST_START.getTime() + 72 * HOUR));
    try {
      expect((await activate('sh.late.op', ticket)).json().code).toBe('ACTIVATION_INVALID');
    } finally {
      await t.setClock(TEST_START);
    }
    expect((await activate('sh.late.op', ticket)).statusCode).toBe(204);
  });

  it('answers a retried creation with its first answer, without the ticket (Idempotency-Key)', async () => {
    const key = 'create-sh-retry-1';
    const first = await create(w.tokens.bankA, operator('sh.retry', w.branchA), key);
    expect(first.statusCode).toBe(201);
    const again = await create(w.tokens.bankA, operator('sh.retry', w.branchA), key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['idempotent-redacted']).toBe('activationTicket');
    const { activationTicket, ...rest } = first.json();
    expect(again.json()).toEqual({
      ...rest,
      activationTicket: null,
      redacted: ['activationTicket'],
    });
    expect(await staffRows('sh.retry')).toHaveLength(1);
    const saved = await t.platform.deps.db
      .selectFrom('idempotency_keys')
      .select('response')
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(saved.response)).not.toContain(activationTicket);
    // The ticket from the first answer still works.
    expect((await activate('sh.retry', activationTicket)).statusCode).toBe(204);
  });
});

describe('separation of duties (GB/T 22239-2019 8.1.4.2, 三权分立)', () => {
  it('a centre administrator cannot create an auditor, with or without a password', async () => {
    const auditor = {
      username: 'sh.auditor2',
      displayName: 'auditor',
      role: 'auditor',
      organizationId: w.centreId,
    };
    const chosen = await create(w.tokens.centre, { ...auditor, password: 'Strong-Pass-2026' });
    expect(chosen.statusCode).toBe(422);
    const res = await create(w.tokens.centre, auditor);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: 'SEPARATION_OF_DUTIES',
      rule: { rule: 'GB/T 22239-2019 8.1.4.2' },
    });
    expect(res.json().detail).toContain('audit.read');
    expect(res.json().detail).toContain('8.1.4.2');
    const en = await t.api({
      method: 'POST',
      url: '/api/v1/staff',
      token: w.tokens.centre,
      lang: 'en',
      payload: auditor,
    });
    expect(en.json().detail).toContain('sscard staff create');
    expect(await staffRows('sh.auditor2')).toEqual([]);
  });

  it('the installation administrator cannot create accounts that read full records', async () => {
    for (const [role, organizationId] of [
      ['branch_operator', w.branchA],
      ['community_operator', w.outletId],
      ['bank_admin', w.bankA],
      ['centre_admin', w.centreId],
    ] as const) {
      const res = await create(w.tokens.admin, {
        username: `sh.by.admin.${role.split('_')[0]}`,
        displayName: role,
        role,
        organizationId,
      });
      expect(res.statusCode, role).toBe(403);
      expect(res.json().code, role).toBe('SEPARATION_OF_DUTIES');
      expect(res.json().detail, role).toContain('person.read_full');
    }
    const vendor = await create(w.tokens.admin, {
      username: 'sh.vendor2',
      displayName: 'vendor',
      role: 'vendor_operator',
      organizationId: w.vendorId,
    });
    expect(vendor.statusCode).toBe(201);
  });

  it('a bank administrator creates bank administrators and branch operators of its bank', async () => {
    const admin = await create(w.tokens.bankA, {
      username: 'sh.banka.admin2',
      displayName: 'bank admin',
      role: 'bank_admin',
      organizationId: w.bankA,
    });
    expect(admin.statusCode).toBe(201);
    expect((await create(w.tokens.bankA, operator('sh.bankb.op9', w.branchB))).statusCode).toBe(
      404,
    );
    const community = await create(w.tokens.bankA, {
      username: 'sh.comm9',
      displayName: 'x',
      role: 'community_operator',
      organizationId: w.outletId,
    });
    expect(community.statusCode).toBe(403);
    expect(community.json().code).toBe('FORBIDDEN');
  });

  it('a centre administrator creates the counters’ accounts of its jurisdiction', async () => {
    const res = await create(w.tokens.centre, {
      username: 'sh.comm2',
      displayName: 'community',
      role: 'community_operator',
      organizationId: w.outletId,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().activationTicket).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
