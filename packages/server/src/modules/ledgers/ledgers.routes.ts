/**
 * HTTP routes of the ledgers and the destruction register (FZ-27, ZS-17, FZ-36, HN-25):
 * `format=json` (default), `xlsx` or `csv` for the ledgers; reading one is audited.
 */
import { Type } from '@sinclair/typebox';
import { DESTRUCTION_CATEGORIES, LEDGER_KINDS, type LedgerKind } from '@sscard/domain';
import type { FastifyReply } from 'fastify';
import { sendFile } from '../../http/download.js';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import {
  Instant,
  LocalDate,
  StatedText,
  StringEnum,
  Uuid,
  errorResponses,
} from '../../http/schemas.js';
import { CSV_CONTENT_TYPE, toCsv } from '../../files/csv.js';
import { XLSX_CONTENT_TYPE, writeXlsx } from '../../files/xlsx-write.js';
import {
  DESTRUCTION_HEADERS,
  DestructionView,
  FilingView,
  INVENTORY_MOVEMENT_HEADERS,
  INVENTORY_SUMMARY_HEADERS,
  InventoryView,
  LedgerView,
  destructionCells,
  inventoryMovementCells,
  inventorySheets,
  inventorySummaryCells,
  ledgerSheet,
  presentDestruction,
  presentFiling,
  presentInventory,
  presentLedger,
  type Ledger,
} from './ledgers.presenter.js';
import type { LedgersService } from './ledgers.service.js';

const Format = Type.Optional(StringEnum(['json', 'xlsx', 'csv'] as const, { default: 'json' }));
const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM' });

