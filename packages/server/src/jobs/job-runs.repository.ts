/**
 * The scheduler's book of runs: one row per run, a scheduled run claiming its job's Shanghai
 * day (a unique index on job and day for scheduled runs), so a job runs at most once a day
 * across all nodes.
 */
import type { LocalDate } from '@sscard/domain';
import { sql, type Selectable } from 'kysely';
import { uuidv7 } from '../crypto/tokens.js';
import type { Database } from '../db/database.js';
import type { JobRunsTable } from '../db/schema.js';
import type { Trx } from '../db/transact.js';

export type JobRun = Selectable<JobRunsTable>;
export type JobResult = Record<string, string | number | boolean | null>;

export class JobRunsRepository {
  constructor(private readonly db: Database) {}

  /** Claims the job's day; answers the run's id, or null when another node has it. */
  async claimDay(job: string, day: LocalDate, now: Date): Promise<string | null> {
    const id = uuidv7();
    const inserted = await sql<{ id: string }>`
      insert into job_runs (id, job, day, trigger, requested_by, status, started_at)
      values (${id}, ${job}, ${day}, 'schedule', 'scheduler', 'running', ${now})
      on conflict (job, day) where trigger = 'schedule' do nothing
      returning id`.execute(this.db);
    return inserted.rows.length ? id : null;
  }

  /** Takes over a scheduled run of this day left `running` since before `stale` (its node died). */
  async takeOver(job: string, day: LocalDate, stale: Date, now: Date): Promise<string | null> {
    const taken = await this.db
      .updateTable('job_runs')
      .set({ started_at: now, attempts: sql<number>`attempts + 1` })
      .where('job', '=', job)
      .where('day', '=', day)
      .where('trigger', '=', 'schedule')
      .where('status', '=', 'running')
      .where('started_at', '<', stale)
      .returning('id')
      .executeTakeFirst();
    return taken?.id ?? null;
  }

  /** A run asked for by someone, inside the act that records who asked. */
  async insertManual(
    trx: Trx,
    run: { id: string; job: string; day: LocalDate; requestedBy: string; now: Date },
  ): Promise<JobRun> {
    return trx
      .insertInto('job_runs')
      .values({
        id: run.id,
        job: run.job,
        day: run.day,
        trigger: 'manual',
        requested_by: run.requestedBy,
        status: 'running',
        started_at: run.now,
        finished_at: null,
        result: null,
        error: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  finish(id: string, outcome: { result: JobResult | null; error: string | null; at: Date }) {
    return this.db
      .updateTable('job_runs')
      .set({
        status: outcome.error === null ? 'succeeded' : 'failed',
        finished_at: outcome.at,
        result: outcome.result === null ? null : JSON.stringify(outcome.result),
        error: outcome.error,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  lastRuns(job: string, limit: number): Promise<JobRun[]> {
    return this.db
      .selectFrom('job_runs')
      .selectAll()
      .where('job', '=', job)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}
