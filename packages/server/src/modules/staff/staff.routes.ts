/**
 * HTTP routes for staff accounts. Creating one answers its activation ticket, once; no route
 * takes or shows another account's password.
 */
import { Type } from '@sinclair/typebox';
import { ROLES, USERNAME_PATTERN, type Role } from '@sscard/domain';
import { sendAnswer } from '../../http/answer.js';
import type { App } from '../../http/app-types.js';
import { IdParams, Paging, Uuid, errorResponses, page, StringEnum } from '../../http/schemas.js';
import { presentStaff } from './staff.presenter.js';
import type { StaffService } from './staff.service.js';

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
    activated: Type.Boolean({
      description: 'The holder has set a password with the activation ticket',
    }),
    lastLoginAt: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
  },
  { $id: 'Staff' },
);

const ActivationFields = {
  activationTicket: Type.Union([
    Type.String({
      description:
        'One-time ticket with which the holder sets their password (POST /api/v1/auth/activate). ' +
        'Shown once: hand it to the holder; an Idempotency-Key retry answers null.',
    }),
    Type.Null(),
  ]),
  activationExpiresAt: Type.String(),
  redacted: Type.Optional(Type.Array(Type.String())),
};

const NewStaffView = Type.Composite([StaffView, Type.Object(ActivationFields)]);

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
      summary: 'Create a staff account; answers its one-time activation ticket',
      description:
        'No administrator chooses or sees another account’s password: the new account has none ' +
        'until its holder sets one with `activationTicket` (POST /api/v1/auth/activate) within ' +
        'SSCARD_STAFF_ACTIVATION_HOURS. A `password` member is refused. Separation of duties ' +
        '(GB/T 22239-2019 8.1.4.2): an account whose role reads the audit trail or full records ' +
        'can be created only by an administrator holding that permission itself ' +
        '(`SEPARATION_OF_DUTIES`); auditors and the first centre administrator are created by ' +
        'the operator (`sscard staff create`).',
      body: Type.Object(
        {
          username: Type.String({ pattern: USERNAME_PATTERN, examples: ['sh.icbc.op1'] }),
          displayName: Type.String({ minLength: 1, maxLength: 60 }),
          role: RoleSchema,
          organizationId: Type.Union([Uuid, Type.Null()]),
          password: Type.Optional(
            Type.Unknown({
              description: 'Refused (PASSWORD_NOT_ACCEPTED): the holder sets their own password',
              deprecated: true,
              writeOnly: true,
            }),
          ),
        },
        {
          additionalProperties: false,
          examples: [
            {
              username: 'sh.bank1.br1.op2',
              displayName: '经办员二',
              role: 'branch_operator',
              organizationId: '01936f0e-1c2b-7d3e-8a4b-5c6d7e8f9a0b',
            },
          ],
        },
      ),
      response: { 201: NewStaffView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      const { password, ...body } = req.body;
      await staff.create(
        {
          ...body,
          role: body.role as Role,
          ...(password !== undefined ? { password: String(password) } : {}),
        },
        req.ctx,
      );
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/staff/:id/disable', {
    config: { access: 'staff.disable', action: 'staff.disable' },
    schema: {
      tags: ['staff'],
      summary: 'Disable an account; its sessions end at once',
      params: IdParams,
      response: { 200: StaffView, ...errorResponses(404) },
    },
    handler: async (req, reply) => {
      await staff.disable(req.params.id, req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/staff/:id/enable', {
    config: { access: 'staff.enable', action: 'staff.enable' },
    schema: {
      tags: ['staff'],
      summary: 'Enable a disabled account (inactivity counts afresh from now)',
      params: IdParams,
      response: { 200: StaffView, ...errorResponses(404, 409) },
    },
    handler: async (req, reply) => {
      await staff.enable(req.params.id, req.ctx);
      return sendAnswer(req, reply);
    },
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
    handler: async (req, reply) => {
      await staff.resetSecondFactor(req.params.id, req.ctx);
      return sendAnswer(req, reply);
    },
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
    handler: async (req, reply) => {
      await staff.sweepInactive(req.ctx);
      return sendAnswer(req, reply);
    },
  });
}
