/** HTTP routes for staff accounts. */
import { Type } from '@sinclair/typebox';
import { ROLES, USERNAME_PATTERN, formatShanghai, type Role } from '@sscard/domain';
import type { App } from '../../http/app-types.js';
import { IdParams, Paging, Uuid, errorResponses, page, StringEnum } from '../../http/schemas.js';
import type { StaffRow, StaffService } from './staff.service.js';

const RoleSchema = StringEnum(ROLES);

export const StaffView = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    role: Type.String(),
    organizationId: Type.Union([Type.String(), Type.Null()]),
    status: Type.String(),
    lastLoginAt: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
  },
  { $id: 'Staff' },
);

/** Never includes the password hash, failure counters or lock state details beyond status. */
export function presentStaff(s: StaffRow) {
  return {
    id: s.id,
    username: s.username,
    displayName: s.display_name,
    role: s.role,
    organizationId: s.organization_id,
    status: s.status,
    lastLoginAt: s.last_login_at ? formatShanghai(s.last_login_at) : null,
    createdAt: formatShanghai(s.created_at),
  };
}

export function staffRoutes(app: App, staff: StaffService): void {
  app.get('/api/v1/staff', {
    config: { access: 'staff.read' },
    schema: {
      tags: ['staff'],
      summary: 'List staff accounts in your scope',
      querystring: Type.Composite([
        Paging,
        Type.Object({ organizationId: Type.Optional(Uuid), role: Type.Optional(RoleSchema) }),
      ]),
      response: { 200: page(StaffView), ...errorResponses(422) },
    },
    handler: async (req) => {
      const { items, total } = await staff.list(req.ctx.actor!.scope, {
        ...req.query,
        role: req.query.role as Role | undefined,
      });
      return {
        items: items.map(presentStaff),
        total,
        limit: req.query.limit,
        offset: req.query.offset,
      };
    },
  });

  app.get('/api/v1/staff/:id', {
    config: { access: 'staff.read' },
    schema: {
      tags: ['staff'],
      summary: 'Read a staff account',
      params: IdParams,
      response: { 200: StaffView, ...errorResponses(404) },
    },
    handler: async (req) => presentStaff(await staff.get(req.ctx.actor!.scope, req.params.id)),
  });

  app.post('/api/v1/staff', {
    config: { access: 'staff.create', action: 'staff.create' },
    schema: {
      tags: ['staff'],
      summary: 'Create a staff account',
      body: Type.Object(
        {
          username: Type.String({ pattern: USERNAME_PATTERN, examples: ['sh.icbc.op1'] }),
          displayName: Type.String({ minLength: 1, maxLength: 60 }),
          role: RoleSchema,
          organizationId: Type.Union([Uuid, Type.Null()]),
          password: Type.String({ minLength: 1, maxLength: 200, writeOnly: true }),
        },
        { additionalProperties: false },
      ),
      response: { 201: StaffView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(
          presentStaff(await staff.create({ ...req.body, role: req.body.role as Role }, req.ctx)),
        ),
  });

  app.post('/api/v1/staff/:id/disable', {
    config: { access: 'staff.disable', action: 'staff.disable' },
    schema: {
      tags: ['staff'],
      summary: 'Disable an account; its sessions end at once',
      params: IdParams,
      response: { 200: StaffView, ...errorResponses(404) },
    },
    handler: async (req) =>
      presentStaff(await staff.disable(req.ctx.actor!.scope, req.params.id, req.ctx)),
  });
}
