/**
 * The rules in force, for anyone to read: the jurisdictions with their pack version and status,
 * a pack with every parameter and its citation (defaults shown as defaults, not as law), and a
 * side-by-side comparison. Plus the fee schedule and fee quotes.
 */
import { Type } from '@sinclair/typebox';
import {
  APPLICATION_KINDS,
  CHANGE_REASONS,
  DomainError,
  comparePacks,
  isLocalDate,
  shanghaiDate,
  type ApplicationKind,
  type ChangeReason,
} from '@sscard/domain';
import type { Deps } from '../../deps.js';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import { LocalDate, errorResponses, StringEnum } from '../../http/schemas.js';
import { isJurisdictionRef } from '../jurisdictions/directory.js';
import type { FeesService } from './fees.service.js';
import { presentJurisdiction, presentParameters } from './policy.presenter.js';

const Code = Type.Object({ code: Type.String({ maxLength: 10, examples: ['SH', '310000'] }) });
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
const Warning = Type.Object({
  code: Type.String(),
  message: Bilingual,
  rule: Type.Optional(Type.String()),
});

const JurisdictionView = Type.Object({
  code: Type.String({ description: 'Administrative division code' }),
  shortCode: Type.String(),
  name: Bilingual,
  version: Type.String(),
  status: StringEnum(['in_force', 'expired', 'not_yet_in_force'] as const),
  effectiveFrom: Type.String(),
  effectiveUntil: Type.Union([Type.String(), Type.Null()]),
  regulation: Type.String(),
  warnings: Type.Array(Warning),
});

const Parameter = Type.Object({
  path: Type.String(),
  value: Type.Unknown(),
  rule: Type.String({ description: 'Article (SH-18), or DEFAULT where the regulation is silent' }),
  default: Type.Boolean({ description: 'true: a documented platform default, not law' }),
  quote: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
});

function atDate(deps: Deps, at: string | undefined): string {
  if (at === undefined) return shanghaiDate(deps.clock.now());
  if (!isLocalDate(at))
    throw new DomainError('VALIDATION', { summary: 'at must be a date YYYY-MM-DD' });
  return at;
}

