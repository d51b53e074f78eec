/** HTTP routes for organisations. */
import { Type } from '@sinclair/typebox';
import {
  ORGANIZATION_KINDS,
  SERVICE_POINT_KINDS,
  type OrganizationLevel,
  type ServicePointKind,
} from '@sscard/domain';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import {
  IdParams,
  Paging,
  StatedText,
  Uuid,
  errorResponses,
  page,
  StringEnum,
} from '../../http/schemas.js';
import { OrganizationView, presentOrganization } from './organizations.presenter.js';
import type { OrganizationsService } from './organizations.service.js';

export { OrganizationView, presentOrganization };

const Kind = StringEnum(ORGANIZATION_KINDS);
const Level = StringEnum(['provincial', 'city', 'employer', 'school', 'village'] as const);

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
    handler: async (req) => presentOrganization(await orgs.get(req.ctx, req.params.id)),
  });

  app.get('/api/v1/jurisdictions/:code/branches', {
    config: { access: 'organization.read' },
    schema: {
      tags: ['organizations'],
      summary: 'The bank branches of a jurisdiction an application may name (its card branch)',
      description:
        'For any member of staff of the jurisdiction (a community outlet names the branch that will make and hand over the card): active branches with their bank and whether they make cards on the spot. Organisations hold no personal data.',
      params: Type.Object({ code: Type.String({ maxLength: 20, examples: ['SH'] }) }),
      response: {
        200: Type.Object({
          items: Type.Array(
            Type.Object({
              id: Type.String(),
              code: Type.String(),
              name: Type.String(),
              bankId: Type.String(),
              bankName: Type.String(),
              canInstantIssue: Type.Boolean(),
            }),
          ),
        }),
        ...errorResponses(404, 422),
      },
    },
    handler: async (req) => ({ items: await orgs.branchesOf(req.params.code, req.ctx) }),
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
          servicePointKind: Type.Optional(
            Type.Union([StringEnum(SERVICE_POINT_KINDS), Type.Null()], {
              description: 'A service point’s kind (hospital, pharmacy, transit, …); others none',
            }),
          ),
        },
        {
          additionalProperties: false,
          examples: [
            {
              kind: 'branch',
              code: 'SH-BANK1-BR3',
              name: '上海银行第三营业部',
              jurisdiction: 'SH',
              parentId: '01936f0e-1c2b-7d3e-8a4b-5c6d7e8f9a0b',
              canInstantIssue: true,
            },
          ],
        },
      ),
      response: { 201: OrganizationView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await orgs.create(
        {
          ...req.body,
          level: req.body.level as OrganizationLevel | null | undefined,
          servicePointKind: req.body.servicePointKind as ServicePointKind | null | undefined,
        },
        req.ctx,
      );
      return sendAnswer(req, reply);
    },
  });

  const SuspensionBody = Type.Object(
    {
      reason: StatedText(500, {
        description: 'Why: the incident, its reference (audited)',
        examples: ['网络安全事件：专线异常流量，工单 2026-0412'],
      }),
    },
    {
      additionalProperties: false,
      examples: [{ reason: '网络安全事件：专线异常流量，工单 2026-0412' }],
    },
  );

  app.post('/api/v1/organizations/:id/suspend', {
    config: { access: 'organization.suspend', action: 'organization.suspend' },
    schema: {
      tags: ['organizations'],
      summary: 'Suspend a bank (with its branches), a branch or an outlet during an incident',
      description:
        'FZ-42: 市信息数据中心有权在合作银行发生网络与数据安全事件时暂停合作银行的网络专线接入。' +
        ' Their sessions end at once; until restored, their staff cannot log in and every request ' +
        'is refused with `ORGANIZATION_SUSPENDED` citing the article. Centre administrators only.',
      params: IdParams,
      body: SuspensionBody,
      response: { 200: OrganizationView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await orgs.suspend(req.params.id, req.body.reason, req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/organizations/:id/restore', {
    config: { access: 'organization.suspend', action: 'organization.restore' },
    schema: {
      tags: ['organizations'],
      summary: 'Restore a suspended organisation once the incident is over',
      params: IdParams,
      body: SuspensionBody,
      response: { 200: OrganizationView, ...errorResponses(404, 409) },
    },
    handler: async (req, reply) => {
      await orgs.restore(req.params.id, req.body.reason, req.ctx);
      return sendAnswer(req, reply);
    },
  });
}
