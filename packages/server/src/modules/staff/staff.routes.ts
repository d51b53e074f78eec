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
    disabledReason: Type.Union([
      Type.String({ description: 'admin: by an administrator; inactive: unused too long' }),
      Type.Null(),
    ]),
    secondFactor: Type.Boolean({ description: 'A second factor (TOTP) is enrolled' }),
    lastLoginAt: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
  },
  { $id: 'Staff' },
);

/**
 * Never includes the password hash, the second-factor secret, the phone, failure counters or
 * lock state details beyond status.
 */
export function presentStaff(s: StaffRow) {
  return {
    id: s.id,
    username: s.username,
    displayName: s.display_name,
    role: s.role,
    organizationId: s.organization_id,
    status: s.status,
    disabledReason: s.status === 'disabled' ? (s.disabled_reason ?? 'admin') : null,
    secondFactor: s.totp_secret_enc !== null,
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
        {
          additionalProperties: false,
          examples: [
            {
              username: 'sh.bank1.br1.op2',
              displayName: '经办员二',
              role: 'branch_operator',
              organizationId: '01936f0e-1c2b-7d3e-8a4b-5c6d7e8f9a0b',
              password: 'Strong-Pass-2026',
            },
          ],
        },
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

  app.post('/api/v1/staff/:id/enable', {
    config: { access: 'staff.enable', action: 'staff.enable' },
    schema: {
      tags: ['staff'],
      summary: 'Enable a disabled account (inactivity counts afresh from now)',
      params: IdParams,
      response: { 200: StaffView, ...errorResponses(404, 409) },
    },
    handler: async (req) =>
      presentStaff(await staff.enable(req.ctx.actor!.scope, req.params.id, req.ctx)),
  });

  app.post('/api/v1/staff/:id/otp/reset', {
    config: { access: 'staff.reset_otp', action: 'staff.otp_reset' },
    schema: {
      tags: ['staff'],
      summary: "Reset an account's second factor (lost device); it enrols again at next login",
      description: 'Its sessions end. State the reason in X-Sscard-Reason; it is audited.',
      params: IdParams,
      response: { 200: StaffView, ...errorResponses(404, 409) },
    },
    handler: async (req) =>
      presentStaff(await staff.resetSecondFactor(req.ctx.actor!.scope, req.params.id, req.ctx)),
  });

  app.post('/api/v1/staff/sweep-inactive', {
    config: { access: 'staff.disable', action: 'staff.sweep_inactive' },
    schema: {
      tags: ['staff'],
      summary: 'Disable accounts in your scope unused for SSCARD_STAFF_INACTIVE_DAYS',
      description:
        'Unused: no login (nor creation, nor re-enabling) since the cut-off. The installation ' +
        'administrator is exempt. Also run by the scheduler.',
      response: {
        200: Type.Object({
          cutoff: Type.String(),
          disabled: Type.Array(Type.Object({ id: Type.String(), username: Type.String() })),
        }),
        ...errorResponses(),
      },
    },
    handler: async (req) => {
      const result = await staff.sweepInactive(req.ctx);
      return { cutoff: formatShanghai(result.cutoff), disabled: result.disabled };
    },
  });
}
