/**
 * `sscard scenario run FILE…`: runs scenarios (a regulation's examples as steps) on a fresh
 * in-memory platform each, prints a line per step and the articles covered, and exits 1 if any
 * scenario fails. Nothing touches the configured database.
 */
import { CommanderError, type Command } from 'commander';
import { formatReport, formatScenario, runScenarioFile, totals } from '@sscard/server';

export function registerScenarioCommands(program: Command): void {
  const scenario = program
    .command('scenario')
    .description('scenarios: regulations’ examples as executable checks');
  scenario
    .command('run')
    .argument('<files...>', 'scenario files (YAML), e.g. scenarios/sh/*.yaml')
    .option('--quiet', 'print only failing scenarios and the totals')
    .option('--no-run-skipped', 'do not run scenarios marked skip (they are reported as skipped)')
    .description('run each scenario on a fresh platform; exit code 1 if any step fails')
    .action(async (files: string[], options: { quiet?: boolean; runSkipped: boolean }) => {
      const results = [];
      for (const file of files) {
        const result = await runScenarioFile(file, {
          runSkipped: options.runSkipped,
          ...(process.env.SSCARD_PACKS_DIR ? { packsDir: process.env.SSCARD_PACKS_DIR } : {}),
        });
        results.push(result);
        if (!options.quiet || result.status === 'failed' || result.status === 'invalid')
          console.log(`${formatScenario(result)}\n`);
      }
      const lines = formatReport(results).split('\n');
      console.log(lines.slice(-2).join('\n'));
      if (!totals(results).ok)
        throw new CommanderError(1, 'sscard.scenario.failed', 'a scenario failed');
    });
}
