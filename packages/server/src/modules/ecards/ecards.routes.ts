/**
 * The electronic card's routes (docs/ECARD.md): the holder's own (access `ecard.use`, holders
 * only: `holder: true`), the terminals' QR check (access `terminal`, as `/api/v1/verify/card`)
 * and the public keys that verify the codes (`/.well-known/jwks.json`).
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import { IdParams, Uuid, errorResponses } from '../../http/schemas.js';
import { presentEcard, presentQrCheck } from './ecards.presenter.js';
import type { EcardsService } from './ecards.service.js';

const Reason = Type.Object({
  code: Type.String(),
  message: Type.String(),
  messageEn: Type.String(),
});

export const EcardView = Type.Object(
  {
    id: Type.String(),
    personId: Type.String(),
    cardNo: Type.String({ description: 'The physical card’s number, masked' }),
    jurisdiction: Type.String(),
    issuedAt: Type.String(),
    status: Type.String({
      description:
        'active or unusable: the physical card’s state now (HN-13: 状态相同), never a copy',
    }),
    reasons: Type.Array(Reason),
    pinSet: Type.Boolean(),
    pinLocked: Type.Boolean(),
  },
  { $id: 'Ecard' },
);

const QrView = Type.Object({
  token: Type.String({ description: 'base64url, 143 characters (docs/ECARD.md)' }),
  ecardId: Type.String(),
  kid: Type.String(),
  issuedAt: Type.String(),
  expiresAt: Type.String(),
  svg: Type.String({ description: 'The QR code of the token, as an SVG document' }),
});

const QrCheckView = Type.Object({
  valid: Type.Boolean(),
  ecardId: Type.String(),
  cardNo: Type.String(),
  function: Type.String(),
  checkedAt: Type.String(),
  issuedAt: Type.String(),
  expiresAt: Type.String(),
  reasons: Type.Array(
    Type.Object({
      code: Type.String(),
      rule: Type.Union([Type.String(), Type.Null()]),
      quote: Type.Union([Type.String(), Type.Null()]),
      message: Type.String(),
      messageEn: Type.String(),
    }),
  ),
  holder: Type.Object({ name: Type.Union([Type.String(), Type.Null()]) }),
  cardKind: Type.String(),
  idRequired: Type.Boolean(),
  idRequiredRule: Type.Union([Type.String(), Type.Null()]),
  terminal: Type.Object({ id: Type.String(), label: Type.String() }),
});

const Jwk = Type.Object({
  kty: Type.Literal('OKP'),
  crv: Type.Literal('Ed25519'),
  x: Type.String(),
  kid: Type.String(),
  use: Type.Literal('sig'),
  alg: Type.Literal('EdDSA'),
});

const TOKEN_EXAMPLE =
  'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function ecardsRoutes(app: App, ecards: EcardsService): void {
  app.post('/api/v1/ecards', {
    config: { access: 'ecard.use', holder: true, action: 'ecard.issue' },
    schema: {
      tags: ['ecard'],
      summary: 'Ask for the electronic card of a live physical card (HN-13), one per card',
      body: Type.Object(
        { cardNo: Type.String({ minLength: 15, maxLength: 20 }) },
        { additionalProperties: false, examples: [{ cardNo: '46000000000001X' }] },
      ),
      response: { 201: EcardView, ...errorResponses(401, 403, 404, 409, 422) },
    },
    handler: async (req, reply) => {
      await ecards.issue(req.ctx, req.body.cardNo);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/ecards/:id', {
    config: { access: 'ecard.use', holder: true },
    schema: {
      tags: ['ecard'],
      summary: 'An electronic card, its status read from the physical card now',
      params: IdParams,
      response: { 200: EcardView, ...errorResponses(401, 403, 404) },
    },
    handler: async (req) => presentEcard(await ecards.get(req.ctx, req.params.id)),
  });

  app.get('/api/v1/persons/:id/ecards', {
    config: { access: 'ecard.use', holder: true },
    schema: {
      tags: ['ecard'],
      summary: 'A person’s electronic cards (the holder’s own, or a family member’s they act for)',
      params: IdParams,
      response: {
        200: Type.Object({ items: Type.Array(EcardView) }),
        ...errorResponses(401, 403, 404),
      },
    },
    handler: async (req) => ({
      items: (await ecards.ofPerson(req.ctx, req.params.id)).map(presentEcard),
    }),
  });

  app.post('/api/v1/ecards/:id/qr', {
    config: { access: 'ecard.use', holder: true, action: 'ecard.qr' },
    schema: {
      tags: ['ecard'],
      summary:
        'A QR code to show at a terminal: signed, used once, valid for SSCARD_QR_TTL_SECONDS',
      params: IdParams,
      response: { 200: QrView, ...errorResponses(401, 403, 404, 422) },
    },
    handler: async (req, reply) => {
      await ecards.mintQr(req.ctx, req.params.id);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/ecards/:id/pin', {
    config: { access: 'ecard.use', holder: true, action: 'ecard.pin', throttle: 'pin' },
    schema: {
      tags: ['ecard'],
      summary:
        'Set the e-card’s payment PIN, or change it with the current one (HN-14: not the bank PIN)',
      params: IdParams,
      body: Type.Object(
        {
          pin: Type.String({ minLength: 1, maxLength: 12 }),
          currentPin: Type.Optional(Type.String({ minLength: 1, maxLength: 12 })),
        },
        { additionalProperties: false, examples: [{ pin: '270415' }] },
      ),
      response: {
        200: Type.Object({
          ecardId: Type.String(),
          pinSet: Type.Boolean(),
          pinSetAt: Type.String(),
        }),
        ...errorResponses(401, 403, 404, 422, 423, 429),
      },
    },
    handler: async (req, reply) => {
      await ecards.setPin(req.ctx, req.params.id, req.body);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/verify/qr', {
    config: { access: 'terminal', readOnly: true },
    schema: {
      tags: ['verify'],
      summary: 'Check an electronic card’s QR code: signature, expiry, used once, the card now',
      description:
        'Authorization: `Terminal <apiKey>` (or a client certificate behind a trusted proxy); a service point operator names a terminal of their organisation. A code is accepted once across the installation; one made before any change of the card is refused. Logged before it is answered.',
      security: [{ terminal: [] }, { bearer: [] }],
      body: Type.Object(
        {
          token: Type.String({ minLength: 1, maxLength: 512 }),
          terminalId: Type.Optional(Uuid),
        },
        { additionalProperties: false, examples: [{ token: TOKEN_EXAMPLE }] },
      ),
      response: { 200: QrCheckView, ...errorResponses(401, 403, 404, 409, 422, 429) },
    },
    handler: async (req) => presentQrCheck(await ecards.checkQr(req, req.body)),
  });

  app.get('/.well-known/jwks.json', {
    config: { access: 'public' },
    schema: {
      tags: ['ecard'],
      summary: 'The public keys that verify e-card QR codes (Ed25519, by kid)',
      response: { 200: Type.Object({ keys: Type.Array(Jwk) }) },
    },
    handler: async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return ecards.jwks();
    },
  });
}
