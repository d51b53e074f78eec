/**
 * Retention: nothing younger than the retention period (never under six months) goes; older
 * records go only after they are archived, the chains verify from their anchors afterwards, the
 * archive verifies on its own, and the database refuses every delete or anchor move outside a
 * prune.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { systemContext } from '../../context.js';
import { TEST_START } from '../../testing/harness.js';
import { auditedAct, pruningPlatform } from '../../testing/audit.js';
import { verifyArchive } from './archive.js';
import { pruneAudit, retentionCutoff } from './retention.js';
import { verifyAuditChain } from './verify.js';

let t: Awaited<ReturnType<typeof pruningPlatform>>;
let dir: string;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  t = await pruningPlatform();
  dir = t.archiveDir;
});
afterAll(() => t.close());

const act = (code: string) => auditedAct(t, code);

describe('the retention period', () => {
  it('is at least six months: a shorter configuration refuses to start', () => {
    expect(() => loadConfig({ SSCARD_AUDIT_RETENTION_DAYS: '182' })).toThrow(
      /SSCARD_AUDIT_RETENTION_DAYS is 182: audit records must be kept at least six months \(183 days\)/,
    );
    expect(loadConfig({}).auditRetention).toMatchObject({ days: 365, prune: false });
    expect(loadConfig({ SSCARD_AUDIT_RETENTION_DAYS: '183' }).auditRetention.days).toBe(183);
    expect(() => retentionCutoff(TEST_START, 90)).toThrow(/shorter than six months/);
    // The cut-off is the start of a Shanghai day.
    expect(retentionCutoff(TEST_START, 365).toISOString()).toBe('2025-05-05T16:00:00.000Z');
  });

  it('cannot be shortened by a configuration object built by hand', async () => {
    const deps = { ...t.platform.deps, config: { ...t.platform.deps.config } };
    deps.config.auditRetention = { ...deps.config.auditRetention, days: 1 };
    await expect(pruneAudit(deps, systemContext('test'))).rejects.toThrow(/six months/);
  });
});

describe('the database guard', () => {
  const refused = (q: ReturnType<typeof sql>, pattern: RegExp) =>
    expect(
      t.platform.deps.db.transaction().execute(async (trx) => {
        await sql`select set_config('sscard.audit_prune', 'on', true), set_config('sscard.audit_prune_before', '2100-01-01T00:00:00Z', true)`.execute(
          trx,
        );
        await q.execute(trx);
      }),
    ).rejects.toThrow(pattern);

  it('refuses deletes, updates and truncation of the trail by the application', async () => {
    const { db } = t.platform.deps;
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`update audit_log set reason = 'x'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('refuses, even with the prune setting, records above the anchor or too recent', async () => {
    // The setting alone is not enough: the anchor has not moved, and every record is recent.
    await refused(sql`delete from audit_log where seq = 1`, /not prunable/);
  });

  it('refuses to move an anchor outside a prune, or onto a recent record', async () => {
    const { db } = t.platform.deps;
    await expect(
      sql`update audit_heads set base_seq = 1, base_hash = (select hash from audit_log l where l.shard = audit_heads.shard and l.seq = 1)`.execute(
        db,
      ),
    ).rejects.toThrow(/moves only when records are pruned/);
    await refused(
      sql`update audit_heads set base_seq = 1, base_hash = (select hash from audit_log l where l.shard = audit_heads.shard and l.seq = 1), base_at = (select at from audit_log l where l.shard = audit_heads.shard and l.seq = 1)`,
      /cannot move/,
    );
    await expect(sql`update audit_heads set seq = seq - 1`.execute(db)).rejects.toThrow(
      /only moves forward/,
    );
    await expect(sql`delete from audit_heads`.execute(db)).rejects.toThrow(/cannot be removed/);
    await expect(sql`truncate audit_heads`.execute(db)).rejects.toThrow(/cannot be removed/);
  });
});

describe('pruning', () => {
  let archive: string;

  it('keeps every record younger than the retention period', async () => {
    await t.setClock(new Date(TEST_START.getTime() + 100 * DAY));
    await act('YOUNG-1');
    const report = await pruneAudit(t.platform.deps, systemContext('test'));
    expect(report).toMatchObject({ records: 0, archive: null, shards: [] });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('shows what it would prune in a dry run, and changes nothing', async () => {
    await t.setClock(new Date(TEST_START.getTime() + 200 * DAY));
    const before = await verifyAuditChain(t.platform.deps.db);
    const report = await pruneAudit(t.platform.deps, systemContext('test'), { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.records).toBeGreaterThan(10);
    expect(report.cutoff.toISOString()).toBe('2026-05-22T16:00:00.000Z');
    expect(readdirSync(dir)).toEqual([]);
    expect((await verifyAuditChain(t.platform.deps.db)).records).toBe(before.records);
  });

  it('prunes past retention in the daily job, archive first; the chains still verify', async () => {
    const { db } = t.platform.deps;
    const cutoff = new Date('2026-05-22T16:00:00.000Z');
    const all = await db
      .selectFrom('audit_log')
      .select(['id', 'shard', 'seq', 'at'])
      .orderBy('shard')
      .orderBy('seq')
      .execute();
    // Per shard, the run of records from the start that are all older than the cut-off (a
    // record written on a later clock stops the run: nothing after it goes either).
    const stopped = new Set<number>();
    const old = all.filter((r) => {
      if (stopped.has(r.shard)) return false;
      if (r.at < cutoff) return true;
      stopped.add(r.shard);
      return false;
    });
    const oldIds = new Set(old.map((r) => r.id));
    const kept = all.filter((r) => !oldIds.has(r.id));
    expect(old.length).toBeGreaterThan(10);

    const runs = await t.platform.services.jobs.tick();
    const prune = runs.find((r) => r.job === 'audit.prune')!;
    expect(prune.status).toBe('succeeded');
    expect(prune.result).toMatchObject({ skipped: false, records: old.length });

    // Gone from the trail; everything else is still there.
    const left = new Set(
      (await db.selectFrom('audit_log').select('id').execute()).map((r) => r.id),
    );
    for (const r of old) expect(left.has(r.id)).toBe(false);
    for (const r of kept) expect(left.has(r.id)).toBe(true);

    // The chains verify from their anchors, and each anchor is attested.
    const report = await verifyAuditChain(db);
    expect(report.firstBreak).toBeNull();
    expect(report.pruned).toBe(old.length);
    const heads = await db.selectFrom('audit_heads').selectAll().orderBy('shard').execute();
    for (const h of heads.filter((h) => h.base_seq > 0)) {
      const attest = await db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'audit.prune')
        .where('target_id', '=', String(h.shard))
        .executeTakeFirstOrThrow();
      expect(attest.details).toMatchObject({
        toSeq: Number(h.base_seq),
        anchorHash: h.base_hash.toString('hex'),
        archive: prune.result && (prune.result as { archive: string }).archive,
      });
    }

    // The archive holds exactly what was pruned and verifies on its own.
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    archive = path.join(dir, files[0]!);
    expect(files[0]).toMatch(/^audit-before-2026-05-23-.*\.jsonl$/);
    const checked = await verifyArchive(archive);
    expect(checked.problems).toEqual([]);
    expect(checked.manifest).toMatchObject({
      kind: 'prune',
      records: old.length,
      retentionDays: 183,
      cutoff: cutoff.toISOString(),
    });
    expect(checked.sha256).toBe((prune.result as { archiveSha256: string }).archiveSha256);
    const lines = readFileSync(archive, 'utf8').trim().split('\n');
    expect(new Set(lines.slice(1).map((l) => JSON.parse(l).id))).toEqual(
      new Set(old.map((r) => r.id)),
    );
    for (const s of checked.manifest!.shards) {
      const head = heads.find((h) => h.shard === s.shard)!;
      expect(s.toSeq).toBe(Number(head.base_seq));
      expect(s.lastHash).toBe(head.base_hash.toString('hex'));
      expect(s.fromSeq).toBe(1);
    }
  });

  it('verifies the day after, and a second prune finds nothing more', async () => {
    await t.setClock(new Date(TEST_START.getTime() + 201 * DAY));
    const runs = await t.platform.services.jobs.tick();
    expect(runs.find((r) => r.job === 'audit.verify')!.result).toMatchObject({ intact: true });
    expect(runs.find((r) => r.job === 'audit.prune')!.result).toMatchObject({ records: 0 });
  });

  it('finds a tampered archive', async () => {
    const lines = readFileSync(archive, 'utf8').trim().split('\n');
    const altered = JSON.parse(lines[3]!);
    altered.reason = 'rewritten';
    const forged = path.join(dir, 'forged.jsonl');
    writeFileSync(
      forged,
      [...lines.slice(0, 3), JSON.stringify(altered), ...lines.slice(4)].join('\n'),
    );
    expect((await verifyArchive(forged)).problems).toEqual([
      { line: 4, shard: altered.shard, seq: altered.seq, problem: 'altered' },
    ]);
    // A record removed from between two of its shard's records.
    const records = lines.map((l) => JSON.parse(l));
    const inner = records.findIndex(
      (r, i) =>
        i > 1 &&
        records[i - 1].shard === r.shard &&
        records[i + 1]?.shard === r.shard &&
        records[i + 1].seq === r.seq + 1,
    );
    expect(inner).toBeGreaterThan(1);
    const cut = path.join(dir, 'cut.jsonl');
    writeFileSync(cut, lines.filter((_, i) => i !== inner).join('\n'));
    const problems = (await verifyArchive(cut)).problems.map((p) => p.problem);
    expect(problems).toContain('missing');
    expect(problems).toContain('manifest_mismatch');
  });

  it('finds an anchor moved quietly to hide removed records', async () => {
    const { db } = t.platform.deps;
    const head = await db
      .selectFrom('audit_heads')
      .selectAll()
      .where('base_seq', '>', 0)
      .whereRef('seq', '>', 'base_seq')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    const next = await db
      .selectFrom('audit_log')
      .select(['seq', 'hash', 'at'])
      .where('shard', '=', head.shard)
      .where('seq', '=', Number(head.base_seq) + 1)
      .executeTakeFirstOrThrow();
    await sql`alter table audit_heads disable trigger audit_heads_no_rewind`.execute(db);
    await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(db);
    await db
      .updateTable('audit_heads')
      .set({ base_seq: next.seq, base_hash: next.hash, base_at: next.at })
      .where('shard', '=', head.shard)
      .execute();
    await db
      .deleteFrom('audit_log')
      .where('shard', '=', head.shard)
      .where('seq', '=', next.seq)
      .execute();
    await sql`alter table audit_heads enable trigger audit_heads_no_rewind`.execute(db);
    await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(db);
    // (The removed record may itself have attested another shard's anchor: that one is
    // reported as well.)
    const report = await verifyAuditChain(db);
    expect(report.breaks).toContainEqual({
      shard: head.shard,
      seq: next.seq,
      problem: 'anchor_unattested',
    });
  });
});
