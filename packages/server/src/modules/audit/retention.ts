/**
 * Audit retention. Records are kept SSCARD_AUDIT_RETENTION_DAYS (365 by default, never under
 * 183: six months); older ones may be pruned, by `sscard audit prune` or by the daily job when
 * SSCARD_AUDIT_PRUNE=1. A prune:
 *
 * 1. takes the cut-off from the clock and the configuration only (start of the Shanghai day
 *    `days` before today): no caller can ask for a later one;
 * 2. verifies the chains and leaves any shard with a break alone (pruning would destroy the
 *    evidence), and per shard takes the longest run of records from its anchor that are all
 *    older than the cut-off;
 * 3. writes them to an archive file (archive.ts: JSON Lines with a manifest of the anchors),
 *    re-hashing every record, and flushes it to disk; nothing is deleted if that fails;
 * 4. then, per shard, in batches, each one transaction: writes an `audit.prune` record that
 *    attests the new anchor (seq and hash of the last pruned record, the archive and its
 *    SHA-256), moves the shard's anchor in `audit_heads` and deletes the records up to it. The
 *    database allows the move and the delete only in such a transaction (migration 0005), and
 *    `verifyAuditChain` walks each shard from its anchor and checks that it is attested.
 */
import { addDays, shanghaiDate, startOfShanghaiDay } from '@sscard/domain';
import { sql } from 'kysely';
import path from 'node:path';
import { MIN_AUDIT_RETENTION_DAYS } from '../../config.js';
import type { ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import { writeArchive } from './archive.js';
import { rangeRows } from './audit.queries.js';
import type { AuditEntry } from './audit.repository.js';
import { PRUNE_ACTION, SHARD_TARGET, verifyAuditChain, type ChainBreak } from './verify.js';

export const DEFAULT_PRUNE_BATCH = 5000;

export interface PruneRange {
  shard: number;
  fromSeq: number;
  toSeq: number;
  records: number;
}

export interface PruneReport {
  cutoff: Date;
  retentionDays: number;
  dryRun: boolean;
  /** What was pruned (or, in a dry run, would be). */
  shards: PruneRange[];
  records: number;
  archive: { file: string; sha256: string } | null;
  /** Shards left alone because their chain is broken. */
  skipped: ChainBreak[];
}

export interface PruneOptions {
  dryRun?: boolean;
  /** The archive file; by default a new file in SSCARD_AUDIT_ARCHIVE_DIR. */
  file?: string;
  /** Records per transaction (and per `audit.prune` record). */
  batchSize?: number;
}

type RetentionDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'audit' | 'log'>;

/** Records at or after this instant are kept; the start of the Shanghai day `days` ago. */
export function retentionCutoff(now: Date, days: number): Date {
  if (!Number.isInteger(days) || days < MIN_AUDIT_RETENTION_DAYS)
    throw new Error(
      `audit retention of ${days} days is shorter than six months (${MIN_AUDIT_RETENTION_DAYS} days)`,
    );
  return startOfShanghaiDay(addDays(shanghaiDate(now), -days));
}

export async function pruneAudit(
  deps: RetentionDeps,
  ctx: ActContext,
  options: PruneOptions = {},
): Promise<PruneReport> {
  const { db } = deps;
  const now = deps.clock.now();
  const retentionDays = deps.config.auditRetention.days;
  const cutoff = retentionCutoff(now, retentionDays);
  const chain = await verifyAuditChain(db);
  const broken = new Map<number, ChainBreak>();
  for (const b of chain.breaks) if (!broken.has(b.shard)) broken.set(b.shard, b);

  const heads = await db
    .selectFrom('audit_heads')
    .select(['shard', 'seq', 'base_seq', 'base_hash'])
    .orderBy('shard')
    .execute();
  const ranges: (PruneRange & { startHash: Buffer })[] = [];
  const skipped: ChainBreak[] = [];
  for (const head of heads) {
    const base = Number(head.base_seq);
    const young = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.min('seq').as('seq'))
      .where('shard', '=', head.shard)
      .where('seq', '>', base)
      .where('at', '>=', cutoff)
      .executeTakeFirst();
    const toSeq = young?.seq != null ? Number(young.seq) - 1 : Number(head.seq);
    if (toSeq <= base) continue;
    const brokenAt = broken.get(head.shard);
    if (brokenAt) {
      skipped.push(brokenAt);
      continue;
    }
    ranges.push({
      shard: head.shard,
      fromSeq: base + 1,
      toSeq,
      records: toSeq - base,
      startHash: head.base_hash,
    });
  }
  const report: PruneReport = {
    cutoff,
    retentionDays,
    dryRun: Boolean(options.dryRun),
    shards: ranges.map(({ shard, fromSeq, toSeq, records }) => ({
      shard,
      fromSeq,
      toSeq,
      records,
    })),
    records: ranges.reduce((n, r) => n + r.records, 0),
    archive: null,
    skipped,
  };
  for (const s of skipped)
    deps.log.warn(
      { shard: s.shard, seq: s.seq, problem: s.problem },
      'audit prune: shard left alone, its chain is broken',
    );
  if (options.dryRun || ranges.length === 0) return report;

  const file =
    options.file ??
    path.join(
      deps.config.auditRetention.archiveDir,
      `audit-before-${shanghaiDate(cutoff)}-${now.toISOString().replace(/[:.]/g, '')}.jsonl`,
    );
  const written = await writeArchive(
    file,
    { kind: 'prune', createdAt: now.toISOString(), cutoff: cutoff.toISOString(), retentionDays },
    rangeRows(db, ranges),
    { startHashes: new Map(ranges.map((r) => [r.shard, r.startHash])) },
  );
  report.archive = { file: written.file, sha256: written.sha256 };
  deps.log.info(
    { archive: written.file, sha256: written.sha256, records: report.records },
    'audit prune: archive written',
  );

  const batch = Math.max(1, options.batchSize ?? DEFAULT_PRUNE_BATCH);
  for (const r of ranges) {
    for (let start = r.fromSeq; start <= r.toSeq; start += batch) {
      const end = Math.min(start + batch - 1, r.toSeq);
      await db.transaction().execute(async (trx) => {
        await sql`select set_config('sscard.audit_prune', 'on', true), set_config('sscard.audit_prune_before', ${cutoff.toISOString()}, true)`.execute(
          trx,
        );
        const anchor = await trx
          .selectFrom('audit_log')
          .select(['hash', 'at'])
          .where('shard', '=', r.shard)
          .where('seq', '=', end)
          .executeTakeFirstOrThrow();
        if (anchor.at >= cutoff) throw new Error(`record ${end} of shard ${r.shard} is too young`);
        // The attestation first: its record is the newest, so the database's own floor (183
        // days before the newest record) is measured from now. Its chain and the pruned one are
        // locked together in shard order, as every act locks its chains (`appendAll`), so a
        // prune and an act touching both chains cannot wait on each other.
        const attestation: AuditEntry = {
          action: PRUNE_ACTION,
          targetType: SHARD_TARGET,
          targetId: String(r.shard),
          details: {
            fromSeq: start,
            toSeq: end,
            records: end - start + 1,
            anchorHash: anchor.hash.toString('hex'),
            anchorAt: anchor.at.toISOString(),
            cutoff: cutoff.toISOString(),
            retentionDays,
            archive: path.basename(written.file),
            archiveSha256: written.sha256,
          },
        };
        await deps.audit.lockChains(trx, [r.shard, deps.audit.shardFor(ctx, attestation)]);
        await deps.audit.append(trx, ctx, attestation, now);
        const head = await trx
          .selectFrom('audit_heads')
          .select('base_seq')
          .where('shard', '=', r.shard)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (Number(head.base_seq) !== start - 1)
          throw new Error(`shard ${r.shard} was pruned meanwhile by another run`);
        await trx
          .updateTable('audit_heads')
          .set({ base_seq: end, base_hash: anchor.hash, base_at: anchor.at })
          .where('shard', '=', r.shard)
          .execute();
        const deleted = await trx
          .deleteFrom('audit_log')
          .where('shard', '=', r.shard)
          .where('seq', '>=', start)
          .where('seq', '<=', end)
          .executeTakeFirst();
        if (Number(deleted.numDeletedRows) !== end - start + 1)
          throw new Error(`shard ${r.shard}: records ${start}..${end} are not all there`);
      });
    }
  }
  deps.log.info(
    { records: report.records, shards: report.shards.length, cutoff: cutoff.toISOString() },
    'audit prune: records removed, anchors moved',
  );
  return report;
}