export function ledgersRoutes(app: App, ledgers: LedgersService): void {
  for (const s of [LedgerView, InventoryView, FilingView, DestructionView]) app.addSchema(s);

  const sendLedger = async (reply: FastifyReply, l: Ledger, format: string | undefined) => {
    const base = `${l.kind === 'branch_daily' ? 'daily-ledger' : 'monthly-ledger'}-${l.period}`;
    if (format === 'csv') return sendFile(reply, `${base}.csv`, CSV_CONTENT_TYPE, ledgers.csv(l));
    if (format === 'xlsx')
      return sendFile(reply, `${base}.xlsx`, XLSX_CONTENT_TYPE, await writeXlsx([ledgerSheet(l)]));
    return presentLedger(l);
  };

  app.get('/api/v1/ledgers/daily', {
    config: { access: 'ledger.read', action: 'ledger.branch_daily.read' },
    schema: {
      tags: ['ledgers'],
      summary: 'A branch’s daily ledger of stock cards (FZ-27 每日台账明细): json, xlsx or csv',
      description:
        'The cards in the branch’s stock at the end of the day, waste cards included until ' +
        'destroyed, with the fields FZ-27 lists. Reading it is audited; names, SSNs and accounts ' +
        'are masked for roles that may not read a full record.',
      querystring: Type.Object({ branch: Uuid, date: LocalDate, format: Format }),
      produces: ['application/json', XLSX_CONTENT_TYPE, CSV_CONTENT_TYPE],
      response: { 200: LedgerView, ...errorResponses(404, 422) },
    },
    handler: async (req, reply) => {
      const l = await ledgers.read(req.ctx, 'branch_daily', req.query.branch, req.query.date);
      return sendLedger(reply, l, req.query.format);
    },
  });

  app.get('/api/v1/ledgers/monthly', {
    config: { access: 'ledger.read', action: 'ledger.bank_monthly.read' },
    schema: {
      tags: ['ledgers'],
      summary: 'A bank’s monthly ledger (FZ-27 每月台账明细): json, xlsx or csv',
      description:
        'Every card of the bank made by the month’s end and not handed over or destroyed before ' +
        'it began, with whether and when it was taken into stock. Due the working day before ' +
        'month end (`dueOn`). Reading it is audited.',
      querystring: Type.Object({ bank: Uuid, month: Month, format: Format }),
      produces: ['application/json', XLSX_CONTENT_TYPE, CSV_CONTENT_TYPE],
      response: { 200: LedgerView, ...errorResponses(404, 422) },
    },
    handler: async (req, reply) => {
      const l = await ledgers.read(req.ctx, 'bank_monthly', req.query.bank, req.query.month);
      return sendLedger(reply, l, req.query.format);
    },
  });

  app.get('/api/v1/ledgers/inventory', {
    config: { access: 'ledger.read', action: 'ledger.inventory.read' },
    schema: {
      tags: ['ledgers'],
      summary: 'The inventory ledger of unissued cards (ZS-17): stock and movements per branch',
      description:
        'For a branch, a bank (its branches) or a centre (its jurisdiction): per branch the ' +
        'cards in stock at the start, taken in, gone out (handed over or destroyed) and in stock ' +
        'at the end of the period, and each movement.',
      querystring: Type.Object({
        organization: Uuid,
        from: LocalDate,
        to: LocalDate,
        format: Format,
      }),
      produces: ['application/json', XLSX_CONTENT_TYPE, CSV_CONTENT_TYPE],
      response: { 200: InventoryView, ...errorResponses(404, 422) },
    },
    handler: async (req, reply) => {
      const { organization, from, to, format } = req.query;
      const inv = await ledgers.inventory(req.ctx, organization, from, to);
      const base = `inventory-${inv.from}-${inv.to}`;
      if (format === 'xlsx')
        return sendFile(
          reply,
          `${base}.xlsx`,
          XLSX_CONTENT_TYPE,
          await writeXlsx(inventorySheets(inv)),
        );
      if (format === 'csv')
        return sendFile(
          reply,
          `${base}.csv`,
          CSV_CONTENT_TYPE,
          toCsv(INVENTORY_SUMMARY_HEADERS, inventorySummaryCells(inv)) +
            '\r\n' +
            toCsv(INVENTORY_MOVEMENT_HEADERS, inventoryMovementCells(inv)).replace(/^\uFEFF/, ''),
        );
      return presentInventory(inv);
    },
  });

  app.post('/api/v1/ledgers/filings', {
    config: { access: 'ledger.file', action: 'ledger.file' },
    schema: {
      tags: ['ledgers'],
      summary: 'File a ledger (FZ-27); a monthly one after its due day is late and alerted',
      body: Type.Object(
        {
          kind: StringEnum(LEDGER_KINDS),
          organizationId: Uuid,
          period: Type.String({
            maxLength: 10,
            description: 'YYYY-MM-DD (daily) or YYYY-MM (monthly)',
          }),
        },
        {
          additionalProperties: false,
          examples: [
            {
              kind: 'bank_monthly',
              organizationId: '0b9f3c1e-8a53-4c1f-9a57-3f1d2b6c7e01',
              period: '2026-11',
            },
          ],
        },
      ),
      response: { 201: FilingView, ...errorResponses(404, 422) },
    },
    handler: async (req, reply) => {
      await ledgers.file(req.ctx, req.body);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/ledgers/filings', {
    config: { access: 'ledger.read' },
    schema: {
      tags: ['ledgers'],
      summary: 'Ledger filings of the organisations in your scope, newest first',
      querystring: Type.Object({
        kind: Type.Optional(StringEnum(LEDGER_KINDS)),
        period: Type.Optional(Type.String({ maxLength: 10 })),
        organizationId: Type.Optional(Uuid),
      }),
      response: { 200: Type.Object({ items: Type.Array(FilingView) }), ...errorResponses() },
    },
    handler: async (req) => {
      const { kind, period, organizationId } = req.query;
      const rows = await ledgers.filings(req.ctx.actor!.scope, {
        ...(kind ? { kind: kind as LedgerKind } : {}),
        ...(period ? { period } : {}),
        ...(organizationId ? { organizationId } : {}),
      });
      return { items: rows.map(presentFiling) };
    },
  });

  app.get('/api/v1/ledgers/monthly/status', {
    config: { access: 'ledger.read' },
    schema: {
      tags: ['ledgers'],
      summary: 'Per bank in your scope: the month’s ledger filed, late, or overdue (FZ-27)',
      querystring: Type.Object({ month: Month }),
      response: {
        200: Type.Object({
          month: Type.String(),
          dueOn: Type.Union([Type.String(), Type.Null()]),
          rule: Type.Union([Type.String(), Type.Null()]),
          banks: Type.Array(
            Type.Object({
              bankId: Type.String(),
              bankName: Type.String(),
              filing: Type.Union([Type.Ref('LedgerFiling'), Type.Null()]),
              late: Type.Boolean(),
              overdue: Type.Boolean({ description: 'Not filed and past its due day' }),
            }),
          ),
        }),
        ...errorResponses(422),
      },
    },
    handler: async (req) => ledgers.monthlyStatus(req.ctx.actor!.scope, req.query.month),
  });

  app.post('/api/v1/destructions', {
    config: { access: 'card.destroy', action: 'destruction.record' },
    schema: {
      tags: ['ledgers'],
      summary: 'Enter destroyed cards in the destruction register (FZ-36, HN-25)',
      description:
        'Who (your account), when, before which witness, which batch. A card number of this ' +
        'platform must be one your organisation may destroy, and is marked destroyed; any other ' +
        'number is a waste card recorded by number. A number is entered once.',
      body: Type.Object(
        {
          organizationId: Uuid,
          category: StringEnum(DESTRUCTION_CATEGORIES),
          cardNos: Type.Array(Type.String({ minLength: 4, maxLength: 40 }), {
            minItems: 1,
            maxItems: 500,
          }),
          batch: Type.Optional(
            Type.Union([Type.String({ minLength: 1, maxLength: 60 }), Type.Null()]),
          ),
          witness: StatedText(60, { description: 'Who witnessed the destruction (监销人)' }),
          destroyedAt: Type.Optional(Instant),
          note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
        },
        {
          additionalProperties: false,
          examples: [
            {
              organizationId: '0b9f3c1e-8a53-4c1f-9a57-3f1d2b6c7e01',
              category: 'waste',
              cardNos: ['W00000001', 'W00000002'],
              batch: '2026-11-B07',
              witness: '王监销',
            },
          ],
        },
      ),
      response: { 201: DestructionView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await ledgers.recordDestruction(req.ctx, req.body);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/destructions', {
    config: { access: 'ledger.read' },
    schema: {
      tags: ['ledgers'],
      summary: 'The destruction register of the organisations in your scope: json, xlsx or csv',
      querystring: Type.Object({
        organizationId: Type.Optional(Uuid),
        from: Type.Optional(LocalDate),
        to: Type.Optional(LocalDate),
        format: Format,
      }),
      produces: ['application/json', XLSX_CONTENT_TYPE, CSV_CONTENT_TYPE],
      response: {
        200: Type.Object({ items: Type.Array(DestructionView) }),
        ...errorResponses(422),
      },
    },
    handler: async (req, reply) => {
      const { organizationId, from, to, format } = req.query;
      const rows = await ledgers.destructions(req.ctx.actor!.scope, {
        ...(organizationId ? { organizationId } : {}),
        ...(from ? { from: new Date(`${from}T00:00:00+08:00`) } : {}),
        ...(to ? { to: new Date(`${to}T23:59:59.999+08:00`) } : {}),
      });
      if (format === 'csv')
        return sendFile(
          reply,
          'destruction-register.csv',
          CSV_CONTENT_TYPE,
          toCsv(DESTRUCTION_HEADERS, destructionCells(rows)),
        );
      if (format === 'xlsx')
        return sendFile(
          reply,
          'destruction-register.xlsx',
          XLSX_CONTENT_TYPE,
          await writeXlsx([
            {
              name: '销毁登记簿',
              columns: DESTRUCTION_HEADERS.map((h, n) => ({
                header: h,
                width: n === 1 ? 28 : 18,
                ...(n === 4 ? { text: true } : {}),
              })),
              rows: destructionCells(rows),
            },
          ]),
        );
      return { items: rows.map(presentDestruction) };
    },
  });
}
