/**
 * The daily jobs over HTTP, for administrators: list them with their last runs, run one now.
 * Until a permission of their own exists (`jobs.run`), both need `system.clock` (installation
 * and centre administrators: the platform's operation).
 */
import { Type } from '@sinclair/typebox';
import { DomainError } from '@sscard/domain';
import type { App } from '../http/app-types.js';
import { errorResponses } from '../http/schemas.js';
import { JobRunView, JobView, presentJobRun } from './jobs.presenter.js';
import type { Scheduler } from './scheduler.js';

export { JobRunView, presentJobRun };

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
      description:
        'The request is an act of its own (audited as `job.run`, retried safely with an Idempotency-Key: a retry answers with the run as it was requested, and GET /api/v1/jobs shows how it ended); the job’s own acts are the platform’s.',
      params: Type.Object({ name: Type.String({ pattern: '^[a-z0-9_.-]{1,60}$' }) }),
      response: { 200: JobRunView, ...errorResponses(404) },
    },
    handler: async (req) => {
      if (!jobs.find(req.params.name)) throw new DomainError('NOT_FOUND', { resource: 'job' });
      return presentJobRun(await jobs.run(req.params.name, req.ctx));
    },
  });
}
