/**
 * `/metrics` in Prometheus's text format (prom-client). What each metric means, and the alerts
 * built on them, are in docs/OPERATIONS.md and docs/alerts.yaml.
 *
 * - Requests are counted by the route pattern (`/api/v1/cards/:id`), never the raw URL, so no
 *   identity number or token in a path can reach a label.
 * - Acts are counted once, in the act step (acts/act-step.ts tells its observer how each act
 *   ended), whichever module or job ran them; refusals by their code and the rule they cite.
 * - Database-wide facts (daily job runs, the last audit verification, queue depths) are read
 *   from the database at each scrape, through `repos.ops`; they are the same on every node.
 * - Labels never carry personal data: act names, codes, rule references, route patterns. A daily
 *   job is labelled `job_name` (Prometheus keeps `job` for the scrape job).
 */
import { DomainError } from '@sscard/domain';
import client from 'prom-client';
import { poolStats } from '../db/database.js';
import type { Deps } from '../deps.js';
import type { Lifecycle } from './lifecycle.js';

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  readonly registry = new client.Registry();
  /** Refusals already counted by the act step (the request's error hook skips them). */
  private readonly counted = new WeakSet<Error>();

  readonly httpRequests = new client.Counter({
    name: 'sscard_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new client.Histogram({
    name: 'sscard_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly acts = new client.Counter({
    name: 'sscard_acts_total',
    help: 'Acts run through the act step, by act and result (success, refused, error)',
    labelNames: ['act', 'result'] as const,
    registers: [this.registry],
  });
  readonly actDuration = new client.Histogram({
    name: 'sscard_act_duration_seconds',
    help: 'Time an act took, its transaction included, by act',
    labelNames: ['act'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly refusals = new client.Counter({
    name: 'sscard_refusals_total',
    help: 'Refusals (domain errors) by code and the rule they cite ("none" without a citation)',
    labelNames: ['code', 'rule'] as const,
    registers: [this.registry],
  });
  readonly actsInFlight = new client.Gauge({
    name: 'sscard_acts_in_flight',
    help: 'Acts whose transaction is running now',
    registers: [this.registry],
  });
  readonly pool = new client.Gauge({
    name: 'sscard_db_pool_connections',
    help: 'Database connections by state: max (the pool size), open, idle, in_use (PGlite: one connection)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly poolWaiting = new client.Gauge({
    name: 'sscard_db_pool_waiting',
    help: 'Queries or transactions waiting for a database connection',
    registers: [this.registry],
  });
  readonly jobRuns = new client.Gauge({
    name: 'sscard_job_runs',
    help: 'Runs of each daily job recorded in job_runs, by status (running, succeeded, failed), all nodes',
    labelNames: ['job_name', 'status'] as const,
    registers: [this.registry],
  });
  readonly jobLastFailed = new client.Gauge({
    name: 'sscard_job_last_run_failed',
    help: '1 when the newest run of the job failed, 0 otherwise',
    labelNames: ['job_name'] as const,
    registers: [this.registry],
  });
  readonly jobLastStarted = new client.Gauge({
    name: 'sscard_job_last_run_timestamp_seconds',
    help: 'When the newest run of the job started (Unix seconds)',
    labelNames: ['job_name'] as const,
    registers: [this.registry],
  });
  readonly auditIntact = new client.Gauge({
    name: 'sscard_audit_chain_intact',
    help: 'The last audit verification: 1 every chain intact, 0 a break found (or the run failed), -1 never verified',
    registers: [this.registry],
  });
  readonly auditVerifiedAt = new client.Gauge({
    name: 'sscard_audit_chain_last_verified_timestamp_seconds',
    help: 'When the last audit verification finished (Unix seconds; 0 never)',
    registers: [this.registry],
  });
  readonly auditOpenAlerts = new client.Gauge({
    name: 'sscard_audit_chain_broken_alerts',
    help: 'Unacknowledged audit.chain_broken alerts',
    registers: [this.registry],
  });
  readonly queueJobs = new client.Gauge({
    name: 'sscard_queue_jobs',
    help: 'Background queue jobs by kind and status (queued, running, succeeded, failed, cancelled)',
    labelNames: ['kind', 'status'] as const,
    registers: [this.registry],
  });
  readonly queuePresent = new client.Gauge({
    name: 'sscard_queue_table_present',
    help: '1 when the database has the background queue (queue_jobs), 0 before its migration',
    registers: [this.registry],
  });
  readonly ready = new client.Gauge({
    name: 'sscard_ready',
    help: 'This node is ready (what /readyz answers: 1 ready, 0 not)',
    registers: [this.registry],
  });
  readonly shuttingDown = new client.Gauge({
    name: 'sscard_shutting_down',
    help: '1 from SIGTERM until the process exits',
    registers: [this.registry],
  });
  readonly startup = new client.Gauge({
    name: 'sscard_startup_seconds',
    help: 'Time from process start until this node was ready to serve',
    registers: [this.registry],
  });
  readonly collectErrors = new client.Counter({
    name: 'sscard_metrics_collect_errors_total',
    help: 'Scrapes at which a database-read metric could not be read, by collector',
    labelNames: ['collector'] as const,
    registers: [this.registry],
  });
  readonly info = new client.Gauge({
    name: 'sscard_info',
    help: 'Always 1; labels say which database and node this is',
    labelNames: ['database', 'node', 'worker'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly deps: Pick<Deps, 'db' | 'dbKind' | 'repos' | 'acts' | 'config'>,
    private readonly lifecycle: Lifecycle,
  ) {
    client.collectDefaultMetrics({ register: this.registry });
    this.info.set(
      {
        database: deps.dbKind,
        node: deps.config.nodes?.name ?? '',
        worker: process.env.SSCARD_WORKER_INDEX ?? '',
      },
      1,
    );
    this.auditIntact.set(-1);
    // The one hook into the act step: every act, whatever module or job ran it.
    this.stopObserving = deps.acts.observe((o) => {
      this.acts.inc({ act: o.act, result: o.result });
      this.actDuration.observe({ act: o.act }, o.seconds);
      if (o.result === 'refused' && o.code) {
        this.refusals.inc({ code: o.code, rule: o.rule ?? 'none' });
        if (o.error) this.counted.add(o.error);
      }
    });
  }

  /** Stops counting acts (the app closed). */
  readonly stopObserving: () => void;

  /** A request's error: a refusal that did not pass through an act is counted here. */
  requestError(e: unknown): void {
    if (e instanceof DomainError && !this.counted.has(e))
      this.refusals.inc({ code: e.code, rule: e.citation?.rule ?? 'none' });
  }

  requestDone(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe(
      { method, route, status_class: `${Math.floor(status / 100)}xx` },
      seconds,
    );
  }

  /** Reads what lives in the database and this process's state into the gauges. */
  async refresh(ready: boolean): Promise<void> {
    this.ready.set(ready ? 1 : 0);
    this.shuttingDown.set(this.lifecycle.stopping ? 1 : 0);
    if (this.lifecycle.readyMs !== undefined) this.startup.set(this.lifecycle.readyMs / 1000);
    this.actsInFlight.set(this.deps.acts.inFlight);
    const pool = poolStats(this.deps.db);
    if (pool) {
      this.pool.set({ state: 'max' }, pool.max);
      this.pool.set({ state: 'open' }, pool.total);
      this.pool.set({ state: 'idle' }, pool.idle);
      this.pool.set({ state: 'in_use' }, pool.total - pool.idle);
      this.poolWaiting.set(pool.waiting);
    }
    if (this.lifecycle.stopping) return;
    const ops = this.deps.repos.ops;
    await this.collect('jobs', async () => {
      const [counts, last] = await Promise.all([ops.jobRunCounts(), ops.lastJobRuns()]);
      this.jobRuns.reset();
      for (const c of counts) this.jobRuns.set({ job_name: c.job, status: c.status }, c.runs);
      for (const r of last) {
        this.jobLastFailed.set({ job_name: r.job }, r.status === 'failed' ? 1 : 0);
        this.jobLastStarted.set({ job_name: r.job }, r.startedAt.getTime() / 1000);
      }
    });
    await this.collect('audit', async () => {
      const [last, open] = await Promise.all([
        ops.lastAuditVerification(),
        ops.openAlerts('audit.chain_broken'),
      ]);
      this.auditIntact.set(last ? (last.intact ? 1 : 0) : -1);
      this.auditVerifiedAt.set(last ? last.at.getTime() / 1000 : 0);
      this.auditOpenAlerts.set(open);
    });
    await this.collect('queue', async () => {
      const depths = await ops.queueDepths();
      this.queuePresent.set(depths ? 1 : 0);
      this.queueJobs.reset();
      for (const d of depths ?? []) this.queueJobs.set({ kind: d.kind, status: d.status }, d.jobs);
    });
  }

  private async collect(collector: string, read: () => Promise<void>): Promise<void> {
    try {
      await read();
    } catch {
      this.collectErrors.inc({ collector });
    }
  }
}
