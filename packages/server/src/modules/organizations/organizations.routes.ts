/** HTTP routes for organisations. */
import { Type } from '@sinclair/typebox';
import { ORGANIZATION_KINDS, formatShanghai, type OrganizationLevel } from '@sscard/domain';
import type { App } from '../../http/app-types.js';
import { IdParams, Paging, Uuid, errorResponses, page, StringEnum } from '../../http/schemas.js';
import type { OrganizationRow } from './organizations.repository.js';
import type { OrganizationsService } from './organizations.service.js';

const Kind = StringEnum(ORGANIZATION_KINDS);
const Level = StringEnum(['provincial', 'city', 'employer', 'school', 'village'] as const);

export const OrganizationView = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    level: Type.Union([Type.String(), Type.Null()]),
    code: Type.String(),
    name: Type.String(),
    jurisdiction: Type.String(),
    parentId: Type.Union([Type.String(), Type.Null()]),
    bankId: Type.Union([Type.String(), Type.Null()]),
    canInstantIssue: Type.Boolean(),
    status: Type.String(),
    createdAt: Type.String(),
  },
  { $id: 'Organization' },
);

export function presentOrganization(o: OrganizationRow) {
  return {
    id: o.id,
    kind: o.kind,
    level: o.level,
    code: o.code,
    name: o.name,
    jurisdiction: o.jurisdiction,
    parentId: o.parent_id,
    bankId: o.bank_id,
    canInstantIssue: o.can_instant_issue,
    status: o.status,
    createdAt: formatShanghai(o.created_at),
  };
}

export function organizationsRoutes(app: App, orgs: OrganizationsService): void {
  app.get('/api/v1/organizations', {
    config: { access: 'organization.read' },
    schema: {
      tags: ['organizations'],
      summary: 'List organisations in your scope',
      querystring: Type.Composite([
        Paging,
        Type.Object({
          kind: Type.Optional(Kind),
          jurisdiction: Type.Optional(
            Type.String({ description: 'Division code (310000) or short code (SH)' }),
          ),
          parentId: Type.Optional(Uuid),
        }),
      ]),
      response: { 200: page(OrganizationView), ...errorResponses(422) },
    },
    handler: async (req) => {
      const { items, total } = await orgs.list(req.ctx.actor!.scope, req.query);
      return {
        items: items.map(presentOrganization),
        total,
        limit: req.query.limit,
        offset: req.query.offset,
      };
    },
  });

  app.get('/api/v1/organizations/:id', {
    config: { access: 'organization.read' },
    schema: {
      tags: ['organizations'],
      summary: 'Read an organisation',
      params: IdParams,
      response: { 200: OrganizationView, ...errorResponses(404) },
    },
    handler: async (req) =>
      presentOrganization(await orgs.get(req.ctx.actor!.scope, req.params.id)),
  });

  app.post('/api/v1/organizations', {
    config: { access: 'organization.create', action: 'organization.create' },
    schema: {
      tags: ['organizations'],
      summary: 'Register an organisation (centre, bank, branch, outlet, vendor, unit)',
      body: Type.Object(
        {
          kind: Kind,
          level: Type.Optional(Type.Union([Level, Type.Null()])),
          code: Type.String({
            minLength: 2,
            maxLength: 40,
            pattern: '^[A-Za-z0-9_.-]+$',
            examples: ['ICBC-SH'],
          }),
          name: Type.String({ minLength: 2, maxLength: 100, examples: ['中国工商银行上海市分行'] }),
          jurisdiction: Type.String({ examples: ['SH', '310000'] }),
          parentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
          canInstantIssue: Type.Optional(
            Type.Boolean({ description: 'Branch has instant card production (即时制卡)' }),
          ),
        },
        { additionalProperties: false },
      ),
      response: { 201: OrganizationView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(
          presentOrganization(
            await orgs.create(
              { ...req.body, level: req.body.level as OrganizationLevel | null | undefined },
              req.ctx,
            ),
          ),
        ),
  });
}
