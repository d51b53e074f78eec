/** HTTP routes for terminals and card readers: register, list, change, status, rotate. */
import { Type } from '@sinclair/typebox';
import { SERVICE_POINT_KINDS, TERMINAL_KINDS, TERMINAL_STATUSES } from '@sscard/domain';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import {
  IdParams,
  LocalDate,
  Paging,
  StatedText,
  StringEnum,
  Uuid,
  errorResponses,
} from '../../http/schemas.js';
import { TerminalView } from './terminals.presenter.js';
import type { TerminalsService } from './terminals.service.js';

const Kind = StringEnum(TERMINAL_KINDS);
const Label = StatedText(60, { description: 'A name the staff recognise (收银台读卡器1)' });
const Maker = Type.Union([Type.String({ minLength: 1, maxLength: 60 }), Type.Null()]);
/** FZ-12: the equipment filed with the centre, by its maker's serial number (出厂序列号). */
const Serial = Type.Union([
  Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9._/-]+$' }),
  Type.Null(),
]);
const Rate = Type.Integer({
  minimum: 1,
  maximum: 100000,
  description: 'Checks per second, per node',
});
const Credential = Type.Union([
  Type.Object({ kind: Type.Literal('api_key') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('client_certificate'),
      fingerprint: Type.String({
        // The shape is checked by the service (credentials.ts), which says what it expects.
        minLength: 1,
        maxLength: 200,
        description: 'SHA-256 fingerprint of the client certificate (hex, colons optional)',
      }),
    },
    { additionalProperties: false },
  ),
]);
const ChangedOn = Type.Optional(
  Type.Unsafe<string>({
    ...LocalDate,
    description:
      'FZ-12: the day the equipment was installed or changed; the filing is due within the pack’s term from it (today when absent)',
  }),
);
const WithKey = Type.Object({
  terminal: TerminalView,
  apiKey: Type.Optional(
    Type.String({ description: 'The API key, shown once: only its SHA-256 is kept' }),
  ),
});
const Reason = Type.Object(
  { reason: StatedText(500) },
  { additionalProperties: false, examples: [{ reason: '设备送修 (sent for repair)' }] },
);

export function terminalsRoutes(app: App, terminals: TerminalsService): void {
  app.addSchema(TerminalView);

  app.get('/api/v1/terminals', {
    config: { access: 'terminal.read' },
    schema: {
      tags: ['terminals'],
      summary: 'Terminals and card readers of the organisations in your scope',
      querystring: Type.Composite([
        Paging,
        Type.Object({
          organizationId: Type.Optional(Uuid),
          status: Type.Optional(StringEnum(TERMINAL_STATUSES)),
        }),
      ]),
      response: {
        200: Type.Object({ items: Type.Array(TerminalView), total: Type.Integer() }),
        ...errorResponses(),
      },
    },
    handler: async (req) => {
      const { limit, offset, organizationId, status } = req.query;
      const r = await terminals.list(
        req.ctx.actor!.scope,
        { organizationId, status },
        { limit, offset },
      );
      return { items: r.items.map((t) => terminals.present(t)), total: r.total };
    },
  });

  app.get('/api/v1/terminals/:id', {
    config: { access: 'terminal.read' },
    schema: {
      tags: ['terminals'],
      summary: 'One terminal',
      params: IdParams,
      response: { 200: TerminalView, ...errorResponses(404) },
    },
    handler: async (req) => terminals.present(await terminals.get(req.ctx, req.params.id)),
  });

  app.post('/api/v1/terminals', {
    config: { access: 'terminal.manage', action: 'terminal.register' },
    schema: {
      tags: ['terminals'],
      summary:
        'Register a terminal or card reader (ZS-18, FZ-12, SG-26); its API key is shown once',
      body: Type.Object(
        {
          organizationId: Uuid,
          kind: Kind,
          label: Label,
          brand: Type.Optional(Maker),
          model: Type.Optional(Maker),
          serialNumber: Type.Optional(Serial),
          rateLimitPerSecond: Type.Optional(Rate),
          credential: Type.Optional(Credential),
          changedOn: ChangedOn,
        },
        {
          additionalProperties: false,
          examples: [
            {
              organizationId: '0b9f3c1e-8a53-4c1f-9a57-3f1d2b6c7e01',
              kind: 'card_reader',
              label: '收银台读卡器1',
              brand: '德卡',
              model: 'T10',
              rateLimitPerSecond: 50,
              changedOn: '2026-11-30',
            },
          ],
        },
      ),
      response: { 201: WithKey, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await terminals.register(req.ctx, req.body);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/terminals/:id/change', {
    config: { access: 'terminal.manage', action: 'terminal.change' },
    schema: {
      tags: ['terminals'],
      summary:
        'File a change of the equipment (FZ-12: within 7 working days); late filings are flagged',
      params: IdParams,
      body: Type.Object(
        {
          label: Type.Optional(Label),
          kind: Type.Optional(Kind),
          brand: Type.Optional(Maker),
          model: Type.Optional(Maker),
          serialNumber: Type.Optional(Serial),
          rateLimitPerSecond: Type.Optional(Rate),
          changedOn: ChangedOn,
        },
        {
          additionalProperties: false,
          examples: [{ model: 'T10 Pro', changedOn: '2026-11-27' }],
        },
      ),
      response: { 200: TerminalView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await terminals.change(req.ctx, req.params.id, req.body);
      return sendAnswer(req, reply);
    },
  });

  for (const [path, to, summary] of [
    ['suspend', 'suspended', 'Suspend a terminal: refused on every node from the commit on'],
    ['resume', 'active', 'Put a suspended terminal back in service'],
    ['retire', 'retired', 'Retire a terminal for good'],
  ] as const) {
    app.post(`/api/v1/terminals/:id/${path}`, {
      config: { access: 'terminal.manage', action: `terminal.${path}` },
      schema: {
        tags: ['terminals'],
        summary,
        params: IdParams,
        body: Reason,
        response: { 200: TerminalView, ...errorResponses(404, 409, 422) },
      },
      handler: async (req, reply) => {
        const { id } = req.params as { id: string };
        await terminals.setStatus(req.ctx, id, to, (req.body as { reason: string }).reason);
        return sendAnswer(req, reply);
      },
    });
  }

  app.post('/api/v1/terminals/:id/rotate', {
    config: { access: 'terminal.manage', action: 'terminal.rotate' },
    schema: {
      tags: ['terminals'],
      summary:
        'A new credential for a terminal; the old one stops at once; a new key is shown once',
      params: IdParams,
      body: Type.Object(
        { credential: Type.Optional(Credential) },
        { additionalProperties: false, examples: [{ credential: { kind: 'api_key' } }] },
      ),
      response: { 200: WithKey, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await terminals.rotate(req.ctx, req.params.id, req.body.credential);
      return sendAnswer(req, reply);
    },
  });
}

export { SERVICE_POINT_KINDS };
