import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@sscard/domain';
import { systemContext } from '../../context.js';
import {
  TEST_ADMIN_PASSWORD,
  TEST_ADMIN_TOTP_SECRET,
  TEST_START,
  createTestPlatform,
  type TestPlatform,
} from '../../testing/harness.js';
import { STAFF_PASSWORD, buildWorld, type World } from '../../testing/fixtures.js';
import { otpForStep, timeStepOf } from './otp.js';

let t: TestPlatform;
let w: World;
/** Seconds past TEST_START; moved forward in 30-second steps for fresh one-time codes. */
let offset = 0;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
});
afterAll(() => t.close());

async function nextStep(): Promise<void> {
  offset += 30;
  await t.setClock(new Date(TEST_START.getTime() + offset * 1000));
}

const login = (payload: Record<string, unknown>) =>
  t.api({ method: 'POST', url: '/api/v1/auth/login', payload });
const enrol = (enrolmentTicket: string, otp: string) =>
  t.api({ method: 'POST', url: '/api/v1/auth/login/enrol', payload: { enrolmentTicket, otp } });
const codeNow = (secret: string) => otpForStep(secret, timeStepOf(t.platform.deps.clock.now()));

async function account(username: string, role: Role, organizationId: string): Promise<string> {
  const created = await t.platform.services.staff.create(
    { username, displayName: username, role, organizationId, password: STAFF_PASSWORD },
    systemContext('test'),
  );
  return created.staff.id;
}

async function staffRow(username: string) {
  return t.platform.deps.db
    .selectFrom('staff')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
}

