/** HTTP routes for applications: submit, read, agency checks, withdraw, instant production, stocking. */
import { Type, type TSchema } from '@sinclair/typebox';
import {
  APPLICATION_CHANNELS,
  APPLICATION_KINDS,
  CHANGE_REASONS,
  ID_DOCUMENT_TYPE_IDS,
  PRODUCTION_CHECKS,
} from '@sscard/domain';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import { StatedText, StringEnum, Uuid, errorResponses } from '../../http/schemas.js';
import type { ApplicationsService } from './applications.service.js';
import { ApplicationView } from './applications.presenter.js';
import type { ApplicationRow } from './applications.repository.js';
import type { KeyChangeService } from './key-change.js';
import { PersonView } from '../persons/persons.presenter.js';

const IdParams = Type.Object({ id: Uuid });
const IDEMPOTENCY = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      description: 'Retry-safe key: a repeat returns the first answer and changes nothing twice',
      examples: ['a8f5f167-0001'],
    }),
  ),
});

const SubmitBody = Type.Object(
  {
    personId: Uuid,
    kind: StringEnum(APPLICATION_KINDS, {
      description:
        'first 首次申领 · replacement 补领 · change 换领 · reissue 换发/重新申领 · temporary 临时卡',
    }),
    reason: Type.Optional(StringEnum(CHANGE_REASONS)),
    channel: Type.Optional(StringEnum(APPLICATION_CHANNELS)),
    jurisdiction: Type.Optional(
      Type.String({ description: 'Defaults to the actor’s jurisdiction' }),
    ),
    branchId: Type.Optional(Uuid),
    production: Type.Optional(StringEnum(['instant', 'batch'] as const)),
    delivery: Type.Optional(StringEnum(['counter', 'mail', 'home', 'unit'] as const)),
    deliveryAddress: Type.Optional(Type.String({ minLength: 5, maxLength: 200 })),
    agent: Type.Optional(
      Type.Object(
        {
          kind: StringEnum(['agent', 'guardian'] as const),
          name: Type.String({ minLength: 1, maxLength: 60 }),
          idType: StringEnum(ID_DOCUMENT_TYPE_IDS),
          idNumber: Type.String({ minLength: 1, maxLength: 30 }),
          relation: Type.String({ minLength: 1, maxLength: 20 }),
          documentsSeen: Type.Boolean({
            description: 'The agent showed their own ID and the applicant’s',
          }),
        },
        { additionalProperties: false },
      ),
    ),
    oldCardNo: Type.Optional(Type.String({ maxLength: 15 })),
    consentToDelay: Type.Optional(
      Type.Boolean({ description: 'FZ-16: consent when the card cannot be made on the spot' }),
    ),
    bankLossReceipt: Type.Optional(
      Type.Boolean({ description: 'SG-16: the bank’s loss receipt was shown' }),
    ),
    studioPhotoReceipt: Type.Optional(Type.Boolean({ description: 'SG-10: photo studio receipt' })),
    hospitalProof: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'SG-19: hospital certificate reference',
      }),
    ),
    temporaryCardLostOrDamaged: Type.Optional(
      Type.Boolean({
        description: 'SG-19: a temporary card replaced because lost or damaged (20 yuan)',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        personId: '01936f0e-1c2b-7d3e-8a4b-5c6d7e8f9a0b',
        kind: 'first',
        channel: 'counter',
        production: 'batch',
      },
      {
        personId: '01936f0e-1c2b-7d3e-8a4b-5c6d7e8f9a0b',
        kind: 'replacement',
        oldCardNo: '31000000000001X',
        production: 'instant',
      },
    ],
  },
);