export function policyRoutes(app: App, deps: Deps, fees: FeesService): void {
  app.get('/api/v1/jurisdictions', {
    config: { access: 'public' },
    schema: {
      tags: ['policy'],
      summary: 'Jurisdictions served, with the rule-pack version in force and its status',
      security: [],
      querystring: Type.Object({ at: Type.Optional(LocalDate) }),
      response: { 200: Type.Object({ items: Type.Array(JurisdictionView) }) },
    },
    handler: async (req) => {
      const on = atDate(deps, req.query.at);
      return { items: deps.rules.codes().map((code) => presentJurisdiction(deps, code, on)) };
    },
  });

  app.get('/api/v1/jurisdictions/:code/policy', {
    config: { access: 'public' },
    schema: {
      tags: ['policy'],
      summary: 'The whole rule pack with citations (the version in force on `at`, default today)',
      description:
        '`code` is a six-digit division code (a district or city code inside a jurisdiction finds it) or a short code. A malformed code is 422 JURISDICTION_CODE_INVALID; a well-formed code this installation does not serve is 404 JURISDICTION_NOT_SERVED.',
      security: [],
      params: Code,
      querystring: Type.Object({ at: Type.Optional(LocalDate) }),
      response: {
        200: Type.Object({
          jurisdiction: JurisdictionView,
          parameters: Type.Array(Parameter),
          pack: Type.Object(
            {},
            { additionalProperties: true, description: 'The pack as loaded (sscard-rule-pack/1)' },
          ),
        }),
        ...errorResponses(404, 422),
      },
    },
    handler: async (req) => {
      const on = atDate(deps, req.query.at);
      const code = deps.jurisdictions.resolveResource(req.params.code).shortCode;
      const { pack } = deps.rules.resolve(code, on);
      return {
        jurisdiction: presentJurisdiction(deps, code, on),
        parameters: presentParameters(pack),
        pack,
      };
    },
  });

  app.get('/api/v1/policy/compare', {
    config: { access: 'public' },
    schema: {
      tags: ['policy'],
      summary: 'One row per parameter, one column per jurisdiction (`codes=SH,HN`)',
      description:
        '`codes` names the jurisdictions to compare, as in a path: each is a six-digit division code or a short code. A malformed one is 422 JURISDICTION_CODE_INVALID; a well-formed code this installation does not serve is 404 JURISDICTION_NOT_SERVED (the first such code is reported).',
      security: [],
      querystring: Type.Object({
        codes: Type.String({
          pattern: '^[A-Za-z0-9]{2,6}(,[A-Za-z0-9]{2,6})+$',
          examples: ['SH,HN'],
        }),
        differing: Type.Optional(
          Type.Boolean({ description: 'only rows whose values differ', default: false }),
        ),
        at: Type.Optional(LocalDate),
      }),
      response: {
        200: Type.Object({}, { additionalProperties: true }),
        ...errorResponses(404, 422),
      },
    },
    handler: async (req) => {
      const on = atDate(deps, req.query.at);
      const codes = req.query.codes.split(',');
      // Shapes first: a malformed code (422) is reported before an unserved one (404).
      const malformed = codes.find((c) => !isJurisdictionRef(c));
      if (malformed !== undefined) {
        throw new DomainError('JURISDICTION_CODE_INVALID', { value: malformed.slice(0, 20) });
      }
      const packs = codes.map((c) =>
        deps.rules.packFor(deps.jurisdictions.resolveResource(c).shortCode, on),
      );
      const comparison = comparePacks(packs);
      return req.query.differing
        ? { ...comparison, rows: comparison.rows.filter((r) => r.differs) }
        : comparison;
    },
  });

  app.get('/api/v1/fees/schedule', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['policy'],
      summary: 'Installation fee amounts (fen) where a regulation delegates the amount',
      response: {
        200: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer())),
        ...errorResponses(),
      },
    },
    handler: async () => fees.schedule(),
  });

  const Amounts = Type.Record(Type.String(), Type.Integer({ minimum: 0 }));
  const Schedule = Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer()));

  app.put('/api/v1/fees/schedule', {
    config: { access: 'policy.configure', action: 'fees.schedule.replace' },
    schema: {
      tags: ['policy'],
      summary: 'Replace the whole fee schedule (the installation administrator)',
      description:
        'Every jurisdiction’s amounts at once, e.g. {"HN": {"replacement": 2000}}. A centre changes its own jurisdiction’s amounts with PUT /api/v1/fees/schedule/{code}.',
      body: Type.Record(Type.String({ pattern: '^[A-Z]{2,4}$' }), Amounts, {
        examples: [{ HN: { replacement: 2000, change: 2000 }, ZS: { replacement: 2000 } }],
      }),
      response: { 200: Schedule, ...errorResponses(403, 422) },
    },
    handler: async (req, reply) => {
      await fees.replace(req.body, req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.put('/api/v1/fees/schedule/:code', {
    config: { access: 'policy.configure', action: 'fees.schedule.replace' },
    schema: {
      tags: ['policy'],
      summary: 'Replace one jurisdiction’s fee amounts (its centre, or the installation)',
      params: Type.Object({ code: Type.String({ maxLength: 20, examples: ['HN'] }) }),
      body: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
        examples: [{ replacement: 2000, change: 2000 }],
      }),
      response: { 200: Schedule, ...errorResponses(403, 404, 422) },
    },
    handler: async (req, reply) => {
      await fees.replace(req.body, req.ctx, req.params.code);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/fees/quote', {
    config: { access: 'authenticated', readOnly: true },
    schema: {
      tags: ['policy'],
      summary: 'What a card would cost, with the article that sets or waives the fee',
      body: Type.Object(
        {
          jurisdiction: Type.String(),
          kind: StringEnum(APPLICATION_KINDS),
          reason: Type.Optional(StringEnum(CHANGE_REASONS)),
          cardIssuedOn: Type.Optional(LocalDate),
          cardPickedUpOn: Type.Optional(LocalDate),
          hardship: Type.Optional(StringEnum(['none', 'tekun', 'dibao'] as const)),
          isFirstCard: Type.Optional(Type.Boolean()),
          temporaryCardLostOrDamaged: Type.Optional(Type.Boolean()),
        },
        {
          additionalProperties: false,
          examples: [
            { jurisdiction: 'HN', kind: 'replacement', hardship: 'dibao' },
            { jurisdiction: 'SG', kind: 'change', reason: 'damaged', cardIssuedOn: '2025-01-10' },
          ],
        },
      ),
      response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses(422) },
    },
    handler: async (req) => {
      const now = deps.clock.now();
      const b = req.body;
      return fees.quote({
        pack: deps.rules.packFor(b.jurisdiction, now),
        kind: b.kind as ApplicationKind,
        today: shanghaiDate(now),
        ...(b.reason ? { reason: b.reason as ChangeReason } : {}),
        ...(b.cardIssuedOn ? { cardIssuedOn: b.cardIssuedOn } : {}),
        ...(b.cardPickedUpOn ? { cardPickedUpOn: b.cardPickedUpOn } : {}),
        ...(b.hardship ? { person: { hardship: b.hardship } } : {}),
        ...(b.isFirstCard !== undefined ? { isFirstCard: b.isFirstCard } : {}),
        ...(b.temporaryCardLostOrDamaged !== undefined
          ? { temporaryCardLostOrDamaged: b.temporaryCardLostOrDamaged }
          : {}),
      });
    },
  });
}
