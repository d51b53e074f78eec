/**
 * Unit rosters over HTTP (FZ-18, HN-9): upload a roster (the raw file, http/upload.ts), follow
 * its import job (GET /api/v1/queue/jobs/:id), read its rows, download the per-row report and
 * the template. See docs/ROSTERS.md.
 */
import { Type } from '@sinclair/typebox';
import { sendFile } from '../../http/download.js';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import { IdParams, Paging, Uuid, errorResponses } from '../../http/schemas.js';
import { UPLOAD_DESCRIPTION, readUpload, registerUploads, uploadRoute } from '../../http/upload.js';
import { CSV_CONTENT_TYPE, toCsv } from '../../files/csv.js';
import {
  XLSX_CONTENT_TYPE,
  writeXlsx,
  type Cell,
  type SheetColumn,
} from '../../files/xlsx-write.js';
import {
  RosterRowView,
  RosterView,
  presentRoster,
  presentRosterRow,
  reasonOf,
} from './rosters.presenter.js';
import type { RostersService } from './rosters.service.js';

/** The template's columns (FZ annex 2): ID and phone are text columns. */
export const TEMPLATE_COLUMNS: SheetColumn[] = [
  { header: '姓名', width: 14 },
  { header: '公民身份号码', width: 22, text: true },
  { header: '手机号码', width: 15, text: true },
];

const REPORT_COLUMNS: SheetColumn[] = [
  ...TEMPLATE_COLUMNS,
  { header: '行号 Row', width: 8 },
  { header: '结果 Outcome', width: 12 },
  { header: '原因 Reason', width: 60 },
  { header: '依据 Rule', width: 10 },
  { header: '申领编号 Application', width: 38 },
];

