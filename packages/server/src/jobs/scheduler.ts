/**
 * Daily jobs. Each job has a Shanghai wall-clock time from which its day's run is due; the
 * scheduler checks every minute (on every API node) and runs what is due. A scheduled run first
 * claims its job's calendar day in `job_runs` (a unique index on job and day for scheduled runs),
 * so a job runs at most once a day across all nodes; a claim left `running` past the job's time
 * limit (its node died) may be taken over by another node. Each run records when it started and
 * finished, its result summary or its error; a failed run raises an alert. Jobs can also be run
 * on demand (`sscard jobs run`, `POST /api/v1/jobs/{name}/run`): such a run does not claim the
 * day, and is audited with who asked for it.
 *
 * Time is the injected clock's (`deps.clock`), so tests move the manual clock and call `tick()`.
 */
import { shanghaiDate, startOfShanghaiDay, type LocalDate } from '@sscard/domain';
import type { Config } from '../config.js';
import { systemContext, type ActContext } from '../context.js';
import type { Deps } from '../deps.js';
import { uuidv7 } from '../crypto/tokens.js';
import type { Services } from '../services.js';
import type { JobResult, JobRun, JobRunsRepository } from './job-runs.repository.js';
import { presentJobRun } from './jobs.presenter.js';

export type { JobResult, JobRun };

/** The services a job may use (all of them but the scheduler). */
export type JobServices = Omit<Services, 'jobs'>;

export interface JobEnv {
  deps: Deps;
  services: JobServices;
  /** The platform acting as `system:job:<name>`, request id = the run's id. */
  ctx: ActContext;
  now: Date;
  /** The Shanghai calendar day of the run. */
  day: LocalDate;
  trigger: 'schedule' | 'manual';
  runId: string;
}

export interface JobDefinition {
  /** Stable name: `audit.verify`, `staff.sweep_inactive`, … */
  name: string;
  description: string;
  /** Shanghai wall-clock time `HH:MM` from which the day's run is due. */
  at: string;
  /** Whether the scheduler runs it every day (default yes); it can always be run on demand. */
  scheduled?: (config: Config) => boolean;
  /** A run without an outcome after this long is taken to have died (default 120). */
  timeoutMinutes?: number;
  /** Does the work; returns a summary (counts, ids; never personal data). Throws on failure. */
  run(env: JobEnv): Promise<JobResult>;
}

export interface JobStatus {
  name: string;
  description: string;
  at: string;
  scheduled: boolean;
  lastRuns: JobRun[];
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MAX_ERROR = 2000;

export class UnknownJobError extends Error {
  constructor(readonly job: string) {
    super(`no job named ${job}`);
  }
}

export class Scheduler {
  private readonly byName = new Map<string, JobDefinition>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<JobRun[]> | null = null;

  private readonly runs: JobRunsRepository;

  constructor(
    private readonly deps: Deps,
    private readonly services: () => JobServices,
    jobs: readonly JobDefinition[],
  ) {
    this.runs = deps.repos.jobRuns;
    for (const job of jobs) this.register(job);
  }

