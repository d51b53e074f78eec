/**
 * `sscard audit export|prune|verify|verify-archive` on a real database with the manual clock:
 * an export and a prune archive verify on their own, the trail verifies from its anchors after
 * the prune, a tampered archive does not, and a retention under six months refuses to start.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, openPlatform, systemContext } from '@sscard/server';
import { openTestInstallation, run, type TestInstallation } from '../testing.js';

let inst: TestInstallation;
const withRaw: TestInstallation['withRaw'] = (fn) => inst.withRaw(fn);
const DAY = 24 * 60 * 60 * 1000;
/** 2026-01-05 10:00 in Shanghai. */
const T0 = new Date('2026-01-05T02:00:00Z');

async function acts(n: number, prefix: string): Promise<void> {
  const platform = await openPlatform({ config: loadConfig() });
  try {
    for (let i = 0; i < n; i++)
      await platform.services.organizations.create(
        { kind: 'vendor', code: `${prefix}-${i}`, name: `卡商${prefix}${i}`, jurisdiction: 'SH' },
        systemContext('test'),
      );
  } finally {
    await platform.close();
  }
}

async function setClock(instant: Date): Promise<void> {
  await withRaw(async (h) => {
    const value = JSON.stringify({ now: instant.toISOString() });
    await h.db
      .insertInto('system_settings')
      .values({ key: 'clock.manual', value, updated_at: instant })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: instant }))
      .execute();
  });
}

beforeAll(async () => {
  inst = await openTestInstallation('cli-audit', (dir) => ({
    SSCARD_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    SSCARD_ADMIN_PASSWORD: 'Admin-Cli-2026!',
    SSCARD_AUDIT_SHARDS: '2',
    SSCARD_CLOCK: 'manual',
    SSCARD_AUDIT_RETENTION_DAYS: '183',
    SSCARD_AUDIT_ARCHIVE_DIR: path.join(dir, 'archive'),
  }));
  expect((await run('migrate')).code).toBe(0);
  // The clock is set before the first start, so even the administrator's creation is at T0.
  await setClock(T0);
  await acts(6, 'OLD');
  await setClock(new Date(T0.getTime() + 200 * DAY));
  await acts(2, 'NEW');
}, 120_000);

afterAll(() => inst.remove());

describe('sscard audit', () => {
  it('exports a period to a file that verifies on its own', async () => {
    const file = path.join(inst.dir, 'export.jsonl');
    const res = await run('audit', 'export', '--from', '2026-01-01', '--to', '2026-01-31', file);
    expect(res.code).toBe(0);
    // The administrator's creation and the six old acts; the export itself is audited after.
    expect(res.out).toMatch(/^exported 7 records of \d chains to /);
    const checked = await run('audit', 'verify-archive', file);
    expect(checked.code).toBe(0);
    expect(checked.out).toMatch(/^OK: 7 records of \d chains, export archive of/);
    const manifest = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!);
    expect(manifest).toMatchObject({
      format: 'sscard-audit-archive',
      kind: 'export',
      from: '2025-12-31T16:00:00.000Z',
      to: '2026-01-31T16:00:00.000Z',
      records: 7,
    });
    const audited = await withRaw((h) =>
      h.db
        .selectFrom('audit_log')
        .select(['actor_username', 'details'])
        .where('action', '=', 'audit.export')
        .executeTakeFirstOrThrow(),
    );
    expect(audited.actor_username).toBe('system:cli');
  });

  it('shows what it would prune in a dry run', async () => {
    const res = await run('audit', 'prune', '--dry-run');
    expect(res.code).toBe(0);
    expect(res.out).toContain('retention 183 days: records before 2026-01-21T16:00:00.000Z may go');
    expect(res.out).toContain('dry run: 7 records would be pruned');
    expect(readdirSync(inst.dir)).not.toContain('archive');
  });

  it('prunes past retention after archiving, and the trail still verifies', async () => {
    const file = path.join(inst.dir, 'pruned.jsonl');
    const res = await run('audit', 'prune', '--out', file, '--batch-size', '2');
    expect(res.code).toBe(0);
    expect(res.out).toContain(`archived to ${file}`);
    expect(res.out).toContain('pruned 7 records; anchors moved');

    const verified = await run('audit', 'verify');
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(
      /^OK: \d+ records in 2 chains, every link intact \(from the anchors of 7 earlier records, pruned and archived\)/,
    );
    const checked = await run('audit', 'verify-archive', file);
    expect(checked.code).toBe(0);
    expect(checked.out).toMatch(
      /^OK: 7 records of \d chains, prune archive of .*the manifest’s anchors match/,
    );

    // Nothing more to prune; the records left are all younger than the cut-off.
    expect((await run('audit', 'prune')).out).toContain('nothing to prune');
    const oldest = await withRaw((h) =>
      h.db.selectFrom('audit_log').select('at').orderBy('at').executeTakeFirstOrThrow(),
    );
    expect(oldest.at.getTime()).toBeGreaterThanOrEqual(T0.getTime() + 200 * DAY);
  });

  it('finds a tampered archive', async () => {
    const lines = readFileSync(path.join(inst.dir, 'pruned.jsonl'), 'utf8').trim().split('\n');
    const record = JSON.parse(lines[2]!);
    record.actor_username = 'someone-else';
    const forged = path.join(inst.dir, 'forged.jsonl');
    writeFileSync(
      forged,
      [lines[0], lines[1], JSON.stringify(record), ...lines.slice(3)].join('\n'),
    );
    const res = await run('audit', 'verify-archive', forged);
    expect(res.code).toBe(1);
    expect(res.out).toContain(
      `BROKEN: line 3, shard ${record.shard}, record ${record.seq}: altered`,
    );
  });

  it('refuses to start with a retention under six months', async () => {
    process.env.SSCARD_AUDIT_RETENTION_DAYS = '90';
    try {
      await expect(run('audit', 'prune')).rejects.toThrow(
        /SSCARD_AUDIT_RETENTION_DAYS is 90: audit records must be kept at least six months/,
      );
    } finally {
      process.env.SSCARD_AUDIT_RETENTION_DAYS = '183';
    }
  });
});