export function rostersRoutes(app: App, rosters: RostersService): void {
  registerUploads(app);
  app.addSchema(RosterView);
  app.addSchema(RosterRowView);

  app.post('/api/v1/rosters', {
    ...uploadRoute(),
    config: { access: 'application.unit_batch', action: 'roster.import' },
    schema: {
      tags: ['rosters'],
      summary:
        'Upload a unit’s roster (.xlsx or .csv; FZ-18, HN-9): answers the roster and its import job',
      description: `${UPLOAD_DESCRIPTION} Columns (header row, common variants accepted): 姓名, 公民身份号码 (身份证号, 证件号码…), 手机号码 (手机, 联系电话…). The whole file is checked first (caps, header); each row then becomes an application (channel \`unit\`) or a reason, in the job \`jobId\` (GET /api/v1/queue/jobs/{jobId}). The same file again from the same unit answers with the first roster. Refused with CHANNEL_NOT_OFFERED and the article where the rule pack names no unit batches (SH-9).`,
      querystring: Type.Object({
        bankId: Uuid,
        branchId: Uuid,
        unitOrganizationId: Type.Optional(Uuid),
        unitName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        unitCode: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z]{1,30}$' })),
        jurisdiction: Type.Optional(Type.String({ pattern: '^[0-9a-z]{2,12}$' })),
        filename: Type.Optional(Type.String({ maxLength: 255 })),
      }),
      response: { 201: RosterView, ...errorResponses(404, 409, 413, 415, 422) },
    },
    handler: async (req, reply) => {
      const upload = readUpload(req);
      await rosters.upload(req.ctx, { ...upload, ...req.query });
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/rosters', {
    config: { access: 'application.unit_batch' },
    schema: {
      tags: ['rosters'],
      summary: 'Rosters imported in your scope, newest first',
      querystring: Paging,
      response: {
        200: Type.Object({ items: Type.Array(RosterView), total: Type.Integer() }),
        ...errorResponses(),
      },
    },
    handler: async (req) => {
      const { items, total } = await rosters.list(req.ctx, req.query);
      return { items: items.map(presentRoster), total };
    },
  });

  app.get('/api/v1/rosters/template.xlsx', {
    config: { access: 'application.unit_batch' },
    schema: {
      tags: ['rosters'],
      summary: 'The roster template: 姓名, 公民身份号码 and 手机号码, the last two as text columns',
      produces: [XLSX_CONTENT_TYPE],
    },
    handler: async (_req, reply) =>
      sendFile(
        reply,
        'roster-template.xlsx',
        XLSX_CONTENT_TYPE,
        await writeXlsx([{ name: '花名册', columns: TEMPLATE_COLUMNS, rows: [] }]),
      ),
  });

  app.get('/api/v1/rosters/:id', {
    config: { access: 'application.unit_batch' },
    schema: {
      tags: ['rosters'],
      summary: 'One roster: its status and counts',
      params: IdParams,
      response: { 200: RosterView, ...errorResponses(404) },
    },
    handler: async (req) => presentRoster(await rosters.get(req.params.id, req.ctx)),
  });

  app.get('/api/v1/rosters/:id/rows', {
    config: { access: 'application.unit_batch' },
    schema: {
      tags: ['rosters'],
      summary: 'The roster’s rows with their outcome and reason, in file order',
      params: IdParams,
      querystring: Type.Composite([
        Paging,
        Type.Object({
          outcome: Type.Optional(Type.Union([Type.Literal('accepted'), Type.Literal('refused')])),
        }),
      ]),
      response: {
        200: Type.Object({ items: Type.Array(RosterRowView), total: Type.Integer() }),
        ...errorResponses(404),
      },
    },
    handler: async (req) => {
      const r = await rosters.get(req.params.id, req.ctx);
      const { limit, offset, outcome } = req.query;
      const rows = await rosters.rows(r.id, outcome, { limit, offset });
      return {
        items: rows.map((l) => presentRosterRow(l, req.ctx.locale)),
        total: await rosters.countRows(r.id, outcome),
      };
    },
  });

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(`/api/v1/rosters/:id/report.${format}`, {
      config: { access: 'application.unit_batch', action: 'roster.report.read' },
      schema: {
        tags: ['rosters'],
        summary: `The per-row report as .${format}: the roster's columns, then each row's outcome and reason`,
        description:
          'The unit fixes the refused rows and sends only them again (`rows=refused`, the default, keeps the template’s first three columns so the file can be uploaded as it is). Reading it is audited: it holds the names and numbers the unit sent.',
        params: IdParams,
        querystring: Type.Object({
          rows: Type.Optional(
            Type.Union([Type.Literal('refused'), Type.Literal('all')], { default: 'refused' }),
          ),
        }),
        produces: [format === 'xlsx' ? XLSX_CONTENT_TYPE : CSV_CONTENT_TYPE],
        response: { ...errorResponses(404) },
      },
      handler: async (req, reply) => {
        const params = req.params as { id: string };
        const only = (req.query as { rows?: string }).rows !== 'all';
        const r = await rosters.get(params.id, req.ctx);
        const rows: Cell[][] = [];
        for await (const { cells, line, rowNo } of rosters.report(r)) {
          if (only && line?.outcome !== 'refused') continue;
          rows.push([
            cells[0] ?? '',
            cells[1] ?? '',
            cells[2] ?? '',
            rowNo,
            line
              ? line.outcome === 'accepted'
                ? '已受理 accepted'
                : '未通过 refused'
              : '未处理 pending',
            line ? reasonOf(line, req.ctx.locale) : null,
            line?.rule ?? null,
            line?.application_id ?? null,
          ]);
        }
        const base = `roster-report-${r.id.slice(0, 8)}`;
        return format === 'xlsx'
          ? sendFile(
              reply,
              `${base}.xlsx`,
              XLSX_CONTENT_TYPE,
              await writeXlsx([{ name: '处理结果', columns: REPORT_COLUMNS, rows }]),
            )
          : sendFile(
              reply,
              `${base}.csv`,
              CSV_CONTENT_TYPE,
              toCsv(
                REPORT_COLUMNS.map((c) => c.header),
                rows,
              ),
            );
      },
    });
  }
}
