/**
 * Reading the audit trail (auditors), within the reader's scope; the export for an auditor
 * (JSON Lines, streamed); and a person's access log (who read or changed their record).
 */
import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { formatShanghai, shanghaiDate } from '@sscard/domain';
import type { Deps } from '../../deps.js';
import { sendFile } from '../../http/download.js';
import type { App } from '../../http/app-types.js';
import { IdParams, Instant, Paging, errorResponses, page, StringEnum } from '../../http/schemas.js';
import { AuditService } from './audit.service.js';
import { sendAnswer } from '../../http/answer.js';

const AuditView = Type.Object(
  {
    id: Type.String(),
    shard: Type.Integer(),
    seq: Type.Integer(),
    at: Type.String(),
    actorId: Type.Union([Type.String(), Type.Null()]),
    actorUsername: Type.Union([Type.String(), Type.Null()]),
    actorOrgId: Type.Union([Type.String(), Type.Null()]),
    actorRole: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    requestId: Type.Union([Type.String(), Type.Null()]),
    action: Type.String(),
    targetType: Type.Union([Type.String(), Type.Null()]),
    targetId: Type.Union([Type.String(), Type.Null()]),
    jurisdiction: Type.Union([Type.String(), Type.Null()]),
    reason: Type.Union([Type.String(), Type.Null()]),
    outcome: Type.String(),
    code: Type.Union([Type.String(), Type.Null()]),
    details: Type.Unknown(),
    hash: Type.String(),
  },
  { $id: 'AuditRecord' },
);

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const CheckEntryView = Type.Object({
  at: Type.String(),
  cardNo: Type.String(),
  check: Type.String({ description: 'card (validity) or pin' }),
  function: Type.String(),
  valid: Type.Boolean(),
  reasons: Type.Array(Type.String()),
  where: Type.String({ description: 'The service point or counter, and its kind' }),
});

const AccessLogEntryView = Type.Object(
  {
    at: Type.String(),
    action: Type.String({ examples: ['person.read_full'] }),
    outcome: StringEnum(['success', 'refused', 'error'] as const),
    code: Nullable(Type.String()),
    target: Type.Object({
      type: StringEnum(['person', 'card', 'application'] as const),
      id: Type.String(),
    }),
    by: Type.String({
      description: 'Organisation and role; never the member of staff',
      examples: ['上海银行第一营业部 · 网点经办员'],
    }),
    organization: Nullable(Type.String()),
    role: Nullable(Type.String()),
    system: Type.Boolean({ description: 'The platform itself (a scheduled job, a command)' }),
    reason: Nullable(Type.String()),
  },
  { $id: 'AccessLogEntry' },
);

export function auditRoutes(app: App, deps: Deps): void {
  const audit = new AuditService(deps);

  app.get('/api/v1/audit/export', {
    config: { access: 'audit.read', action: 'audit.export' },
    schema: {
      tags: ['audit'],
      summary: 'Export the trail of a period for an auditor (JSON Lines, streamed; audited)',
      description:
        'One record a line, in (shard, seq) order, with every hashed field, `prev_hash` and ' +
        '`hash` (hex): each record re-hashes from its line (SHA-256 over prev_hash and the ' +
        'canonical JSON of the fields), consecutive records of a shard link. Within your scope; ' +
        '`from` inclusive, `to` exclusive. Check a saved export with `sscard audit verify-archive`.',
      querystring: Type.Object({ from: Instant, to: Instant }),
      produces: ['application/x-ndjson'],
      response: errorResponses(422),
    },
    handler: async (req, reply) => {
      const from = new Date(req.query.from);
      const to = new Date(req.query.to);
      await audit.recordExport(req.ctx, { from, to });
      const lines = audit.exportLines({ from, to, scope: req.ctx.actor!.scope });
      return sendFile(
        reply,
        `audit-${shanghaiDate(from)}-${shanghaiDate(to)}.jsonl`,
        'application/x-ndjson; charset=utf-8',
        Readable.from(lines),
      );
    },
  });

  app.get('/api/v1/persons/:id/access-log', {
    config: { access: 'person.read', holder: true },
    schema: {
      tags: ['persons'],
      summary: 'Who read or changed this person’s record, cards and applications (newest first)',
      description:
        'Each entry shows when, what, the outcome, the reason stated, and who as organisation ' +
        'and role, never the member of staff. Within your scope. Reading it is not audited.',
      params: IdParams,
      querystring: Paging,
      response: {
        200: Type.Composite([
          page(AccessLogEntryView),
          Type.Object({
            checks: Type.Array(CheckEntryView, {
              description: 'Where the person’s cards were checked online (HN-32), newest 50',
            }),
          }),
        ]),
        ...errorResponses(404),
      },
    },
    handler: async (req) => {
      const { limit, offset } = req.query;
      const result = await audit.accessLog(
        req.ctx,
        req.params.id,
        { limit, offset },
        req.ctx.locale,
      );
      return { ...result, limit, offset };
    },
  });

  app.post('/api/v1/audit/verify', {
    config: { access: 'audit.read', action: 'audit.check' },
    schema: {
      tags: ['audit'],
      summary: 'Walk every hash chain of the trail now (an auditor’s check; audited)',
      description:
        'The same check as `sscard audit verify` and the daily `audit.verify` job: every shard’s chain from its anchor to its head. Answers how many records were checked and the first broken link, if any.',
      response: {
        200: Type.Object({
          records: Type.Integer(),
          shards: Type.Integer(),
          pruned: Type.Integer(),
          intact: Type.Boolean(),
          breaks: Type.Integer(),
          firstBreak: Type.Union([
            Type.Object({ shard: Type.Integer(), seq: Type.Integer(), problem: Type.String() }),
            Type.Null(),
          ]),
        }),
        ...errorResponses(),
      },
    },
    handler: async (req, reply) => {
      await audit.check(req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/audit', {
    config: { access: 'audit.read' },
    schema: {
      tags: ['audit'],
      summary: 'Search the audit trail (newest first)',
      querystring: Type.Composite([
        Paging,
        Type.Object({
          targetType: Type.Optional(Type.String({ maxLength: 40 })),
          targetId: Type.Optional(Type.String({ maxLength: 64 })),
          actorId: Type.Optional(Type.String({ format: 'uuid' })),
          action: Type.Optional(Type.String({ maxLength: 60 })),
          outcome: Type.Optional(StringEnum(['success', 'refused', 'error'] as const)),
          from: Type.Optional(Instant),
          to: Type.Optional(Instant),
        }),
      ]),
      response: { 200: page(AuditView), ...errorResponses(422) },
    },
    handler: async (req) => {
      const f = req.query;
      const { rows, count } = await audit.search(req.ctx.actor!.scope, f);
      return {
        items: rows.map((r) => ({
          id: r.id,
          shard: r.shard,
          seq: r.seq,
          at: formatShanghai(r.at),
          actorId: r.actor_id,
          actorUsername: r.actor_username,
          actorOrgId: r.actor_org_id,
          actorRole: r.actor_role,
          ip: r.ip,
          requestId: r.request_id,
          action: r.action,
          targetType: r.target_type,
          targetId: r.target_id,
          jurisdiction: r.jurisdiction,
          reason: r.reason,
          outcome: r.outcome,
          code: r.code,
          details: r.details,
          hash: r.hash.toString('hex'),
        })),
        total: count,
        limit: f.limit,
        offset: f.offset,
      };
    },
  });
}
