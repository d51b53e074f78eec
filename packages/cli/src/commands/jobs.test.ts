/**
 * `sscard jobs list|run` on a real database: the jobs are listed with their times and last
 * runs; a job run on demand is recorded and audited as `system:cli`; an unknown job is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestInstallation, run, type TestInstallation } from '../testing.js';

let inst: TestInstallation;

beforeAll(async () => {
  inst = await openTestInstallation('cli-jobs', () => ({
    SSCARD_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    SSCARD_ADMIN_PASSWORD: 'Admin-Cli-2026!',
  }));
}, 120_000);

afterAll(() => inst.remove());

describe('sscard jobs', () => {
  it('lists the jobs, their times, and that pruning is on demand unless switched on', async () => {
    const res = await run('jobs', 'list');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/^audit\.verify\s+02:00\s+daily/m);
    expect(res.out).toMatch(/^staff\.sweep_inactive\s+03:00\s+daily/m);
    expect(res.out).toMatch(/^audit\.prune\s+04:00\s+on demand/m);
    expect(res.out).toContain('last run: never');
  }, 120_000);

  it('runs a job now, records it and audits who asked', async () => {
    const res = await run('jobs', 'run', 'audit.verify');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/^audit\.verify: .* \(manual, system:cli\) succeeded .*"intact":true/);
    const listed = await run('jobs', 'list');
    expect(listed.out).toMatch(/audit\.verify[^\n]*\n {2}last run: .*succeeded/);
    const audited = await inst.withRaw((h) =>
      h.db
        .selectFrom('audit_log')
        .select(['actor_username', 'target_id', 'outcome'])
        .where('action', '=', 'job.run')
        .executeTakeFirstOrThrow(),
    );
    expect(audited).toEqual({
      actor_username: 'system:cli',
      target_id: 'audit.verify',
      outcome: 'success',
    });
  }, 60_000);

  it('refuses a job it does not know', async () => {
    const res = await run('jobs', 'run', 'cards.nothing');
    expect(res.code).toBe(1);
    expect(res.out).toContain('no job named cards.nothing; the jobs are: audit.verify');
  }, 60_000);
});
