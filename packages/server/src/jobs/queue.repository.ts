/**
 * Every query of the background queue (`queue_jobs`, migration 0016; docs/QUEUE.md). A claim is
 * one UPDATE over a `FOR UPDATE SKIP LOCKED` sub-select, so two runners (two nodes, or graphile-
 * worker and the poller) never take the same job; every later write is guarded by the claim
 * (`locked_by`), so a runner whose lease was taken over cannot overwrite the new attempt.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Trx } from '../db/transact.js';
import type { QueueJob, QueueJobSpec, QueueJobStatus } from './queue.js';

interface QueueJobRow {
  id: string;
  kind: string;
  status: QueueJobStatus;
  payload: Record<string, unknown>;
  jurisdiction: string | null;
  dedupe_key: string | null;
  progress_done: number;
  progress_total: number | null;
  progress_message: string | null;
  result: Record<string, unknown> | null;
  error: string | null;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  locked_by: string | null;
  locked_at: Date | null;
  created_by: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

function toJob(r: QueueJobRow): QueueJob {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    payload: r.payload ?? {},
    jurisdiction: r.jurisdiction,
    progress: { done: r.progress_done, total: r.progress_total, message: r.progress_message },
    result: r.result,
    error: r.error,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    createdBy: r.created_by,
    createdAt: date(r.created_at)!,
    startedAt: date(r.started_at),
    finishedAt: date(r.finished_at),
  };
}

export interface QueueListFilter {
  kind?: string | undefined;
  status?: QueueJobStatus | undefined;
  /** Only jobs asked for by this actor … */
  createdBy?: string | undefined;
  /** … or (with createdBy: also) those of this jurisdiction; `all`: every job. */
  jurisdiction?: string | 'all' | undefined;
}

type Executor = Kysely<unknown> | Trx | Database;