describe('second factor for administrators', () => {
  it('cannot be skipped: a first login enrols, and only a code from the new secret opens a session', async () => {
    const id = await account('sh.centre2', 'centre_admin', w.centreId);
    const first = await login({ username: 'sh.centre2', password: STAFF_PASSWORD });
    expect(first.statusCode).toBe(401);
    const problem = first.json();
    expect(problem.code).toBe('OTP_ENROLMENT_REQUIRED');
    expect(problem).not.toHaveProperty('token');
    expect(problem.otpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(problem.otpauthUri).toMatch(/^otpauth:\/\/totp\/sscard:sh\.centre2\?secret=/);
    expect(problem.otpauthUri).toContain(`secret=${problem.otpSecret}`);
    expect(problem.enrolmentTicket).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Sending some code does not help: there is no factor yet, so enrolment starts again and
    // the earlier ticket is void.
    const second = await login({ username: 'sh.centre2', password: STAFF_PASSWORD, otp: '123456' });
    expect(second.json().code).toBe('OTP_ENROLMENT_REQUIRED');
    const stale = await enrol(problem.enrolmentTicket, await codeNow(problem.otpSecret));
    expect(stale.statusCode).toBe(401);
    expect(stale.json().code).toBe('OTP_ENROLMENT_INVALID');

    const { enrolmentTicket, otpSecret } = second.json();
    const wrong = await enrol(enrolmentTicket, '000000');
    expect(wrong.json().code).toBe('OTP_INVALID');
    expect((await staffRow('sh.centre2')).failed_logins).toBe(1);

    const sessionsBefore = await t.platform.deps.db
      .selectFrom('sessions')
      .select('id')
      .where('staff_id', '=', id)
      .execute();
    expect(sessionsBefore).toHaveLength(0);

    const ok = await enrol(enrolmentTicket, await codeNow(otpSecret));
    expect(ok.statusCode).toBe(200);
    t.otpSecrets.set('sh.centre2', otpSecret);
    const me = await t.api({ method: 'GET', url: '/api/v1/auth/me', token: ok.json().token });
    expect(me.json().secondFactor).toEqual({ enrolled: true, required: true });
    expect((await staffRow('sh.centre2')).failed_logins).toBe(0);

    // The ticket is good once.
    await nextStep();
    expect((await enrol(enrolmentTicket, await codeNow(otpSecret))).json().code).toBe(
      'OTP_ENROLMENT_INVALID',
    );

    // From now on the password alone is not enough.
    const noCode = await login({ username: 'sh.centre2', password: STAFF_PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().code).toBe('OTP_REQUIRED');
    const withCode = await login({
      username: 'sh.centre2',
      password: STAFF_PASSWORD,
      otp: await codeNow(otpSecret),
    });
    expect(withCode.statusCode).toBe(200);

    // The secret is sealed at rest, bound to its row.
    const row = await staffRow('sh.centre2');
    expect(row.totp_secret_enc).toMatch(/^v1\./);
    expect(row.totp_secret_enc).not.toContain(otpSecret);
    const pending = await t.platform.deps.db.selectFrom('otp_enrolments').selectAll().execute();
    for (const p of pending) expect(p.secret_enc).not.toContain(otpSecret);
    const audit = await t.platform.deps.db
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'code'])
      .where('target_id', '=', id)
      .orderBy('at')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['auth.otp_enrolment_start', 'auth.otp_enrol', 'auth.login']),
    );
  });

  it('lets an enrolment ticket expire', async () => {
    await account('sh.banka2', 'bank_admin', w.bankA);
    const res = await login({ username: 'sh.banka2', password: STAFF_PASSWORD });
    const { enrolmentTicket, otpSecret } = res.json();
    const saved = offset;
    offset += 11 * 60;
    await t.setClock(new Date(TEST_START.getTime() + offset * 1000));
    expect((await enrol(enrolmentTicket, await codeNow(otpSecret))).json().code).toBe(
      'OTP_ENROLMENT_INVALID',
    );
    offset = saved;
    await nextStep();
  });

  it('takes the installation administrator’s secret from SSCARD_ADMIN_TOTP_SECRET', async () => {
    await nextStep();
    const res = await login({
      username: 'admin',
      password: TEST_ADMIN_PASSWORD,
      otp: await codeNow(TEST_ADMIN_TOTP_SECRET),
    });
    expect(res.statusCode).toBe(200);
    const own = await t.api({
      method: 'POST',
      url: '/api/v1/auth/otp',
      token: res.json().token,
      payload: { password: TEST_ADMIN_PASSWORD, otp: await t.otp('admin') },
    });
    expect(own.statusCode).toBe(409);
    expect(own.json().code).toBe('OTP_MANAGED_BY_CONFIG');
  });

  it('refuses a code used once already, at login and at re-authentication', async () => {
    await nextStep();
    const secret = t.otpSecrets.get('sh.centre')!;
    const code = await codeNow(secret);
    const first = await login({ username: 'sh.centre', password: STAFF_PASSWORD, otp: code });
    expect(first.statusCode).toBe(200);
    const replay = await login({ username: 'sh.centre', password: STAFF_PASSWORD, otp: code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('OTP_REPLAYED');
    const reauth = await t.api({
      method: 'PUT',
      url: '/api/v1/auth/phone',
      token: first.json().token,
      payload: { password: STAFF_PASSWORD, otp: code, phone: '13800138000' },
    });
    expect(reauth.json().code).toBe('OTP_REPLAYED');
    // The next step's code is fresh.
    await nextStep();
    const fresh = await login({
      username: 'sh.centre',
      password: STAFF_PASSWORD,
      otp: await codeNow(secret),
    });
    expect(fresh.statusCode).toBe(200);
  });

  it('counts wrong codes toward the lock like wrong passwords', async () => {
    await account('sh.bankb2', 'bank_admin', w.bankB);
    await t.login('sh.bankb2', STAFF_PASSWORD);
    await nextStep();
    for (let i = 0; i < 3; i++) {
      const res = await login({ username: 'sh.bankb2', password: STAFF_PASSWORD, otp: '000000' });
      expect(res.json().code).toBe('OTP_INVALID');
    }
    expect((await login({ username: 'sh.bankb2', password: 'Wrong-Pass-2026' })).json().code).toBe(
      'LOGIN_FAILED',
    );
    const fifth = await login({ username: 'sh.bankb2', password: STAFF_PASSWORD, otp: '000000' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('ACCOUNT_LOCKED');
    const right = await login({
      username: 'sh.bankb2',
      password: STAFF_PASSWORD,
      otp: await codeNow(t.otpSecrets.get('sh.bankb2')!),
    });
    expect(right.statusCode).toBe(423);
  });

  it('does not let an administrator remove the factor, only replace it', async () => {
    await nextStep();
    const token = await t.login('sh.centre', STAFF_PASSWORD);
    const res = await t.api({
      method: 'POST',
      url: '/api/v1/auth/otp/remove',
      token,
      payload: { password: STAFF_PASSWORD, otp: await t.otp('sh.centre') },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('OTP_REQUIRED_FOR_ROLE');
  });

  it('lets an administrator reset a lost factor in scope; the account enrols again', async () => {
    await nextStep();
    const target = await staffRow('sh.centre2');
    const foreign = await t.api({
      method: 'POST',
      url: `/api/v1/staff/${target.id}/otp/reset`,
      token: await t.login('sh.banka', STAFF_PASSWORD),
    });
    expect(foreign.statusCode).toBe(404);
    const centre = await t.login('sh.centre', STAFF_PASSWORD);
    const own = await t.api({
      method: 'POST',
      url: `/api/v1/staff/${(await staffRow('sh.centre')).id}/otp/reset`,
      token: centre,
    });
    expect(own.statusCode).toBe(403);
    const before = await t.login('sh.centre2', STAFF_PASSWORD);
    const res = await t.api({
      method: 'POST',
      url: `/api/v1/staff/${target.id}/otp/reset`,
      token: centre,
      headers: { 'x-sscard-reason': encodeURIComponent('手机遗失') },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().secondFactor).toBe(false);
    expect((await t.api({ method: 'GET', url: '/api/v1/auth/me', token: before })).statusCode).toBe(
      401,
    );
    const again = await login({ username: 'sh.centre2', password: STAFF_PASSWORD });
    expect(again.json().code).toBe('OTP_ENROLMENT_REQUIRED');
  });
});

describe('second factor for everyone else', () => {
  it('is optional; once enrolled it is required; it can be removed with password and code', async () => {
    await nextStep();
    await account('sh.optional', 'branch_operator', w.branchA);
    const token = await t.login('sh.optional', STAFF_PASSWORD);
    const me = await t.api({ method: 'GET', url: '/api/v1/auth/me', token });
    expect(me.json().secondFactor).toEqual({ enrolled: false, required: false });

    const wrong = await t.api({
      method: 'POST',
      url: '/api/v1/auth/otp',
      token,
      payload: { password: 'Not-The-Password-1' },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('REAUTH_FAILED');

    const start = await t.api({
      method: 'POST',
      url: '/api/v1/auth/otp',
      token,
      payload: { password: STAFF_PASSWORD },
    });
    expect(start.statusCode).toBe(200);
    const { ticket, secret, otpauthUri } = start.json();
    expect(otpauthUri).toContain(secret);
    // Not in force until confirmed.
    expect((await login({ username: 'sh.optional', password: STAFF_PASSWORD })).statusCode).toBe(
      200,
    );
    const other = await t.login('sh.optional', STAFF_PASSWORD);
    const confirm = await t.api({
      method: 'POST',
      url: '/api/v1/auth/otp/confirm',
      token,
      payload: { ticket, otp: await codeNow(secret) },
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json().sessionsEnded).toBe(2);
    expect((await t.api({ method: 'GET', url: '/api/v1/auth/me', token: other })).statusCode).toBe(
      401,
    );
    expect(
      (await t.api({ method: 'GET', url: '/api/v1/auth/me', token })).json().secondFactor,
    ).toEqual({ enrolled: true, required: false });
    expect((await login({ username: 'sh.optional', password: STAFF_PASSWORD })).json().code).toBe(
      'OTP_REQUIRED',
    );

    await nextStep();
    const removeNoCode = await t.api({
      method: 'POST',
      url: '/api/v1/auth/otp/remove',
      token,
      payload: { password: STAFF_PASSWORD },
    });
    expect(removeNoCode.statusCode).toBe(422); // the code is part of the request's shape
    const remove = await t.api({
      method: 'POST',
      url: '/api/v1/auth/otp/remove',
      token,
      payload: { password: STAFF_PASSWORD, otp: await codeNow(secret) },
    });
    expect(remove.statusCode).toBe(204);
    expect((await login({ username: 'sh.optional', password: STAFF_PASSWORD })).statusCode).toBe(
      200,
    );
  });
});

describe('re-authentication for changes to one’s own account', () => {
  it('changes the password only with the current one, and ends the other sessions', async () => {
    await nextStep();
    await account('sh.changer', 'community_operator', w.outletId);
    const a = await t.login('sh.changer', STAFF_PASSWORD);
    const b = await t.login('sh.changer', STAFF_PASSWORD);
    const change = (payload: Record<string, unknown>) =>
      t.api({ method: 'POST', url: '/api/v1/auth/password', token: a, payload });

    const wrong = await change({
      currentPassword: 'Wrong-Pass-2026',
      newPassword: 'New-Pass-2026!',
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('REAUTH_FAILED');
    expect((await staffRow('sh.changer')).failed_logins).toBe(1);
    expect(
      (await change({ currentPassword: STAFF_PASSWORD, newPassword: 'short' })).json().code,
    ).toBe('PASSWORD_TOO_WEAK');
    expect(
      (await change({ currentPassword: STAFF_PASSWORD, newPassword: STAFF_PASSWORD })).json().code,
    ).toBe('PASSWORD_REUSED');
    const ok = await change({ currentPassword: STAFF_PASSWORD, newPassword: 'New-Pass-2026!' });
    expect(ok.statusCode).toBe(204);
    expect((await t.api({ method: 'GET', url: '/api/v1/auth/me', token: a })).statusCode).toBe(200);
    expect((await t.api({ method: 'GET', url: '/api/v1/auth/me', token: b })).statusCode).toBe(401);
    expect((await login({ username: 'sh.changer', password: STAFF_PASSWORD })).statusCode).toBe(
      401,
    );
    expect((await login({ username: 'sh.changer', password: 'New-Pass-2026!' })).statusCode).toBe(
      200,
    );
  });

  it('needs the code too where a second factor is enrolled', async () => {
    await nextStep();
    const token = await t.login('sh.bankb', STAFF_PASSWORD);
    const noCode = await t.api({
      method: 'POST',
      url: '/api/v1/auth/password',
      token,
      payload: { currentPassword: STAFF_PASSWORD, newPassword: 'Bank-B-Pass-2026!' },
    });
    expect(noCode.json().code).toBe('OTP_REQUIRED');
    await nextStep();
    const ok = await t.api({
      method: 'POST',
      url: '/api/v1/auth/password',
      token,
      payload: {
        currentPassword: STAFF_PASSWORD,
        otp: await t.otp('sh.bankb'),
        newPassword: 'Bank-B-Pass-2026!',
      },
    });
    expect(ok.statusCode).toBe(204);
  });

  it('locks the account and ends its sessions after repeated failed re-authentication', async () => {
    await nextStep();
    await account('sh.stolen', 'branch_operator', w.branchB);
    const token = await t.login('sh.stolen', STAFF_PASSWORD);
    let last;
    for (let i = 0; i < 5; i++)
      last = await t.api({
        method: 'POST',
        url: '/api/v1/auth/password',
        token,
        payload: { currentPassword: `Guess-${i}-Pass!`, newPassword: 'New-Pass-2026!' },
      });
    expect(last!.statusCode).toBe(423);
    expect((await t.api({ method: 'GET', url: '/api/v1/auth/me', token })).statusCode).toBe(401);
  });

  it('keeps the phone sealed and shows it masked', async () => {
    await nextStep();
    const token = await t.login('sh.auditor', STAFF_PASSWORD);
    const bad = await t.api({
      method: 'PUT',
      url: '/api/v1/auth/phone',
      token,
      payload: { password: STAFF_PASSWORD, phone: '12345' },
    });
    expect(bad.json().code).toBe('PHONE_INVALID');
    const noPassword = await t.api({
      method: 'PUT',
      url: '/api/v1/auth/phone',
      token,
      payload: { password: 'Wrong-Pass-2026', phone: '13900139000' },
    });
    expect(noPassword.json().code).toBe('REAUTH_FAILED');
    const ok = await t.api({
      method: 'PUT',
      url: '/api/v1/auth/phone',
      token,
      payload: { password: STAFF_PASSWORD, phone: '13900139000' },
    });
    expect(ok.json()).toEqual({ phone: '139****9000' });
    expect((await t.api({ method: 'GET', url: '/api/v1/auth/me', token })).json().phone).toBe(
      '139****9000',
    );
    const row = await staffRow('sh.auditor');
    expect(row.phone_enc).not.toContain('13900139000');
    expect(t.logs()).not.toContain('13900139000');
  });
});