export function applicationsRoutes(
  app: App,
  applications: ApplicationsService,
  keyChanges: KeyChangeService,
  now: () => Date,
): void {
  const view = (row: ApplicationRow) => applications.present(row, now());

  const act = (
    path: string,
    permission: 'application.check' | 'application.withdraw' | 'card.produce' | 'card.stock',
    summary: string,
    body: TSchema | null,
    run: (
      id: string,
      body: never,
      ctx: Parameters<ApplicationsService['withdraw']>[1],
    ) => Promise<ApplicationRow>,
  ) =>
    app.post(`/api/v1/applications/:id/${path}`, {
      config: { access: permission, action: `application.${path}` },
      schema: {
        tags: ['applications'],
        summary,
        params: IdParams,
        headers: IDEMPOTENCY,
        ...(body ? { body } : {}),
        response: { 200: ApplicationView, ...errorResponses(404, 409, 422) },
      },
      handler: async (req, reply) => {
        await run((req.params as { id: string }).id, req.body as never, req.ctx);
        return sendAnswer(req, reply);
      },
    });

  app.post('/api/v1/applications', {
    config: { access: 'application.create', action: 'application.submit', holder: true },
    schema: {
      tags: ['applications'],
      summary: 'Apply for a card (申领): first, replacement, change, reissue or temporary',
      description:
        'Checked against the rule pack in force: kind and channel offered, documents by age, agents and guardians, one card per person, formal loss before replacement, photo, instant production. The answer is `checking` while agency checks are pending (SH-10), `approved` for instant production, or `in_production`.',
      headers: IDEMPOTENCY,
      body: SubmitBody,
      response: { 201: ApplicationView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await applications.submit(req.body, req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/persons/:id/applications', {
    config: { access: 'application.read', holder: true },
    schema: {
      tags: ['applications'],
      summary: 'A person’s applications you may see, newest first',
      params: IdParams,
      response: {
        200: Type.Object({ items: Type.Array(ApplicationView) }),
        ...errorResponses(404),
      },
    },
    handler: async (req) => ({
      items: await Promise.all(
        (await applications.listForPerson(req.params.id, req.ctx)).map(view),
      ),
    }),
  });

  app.get('/api/v1/applications/:id', {
    config: { access: 'application.read', holder: true },
    schema: {
      tags: ['applications'],
      summary: 'Read an application',
      params: IdParams,
      response: { 200: ApplicationView, ...errorResponses(404) },
    },
    handler: async (req) => view(await applications.get(req.params.id, req.ctx)),
  });

  act(
    'delay-notice',
    'application.check',
    'The applicant was told the card will be late (FZ-23: 延期发放的，应及时通知申领人); a late card without it is flagged daily',
    null,
    (id, _b, ctx) => applications.recordDelayNotice(id, ctx),
  );

  act(
    'checks',
    'application.check',
    'Record an agency’s check (SH-10: police, HRSS, medical insurance); a fail needs the reason told to the applicant',
    Type.Object(
      {
        agency: StringEnum([
          ...(['police', 'hrss', 'medical', 'population'] as const),
          ...PRODUCTION_CHECKS,
        ]),
        result: StringEnum(['pass', 'fail'] as const),
        reason: Type.Optional(StatedText(200)),
      },
      {
        additionalProperties: false,
        examples: [
          { agency: 'police', result: 'pass' },
          { agency: 'medical', result: 'fail', reason: '未参加本市医疗保险' },
        ],
      },
    ),
    (id, body: { agency: string; result: 'pass' | 'fail'; reason?: string }, ctx) =>
      applications.recordCheck(id, body, ctx),
  );
  act(
    'withdraw',
    'application.withdraw',
    'Withdraw an application before its card is made',
    null,
    (id, _b, ctx) => applications.withdraw(id, ctx),
  );
  act(
    'produce',
    'card.produce',
    'Make the card on the spot at a capable counter (即时制卡, FZ-21: 20 minutes)',
    null,
    (id, _b, ctx) => applications.produce(id, ctx),
  );
  act(
    'stock',
    'card.stock',
    'The batch-made card arrived at the branch (入库)',
    null,
    (id, _b, ctx) => applications.stock(id, ctx),
  );

  app.post('/api/v1/persons/:id/key-change', {
    config: { access: 'person.key_change', action: 'person.key_change' },
    schema: {
      tags: ['applications'],
      summary:
        'Change key information (name, ID document, photo) with proof; applies for the new card the pack requires',
      description:
        'SH-22 and HN-23 re-issue (换发 / 重新申领); ZS-14, SG-17 and FZ-33 change the card (换领). One transaction: the person and the applications change together.',
      params: IdParams,
      headers: IDEMPOTENCY,
      body: Type.Object(
        {
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
          idType: Type.Optional(StringEnum(ID_DOCUMENT_TYPE_IDS)),
          idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
          photoChanged: Type.Optional(Type.Boolean()),
          proof: Type.Optional(StatedText(100)),
          production: Type.Optional(StringEnum(['instant', 'batch'] as const)),
        },
        {
          additionalProperties: false,
          examples: [{ name: '李四', proof: '派出所户籍变更证明 No. 2026-0518' }],
        },
      ),
      response: {
        200: Type.Object({ person: PersonView, applications: Type.Array(ApplicationView) }),
        ...errorResponses(404, 409, 422),
      },
    },
    handler: async (req, reply) => {
      await keyChanges.change(req.params.id, req.body, req.ctx);
      return sendAnswer(req, reply);
    },
  });
}
