/**
 * The queue (jobs/queue.ts) on the `queue_jobs` table (docs/QUEUE.md).
 *
 * - On a PostgreSQL server, `start()` runs graphile-worker (its own schema, `graphile_worker` by
 *   default): `enqueue` adds a graphile-worker job carrying our job's id in the same transaction,
 *   and its task takes our row with the same claim as below. A slow sweep (every
 *   `sweepMs`) takes what graphile-worker was never told of: jobs written by database triggers
 *   (notification deliveries), retries whose backoff ran out and jobs of a dead node whose lease
 *   expired.
 * - On PGlite (one process), `start()` runs the in-process poller: the same claim every `pollMs`.
 *
 * Either way the claim is one `FOR UPDATE SKIP LOCKED` update (queue.repository.ts): safe with any
 * number of nodes. A failed attempt is retried after `backoffMs · 2^(attempt-1)` (capped at
 * `maxBackoffMs`) up to the job's max_attempts; time comes from the injected clock.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Runner } from 'graphile-worker';
import { systemContext } from '../context.js';
import type { Trx } from '../db/transact.js';
import type { Deps } from '../deps.js';
import type { Queue, QueueHandler, QueueJob, QueueJobSpec } from './queue.js';
import type { QueueRepository } from './queue.repository.js';

export interface QueueOptions {
  /** Names this runner in `locked_by` (default: host, process and a random suffix). */
  node?: string;
  /** The poller's interval on PGlite (ms). */
  pollMs?: number;
  /** The sweep's interval beside graphile-worker on a server (ms). */
  sweepMs?: number;
  /** A running job whose lease is older than this is taken again (ms; heartbeat every third). */
  leaseMs?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Jobs run at once by this runner. */
  concurrency?: number;
  /** graphile-worker's schema (a server only). */
  graphileSchema?: string;
  /** Run graphile-worker on a server (default true); false: the poller everywhere. */
  graphile?: boolean;
  /** graphile-worker's connection (default: DATABASE_URL from the configuration). */
  connectionString?: string;
}

const PROGRESS_EVERY_MS = 500;
/** Advisory lock taken while graphile-worker installs or upgrades its schema (stable, arbitrary). */
const GRAPHILE_INSTALL_LOCK = 7_351_220_016;

export class DbQueue implements Queue {
  readonly node: string;
  private readonly handlers = new Map<string, QueueHandler>();
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private graphile: Runner | undefined;
  /** Set once graphile-worker's schema is there: `enqueue` then tells it of each job. */
  private graphileReady = false;
  private stopping = false;
  private readonly opts: Required<Omit<QueueOptions, 'node' | 'connectionString'>>;
  private readonly connectionString: string | undefined;

  constructor(
    private readonly deps: Pick<Deps, 'clock' | 'log' | 'dbKind' | 'config'> & {
      repos: { queue: QueueRepository };
    },
    private readonly fullDeps: () => Deps,
    options: QueueOptions = {},
  ) {
    this.node = options.node ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.connectionString = options.connectionString ?? deps.config.databaseUrl;
    this.opts = {
      pollMs: options.pollMs ?? 1000,
      sweepMs: options.sweepMs ?? 5000,
      leaseMs: options.leaseMs ?? 5 * 60_000,
      backoffMs: options.backoffMs ?? 10_000,
      maxBackoffMs: options.maxBackoffMs ?? 3_600_000,
      concurrency: options.concurrency ?? 2,
      graphileSchema: options.graphileSchema ?? 'graphile_worker',
      graphile: options.graphile ?? true,
    };
  }

  private get repo(): QueueRepository {
    return this.deps.repos.queue;
  }

  register(kind: string, handler: QueueHandler): void {
    if (this.handlers.has(kind)) throw new Error(`queue handler ${kind} registered twice`);
    this.handlers.set(kind, handler);
  }

  /** The kinds this runner has handlers for. */
  kinds(): string[] {
    return [...this.handlers.keys()];
  }

  async enqueue(trx: Trx, spec: QueueJobSpec, createdBy: string): Promise<string> {
    const now = this.deps.clock.now();
    const { id, created } = await this.repo.insert(trx, randomUUID(), spec, createdBy, now);
    if (created && this.graphileReady)
      await this.repo.addGraphileJob(trx, this.opts.graphileSchema, id, spec.runAt ?? now);
    return id;
  }

  get(id: string): Promise<QueueJob | undefined> {
    return this.repo.find(id);
  }

