/**
 * The terminals' routes (access `terminal`: the terminal's own credential, checked with the card
 * in one statement, or a service point operator's session naming their terminal).
 */
import { Type } from '@sinclair/typebox';
import { VERDICT_REASON_LABELS, formatShanghai, pickLocale } from '@sscard/domain';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import { StringEnum, Uuid, errorResponses } from '../../http/schemas.js';
import type { CheckResult, VerificationService } from './verification.service.js';

const CardNo = Type.String({
  minLength: 15,
  maxLength: 20,
  description: 'The card number as read or typed (spaces ignored)',
  examples: ['35010000000001X'],
});
const Function = StringEnum(['social', 'financial', 'one_card'] as const);

export const CardCheckView = Type.Object(
  {
    valid: Type.Boolean(),
    cardNo: Type.String(),
    function: Type.String(),
    checkedAt: Type.String(),
    reasons: Type.Array(
      Type.Object({
        code: Type.String({
          description:
            'not_issued, lost, replaced, cancelled, destroyed, expired, suspended, frozen, social_not_enabled, financial_not_activated, holder_deceased, ssn_mismatch',
        }),
        rule: Type.Union([Type.String(), Type.Null()], { description: 'The article (FZ-32)' }),
        quote: Type.Union([Type.String(), Type.Null()]),
        message: Type.String(),
        messageEn: Type.String(),
      }),
    ),
    holder: Type.Object({ name: Type.Union([Type.String(), Type.Null()]) }),
    cardKind: Type.String({ description: 'regular or temporary' }),
    idRequired: Type.Boolean({
      description: 'SG-19: a temporary card is used with the holder’s ID document',
    }),
    idRequiredRule: Type.Union([Type.String(), Type.Null()]),
    terminal: Type.Object({ id: Type.String(), label: Type.String() }),
  },
  { $id: 'CardCheck' },
);

function presentCheck(r: CheckResult) {
  return {
    valid: r.verdict.valid,
    cardNo: r.cardNo,
    function: r.verdict.function,
    checkedAt: formatShanghai(r.checkedAt),
    reasons: r.verdict.reasons.map((x) => ({
      code: x.code,
      rule: x.citation?.rule ?? null,
      quote: x.citation?.quote ?? null,
      message: VERDICT_REASON_LABELS[x.code].zh,
      messageEn: VERDICT_REASON_LABELS[x.code].en,
    })),
    holder: { name: r.holderName },
    cardKind: r.cardKind,
    idRequired: r.verdict.idRequired !== null,
    idRequiredRule: r.verdict.idRequired?.rule ?? null,
    terminal: { id: r.terminal.terminalId, label: r.terminal.label },
  };
}

export function verificationRoutes(app: App, verification: VerificationService): void {
  app.post('/api/v1/verify/card', {
    config: { access: 'terminal', readOnly: true },
    schema: {
      tags: ['verify'],
      summary: 'Is this card valid now, for this function? (HN-32 联网验证)',
      description:
        'Authorization: `Terminal <apiKey>` (or a client certificate behind a trusted proxy); a service point operator uses their session and names a terminal of their organisation. Every check is logged before it is answered.',
      security: [{ terminal: [] }, { bearer: [] }],
      body: Type.Object(
        {
          cardNo: CardNo,
          function: Type.Optional(Function),
          ssn: Type.Optional(
            Type.String({
              minLength: 15,
              maxLength: 18,
              description: 'The SSN read from the chip',
            }),
          ),
          terminalId: Type.Optional(Uuid),
        },
        {
          additionalProperties: false,
          examples: [{ cardNo: '35010000000001X', function: 'social' }],
        },
      ),
      response: { 200: CardCheckView, ...errorResponses(401, 403, 404, 422, 429) },
    },
    handler: async (req) => {
      const b = req.body;
      return presentCheck(
        await verification.checkCard(req, {
          cardNo: b.cardNo,
          fn: b.function ?? 'social',
          ssn: b.ssn,
          terminalId: b.terminalId,
        }),
      );
    },
  });

  app.post('/api/v1/verify/pin', {
    config: { access: 'terminal', action: 'card.pin.check' },
    schema: {
      tags: ['verify'],
      summary: 'Check a social PIN at a terminal (FZ-32: where the pack allows; failures count)',
      security: [{ terminal: [] }, { bearer: [] }],
      body: Type.Object(
        {
          cardNo: CardNo,
          pin: Type.String({ minLength: 1, maxLength: 12 }),
          terminalId: Type.Optional(Uuid),
        },
        { additionalProperties: false, examples: [{ cardNo: '35010000000001X', pin: '135790' }] },
      ),
      response: {
        200: Type.Object({
          valid: Type.Boolean(),
          cardNo: Type.String(),
          checkedAt: Type.String(),
        }),
        ...errorResponses(401, 403, 404, 422, 423, 429),
      },
    },
    handler: async (req, reply) => {
      await verification.checkPin(req, req.body);
      return sendAnswer(req, reply);
    },
  });
}

export { pickLocale };
