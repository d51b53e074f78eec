/**
 * `sscard jobs list|run`: the daily jobs (audit verification, inactive accounts, pruning, …).
 * `run` runs one now on this database, whether or not it is scheduled or already ran today; it
 * is audited as done by `system:cli`. The API nodes run the schedule themselves.
 */
import { CommanderError, type Command } from 'commander';
import { systemContext, type JobRun } from '@sscard/server';
import { withPlatform } from './open.js';

function describeRun(r: JobRun): string {
  const when = r.started_at.toISOString();
  const outcome =
    r.status === 'failed'
      ? `failed: ${r.error ?? ''}`
      : r.status === 'running'
        ? 'running'
        : `succeeded ${JSON.stringify(r.result)}`;
  return `${when} (${r.trigger}, ${r.requested_by}) ${outcome}`;
}

export function registerJobsCommands(program: Command): void {
  const jobs = program.command('jobs').description('the daily jobs');

  jobs
    .command('list')
    .description('every job, its time (Shanghai), whether it is scheduled, and its last run')
    .action(async () => {
      await withPlatform(async (platform) => {
        for (const j of await platform.services.jobs.status(1)) {
          console.log(
            `${j.name.padEnd(24)} ${j.at}  ${j.scheduled ? 'daily    ' : 'on demand'}  ${j.description}`,
          );
          const last = j.lastRuns[0];
          console.log(`  last run: ${last ? describeRun(last) : 'never'}`);
        }
      });
    });

  jobs
    .command('run')
    .description('run a job now; exit code 1 if it fails')
    .argument('<name>', 'e.g. audit.verify')
    .action(async (name: string) => {
      await withPlatform(async (platform) => {
        const scheduler = platform.services.jobs;
        if (!scheduler.find(name)) {
          console.log(
            `no job named ${name}; the jobs are: ${scheduler.jobs.map((j) => j.name).join(', ')}`,
          );
          throw new CommanderError(1, 'sscard.jobs.unknown', 'no such job');
        }
        const run = await scheduler.run(name, systemContext('cli'));
        console.log(`${name}: ${describeRun(run)}`);
        if (run.status !== 'succeeded')
          throw new CommanderError(1, 'sscard.jobs.failed', 'the job failed');
      });
    });
}
