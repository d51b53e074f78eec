/** `sscard migrate` and `sscard demo`. */
import type { Command } from 'commander';
import { listMigrations, migrate, seedDemo } from '@sscard/server';
import { withDatabase, withPlatform } from './open.js';

export function registerDatabaseCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (also done at server start)')
    .action(() =>
      withDatabase(async (handle) => {
        const report = await migrate(handle.db);
        const total = listMigrations().length;
        console.log(
          report.applied.length ? `applied: ${report.applied.join(', ')}` : 'nothing to apply',
        );
        console.log(
          `schema version ${report.current} (${total} migration${total === 1 ? '' : 's'})`,
        );
      }),
    );

  program
    .command('demo')
    .description('seed the demo installation: five jurisdictions, organisations, staff, people')
    .action(() =>
      withPlatform(async (platform) => {
        const result = await seedDemo(platform);
        if (!result.seeded) {
          console.log('the demo data is already present');
          return;
        }
        console.log(
          `seeded ${result.persons} people and ${result.accounts.length} staff accounts (password: see README)`,
        );
        for (const a of result.accounts)
          console.log(`  ${a.username.padEnd(20)} ${a.role.padEnd(20)} ${a.organization}`);
      }),
    );
}
