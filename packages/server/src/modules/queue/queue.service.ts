/**
 * Following and steering background jobs (docs/QUEUE.md). A job is seen by who asked for it
 * (`staff:<id>`) and by the administrators of its jurisdiction (`queue.read`); to anyone else it
 * does not exist. Retry and cancel are acts.
 */
import { DomainError, decideAccess } from '@sscard/domain';
import type { ActContext, Actor } from '../../context.js';
import type { Deps } from '../../deps.js';
import type { DbQueue } from '../../jobs/queue-runner.js';
import type { QueueJob, QueueJobStatus } from '../../jobs/queue.js';
import type { Target } from '../../acts/access.js';
import { presentQueueJob } from './queue.presenter.js';

export const actorKey = (actor: Actor): string =>
  actor.staffId ? `staff:${actor.staffId}` : actor.username;

const targetOf = (j: QueueJob): Target => ({
  type: 'queue_job',
  id: j.id,
  jurisdiction: j.jurisdiction,
});

export class QueueService {
  constructor(
    private readonly deps: Deps,
    private readonly queue: DbQueue,
  ) {}

  /** Whether the actor may follow the job. */
  sees(actor: Actor, job: QueueJob): boolean {
    if (job.createdBy === actorKey(actor)) return true;
    return decideAccess(actor, 'queue.read', targetOf(job), null).allowed;
  }

  async get(ctx: ActContext, id: string) {
    const job = await this.queue.get(id);
    if (!job || !this.sees(ctx.actor!, job))
      throw new DomainError('NOT_FOUND', { resource: 'queue_job' });
    return presentQueueJob(job);
  }

  async list(
    ctx: ActContext,
    filter: { kind?: string | undefined; status?: QueueJobStatus | undefined },
    page: { limit: number; offset: number },
  ) {
    const actor = ctx.actor!;
    const manager = decideAccess(
      actor,
      'queue.read',
      { type: 'queue_job', jurisdiction: null },
      null,
    );
    const jurisdiction =
      actor.scope.kind === 'all' && manager.allowed
        ? ('all' as const)
        : actor.scope.kind === 'jurisdiction' &&
            decideAccess(
              actor,
              'queue.read',
              { type: 'queue_job', jurisdiction: actor.scope.prefix.padEnd(6, '0') },
              null,
            ).allowed
          ? actor.scope.prefix
          : undefined;
    const r = await this.deps.repos.queue.list(
      {
        ...filter,
        createdBy: actorKey(actor),
        ...(jurisdiction ? { jurisdiction } : {}),
      },
      page,
    );
    return { items: r.items.map(presentQueueJob), total: r.total };
  }

  retry(ctx: ActContext, id: string) {
    return this.deps.acts.run(ctx, {
      name: 'queue.retry',
      resource: 'queue_job',
      load: (trx) => this.deps.repos.queue.findForUpdate(trx, id),
      target: targetOf,
      apply: async ({ trx, loaded, now }) => {
        if (loaded.status !== 'failed' && loaded.status !== 'cancelled')
          throw new DomainError('QUEUE_JOB_NOT_RETRIABLE', { status: loaded.status });
        await this.deps.repos.queue.setStatus(trx, id, 'queued', now);
        return { result: id, details: { kind: loaded.kind, was: loaded.status } };
      },
      present: async (jobId, trx) =>
        presentQueueJob((await this.deps.repos.queue.find(jobId, trx))!),
    });
  }

  async cancel(ctx: ActContext, id: string) {
    const result = await this.deps.acts.run(ctx, {
      name: 'queue.cancel',
      resource: 'queue_job',
      load: (trx) => this.deps.repos.queue.findForUpdate(trx, id),
      target: targetOf,
      apply: async ({ trx, loaded, now }) => {
        if (loaded.status !== 'queued' && loaded.status !== 'running')
          throw new DomainError('QUEUE_JOB_FINISHED', { status: loaded.status });
        await this.deps.repos.queue.setStatus(trx, id, 'cancelled', now);
        return { result: id, details: { kind: loaded.kind, was: loaded.status } };
      },
      present: async (jobId, trx) =>
        presentQueueJob((await this.deps.repos.queue.find(jobId, trx))!),
    });
    this.queue.abortLocal(id);
    return result;
  }
}
