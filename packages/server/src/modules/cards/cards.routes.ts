/** HTTP routes for cards: read, a person's cards, and every act on a card. */
import { Type, type TSchema } from '@sinclair/typebox';
import {
  CANCELLATION_GROUNDS,
  TEMPORARY_CARD_ENDINGS,
  VIAS,
  type Permission,
} from '@sscard/domain';
import type { ActContext } from '../../context.js';
import type { App } from '../../http/app-types.js';
import { StringEnum, Uuid, errorResponses } from '../../http/schemas.js';
import type { CardsService } from './cards.service.js';
import { CardView, presentCard } from './cards.presenter.js';
import type { CardRow } from './cards.repository.js';

const CardParams = Type.Object({
  cardNo: Type.String({ minLength: 15, maxLength: 15, examples: ['31000000000001X'] }),
});
const IDEMPOTENCY = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'A retry returns the first answer and changes nothing twice' }),
  ),
});
const Via = StringEnum(VIAS, {
  description: 'How the holder reached us: at this counter (default), by phone, online …',
});
const Pin = Type.String({ pattern: '^\\d{6}$', writeOnly: true });

type Run = (cardNo: string, body: never, ctx: ActContext) => Promise<CardRow>;

export function cardsRoutes(app: App, cards: CardsService, now: () => Date): void {
  const view = async (row: CardRow) => {
    const at = now();
    const pack = cards.packFor(row, at);
    return presentCard(row, pack, at, {
      photoCardDue: await cards.photoCardDue(row, pack, at),
      account: cards.repo.openAccount(row),
    });
  };

  const act = (
    path: string,
    access: Permission,
    summary: string,
    body: TSchema | null,
    run: Run,
    options: { throttle?: 'pin' } = {},
  ) =>
    app.post(`/api/v1/cards/:cardNo/${path}`, {
      config: { access, action: `card.${path.replace('/', '.')}`, ...options },
      schema: {
        tags: ['cards'],
        summary,
        params: CardParams,
        headers: IDEMPOTENCY,
        ...(body ? { body } : {}),
        response: { 200: CardView, ...errorResponses(404, 409, 422, 423) },
      },
      handler: async (req) =>
        view(
          await run((req.params as { cardNo: string }).cardNo, (req.body ?? {}) as never, req.ctx),
        ),
    });

  app.get('/api/v1/cards/:cardNo', {
    config: { access: 'card.read' },
    schema: {
      tags: ['cards'],
      summary: 'A card: its state, what works now and why not',
      params: CardParams,
      response: { 200: CardView, ...errorResponses(404, 422) },
    },
    handler: async (req) => view(await cards.get(req.params.cardNo, req.ctx)),
  });

  app.get('/api/v1/persons/:id/cards', {
    config: { access: 'card.read' },
    schema: {
      tags: ['cards'],
      summary: 'A person’s cards, newest first',
      params: Type.Object({ id: Uuid }),
      response: { 200: Type.Object({ items: Type.Array(CardView) }), ...errorResponses(404) },
    },
    handler: async (req) => ({
      items: await Promise.all((await cards.listForPerson(req.params.id, req.ctx)).map(view)),
    }),
  });

  act(
    'issue',
    'card.issue',
    'Hand the card over (发放): to the holder, an agent with both documents, by mail, to a unit, on a home visit',
    Type.Object(
      {
        to: StringEnum(['holder', 'agent', 'mail', 'unit', 'home_visit'] as const),
        agentDocumentsSeen: Type.Optional(Type.Boolean()),
        homeVisitPhotoRecord: Type.Optional(
          Type.Boolean({ description: 'FZ-24: photo of the holder with the card kept on file' }),
        ),
        unitRosterSigned: Type.Optional(
          Type.Boolean({ description: 'FZ-25: the unit signed the roster (花名册) for the cards' }),
        ),
        oldCardReturned: Type.Optional(
          Type.Boolean({ description: 'The old card was handed back (HN-25)' }),
        ),
      },
      {
        additionalProperties: false,
        examples: [
          { to: 'holder', oldCardReturned: true },
          { to: 'agent', agentDocumentsSeen: true },
        ],
      },
    ),
    (cardNo, body: Parameters<CardsService['issue']>[1], ctx) => cards.issue(cardNo, body, ctx),
  );

  act(
    'activate',
    'card.activate',
    'Enable the social function (SH-12) or activate the financial function at the bank',
    Type.Object(
      {
        function: StringEnum(['social', 'financial'] as const),
        via: Type.Optional(Via),
        byAgent: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false, examples: [{ function: 'social' }] },
    ),
    (cardNo, body: Parameters<CardsService['activate']>[1], ctx) =>
      cards.activate(cardNo, body, ctx),
  );

  act(
    'loss',
    'card.loss',
    'Report the card lost (挂失): temporary (SH-18: 5 days; HN-17: 15 days or long-term) or formal',
    Type.Object(
      {
        kind: StringEnum(['temporary', 'formal'] as const),
        term: Type.Optional(StringEnum(['default', 'long'] as const, { default: 'default' })),
        via: Type.Optional(Via),
      },
      {
        additionalProperties: false,
        examples: [{ kind: 'temporary', term: 'default', via: 'phone' }, { kind: 'formal' }],
      },
    ),
    (
      cardNo,
      body: {
        kind: 'temporary' | 'formal';
        term?: 'default' | 'long';
        via?: (typeof VIAS)[number];
      },
      ctx,
    ) =>
      cards.reportLoss(
        cardNo,
        { kind: body.kind, term: body.term ?? 'default', via: body.via },
        ctx,
      ),
  );

  act(
    'unreport',
    'card.loss',
    'Un-report a loss (解挂); refused once a replacement has been applied for (ZS-13, SG-15, HN-19, FZ-34)',
    Type.Object(
      { via: Type.Optional(Via), cardPresented: Type.Optional(Type.Boolean()) },
      { additionalProperties: false, examples: [{ cardPresented: true }] },
    ),
    (cardNo, body: Parameters<CardsService['unreport']>[1], ctx) =>
      cards.unreport(cardNo, body, ctx),
  );

  act(
    'suspend',
    'card.suspend',
    'Stop the card on the holder’s request (停用, FZ-35)',
    null,
    (cardNo, _b, ctx) => cards.suspend(cardNo, ctx),
  );
  act('resume', 'card.suspend', 'Resume a stopped card', null, (cardNo, _b, ctx) =>
    cards.resume(cardNo, ctx),
  );
  act(
    'freeze',
    'card.freeze',
    'Freeze the card for misuse (冻结 / 中止: HN-42, FZ-28)',
    Type.Object(
      { reason: Type.String({ minLength: 2, maxLength: 200 }) },
      { additionalProperties: false, examples: [{ reason: '出借社会保障卡' }] },
    ),
    (cardNo, body: { reason: string }, ctx) => cards.freeze(cardNo, body, ctx),
  );
  act('unfreeze', 'card.freeze', 'Lift a freeze', null, (cardNo, _b, ctx) =>
    cards.unfreeze(cardNo, ctx),
  );

  act(
    'cancel',
    'card.cancel',
    'Cancel the card (注销) on a ground of the regulation; refused while business is open where the pack requires it (SG-18)',
    Type.Object(
      {
        reason: StringEnum([
          ...(['death', 'emigration', 'transfer', 'ineligible', 'other'] as const),
          ...CANCELLATION_GROUNDS,
          ...TEMPORARY_CARD_ENDINGS,
        ]),
        evidence: Type.Optional(
          Type.Object(
            {
              deathCertificate: Type.Optional(Type.String({ maxLength: 60 })),
              commitment: Type.Optional(Type.Boolean({ description: 'HN-27: 告知承诺制' })),
              applicantIdSeen: Type.Optional(Type.Boolean()),
              relativeIdSeen: Type.Optional(Type.Boolean()),
              cardHandedIn: Type.Optional(Type.Boolean()),
              applicantRelation: Type.Optional(Type.String({ maxLength: 20 })),
            },
            { additionalProperties: false },
          ),
        ),
        attestations: Type.Optional(
          Type.Object(
            {
              relatedBusinessSettled: Type.Optional(Type.Boolean()),
              medicalAccountSettled: Type.Optional(Type.Boolean()),
              bankAccountClosed: Type.Optional(Type.Boolean()),
              holderReminded: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
        ),
      },
      {
        additionalProperties: false,
        examples: [
          {
            reason: 'death',
            evidence: { deathCertificate: 'No. 3101060012345', relativeIdSeen: true },
            attestations: { holderReminded: true },
          },
        ],
      },
    ),
    (cardNo, body: Parameters<CardsService['cancel']>[1], ctx) => cards.cancel(cardNo, body, ctx),
  );
  act(
    'return',
    'card.return',
    'The old or cancelled card was handed back (收回)',
    null,
    (cardNo, _b, ctx) => cards.returnCard(cardNo, ctx),
  );
  act(
    'destroy',
    'card.destroy',
    'Destroy a returned old card or a cancelled card (销毁, HN-25, FZ-36)',
    null,
    (cardNo, _b, ctx) => cards.destroy(cardNo, ctx),
  );

  const pinLimit = { throttle: 'pin' as const };
  act(
    'pin',
    'card.pin',
    'Set or change the social PIN (`old` required once one is set); not in Hainan (HN-14)',
    Type.Object(
      { old: Type.Optional(Pin), new: Pin },
      { additionalProperties: false, examples: [{ old: '888888', new: '520131' }] },
    ),
    (cardNo, body: { old?: string; new: string }, ctx) => cards.changePin(cardNo, body, ctx),
    pinLimit,
  );
  act(
    'pin/verify',
    'card.pin',
    'Verify the social PIN; wrong attempts count and lock it (FZ-32: six)',
    Type.Object({ pin: Pin }, { additionalProperties: false, examples: [{ pin: '520131' }] }),
    (cardNo, body: { pin: string }, ctx) => cards.verifyPin(cardNo, body, ctx),
    pinLimit,
  );
  act(
    'pin/reset',
    'card.pin',
    'Reset the PIN at a counter with the holder’s ID: to the initial PIN (FZ-32: 888888) or a new one',
    Type.Object({ new: Type.Optional(Pin) }, { additionalProperties: false, examples: [{}] }),
    (cardNo, body: { new?: string }, ctx) => cards.resetPin(cardNo, body, ctx),
    pinLimit,
  );
  act(
    'pin/unlock',
    'card.pin',
    'Unlock a locked PIN at a counter (SG-21)',
    null,
    (cardNo, _b, ctx) => cards.unlockPin(cardNo, ctx),
    pinLimit,
  );
}
