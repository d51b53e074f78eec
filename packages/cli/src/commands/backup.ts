/**
 * `sscard backup [--out FILE]` and `sscard restore FILE [--force]` (docs/BACKUP.md).
 *
 * - backup: in-process as the platform; on a server a pg_dump in an exported snapshot while the
 *   platform keeps serving, on PGlite the data directory (a running server holds its lock, so the
 *   command refuses: stop it first). Audited (`ops.backup`). The master key is not in it.
 * - restore: into an empty database (DATABASE_URL) or data directory (SSCARD_DATA_DIR); `--force`
 *   replaces a non-empty one. Checks the payload's sha256, then the restored schema version,
 *   audit chain heads and chains, counts and ids of cards, persons and applications against the
 *   manifest. Exit 0: restored, checked, the platform opened with the configured key and the
 *   restore was recorded; exit 3: restored and checked, but the platform did not open (no key,
 *   or the wrong one); exit 1: not restored or not as backed up.
 */
import { CommanderError, type Command } from 'commander';
import {
  BackupError,
  loadConfig,
  readBackupHeader,
  restoreBackup,
  systemContext,
  takeBackup,
  verifyBackupFile,
  type BackupManifest,
} from '@sscard/server';
import { withPlatform } from './open.js';

function describe(m: BackupManifest): string[] {
  return [
    `  database    ${m.databaseKind}${m.databaseKind === 'postgres' ? ` ${m.serverVersion}, schema ${m.schema}` : ''}, schema version ${m.schemaVersion}`,
    `  created     ${m.createdAt} by ${m.createdBy.user}@${m.createdBy.host}`,
    `  rows        cards ${m.counts.cards}, persons ${m.counts.persons}, applications ${m.counts.applications}`,
    `  audit head  ${m.auditHeadHash} (${m.auditHeads.length} chains)`,
    `  payload     ${m.payload.encoding}, ${m.payload.bytes} bytes, sha256 ${m.payload.sha256}`,
    `  sealed with data key ${m.activeDataKeyId ?? 'unknown'} (the master key is not in the backup)`,
  ];
}

function fail(e: unknown): never {
  if (e instanceof BackupError) {
    console.log(`refused: ${e.message}`);
    throw new CommanderError(1, 'sscard.backup.failed', e.message);
  }
  throw e;
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'back up the database into one file with a manifest (pg_dump on a server; the data directory on PGlite, server stopped); the master key is not included',
    )
    .option('--out <file>', 'where to write it (default: sscard-backup-<kind>-<time>.sscb)')
    .action((opts: { out?: string }) =>
      withPlatform(async (platform) => {
        const stamp = platform.deps.clock
          .now()
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d+Z$/, 'Z');
        const out = opts.out ?? `sscard-backup-${platform.handle.kind}-${stamp}.sscb`;
        const manifest = await takeBackup(platform, { out, ctx: systemContext('cli') }).catch(fail);
        console.log(`backup written: ${out}`);
        for (const line of describe(manifest)) console.log(line);
        console.log('keep the master key separately: see docs/BACKUP.md');
      }),
    );

  program
    .command('restore')
    .description(
      'restore a backup into an empty database (DATABASE_URL) or data directory (SSCARD_DATA_DIR) and check it against its manifest',
    )
    .argument('<file>', 'a file written by `sscard backup`')
    .option(
      '--force',
      'replace a database or data directory that is not empty (PGlite: moved aside)',
    )
    .option('--inspect', 'only check the file and print its manifest')
    .action(async (file: string, opts: { force?: boolean; inspect?: boolean }) => {
      if (opts.inspect) {
        const m = await verifyBackupFile(file).catch(fail);
        console.log(`${file}: intact`);
        for (const line of describe(m)) console.log(line);
        return;
      }
      const manifest = (() => {
        try {
          return readBackupHeader(file).manifest;
        } catch (e) {
          return fail(e);
        }
      })();
      console.log(`restoring ${file}`);
      for (const line of describe(manifest)) console.log(line);
      const report = await restoreBackup({
        file,
        config: loadConfig(),
        force: opts.force ?? false,
        ctx: systemContext('cli'),
      }).catch(fail);
      if (report.movedAside)
        console.log(`the previous data directory was moved to ${report.movedAside}`);
      console.log(
        `restored and checked: cards ${report.restored.counts.cards}, persons ${report.restored.counts.persons}, applications ${report.restored.counts.applications} (the same ids as at backup time); audit chains intact (${report.chain.records} records)`,
      );
      if (!report.platform.opened) {
        console.log(`personal data is not readable yet: ${report.platform.reason}`);
        console.log(
          'no restore record was appended: configure the right key and restore again (--force) to have it recorded',
        );
        throw new CommanderError(3, 'sscard.restore.no_key', report.platform.reason);
      }
      console.log('the platform opened with the configured master key; the restore is recorded');
    });
}
