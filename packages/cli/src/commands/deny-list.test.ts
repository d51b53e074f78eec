/**
 * `sscard deny-list build|key|verify` on a real database: a build reports its version; the key
 * printed is the one the service signs with; a saved list verifies offline with it, and fails
 * once altered or checked against another key.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DenyListSigner, loadConfig, openPlatform, type SignedDenyList } from '@sscard/server';
import { openTestInstallation, run, type TestInstallation } from '../testing.js';

let inst: TestInstallation;
let list: SignedDenyList;
let publicKey: string;

beforeAll(async () => {
  inst = await openTestInstallation('deny-list', () => ({
    SSCARD_MASTER_KEY: Buffer.alloc(32, 11).toString('base64'),
    SSCARD_ADMIN_PASSWORD: 'Admin-Deny-2026!',
  }));
  const platform = await openPlatform({ config: loadConfig() });
  try {
    list = await platform.services.denyList.read('310000', null);
    publicKey = platform.services.denyList.publicKey().publicKey;
  } finally {
    await platform.close();
  }
}, 120_000);

afterAll(() => inst.remove());

describe('sscard deny-list', () => {
  it('builds the next version and reports what changed', async () => {
    const res = await run('deny-list', 'build', '--full');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/^deny-list version 0 \(full build\): looked at 0 cards, 0 changed/);
  }, 60_000);

  it('prints the key the lists are signed with', async () => {
    const res = await run('deny-list', 'key');
    expect(res.code).toBe(0);
    expect(res.out).toContain(`keyId ${list.keyId}`);
    expect(res.out).toContain(`publicKey ${publicKey}`);
    expect(res.out).toContain('-----BEGIN PUBLIC KEY-----');
  }, 60_000);

  it('verifies a saved list offline, and refuses an altered one or another key', async () => {
    const good = path.join(inst.dir, 'list.json');
    writeFileSync(good, JSON.stringify(list));
    const ok = await run('deny-list', 'verify', good, '--key', publicKey);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^OK: 310000 version 0 \(full list\), 0 added, 0 removed/);

    const altered = path.join(inst.dir, 'altered.json');
    writeFileSync(
      altered,
      JSON.stringify({ ...list, added: [{ cardNo: '310000000000012', reasons: ['lost'] }] }),
    );
    const bad = await run('deny-list', 'verify', altered, '--key', publicKey);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('BAD:');

    const other = new DenyListSigner(Buffer.alloc(32, 3)).publicKey;
    expect((await run('deny-list', 'verify', good, '--key', other)).code).toBe(1);
    expect(
      (await run('deny-list', 'verify', path.join(inst.dir, 'missing.json'), '--key', publicKey))
        .code,
    ).toBe(1);
  }, 60_000);
});