  /** Adds a job; names are unique and times are `HH:MM`. */
  register(job: JobDefinition): void {
    if (this.byName.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
    if (!HHMM.test(job.at)) throw new Error(`job ${job.name}: "at" must be HH:MM, got ${job.at}`);
    this.byName.set(job.name, job);
  }

  get jobs(): JobDefinition[] {
    return [...this.byName.values()];
  }

  find(name: string): JobDefinition | undefined {
    return this.byName.get(name);
  }

  isScheduled(job: JobDefinition): boolean {
    return job.scheduled ? job.scheduled(this.deps.config) : true;
  }

  /** When the job's run of this Shanghai day becomes due. */
  dueAt(job: JobDefinition, day: LocalDate): Date {
    const [, h, m] = HHMM.exec(job.at)!;
    return new Date(startOfShanghaiDay(day).getTime() + (Number(h) * 60 + Number(m)) * 60_000);
  }

  /**
   * Runs every scheduled job whose time has come today and whose day no node has claimed yet.
   * Never throws: a failing job is recorded and alerted. Returns the runs it made.
   */
  tick(): Promise<JobRun[]> {
    if (this.ticking) return this.ticking;
    this.ticking = this.runDue().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async runDue(): Promise<JobRun[]> {
    const runs: JobRun[] = [];
    // A manual clock may have been set through another node.
    await this.deps.clock.refresh();
    for (const job of this.byName.values()) {
      if (!this.isScheduled(job)) continue;
      const now = this.deps.clock.now();
      const day = shanghaiDate(now);
      if (now < this.dueAt(job, day)) continue;
      try {
        const runId = await this.claim(job, day, now);
        if (!runId) continue;
        runs.push(await this.execute(job, runId, day, 'schedule'));
      } catch (e) {
        // The claim or the bookkeeping failed (the database is away): try again at the next tick.
        this.deps.log.error(
          { job: job.name, err: { message: (e as Error).message } },
          'job could not be started',
        );
      }
    }
    return runs;
  }

  /** Claims the job's day; a claim left running past the time limit is taken over. */
  private async claim(job: JobDefinition, day: LocalDate, now: Date): Promise<string | null> {
    const id = await this.runs.claimDay(job.name, day, now);
    if (id) return id;
    const stale = new Date(now.getTime() - (job.timeoutMinutes ?? 120) * 60_000);
    const taken = await this.runs.takeOver(job.name, day, stale, now);
    if (taken)
      this.deps.log.warn(
        { job: job.name, day, runId: taken },
        'job run left unfinished by another node: taken over',
      );
    return taken;
  }

  /**
   * Runs a job now, whether or not it is scheduled or already ran today. `ctx` is who asked
   * (an administrator over HTTP, `system:cli` from the command line): the run is audited as
   * `job.run` in their name; the job's own acts are the platform's.
   */
  async run(name: string, ctx: ActContext): Promise<JobRun> {
    const job = this.byName.get(name);
    if (!job) throw new UnknownJobError(name);
    const id = uuidv7();
    let day: LocalDate = shanghaiDate(this.deps.clock.now());
    await this.deps.acts.run(ctx, {
      name: 'job.run',
      resource: 'job',
      load: async () => job,
      target: () => ({ type: 'job', id: name, jurisdiction: null }),
      apply: async ({ trx, now }) => {
        day = shanghaiDate(now);
        const run = await this.runs.insertManual(trx, {
          id,
          job: name,
          day,
          requestedBy: ctx.actor?.username ?? 'unknown',
          now,
        });
        return { result: run, details: { runId: id } };
      },
      present: presentJobRun,
    });
    return this.execute(job, id, day, 'manual');
  }

  private async execute(
    job: JobDefinition,
    runId: string,
    day: LocalDate,
    trigger: 'schedule' | 'manual',
  ): Promise<JobRun> {
    const ctx = { ...systemContext(`job:${job.name}`), requestId: runId };
    let result: JobResult | null = null;
    let error: string | null = null;
    try {
      result = await job.run({
        deps: this.deps,
        services: this.services(),
        ctx,
        now: this.deps.clock.now(),
        day,
        trigger,
        runId,
      });
    } catch (e) {
      error = ((e as Error)?.message ?? String(e)).slice(0, MAX_ERROR);
    }
    const run = await this.runs.finish(runId, { result, error, at: this.deps.clock.now() });
    if (error === null) {
      this.deps.log.info({ job: job.name, runId, trigger, result }, 'job finished');
    } else {
      this.deps.log.error({ job: job.name, runId, trigger, error }, 'job failed');
      try {
        await this.services().alerts.raise({
          kind: 'job.failed',
          severity: 'warning',
          key: `${job.name}:${day}`,
          details: { job: job.name, runId, day, trigger },
          message: `job ${job.name} failed: ${error}`,
        });
      } catch (e) {
        this.deps.log.error(
          { job: job.name, err: { message: (e as Error).message } },
          'could not raise an alert for a failed job',
        );
      }
    }
    return run;
  }

  /** Every job with its last runs (newest first). */
  async status(runsPerJob = 5): Promise<JobStatus[]> {
    const out: JobStatus[] = [];
    for (const job of this.byName.values()) {
      const lastRuns = await this.runs.lastRuns(job.name, runsPerJob);
      out.push({
        name: job.name,
        description: job.description,
        at: job.at,
        scheduled: this.isScheduled(job),
        lastRuns,
      });
    }
    return out;
  }

  /** Checks every `intervalMs` (SSCARD_SCHEDULER_TICK_SECONDS) until stopped; keeps no process alive. */
  start(intervalMs = this.deps.config.nodes.schedulerTickSeconds * 1000): void {
    if (this.timer) return;
    const tick = () =>
      void this.tick().catch((e: unknown) =>
        this.deps.log.error({ err: { message: (e as Error).message } }, 'scheduler tick failed'),
      );
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    tick();
  }

  /** Stops the timer and waits for a tick in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking?.catch(() => {});
  }
}
