/** HTTP routes of vendor production batches (FZ-20, FZ-22; docs/adapters/vendor.md). */
import { Type } from '@sinclair/typebox';
import { sendFile } from '../../http/download.js';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import { IdParams, Paging, StringEnum, Uuid, errorResponses } from '../../http/schemas.js';
import { UPLOAD_DESCRIPTION, readUpload, registerUploads, uploadRoute } from '../../http/upload.js';
import {
  ProductionBatchDetailView,
  ProductionBatchView,
  ProductionItemView,
} from './production.presenter.js';
import { PRODUCTION_BATCH_MAX, type ProductionService } from './production.service.js';

const Summary = Type.Object({
  batchId: Type.String(),
  rows: Type.Integer(),
  succeeded: Type.Integer(),
  failed: Type.Integer(),
  reproduce: Type.Integer({ description: 'Failed cards back for a later batch (FZ-20(三))' }),
  undeliverable: Type.Integer({ description: 'Failed cards made undeliverable (ZS-17(二))' }),
});
const Upload = Type.Object({
  fileId: Type.String(),
  batchId: Type.String(),
  jobId: Type.Union([Type.String(), Type.Null()], {
    description: 'The import job (GET /api/v1/queue/jobs/{jobId}); null when it ran at once',
  }),
  result: Type.Union([Summary, Type.Null()]),
});
const Failures = Type.Array(
  Type.Object(
    {
      seq: Type.Integer({ minimum: 1, maximum: PRODUCTION_BATCH_MAX }),
      reason: Type.String({ minLength: 1, maxLength: 200 }),
    },
    { additionalProperties: false },
  ),
  { maxItems: PRODUCTION_BATCH_MAX },
);

export function productionRoutes(
  app: App,
  production: ProductionService,
  simulator: boolean,
): void {
  registerUploads(app);
  app.addSchema(ProductionBatchView);
  app.addSchema(ProductionItemView);

  app.get('/api/v1/production/batches', {
    config: { access: 'production.read' },
    schema: {
      tags: ['production'],
      summary: 'Production batches in your scope (a vendor: its own), newest first',
      querystring: Type.Composite([
        Paging,
        Type.Object({
          status: Type.Optional(StringEnum(['open', 'exported', 'returned'] as const)),
        }),
      ]),
      response: {
        200: Type.Object({ items: Type.Array(ProductionBatchView), total: Type.Integer() }),
        ...errorResponses(),
      },
    },
    handler: async (req) => {
      const { limit, offset, status } = req.query;
      const r = await production.list(req.ctx.actor!.scope, { status }, { limit, offset });
      return { items: await production.present(r.items), total: r.total };
    },
  });

  app.post('/api/v1/production/batches', {
    config: { access: 'production.manage', action: 'production.batch.create' },
    schema: {
      tags: ['production'],
      summary:
        'Group a bank’s approved batch applications (card in production, account open) into a batch for a card vendor (FZ-20)',
      description: `Takes the oldest approved first, up to \`max\` (at most ${PRODUCTION_BATCH_MAX}, a configurable default: the regulations set no size). Refused with BATCH_EMPTY when no application qualifies.`,
      body: Type.Object(
        {
          bankId: Uuid,
          vendorId: Uuid,
          max: Type.Optional(Type.Integer({ minimum: 1, maximum: PRODUCTION_BATCH_MAX })),
        },
        {
          additionalProperties: false,
          examples: [
            {
              bankId: '0190a0c2-7a3e-7b1c-9d2e-3f4a5b6c7d8e',
              vendorId: '0190a0c2-7a3e-7b1c-9d2e-3f4a5b6c7d8f',
              max: 500,
            },
          ],
        },
      ),
      response: { 201: ProductionBatchView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await production.create(req.ctx, req.body);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/production/batches/:id', {
    config: { access: 'production.read' },
    schema: {
      tags: ['production'],
      summary: 'One batch with its cards and, after the return file, each card’s result and reason',
      params: IdParams,
      response: { 200: ProductionBatchDetailView, ...errorResponses(404) },
    },
    handler: async (req) => production.detail(await production.get(req.ctx, req.params.id)),
  });

  app.get('/api/v1/production/batches/:id/personalisation.txt', {
    config: { access: 'production.read', action: 'production.batch.export' },
    schema: {
      tags: ['production'],
      summary:
        'The personalisation data file for the vendor (docs/adapters/vendor.md; audited: full names, SSNs, photos)',
      params: IdParams,
      produces: ['text/plain'],
      response: errorResponses(404),
    },
    handler: async (req, reply) => {
      const f = await production.exportFile(req.ctx, req.params.id);
      return sendFile(reply, f.filename, 'text/plain; charset=utf-8', f.content);
    },
  });

  app.post('/api/v1/production/batches/:id/return', {
    ...uploadRoute({ maxBytes: 4 * 1024 * 1024 }),
    config: { access: 'production.manage', action: 'production.return_import' },
    schema: {
      tags: ['production'],
      summary:
        'Import the vendor’s return file (FZ-20(三)): made cards into stock at their branch, failed ones back for a later batch or undeliverable, as the pack says',
      description: `${UPLOAD_DESCRIPTION} The file is checked at once: its trailer checksum (RETURN_FILE_CHECKSUM), its batch (RETURN_FILE_WRONG_BATCH), a second import (RETURN_FILE_DUPLICATE), every card of the batch once (RETURN_FILE_ROWS); then imported by a queued job (\`jobId\`).`,
      params: IdParams,
      response: { 202: Upload, ...errorResponses(404, 409, 413, 415, 422) },
    },
    handler: async (req, reply) => {
      const upload = { bytes: readUpload(req).bytes };
      const r = await production.uploadReturn(req.ctx, req.params.id, upload.bytes);
      return reply.status(202).send(r);
    },
  });

  if (simulator)
    app.post('/api/v1/production/batches/:id/simulated-return', {
      config: { access: 'production.manage', action: 'production.batch.export' },
      schema: {
        tags: ['production'],
        summary:
          'Demo and tests only (the built-in simulators): the vendor’s return file for this batch, with the failures asked for',
        params: IdParams,
        body: Type.Object(
          { fail: Failures },
          {
            additionalProperties: false,
            examples: [{ fail: [{ seq: 2, reason: '芯片写入失败' }] }],
          },
        ),
        produces: ['text/plain'],
        response: errorResponses(404),
      },
      handler: async (req, reply) => {
        const fail = Object.fromEntries(req.body.fail.map((f) => [f.seq, f.reason]));
        const f = await production.simulateReturn(req.ctx, req.params.id, fail);
        return sendFile(reply, f.filename, 'text/plain; charset=utf-8', f.content);
      },
    });
}
