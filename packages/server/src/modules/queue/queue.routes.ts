/**
 * The background queue over HTTP (docs/QUEUE.md): follow a job (who asked for it, or the centre's
 * administrators; anyone else is told it does not exist), list the jobs one may see, and retry or
 * cancel one (acts, audited).
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import { IdParams, Paging, StringEnum, errorResponses } from '../../http/schemas.js';
import { QUEUE_JOB_STATUSES, QueueJobView } from './queue.presenter.js';
import type { QueueService } from './queue.service.js';

export function queueRoutes(app: App, queue: QueueService): void {
  app.addSchema(QueueJobView);

  app.get('/api/v1/queue/jobs', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['queue'],
      summary:
        'Background jobs you may follow: your own, or (queue.manage) those of your jurisdiction',
      querystring: Type.Composite([
        Paging,
        Type.Object({
          kind: Type.Optional(Type.String({ pattern: '^[a-z0-9_.-]{1,60}$' })),
          status: Type.Optional(StringEnum(QUEUE_JOB_STATUSES)),
        }),
      ]),
      response: {
        200: Type.Object({ items: Type.Array(Type.Ref('QueueJob')), total: Type.Integer() }),
        ...errorResponses(),
      },
    },
    handler: async (req) => {
      const { limit, offset, kind, status } = req.query;
      return queue.list(req.ctx, { kind, status }, { limit, offset });
    },
  });

  app.get('/api/v1/queue/jobs/:id', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['queue'],
      summary: 'One background job: its progress, its summary or its error',
      params: IdParams,
      response: { 200: Type.Ref('QueueJob'), ...errorResponses(404) },
    },
    handler: async (req) => queue.get(req.ctx, req.params.id),
  });

  for (const act of ['retry', 'cancel'] as const) {
    app.post(`/api/v1/queue/jobs/:id/${act}`, {
      config: { access: 'queue.manage', action: `queue.${act}` },
      schema: {
        tags: ['queue'],
        summary:
          act === 'retry'
            ? 'Run a failed or cancelled job again (audited)'
            : 'Cancel a job not finished yet (audited); a running handler is told to stop',
        params: IdParams,
        response: { 200: Type.Ref('QueueJob'), ...errorResponses(404, 409) },
      },
      handler: async (req, reply) => {
        await (act === 'retry'
          ? queue.retry(req.ctx, req.params.id)
          : queue.cancel(req.ctx, req.params.id));
        return sendAnswer(req, reply);
      },
    });
  }
}
