/**
 * Holders online: sign-in with a one-time code, the holder's own page, family service, the
 * branches an online application may name, and (with the built-in simulator only) its outbox.
 * A holder also calls the staff routes that declare `holder: true` (their cards, applications,
 * loss reports, contact data), decided by the relation `holder` (packages/domain/src/access).
 */
import { Type } from '@sinclair/typebox';
import { ID_DOCUMENT_TYPE_IDS, WARD_RELATIONS } from '@sscard/domain';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import { StringEnum, Uuid, errorResponses } from '../../http/schemas.js';
import type { NotifyAdapter } from '../../adapters/notify/notify-adapter.js';
import { NotifySimulator } from '../../adapters/notify/notify-simulator.js';
import type { HoldersService } from './holders.service.js';

const DocType = StringEnum(ID_DOCUMENT_TYPE_IDS, {
  description: 'Identity document type (resident_id when absent)',
});
const IdNumber = Type.String({ minLength: 1, maxLength: 30, examples: ['11010519491231002X'] });
const Phone = Type.String({ pattern: '^1\\d{10}$', examples: ['13800138000'] });
const Code = Type.String({ pattern: '^\\d{6}$', examples: ['123456'] });

export const HolderView = Type.Object(
  {
    personId: Type.String(),
    name: Type.String(),
    idNumberMasked: Type.String(),
    phoneMasked: Type.Union([Type.String(), Type.Null()]),
    jurisdiction: Type.String(),
  },
  { $id: 'Holder' },
);
const WardView = Type.Object(
  {
    personId: Type.String(),
    name: Type.String(),
    relation: StringEnum(WARD_RELATIONS),
    proof: StringEnum(['recorded_guardian', 'consent_code'] as const),
    addedAt: Type.String(),
  },
  { $id: 'Ward' },
);

export function holdersRoutes(app: App, holders: HoldersService, notify: NotifyAdapter): void {
  app.addSchema(HolderView);
  app.addSchema(WardView);

  app.post('/api/v1/holder/sign-in/start', {
    config: { access: 'public', action: 'holder.sign_in_start' },
    schema: {
      tags: ['holders'],
      summary:
        'Ask for a one-time code, sent to the phone on the holder’s record; the same answer whoever asks',
      security: [],
      body: Type.Object(
        { idType: Type.Optional(DocType), idNumber: IdNumber, phone: Phone },
        {
          additionalProperties: false,
          examples: [{ idNumber: '11010519491231002X', phone: '13800138000' }],
        },
      ),
      response: {
        202: Type.Object({
          challengeId: Type.String(),
          expiresAt: Type.String(),
          resendAfterSeconds: Type.Integer(),
        }),
        ...errorResponses(422, 429),
      },
    },
    handler: async (req, reply) => {
      await holders.startSignIn(req.ctx, req.body);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/holder/sign-in', {
    config: { access: 'public', action: 'holder.sign_in' },
    schema: {
      tags: ['holders'],
      summary: 'Sign in with the one-time code: a holder session, its token shown once',
      security: [],
      body: Type.Object(
        { challengeId: Uuid, code: Code },
        {
          additionalProperties: false,
          examples: [{ challengeId: '0195f3c2-7a10-7c4e-9d2a-1b2c3d4e5f60', code: '123456' }],
        },
      ),
      response: {
        200: Type.Object({ token: Type.String(), expiresAt: Type.String(), holder: HolderView }),
        ...errorResponses(401, 422, 429),
      },
    },
    handler: async (req, reply) => {
      await holders.signIn(req.ctx, req.body);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/holder/me', {
    config: { access: 'holder' },
    schema: {
      tags: ['holders'],
      summary: 'The signed-in holder and the family members they act for (亲情服务)',
      response: {
        200: Type.Object({ holder: HolderView, wards: Type.Array(WardView) }),
        ...errorResponses(401, 403),
      },
    },
    handler: async (req) => holders.me(req.ctx.actor!),
  });

  app.post('/api/v1/holder/sign-out', {
    config: { access: 'holder', action: 'holder.sign_out' },
    schema: {
      tags: ['holders'],
      summary: 'End this holder session',
      response: { 200: Type.Object({ signedOut: Type.Boolean() }), ...errorResponses(401) },
    },
    handler: async (req, reply) => {
      await holders.signOut(req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/holder/wards', {
    config: { access: 'holder', action: 'holder.ward.add' },
    schema: {
      tags: ['holders'],
      summary:
        'Act for a family member (亲情服务): a child under 16 with you as recorded guardian at once; anyone else consents with a code sent to their phone',
      body: Type.Object(
        {
          idType: Type.Optional(DocType),
          idNumber: Type.Optional(IdNumber),
          relation: Type.Optional(StringEnum(WARD_RELATIONS)),
          challengeId: Type.Optional(Uuid),
          code: Type.Optional(Code),
        },
        {
          additionalProperties: false,
          examples: [
            { idNumber: '11010520150101001X', relation: 'child' },
            { challengeId: '0195f3c2-7a10-7c4e-9d2a-1b2c3d4e5f60', code: '123456' },
          ],
        },
      ),
      response: {
        200: Type.Object({
          status: StringEnum(['added', 'consent_required'] as const),
          ward: Type.Optional(WardView),
          challengeId: Type.Optional(Type.String()),
          expiresAt: Type.Optional(Type.String()),
        }),
        ...errorResponses(401, 403, 409, 422, 429),
      },
    },
    handler: async (req, reply) => {
      await holders.addWard(req.ctx, req.body);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/holder/wards/:personId/remove', {
    config: { access: 'holder', action: 'holder.ward.remove' },
    schema: {
      tags: ['holders'],
      summary: 'Stop acting for a family member',
      params: Type.Object({ personId: Uuid }),
      response: { 200: Type.Object({ removed: Type.Boolean() }), ...errorResponses(401, 404) },
    },
    handler: async (req, reply) => {
      await holders.removeWard(req.ctx, req.params.personId);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/holder/branches', {
    config: { access: 'holder' },
    schema: {
      tags: ['holders'],
      summary:
        'The bank branches an online application may name (where the card is made and handed over)',
      querystring: Type.Object({
        jurisdiction: Type.String({ maxLength: 20, examples: ['310000', 'SH'] }),
      }),
      response: {
        200: Type.Object({
          items: Type.Array(
            Type.Object({ id: Type.String(), name: Type.String(), bankName: Type.String() }),
          ),
        }),
        ...errorResponses(401),
      },
    },
    handler: async (req) => ({ items: await holders.branches(req.query.jurisdiction) }),
  });

  // The built-in text gateway's outbox: only when it is the configured adapter (development,
  // demos, tests). A production installation (SSCARD_NOTIFY_WEBHOOK) has no such route.
  if (notify instanceof NotifySimulator) {
    app.get('/api/v1/simulator/messages', {
      config: { access: 'public' },
      schema: {
        tags: ['holders'],
        summary:
          'The text-message simulator’s outbox for one phone, newest first (not in production)',
        security: [],
        querystring: Type.Object({ phone: Phone }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                phone: Type.String(),
                text: Type.String(),
                purpose: Type.String(),
                code: Type.Union([Type.String(), Type.Null()]),
                sentAt: Type.String(),
              }),
            ),
          }),
        },
      },
      handler: async (req) => ({
        items: notify.outbox(req.query.phone).map((m) => ({
          phone: m.phone,
          text: m.text,
          purpose: m.purpose,
          code: m.code ?? null,
          sentAt: m.sentAt.toISOString(),
        })),
      }),
    });
  }
}
