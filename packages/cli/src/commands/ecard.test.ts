/**
 * `sscard ecard keys list|rotate` on a real database: a rotation makes a signing key and audits
 * it as the platform; a second one retires the first, which is listed as still verifying.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestInstallation, run, type TestInstallation } from '../testing.js';

let inst: TestInstallation;

beforeAll(async () => {
  inst = await openTestInstallation('cli-ecard', () => ({
    SSCARD_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    SSCARD_ADMIN_PASSWORD: 'Admin-Cli-2026!',
  }));
}, 120_000);

afterAll(() => inst.remove());

describe('sscard ecard keys', () => {
  it('rotates (audited) and lists the keys with their states', async () => {
    expect((await run('ecard', 'keys', 'list')).out).toContain('no QR signing key yet');
    const first = await run('ecard', 'keys', 'rotate');
    expect(first.code).toBe(0);
    const kid1 = /signing key ([0-9a-f]{8})/.exec(first.out)![1]!;
    const second = await run('ecard', 'keys', 'rotate');
    expect(second.out).toContain(`retired ${kid1}`);
    const list = await run('ecard', 'keys', 'list');
    expect(list.out).toMatch(/^[0-9a-f]{8} {2}signing/m);
    expect(list.out).toMatch(new RegExp(`^${kid1} {2}verifying`, 'm'));
    const audited = await inst.withRaw((h) =>
      h.db
        .selectFrom('audit_log')
        .select(['actor_username'])
        .where('action', '=', 'ecard.keys.rotate')
        .execute(),
    );
    expect(audited).toEqual([{ actor_username: 'system:cli' }, { actor_username: 'system:cli' }]);
  }, 120_000);
});
