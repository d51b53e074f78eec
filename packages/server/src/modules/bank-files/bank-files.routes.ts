/** HTTP routes of bank account opening by file (FZ-18(四)(五); docs/adapters/bank-files.md). */
import { Type } from '@sinclair/typebox';
import { sendFile } from '../../http/download.js';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import { IdParams, Paging, StringEnum, Uuid, errorResponses } from '../../http/schemas.js';
import { UPLOAD_DESCRIPTION, readUpload, registerUploads, uploadRoute } from '../../http/upload.js';
import { PRODUCTION_BATCH_MAX } from '../production/production.service.js';
import { BankFileDetailView, BankFileRowView, BankFileView } from './bank-files.presenter.js';
import type { BankFilesService } from './bank-files.service.js';

const Summary = Type.Object({
  batchId: Type.String(),
  rows: Type.Integer(),
  opened: Type.Integer(),
  refused: Type.Integer(),
});
const Upload = Type.Object({
  fileId: Type.String(),
  batchId: Type.String(),
  jobId: Type.Union([Type.String(), Type.Null()], {
    description: 'The import job (GET /api/v1/queue/jobs/{jobId}); null when it ran at once',
  }),
  result: Type.Union([Summary, Type.Null()]),
});

export function bankFilesRoutes(app: App, bankFiles: BankFilesService, simulator: boolean): void {
  registerUploads(app);
  app.addSchema(BankFileView);
  app.addSchema(BankFileRowView);

  app.get('/api/v1/bank-files', {
    config: { access: 'bank_file.manage' },
    schema: {
      tags: ['bank-files'],
      summary: 'Account-opening request batches in your scope, newest first',
      querystring: Paging,
      response: {
        200: Type.Object({ items: Type.Array(BankFileView), total: Type.Integer() }),
        ...errorResponses(),
      },
    },
    handler: async (req) => {
      const r = await bankFiles.list(req.ctx.actor!.scope, req.query);
      return { items: await bankFiles.present(r.items), total: r.total };
    },
  });

  app.post('/api/v1/bank-files', {
    config: { access: 'bank_file.manage', action: 'bank_file.create' },
    schema: {
      tags: ['bank-files'],
      summary:
        'A request batch of the bank’s cards waiting for their account (banks that open accounts by file, FZ-18(四))',
      body: Type.Object(
        {
          bankId: Uuid,
          max: Type.Optional(Type.Integer({ minimum: 1, maximum: PRODUCTION_BATCH_MAX })),
        },
        {
          additionalProperties: false,
          examples: [{ bankId: '0190a0c2-7a3e-7b1c-9d2e-3f4a5b6c7d8e', max: 500 }],
        },
      ),
      response: { 201: BankFileView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await bankFiles.create(req.ctx, req.body);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/bank-files/opening-mode', {
    config: { access: 'bank_file.manage', action: 'bank_file.opening_mode' },
    schema: {
      tags: ['bank-files'],
      summary:
        'Whether a bank opens the accounts of cards being made online (one by one) or by file (the centre’s record of the bank)',
      body: Type.Object(
        { bankId: Uuid, mode: StringEnum(['online', 'file'] as const) },
        {
          additionalProperties: false,
          examples: [{ bankId: '0190a0c2-7a3e-7b1c-9d2e-3f4a5b6c7d8e', mode: 'file' }],
        },
      ),
      response: {
        200: Type.Object({ bankId: Type.String(), accountOpening: Type.String() }),
        ...errorResponses(404),
      },
    },
    handler: async (req, reply) => {
      await bankFiles.setOpeningMode(req.ctx, req.body.bankId, req.body.mode);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/bank-files/:id', {
    config: { access: 'bank_file.manage' },
    schema: {
      tags: ['bank-files'],
      summary: 'One request batch with its rows and, after the return file, the bank’s reasons',
      params: IdParams,
      response: { 200: BankFileDetailView, ...errorResponses(404) },
    },
    handler: async (req) => bankFiles.detail(await bankFiles.get(req.ctx, req.params.id)),
  });

  app.get('/api/v1/bank-files/:id/request.txt', {
    config: { access: 'bank_file.manage', action: 'bank_file.export' },
    schema: {
      tags: ['bank-files'],
      summary: 'The account-opening request file for the bank (audited: names and ID numbers)',
      params: IdParams,
      produces: ['text/plain'],
      response: errorResponses(404),
    },
    handler: async (req, reply) => {
      const f = await bankFiles.exportFile(req.ctx, req.params.id);
      return sendFile(reply, f.filename, 'text/plain; charset=utf-8', f.content);
    },
  });

  app.post('/api/v1/bank-files/:id/return', {
    ...uploadRoute({ maxBytes: 4 * 1024 * 1024 }),
    config: { access: 'bank_file.manage', action: 'bank_file.return_import' },
    schema: {
      tags: ['bank-files'],
      summary:
        'Import the bank’s return file (FZ-18(五): success flag, ID number, branch, account number): opened accounts recorded, refused rows kept out of production with the bank’s reason',
      description: `${UPLOAD_DESCRIPTION} Checked at once (RETURN_FILE_CHECKSUM, RETURN_FILE_WRONG_BATCH, RETURN_FILE_DUPLICATE, RETURN_FILE_ROWS), then imported by a queued job.`,
      params: IdParams,
      response: { 202: Upload, ...errorResponses(404, 409, 413, 415, 422) },
    },
    handler: async (req, reply) => {
      const upload = { bytes: readUpload(req).bytes };
      return reply
        .status(202)
        .send(await bankFiles.uploadReturn(req.ctx, req.params.id, upload.bytes));
    },
  });

  if (simulator)
    app.post('/api/v1/bank-files/:id/simulated-return', {
      config: { access: 'bank_file.manage', action: 'bank_file.export' },
      schema: {
        tags: ['bank-files'],
        summary:
          'Demo and tests only (the built-in bank simulator): the bank’s return file for this batch, refusing the rows asked for',
        params: IdParams,
        body: Type.Object(
          {
            refuse: Type.Array(
              Type.Object(
                {
                  seq: Type.Integer({ minimum: 1, maximum: PRODUCTION_BATCH_MAX }),
                  reason: Type.String({ minLength: 1, maxLength: 200 }),
                },
                { additionalProperties: false },
              ),
              { maxItems: PRODUCTION_BATCH_MAX },
            ),
          },
          {
            additionalProperties: false,
            examples: [{ refuse: [{ seq: 1, reason: '身份信息核验不一致' }] }],
          },
        ),
        produces: ['text/plain'],
        response: errorResponses(404),
      },
      handler: async (req, reply) => {
        const refuse = Object.fromEntries(req.body.refuse.map((f) => [f.seq, f.reason]));
        const f = await bankFiles.simulateReturn(req.ctx, req.params.id, refuse);
        return sendFile(reply, f.filename, 'text/plain; charset=utf-8', f.content);
      },
    });
}
