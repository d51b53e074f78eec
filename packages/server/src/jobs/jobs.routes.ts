/**
 * The daily jobs over HTTP, for administrators: list them with their last runs, run one now.
 * Until a permission of their own exists (`jobs.run`), both need `system.clock` (installation
 * and centre administrators: the platform's operation).
 */
import { Type } from '@sinclair/typebox';
import { DomainError, formatShanghai } from '@sscard/domain';
import type { App } from '../http/app-types.js';
import { StringEnum, errorResponses } from '../http/schemas.js';
import type { JobRun, Scheduler } from './scheduler.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const JobRunView = Type.Object({
  id: Type.String(),
  job: Type.String(),
  day: Type.String({ description: 'Shanghai calendar day of the run' }),
  trigger: StringEnum(['schedule', 'manual'] as const),
  requestedBy: Type.String(),
  status: StringEnum(['running', 'succeeded', 'failed'] as const),
  attempts: Type.Integer(),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  result: Type.Unknown(),
  error: Nullable(Type.String()),
});

const JobView = Type.Object({
  name: Type.String({ examples: ['audit.verify'] }),
  description: Type.String(),
  at: Type.String({ description: 'Shanghai time from which the daily run is due' }),
  scheduled: Type.Boolean({ description: 'Run daily by the scheduler (else on demand only)' }),
  lastRuns: Type.Array(JobRunView),
});

export function presentJobRun(r: JobRun) {
  return {
    id: r.id,
    job: r.job,
    day: r.day,
    trigger: r.trigger,
    requestedBy: r.requested_by,
    status: r.status,
    attempts: r.attempts,
    startedAt: formatShanghai(r.started_at),
    finishedAt: r.finished_at ? formatShanghai(r.finished_at) : null,
    result: r.result,
    error: r.error,
  };
}

export function jobsRoutes(app: App, jobs: Scheduler): void {
  app.get('/api/v1/jobs', {
    config: { access: 'jobs.run' },
    schema: {
      tags: ['jobs'],
      summary: 'The daily jobs, with their last runs',
      response: { 200: Type.Array(JobView), ...errorResponses() },
    },
    handler: async () =>
      (await jobs.status()).map((j) => ({ ...j, lastRuns: j.lastRuns.map(presentJobRun) })),
  });

  app.post('/api/v1/jobs/:name/run', {
    config: { access: 'jobs.run', action: 'job.run' },
    schema: {
      tags: ['jobs'],
      summary: 'Run a job now (audited); answers with the run, succeeded or failed',
      params: Type.Object({ name: Type.String({ pattern: '^[a-z0-9_.-]{1,60}$' }) }),
      response: { 200: JobRunView, ...errorResponses(404) },
    },
    handler: async (req) => {
      if (!jobs.find(req.params.name)) throw new DomainError('NOT_FOUND', { resource: 'job' });
      return presentJobRun(await jobs.run(req.params.name, req.ctx));
    },
  });
}
