/**
 * The CLI against a real database: `sscard audit verify` passes on an intact trail and names the
 * first broken link after a record is altered or removed behind the application's back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loadConfig, openPlatform } from '@sscard/server';
import { openTestInstallation, run, type TestInstallation } from './testing.js';

let inst: TestInstallation;
const withRaw: TestInstallation['withRaw'] = (fn) => inst.withRaw(fn);

beforeAll(async () => {
  inst = await openTestInstallation('cli', () => ({
    SSCARD_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    SSCARD_ADMIN_PASSWORD: 'Admin-Cli-2026!',
    SSCARD_AUDIT_SHARDS: '1',
  }));
}, 120_000);

afterAll(() => inst.remove());

describe('sscard migrate and audit verify', () => {
  it('migrates, then verifies an intact trail', async () => {
    const migrated = await run('migrate');
    expect(migrated.out).toMatch(/schema version \d+/);
    // Start the platform once: it creates the administrator (an audited act) and some more acts.
    const platform = await openPlatform({ config: loadConfig() });
    const { organizations } = platform.services;
    const { systemContext } = await import('@sscard/server');
    for (let i = 0; i < 5; i++) {
      await organizations.create(
        { kind: 'vendor', code: `V-${i}`, name: `卡商${i}号`, jurisdiction: 'SH' },
        systemContext('test'),
      );
    }
    await platform.close();
    const ok = await run('audit', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^OK: 6 records/);
  }, 120_000);

  it('finds a record altered behind the application’s back', async () => {
    let victim: { shard: number; seq: number };
    await withRaw(async (h) => {
      // The table refuses updates; a tamperer must first switch the guard off.
      await expect(sql`update audit_log set reason = 'x'`.execute(h.db)).rejects.toThrow(
        /append-only/,
      );
      await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(h.db);
      victim = await h.db
        .selectFrom('audit_log')
        .select(['shard', 'seq'])
        .where('action', '=', 'organization.create')
        .orderBy('seq')
        .limit(1)
        .executeTakeFirstOrThrow();
      await sql`update audit_log set reason = 'tampered' where shard = ${victim.shard} and seq = ${victim.seq}`.execute(
        h.db,
      );
    });
    const res = await run('audit', 'verify');
    expect(res.code).toBe(1);
    expect(res.out).toContain(`shard ${victim!.shard}, record ${victim!.seq}: altered`);
    await withRaw((h) =>
      sql`update audit_log set reason = null where shard = ${victim.shard} and seq = ${victim.seq}`.execute(
        h.db,
      ),
    );
    expect((await run('audit', 'verify')).code).toBe(0);
  }, 120_000);

  it('finds a record removed from the middle of a chain', async () => {
    await withRaw((h) => sql`delete from audit_log where seq = 3`.execute(h.db));
    const res = await run('audit', 'verify');
    expect(res.code).toBe(1);
    expect(res.out).toContain('shard 0, record 3: missing');
  }, 120_000);
});
