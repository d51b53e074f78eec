/** `sscard audit verify`: walk the hash chains and report the first broken link. */
import { CommanderError, type Command } from 'commander';
import { loadConfig, openDatabase, verifyAuditChain } from '@sscard/server';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description(
      'verify the hash chains; exit code 1 if any record was altered, removed or re-linked',
    )
    .action(async () => {
      const config = loadConfig();
      const handle = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
      });
      try {
        const report = await verifyAuditChain(handle.db);
        if (report.firstBreak) {
          const b = report.firstBreak;
          console.log(
            `BROKEN: shard ${b.shard}, record ${b.seq}: ${b.problem} (checked ${report.records} records in ${report.shards} chains)`,
          );
          throw new CommanderError(1, 'sscard.audit.broken', 'the audit trail is broken');
        } else {
          console.log(
            `OK: ${report.records} records in ${report.shards} chains, every link intact`,
          );
        }
      } finally {
        await handle.close();
      }
    });
}
