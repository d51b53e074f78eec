/**
 * `sscard audit verify|export|prune|verify-archive`: the audit trail's duties.
 *
 * - `verify` walks the hash chains (from each shard's anchor) and names the first broken link;
 * - `export --from --to FILE` writes a period for an auditor (JSON Lines with a manifest; audited);
 * - `prune` archives, then removes, records older than SSCARD_AUDIT_RETENTION_DAYS;
 * - `verify-archive FILE` checks an archive or export on its own, without the database.
 */
import { CommanderError, InvalidArgumentError, type Command } from 'commander';
import { isLocalDate, addDays, startOfShanghaiDay } from '@sscard/domain';
import { AuditService, systemContext, verifyArchive, verifyAuditChain } from '@sscard/server';
import { positiveInt } from './arguments.js';
import { withDatabase, withPlatform } from './open.js';

/** `2026-05-01` (a Shanghai day) or an RFC 3339 instant. */
function when(endOfDay: boolean) {
  return (raw: string): Date => {
    if (isLocalDate(raw)) return startOfShanghaiDay(endOfDay ? addDays(raw, 1) : raw);
    const d = new Date(raw);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(d.getTime()))
      throw new InvalidArgumentError('a date (YYYY-MM-DD, Shanghai) or an instant (RFC 3339)');
    return d;
  };
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description(
      'verify the hash chains; exit code 1 if any record was altered, removed or re-linked',
    )
    .action(() =>
      withDatabase(async (handle) => {
        const report = await verifyAuditChain(handle.db);
        if (report.firstBreak) {
          const b = report.firstBreak;
          console.log(
            `BROKEN: shard ${b.shard}, record ${b.seq}: ${b.problem} (checked ${report.records} records in ${report.shards} chains)`,
          );
          for (const other of report.breaks.slice(1, 20))
            console.log(`  also: shard ${other.shard}, record ${other.seq}: ${other.problem}`);
          throw new CommanderError(1, 'sscard.audit.broken', 'the audit trail is broken');
        } else {
          console.log(
            `OK: ${report.records} records in ${report.shards} chains, every link intact` +
              (report.pruned
                ? ` (from the anchors of ${report.pruned} earlier records, pruned and archived)`
                : ''),
          );
        }
      }),
    );

  audit
    .command('export')
    .description(
      'write the records of a period to FILE for an auditor: JSON Lines with a manifest, each record with its hash and prev_hash (audited)',
    )
    .requiredOption('--from <when>', 'first day (YYYY-MM-DD, Shanghai) or instant', when(false))
    .requiredOption('--to <when>', 'last day (inclusive) or instant (exclusive)', when(true))
    .argument('<file>', 'the file to write (must not exist)')
    .action(async (file: string, options: { from: Date; to: Date }) => {
      if (!(options.from < options.to))
        throw new CommanderError(2, 'sscard.audit.period', '--from must be before --to');
      await withPlatform(async (platform) => {
        const written = await new AuditService(platform.deps).exportToFile(
          systemContext('cli'),
          { from: options.from, to: options.to },
          file,
        );
        console.log(
          `exported ${written.manifest.records} records of ${written.manifest.shards.length} chains to ${written.file}`,
        );
        console.log(`sha256 ${written.sha256}`);
      });
    });

  audit
    .command('prune')
    .description(
      'archive, then remove, the records older than SSCARD_AUDIT_RETENTION_DAYS (at least 183); the chains stay verifiable from their anchors',
    )
    .option('--dry-run', 'show what would be pruned; change nothing')
    .option('--out <file>', 'the archive file (default: a new file in SSCARD_AUDIT_ARCHIVE_DIR)')
    .option('--batch-size <records>', 'records per transaction', positiveInt)
    .action(async (options: { dryRun?: boolean; out?: string; batchSize?: number }) => {
      await withPlatform(async (platform) => {
        const report = await new AuditService(platform.deps).prune(systemContext('cli'), {
          dryRun: Boolean(options.dryRun),
          ...(options.out ? { file: options.out } : {}),
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        });
        console.log(
          `retention ${report.retentionDays} days: records before ${report.cutoff.toISOString()} may go`,
        );
        for (const s of report.shards)
          console.log(`  shard ${s.shard}: records ${s.fromSeq}..${s.toSeq} (${s.records})`);
        if (report.dryRun) console.log(`dry run: ${report.records} records would be pruned`);
        else if (report.archive) {
          console.log(`archived to ${report.archive.file}`);
          console.log(`sha256 ${report.archive.sha256}`);
          console.log(`pruned ${report.records} records; anchors moved`);
        } else console.log('nothing to prune');
        for (const s of report.skipped)
          console.log(
            `! shard ${s.shard} left alone: its chain is broken at record ${s.seq} (${s.problem})`,
          );
        if (report.skipped.length)
          throw new CommanderError(1, 'sscard.audit.broken', 'a chain is broken');
      });
    });

  audit
    .command('verify-archive')
    .description(
      'check an archive or export on its own: every record re-hashes, consecutive records link, the manifest’s anchors match; exit code 1 if not',
    )
    .argument('<file>')
    .action(async (file: string) => {
      const report = await verifyArchive(file);
      const m = report.manifest;
      if (report.problems.length) {
        for (const p of report.problems.slice(0, 20))
          console.log(
            `BROKEN: line ${p.line}` +
              (p.shard !== null ? `, shard ${p.shard}` : '') +
              (p.seq !== null ? `, record ${p.seq}` : '') +
              `: ${p.problem}${p.note ? ` (${p.note})` : ''}`,
          );
        throw new CommanderError(1, 'sscard.audit.archive', 'the archive does not verify');
      }
      const segments = report.shards.reduce((n, s) => n + s.segments, 0);
      console.log(
        `OK: ${report.records} records of ${report.shards.length} chains` +
          (m ? `, ${m.kind} archive of ${m.createdAt}` : ', no manifest') +
          `; every record re-hashes and consecutive records link` +
          (m ? '; the manifest’s anchors match' : '') +
          (segments > report.shards.length ? ` (${segments} runs of consecutive records)` : ''),
      );
      for (const s of m?.shards ?? [])
        console.log(
          `  shard ${s.shard}: ${s.fromSeq}..${s.toSeq}, from ${s.prevHash.slice(0, 16)}… to ${s.lastHash.slice(0, 16)}…`,
        );
      console.log(`sha256 ${report.sha256}`);
    });
}