export class QueueRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the job in the caller's transaction; with a dedupe key already used, the first one's id. */
  async insert(
    trx: Trx,
    id: string,
    spec: QueueJobSpec,
    createdBy: string,
    now: Date,
  ): Promise<{ id: string; created: boolean }> {
    const runAt = spec.runAt ?? now;
    const inserted = await sql<{ id: string }>`
      insert into queue_jobs (id, kind, status, payload, jurisdiction, dedupe_key, max_attempts,
                              run_at, created_by, created_at)
      values (${id}, ${spec.kind}, 'queued', ${JSON.stringify(spec.payload)}::jsonb,
              ${spec.jurisdiction}, ${spec.dedupeKey ?? null}, ${spec.maxAttempts ?? 5},
              ${runAt}, ${createdBy}, ${now})
      on conflict (dedupe_key) where dedupe_key is not null do nothing
      returning id`.execute(trx);
    if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true };
    const first = await sql<{ id: string }>`
      select id from queue_jobs where dedupe_key = ${spec.dedupeKey ?? null}`.execute(trx);
    return { id: first.rows[0]!.id, created: false };
  }

  /**
   * graphile-worker carries the job (a server with the worker started): its job holds our id only.
   * In the act's transaction, so it exists exactly when the act committed.
   */
  async addGraphileJob(trx: Trx, schema: string, id: string, runAt: Date): Promise<void> {
    await sql`select ${sql.id(schema)}.add_job('sscard_queue', json_build_object('id', ${id}::text),
      run_at := ${runAt}, max_attempts := 1, job_key := ${id}::text)`.execute(trx);
  }

  /** Whether graphile-worker's schema is installed (its migrations ran). */
  /**
   * Runs `install` (graphile-worker's own migrations, on its own connection) while this
   * transaction holds an advisory lock, so nodes starting together install its schema one at a
   * time: graphile-worker's `create schema if not exists` is not safe against a concurrent twin
   * (a unique violation on pg_namespace).
   */
  async whileLocked(key: number, install: () => Promise<void>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
      await install();
    });
  }

  async graphileInstalled(schema: string): Promise<boolean> {
    const r = await sql<{ ok: boolean }>`
      select to_regproc(${schema + '.add_job'}) is not null as ok`.execute(this.db);
    return Boolean(r.rows[0]?.ok);
  }

  async find(id: string, db: Executor = this.db): Promise<QueueJob | undefined> {
    const r = await sql<QueueJobRow>`select * from queue_jobs where id = ${id}`.execute(
      db as Database,
    );
    return r.rows[0] ? toJob(r.rows[0]) : undefined;
  }

  /** Locks the job for an act (retry, cancel). */
  async findForUpdate(trx: Trx, id: string): Promise<QueueJob | undefined> {
    const r = await sql<QueueJobRow>`select * from queue_jobs where id = ${id} for update`.execute(
      trx,
    );
    return r.rows[0] ? toJob(r.rows[0]) : undefined;
  }

  /**
   * Takes one job due at `now` of the given kinds (or the one named), or a running one whose lease
   * ran out before `staleBefore` (its node died): one attempt more, locked by `node`.
   */
  async claim(
    node: string,
    kinds: readonly string[],
    now: Date,
    staleBefore: Date,
    id?: string,
  ): Promise<QueueJob | undefined> {
    if (kinds.length === 0) return undefined;
    const r = await sql<QueueJobRow>`
      update queue_jobs set status = 'running', attempts = attempts + 1, locked_by = ${node},
        locked_at = ${now}, started_at = coalesce(started_at, ${now})
      where id = (
        select id from queue_jobs
        where ((status = 'queued' and run_at <= ${now})
               or (status = 'running' and locked_at < ${staleBefore}))
          and kind in (${sql.join(kinds)})
          ${id ? sql`and id = ${id}` : sql``}
        order by run_at, id
        limit 1
        for update skip locked)
      returning *`.execute(this.db);
    return r.rows[0] ? toJob(r.rows[0]) : undefined;
  }

  /** Keeps the lease of a running job; false when it is no longer this node's. */
  async heartbeat(id: string, node: string, now: Date): Promise<boolean> {
    const r = await sql`update queue_jobs set locked_at = ${now}
      where id = ${id} and locked_by = ${node} and status = 'running'`.execute(this.db);
    return Number(r.numAffectedRows ?? 0) > 0;
  }

  async progress(
    id: string,
    node: string,
    done: number,
    total: number | null,
    message: string | null,
  ): Promise<void> {
    await sql`update queue_jobs set progress_done = ${done}, progress_total = ${total},
        progress_message = ${message}
      where id = ${id} and locked_by = ${node} and status = 'running'`.execute(this.db);
  }

  async succeed(
    id: string,
    node: string,
    result: Record<string, unknown>,
    now: Date,
  ): Promise<boolean> {
    const r =
      await sql`update queue_jobs set status = 'succeeded', result = ${JSON.stringify(result)}::jsonb,
        error = null, finished_at = ${now}, locked_by = null, locked_at = null
      where id = ${id} and locked_by = ${node} and status = 'running'`.execute(this.db);
    return Number(r.numAffectedRows ?? 0) > 0;
  }

  /** A failed attempt: queued again at `retryAt`, or failed for good when `retryAt` is null. */
  async fail(id: string, node: string, error: string, now: Date, retryAt: Date | null) {
    const r = await sql`update queue_jobs set
        status = ${retryAt ? 'queued' : 'failed'}, error = ${error},
        run_at = coalesce(${retryAt}, run_at), finished_at = ${retryAt ? null : now},
        locked_by = null, locked_at = null
      where id = ${id} and locked_by = ${node} and status = 'running'`.execute(this.db);
    return Number(r.numAffectedRows ?? 0) > 0;
  }

  /** A node stopping hands its job back, without counting the attempt. */
  async release(id: string, node: string, now: Date): Promise<void> {
    await sql`update queue_jobs set status = 'queued', attempts = greatest(attempts - 1, 0),
        run_at = ${now}, locked_by = null, locked_at = null
      where id = ${id} and locked_by = ${node} and status = 'running'`.execute(this.db);
  }

  async setStatus(trx: Trx, id: string, status: 'queued' | 'cancelled', now: Date): Promise<void> {
    if (status === 'queued')
      await sql`update queue_jobs set status = 'queued', attempts = 0, error = null, run_at = ${now},
          finished_at = null, locked_by = null, locked_at = null, result = null,
          progress_done = 0, progress_total = null, progress_message = null
        where id = ${id}`.execute(trx);
    else
      await sql`update queue_jobs set status = 'cancelled', finished_at = ${now},
          locked_by = null, locked_at = null
        where id = ${id}`.execute(trx);
  }

  async list(
    filter: QueueListFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: QueueJob[]; total: number }> {
    const where = [sql`true`];
    if (filter.kind) where.push(sql`kind = ${filter.kind}`);
    if (filter.status) where.push(sql`status = ${filter.status}`);
    const scope = [];
    if (filter.createdBy) scope.push(sql`created_by = ${filter.createdBy}`);
    if (filter.jurisdiction === 'all') scope.push(sql`true`);
    else if (filter.jurisdiction) scope.push(sql`jurisdiction like ${filter.jurisdiction + '%'}`);
    where.push(scope.length ? sql`(${sql.join(scope, sql` or `)})` : sql`false`);
    const cond = sql.join(where, sql` and `);
    const rows = await sql<QueueJobRow>`select * from queue_jobs where ${cond}
      order by created_at desc, id limit ${page.limit} offset ${page.offset}`.execute(this.db);
    const count = await sql<{
      n: number;
    }>`select count(*)::int as n from queue_jobs where ${cond}`.execute(this.db);
    return { items: rows.rows.map(toJob), total: Number(count.rows[0]?.n ?? 0) };
  }
}
