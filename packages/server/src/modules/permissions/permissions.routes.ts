/** FZ-37 permission requests: a branch asks, the bank approves, the centre sees the register. */
import { Type } from '@sinclair/typebox';
import { PERMISSIONS, type Permission } from '@sscard/domain';
import { sendAnswer } from '../../http/answer.js';
import type { App } from '../../http/app-types.js';
import { StringEnum, Uuid, errorResponses } from '../../http/schemas.js';
import { presentRequest } from './permissions.presenter.js';
import type { PermissionsService } from './permissions.service.js';

const RequestView = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    organizationId: Type.String(),
    staffId: Type.Union([Type.String(), Type.Null()]),
    account: Type.Unknown(),
    permissions: Type.Unknown(),
    reason: Type.String(),
    status: Type.String(),
    requestedAt: Type.String(),
    dueAt: Type.String(),
    decidedAt: Type.Union([Type.String(), Type.Null()]),
    filedAt: Type.Union([Type.String(), Type.Null()]),
    /** Not settled by the deadline (FZ-37: 3 working days). */
    overdue: Type.Boolean(),
    /** Settled, but after the deadline. */
    late: Type.Boolean(),
    createdStaffId: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'PermissionRequest' },
);

export function permissionsRoutes(
  app: App,
  permissions: PermissionsService,
  now: () => Date,
): void {
  app.post('/api/v1/permission-requests', {
    config: { access: 'staff.request', action: 'permission.request' },
    schema: {
      tags: ['staff'],
      summary: 'A branch asks for an account, a change of its acts, or a lock (FZ-37)',
      body: Type.Object(
        {
          kind: StringEnum(['grant', 'change', 'lock'] as const),
          staffId: Type.Optional(Uuid),
          account: Type.Optional(
            Type.Object(
              {
                username: Type.String({ maxLength: 32 }),
                displayName: Type.String({ minLength: 1, maxLength: 60 }),
              },
              { additionalProperties: false },
            ),
          ),
          permissions: Type.Optional(
            Type.Array(StringEnum(PERMISSIONS), { maxItems: 60, uniqueItems: true }),
          ),
          reason: Type.String({ minLength: 2, maxLength: 200 }),
        },
        {
          additionalProperties: false,
          examples: [
            {
              kind: 'grant',
              account: { username: 'fz.bank1.br1.op3', displayName: '新经办员' },
              permissions: ['card.loss', 'card.pin', 'person.update'],
              reason: '新员工上岗',
            },
            { kind: 'lock', staffId: '01936f0e-1c2b-7d3e-8a4b-5c6d7e8f9a0b', reason: '员工离职' },
          ],
        },
      ),
      response: { 201: RequestView, ...errorResponses(404, 422) },
    },
    handler: async (req, reply) => {
      await permissions.request(
        { ...req.body, permissions: req.body.permissions as Permission[] | undefined },
        req.ctx,
      );
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/permission-requests', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['staff'],
      summary:
        'The register of permission requests in your scope (the centre sees its jurisdiction’s)',
      querystring: Type.Object({
        status: Type.Optional(
          StringEnum(['requested', 'approved', 'rejected', 'withdrawn'] as const),
        ),
      }),
      response: { 200: Type.Object({ items: Type.Array(RequestView) }), ...errorResponses() },
    },
    handler: async (req) => ({
      items: (await permissions.list(req.ctx, req.query.status)).map((r) =>
        presentRequest(r, now()),
      ),
    }),
  });

  app.post('/api/v1/permission-requests/:id/approve', {
    config: { access: 'staff.approve', action: 'permission.approve' },
    schema: {
      tags: ['staff'],
      summary: 'Approve: the account, change or lock takes effect and is filed with the centre',
      description:
        'An approved grant creates the account without a password: the answer carries its ' +
        'one-time `activationTicket` (shown once; an Idempotency-Key retry answers null), with ' +
        'which the holder sets their own (POST /api/v1/auth/activate). A grant holding a ' +
        'permission separated from account administration (`person.read_full`, `audit.read`) ' +
        'is approved only by an administrator holding it itself (`SEPARATION_OF_DUTIES`).',
      params: Type.Object({ id: Uuid }),
      response: {
        200: Type.Object({
          request: RequestView,
          activationTicket: Type.Optional(Type.Union([Type.String(), Type.Null()])),
          activationExpiresAt: Type.Optional(Type.String()),
          redacted: Type.Optional(Type.Array(Type.String())),
        }),
        ...errorResponses(404, 409),
      },
    },
    handler: async (req, reply) => {
      await permissions.approve(req.params.id, req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/permission-requests/:id/reject', {
    config: { access: 'staff.approve', action: 'permission.reject' },
    schema: {
      tags: ['staff'],
      summary: 'Reject a permission request, with the reason',
      params: Type.Object({ id: Uuid }),
      body: Type.Object(
        { reason: Type.String({ minLength: 2, maxLength: 200 }) },
        { additionalProperties: false, examples: [{ reason: '权限超出岗位需要' }] },
      ),
      response: { 200: RequestView, ...errorResponses(404, 409) },
    },
    handler: async (req, reply) => {
      await permissions.reject(req.params.id, req.body.reason, req.ctx);
      return sendAnswer(req, reply);
    },
  });
}