  /** The backoff before attempt `attempt + 1`. */
  backoff(attempt: number): number {
    return Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** Math.max(0, attempt - 1));
  }

  async start(): Promise<void> {
    this.stopping = false;
    const url = this.deps.dbKind === 'postgres' ? this.connectionString : undefined;
    if (url && this.opts.graphile) {
      const { run, runMigrations } = await import('graphile-worker');
      await this.repo.whileLocked(GRAPHILE_INSTALL_LOCK, () =>
        runMigrations({ connectionString: url, schema: this.opts.graphileSchema }),
      );
      this.graphile = await run({
        connectionString: url,
        schema: this.opts.graphileSchema,
        concurrency: this.opts.concurrency,
        noHandleSignals: true,
        pollInterval: 2000,
        logger: undefined,
        taskList: {
          sscard_queue: async (payload) => {
            const id = (payload as { id?: unknown } | null)?.id;
            if (typeof id === 'string') await this.runOne(id);
          },
        },
      });
      this.graphileReady = await this.repo.graphileInstalled(this.opts.graphileSchema);
      this.schedule(this.opts.sweepMs);
      this.deps.log.info({ node: this.node, runner: 'graphile-worker' }, 'queue started');
    } else {
      this.schedule(this.opts.pollMs);
      this.deps.log.info({ node: this.node, runner: 'poller' }, 'queue started');
    }
  }

  private schedule(ms: number): void {
    this.timer = setInterval(() => {
      if (this.ticking || this.stopping) return;
      this.ticking = this.fill()
        .catch((e: unknown) => this.deps.log.error({ err: e }, 'queue poll failed'))
        .finally(() => (this.ticking = undefined));
    }, ms);
    this.timer.unref();
  }

  /** Starts due jobs up to the concurrency; returns once none is left to start. */
  private async fill(): Promise<void> {
    while (!this.stopping && this.running.size < this.opts.concurrency) {
      if (!(await this.runOne(undefined, false))) return;
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const r of this.running.values()) r.abort.abort(new Error('the node is stopping'));
    await this.ticking;
    await Promise.all([...this.running.values()].map((r) => r.done));
    if (this.graphile) {
      await this.graphile.stop();
      this.graphile = undefined;
    }
    this.graphileReady = false;
  }

  async drain(): Promise<void> {
    for (;;) {
      const ran = await this.runOne();
      if (!ran) {
        await Promise.all([...this.running.values()].map((r) => r.done));
        if (!(await this.runOne())) return;
      }
    }
  }

  /**
   * Claims one job (the one named, or any due) and runs it. With `wait` false the handler runs in
   * the background. Returns whether a job was claimed.
   */
  async runOne(id?: string, wait = true): Promise<boolean> {
    if (this.stopping && !wait) return false;
    const now = this.deps.clock.now();
    const job = await this.repo.claim(
      this.node,
      this.kinds(),
      now,
      new Date(now.getTime() - this.opts.leaseMs),
      id,
    );
    if (!job) return false;
    const abort = new AbortController();
    const done = this.execute(job, abort.signal).finally(() => this.running.delete(job.id));
    this.running.set(job.id, { abort, done });
    if (wait) await done;
    return true;
  }

  /** Aborts a job running on this node (a cancel). */
  abortLocal(id: string): void {
    this.running.get(id)?.abort.abort(new Error('cancelled'));
  }

  private async execute(job: QueueJob, signal: AbortSignal): Promise<void> {
    const handler = this.handlers.get(job.kind)!;
    const heartbeat = setInterval(
      () => {
        void this.repo
          .heartbeat(job.id, this.node, this.deps.clock.now())
          .catch((e: unknown) => this.deps.log.warn({ err: e, job: job.id }, 'queue heartbeat'));
      },
      Math.max(1000, Math.floor(this.opts.leaseMs / 3)),
    );
    heartbeat.unref();
    let last = 0;
    const ctx = { ...systemContext(`queue:${job.kind}`), requestId: job.id };
    try {
      const result = await handler(job, {
        deps: this.fullDeps(),
        ctx,
        signal,
        attempt: job.attempts,
        progress: async (done, total = null, message = null) => {
          const t = performance.now();
          if (t - last < PROGRESS_EVERY_MS && !(total !== null && done >= total)) return;
          last = t;
          await this.repo.progress(job.id, this.node, done, total, message);
        },
      });
      await this.repo.succeed(job.id, this.node, result, this.deps.clock.now());
    } catch (e) {
      const now = this.deps.clock.now();
      if (signal.aborted && this.stopping) {
        await this.repo.release(job.id, this.node, now);
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      const retryAt =
        job.attempts < job.maxAttempts
          ? new Date(now.getTime() + this.backoff(job.attempts))
          : null;
      this.deps.log.warn(
        { job: job.id, kind: job.kind, attempt: job.attempts, retry: Boolean(retryAt) },
        'queue job attempt failed',
      );
      await this.repo.fail(job.id, this.node, message.slice(0, 1000), now, retryAt);
    } finally {
      clearInterval(heartbeat);
    }
  }
}
