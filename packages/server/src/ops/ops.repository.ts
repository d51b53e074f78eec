/**
 * What /metrics and /readyz read from the database (ops/metrics.ts, ops/health.ts): small
 * aggregate queries over small tables, run at each scrape; nothing personal, nothing per row.
 */
import { sql } from 'kysely';
import type { Database } from '../db/database.js';

export interface JobRunCount {
  job: string;
  status: 'running' | 'succeeded' | 'failed';
  runs: number;
}

export interface LastJobRun {
  job: string;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
}

export interface AuditVerification {
  /** When the last finished `audit.verify` run finished. */
  at: Date;
  /** True when it found every chain intact; false when it found a break or failed. */
  intact: boolean;
}

export interface QueueDepth {
  kind: string;
  status: string;
  jobs: number;
}

export class OpsRepository {
  constructor(private readonly db: Database) {}

  /** Runs of each daily job by status, across every node (job_runs, one row per run). */
  async jobRunCounts(): Promise<JobRunCount[]> {
    const rows = await this.db
      .selectFrom('job_runs')
      .select(['job', 'status', sql<number>`count(*)::int`.as('runs')])
      .groupBy(['job', 'status'])
      .execute();
    return rows.map((r) => ({ job: r.job, status: r.status, runs: Number(r.runs) }));
  }

  /** Each job's newest run. */
  async lastJobRuns(): Promise<LastJobRun[]> {
    const rows = await this.db
      .selectFrom('job_runs')
      .distinctOn('job')
      .select(['job', 'status', 'started_at', 'finished_at'])
      .orderBy('job')
      .orderBy('started_at', 'desc')
      .execute();
    return rows.map((r) => ({
      job: r.job,
      status: r.status,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
    }));
  }

  /** The last finished audit verification (the daily `audit.verify` job, or one run on demand). */
  async lastAuditVerification(): Promise<AuditVerification | undefined> {
    const row = await this.db
      .selectFrom('job_runs')
      .select(['status', 'finished_at', 'result'])
      .where('job', '=', 'audit.verify')
      .where('status', 'in', ['succeeded', 'failed'])
      .orderBy('finished_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row?.finished_at) return undefined;
    const result = (typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as {
      intact?: unknown;
    } | null;
    return { at: row.finished_at, intact: row.status === 'succeeded' && result?.intact === true };
  }

  /** Unacknowledged installation alerts of one kind (`audit.chain_broken`). */
  async openAlerts(kind: string): Promise<number> {
    const row = await this.db
      .selectFrom('alerts')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('kind', '=', kind)
      .where('acknowledged_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Jobs of the background queue by kind and status; undefined while the database has no
   * `queue_jobs` table (before the migration that creates it).
   */
  async queueDepths(): Promise<QueueDepth[] | undefined> {
    const exists = await sql<{
      t: string | null;
    }>`select to_regclass('queue_jobs')::text as t`.execute(this.db);
    if (!exists.rows[0]?.t) return undefined;
    const rows = await sql<{ kind: string; status: string; jobs: number }>`
      select kind, status, count(*)::int as jobs from queue_jobs group by kind, status`.execute(
      this.db,
    );
    return rows.rows.map((r) => ({ kind: r.kind, status: r.status, jobs: Number(r.jobs) }));
  }
}
