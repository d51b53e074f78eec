/** Reading the audit trail (auditors, centre administrators), within the reader's scope. */
import { Type } from '@sinclair/typebox';
import { formatShanghai } from '@sscard/domain';
import { sql } from 'kysely';
import type { Deps } from '../../deps.js';
import type { App } from '../../http/app-types.js';
import { Instant, Paging, errorResponses, page, StringEnum } from '../../http/schemas.js';
import { orgScopePredicate } from '../organizations/scope.js';

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

export function auditRoutes(app: App, deps: Deps): void {
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
      const scope = req.ctx.actor!.scope;
      const f = req.query;
      let q = deps.db.selectFrom('audit_log as a');
      if (scope.kind !== 'all') {
        q = q.where((eb) =>
          eb.or([
            scope.kind === 'jurisdiction'
              ? sql<boolean>`a.jurisdiction like ${`${scope.prefix}%`}`
              : sql<boolean>`false`,
            eb.exists(
              eb
                .selectFrom('organizations as o')
                .select('o.id')
                .whereRef('o.id', '=', 'a.actor_org_id')
                .where(orgScopePredicate(scope, 'o')),
            ),
          ]),
        );
      }
      if (f.targetType) q = q.where('a.target_type', '=', f.targetType);
      if (f.targetId) q = q.where('a.target_id', '=', f.targetId);
      if (f.actorId) q = q.where('a.actor_id', '=', f.actorId);
      if (f.action) q = q.where('a.action', '=', f.action);
      if (f.outcome) q = q.where('a.outcome', '=', f.outcome);
      if (f.from) q = q.where('a.at', '>=', new Date(f.from));
      if (f.to) q = q.where('a.at', '<', new Date(f.to));
      const [rows, count] = await Promise.all([
        q
          .selectAll('a')
          .orderBy('a.at', 'desc')
          .orderBy('a.id', 'desc')
          .limit(f.limit)
          .offset(f.offset)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
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
        total: Number(count.n),
        limit: f.limit,
        offset: f.offset,
      };
    },
  });
}
