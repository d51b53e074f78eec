/**
 * The background queue's contract (issue 14, item 9). Imports (rosters, bank and vendor return
 * files) and message deliveries run as queued jobs, so a request only stores the upload and
 * answers with a job id that the page or the CLI follows.
 *
 * - On a PostgreSQL server the jobs run on graphile-worker (a maintained PostgreSQL-backed queue,
 *   safe on several nodes: a job is taken by one worker with `FOR UPDATE SKIP LOCKED`).
 * - On the embedded database (PGlite, one process) an in-process poller runs the same handlers
 *   from the same `queue_jobs` table: the documented fallback.
 *
 * `queue_jobs` is the one record of a job (who asked, progress, result, error) whichever runner
 * takes it. A job is enqueued inside the act's transaction (`trx`), so it exists exactly when the
 * act committed. Handlers must be idempotent per job: a job interrupted by a crash runs again.
 */
import type { ActContext } from '../context.js';
import type { Trx } from '../db/transact.js';
import type { Deps } from '../deps.js';

export type QueueJobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface QueueJobSpec {
  /** The handler that runs it: `roster.import`, `production.return_import`, `notify.deliver`, … */
  kind: string;
  /** JSON; ids and options only, never personal data (that stays in its sealed tables). */
  payload: Record<string, unknown>;
  /** The jurisdiction whose staff may follow it (null: the installation's). */
  jurisdiction: string | null;
  /** A second enqueue with the same key returns the first job instead of a new one. */
  dedupeKey?: string;
  /** Default 5; a failed attempt is retried with exponential backoff. */
  maxAttempts?: number;
  /** Default now (the injected clock). */
  runAt?: Date;
}

export interface QueueJob {
  id: string;
  kind: string;
  status: QueueJobStatus;
  payload: Record<string, unknown>;
  jurisdiction: string | null;
  /** `done` of `total` units (rows, messages); total null while unknown. */
  progress: { done: number; total: number | null; message: string | null };
  /** The handler's summary (counts, ids); never personal data. */
  result: Record<string, unknown> | null;
  error: string | null;
  attempts: number;
  maxAttempts: number;
  /** The actor who asked for it (`staff:<id>`, `system:job:<name>`). */
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface QueueHandlerEnv {
  deps: Deps;
  /** Acts as `system:queue:<kind>` with the job's id as request id. */
  ctx: ActContext;
  /** Reports progress (throttled by the runner; cheap to call per chunk). */
  progress(done: number, total?: number | null, message?: string | null): Promise<void>;
  /** Aborted when the node is shutting down: stop at the next chunk boundary and throw. */
  signal: AbortSignal;
  attempt: number;
}

/** Does the job's work; returns its summary. Throwing fails the attempt (retried with backoff). */
export type QueueHandler = (
  job: QueueJob,
  env: QueueHandlerEnv,
) => Promise<Record<string, unknown>>;

export interface Queue {
  register(kind: string, handler: QueueHandler): void;
  /** Called from an act's `apply`, inside its transaction. Returns the job's id. */
  enqueue(trx: Trx, spec: QueueJobSpec, createdBy: string): Promise<string>;
  get(id: string): Promise<QueueJob | undefined>;
  /** Starts taking jobs (graphile-worker on a server, the poller on PGlite). */
  start(): Promise<void>;
  /** Stops taking jobs, aborts handlers at their next chunk and waits for them (graceful stop). */
  stop(): Promise<void>;
  /** Tests: runs every job that is due now, in this process, and returns when none is left. */
  drain(): Promise<void>;
}
