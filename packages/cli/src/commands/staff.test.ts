/**
 * `sscard staff create|activation` on a real database: the operator creates the accounts the API
 * may not (an auditor, the first centre administrator), gets a one-time activation ticket (stored
 * only as its SHA-256) and no password; the holder sets their own with it and logs in; a fresh
 * ticket voids the earlier one and is refused once the account is activated.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, openPlatform, systemContext, type ActContext } from '@sscard/server';
import { openTestInstallation, run, type TestInstallation } from '../testing.js';

let inst: TestInstallation;
const OWN_PASSWORD = 'Auditor-Own-2026!';

const anonymous: ActContext = {
  actor: null,
  requestId: null,
  ip: null,
  reason: null,
  locale: 'en',
  audited: false,
};

async function onPlatform<T>(
  fn: (p: Awaited<ReturnType<typeof openPlatform>>) => Promise<T>,
): Promise<T> {
  const platform = await openPlatform({ config: loadConfig() });
  try {
    return await fn(platform);
  } finally {
    await platform.close();
  }
}

const ticketOf = (out: string) => /activation ticket \(shown once, [^)]*\): (\S+)/.exec(out)?.[1];

const staffRow = (username: string) =>
  inst.withRaw((h) =>
    h.db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst(),
  );

beforeAll(async () => {
  inst = await openTestInstallation('cli-staff', () => ({
    SSCARD_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    SSCARD_ADMIN_PASSWORD: 'Admin-Cli-2026!',
  }));
  await onPlatform((p) =>
    p.services.organizations.create(
      {
        kind: 'centre',
        level: 'provincial',
        code: 'SH-CENTRE',
        name: '上海市社会保障卡服务中心',
        jurisdiction: '310000',
      },
      systemContext('test'),
    ),
  );
}, 120_000);

afterAll(() => inst.remove());

describe('sscard staff', () => {
  it('creates an auditor and the first centre administrator, printing a ticket, never a password', async () => {
    const res = await run(
      'staff',
      'create',
      '--username',
      'sh.auditor',
      '--role',
      'auditor',
      '--org',
      'SH-CENTRE',
      '--name',
      '审计员',
    );
    expect(res.code).toBe(0);
    expect(res.out).toContain('created sh.auditor (auditor, SH-CENTRE)');
    const ticket = ticketOf(res.out)!;
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = (await staffRow('sh.auditor'))!;
    expect(row.password_hash).toBeNull();
    expect(row.activation_hash!.toString('hex')).toBe(
      createHash('sha256').update(ticket).digest('hex'),
    );
    const audited = await inst.withRaw((h) =>
      h.db
        .selectFrom('audit_log')
        .select(['actor_username', 'outcome'])
        .where('action', '=', 'staff.create')
        .where('target_id', '=', row.id)
        .executeTakeFirstOrThrow(),
    );
    expect(audited).toEqual({ actor_username: 'system:cli', outcome: 'success' });

    const centre = await run(
      'staff',
      'create',
      '--username',
      'sh.centre',
      '--role',
      'centre_admin',
      '--org',
      'SH-CENTRE',
      '--name',
      '中心管理员',
    );
    expect(centre.code).toBe(0);
    expect(ticketOf(centre.out)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  }, 120_000);

  it('issues a fresh ticket that voids the earlier one; the holder activates and logs in', async () => {
    const first = await run('staff', 'activation', 'sh.auditor');
    expect(first.code).toBe(0);
    const old = ticketOf(first.out)!;
    const fresh = ticketOf((await run('staff', 'activation', 'sh.auditor')).out)!;
    expect(fresh).not.toBe(old);
    await onPlatform(async (p) => {
      const stale = p.services.auth.activate(
        { username: 'sh.auditor', ticket: old, newPassword: OWN_PASSWORD },
        { ...anonymous },
      );
      await expect(stale).rejects.toMatchObject({ code: 'ACTIVATION_INVALID' });
      await p.services.auth.activate(
        { username: 'sh.auditor', ticket: fresh, newPassword: OWN_PASSWORD },
        { ...anonymous },
      );
      const session = await p.services.auth.login(
        { username: 'sh.auditor', password: OWN_PASSWORD },
        { ...anonymous },
      );
      expect(session.actor.role).toBe('auditor');
    });
    const again = await run('staff', 'activation', 'sh.auditor');
    expect(again.code).toBe(1);
    expect(again.out).toContain('ACCOUNT_ALREADY_ACTIVATED');
  }, 120_000);

  it('refuses what it cannot do, with the reason and exit code 1', async () => {
    const taken = await run(
      'staff',
      'create',
      '--username',
      'sh.auditor',
      '--role',
      'auditor',
      '--name',
      'x',
    );
    expect(taken.code).toBe(1);
    expect(taken.out).toContain('USERNAME_TAKEN');
    const nowhere = await run(
      'staff',
      'create',
      '--username',
      'sh.op1',
      '--role',
      'branch_operator',
      '--org',
      'NO-SUCH-ORG',
      '--name',
      'x',
    );
    expect(nowhere.code).toBe(1);
    expect(nowhere.out).toContain('NOT_FOUND');
    const unfit = await run(
      'staff',
      'create',
      '--username',
      'sh.op1',
      '--role',
      'branch_operator',
      '--org',
      'SH-CENTRE',
      '--name',
      'x',
    );
    expect(unfit.code).toBe(1);
    expect(unfit.out).toContain('ROLE_NOT_ALLOWED_FOR_ORGANIZATION');
    expect((await run('staff', 'activation', 'sh.nobody')).out).toContain('NOT_FOUND');
  }, 120_000);
});
