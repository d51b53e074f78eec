/**
 * `sscard db citus-plan`: the statements that distribute this installation's database on Citus
 * (db/distribution.ts, docs/SCALING.md), printed, not run. Reads the foreign keys of the current
 * schema to order the reference tables; refuses when a table is not classified in the plan.
 */
import { CommanderError, type Command } from 'commander';
import { DISTRIBUTION_PLAN, citusStatements, readCatalogue } from '@sscard/server';
import { withDatabase } from './open.js';

export function registerCitusPlanCommand(program: Command): void {
  const db = program.command('db').description('the database');
  db.command('citus-plan')
    .description(
      'print the statements that distribute this database on Citus (reference tables, then co-located groups); local tables are listed with their reasons',
    )
    .action(() =>
      withDatabase(async (handle) => {
        const cat = await readCatalogue(handle.db);
        const missing = [...cat.tables.keys()].filter((t) => !DISTRIBUTION_PLAN[t]);
        if (missing.length) {
          console.log(`not classified in db/distribution.ts: ${missing.join(', ')}`);
          throw new CommanderError(1, 'sscard.citus.unclassified', 'unclassified tables');
        }
        console.log(
          '-- run on the Citus coordinator after `create extension citus` and adding the workers',
        );
        console.log('-- (docs/SCALING.md); tables not listed stay local on the coordinator:');
        for (const [table, p] of Object.entries(DISTRIBUTION_PLAN))
          if (p.kind === 'local' && cat.tables.has(table))
            console.log(`--   ${table}: ${p.reason}${p.target ? ` (later: ${p.target})` : ''}`);
        for (const s of citusStatements(cat.foreignKeys)) console.log(s);
      }),
    );
}
