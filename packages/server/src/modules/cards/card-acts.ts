/**
 * The acts on a card, declared once: the HTTP routes (cards.routes.ts), the scenario runner's
 * steps (scenarios/) and their field checks all come from this table, so a new act or a new
 * field lands everywhere at once. Each entry: the path under /api/v1/cards/{cardNo}/, the
 * permission the route needs (the act's relationship rule is in the domain's access table), its
 * body schema, and how to run it on the service.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import {
  APPLICANT_RELATIONS,
  CANCELLATION_GROUNDS,
  TEMPORARY_CARD_ENDINGS,
  VIAS,
  type Permission,
} from '@sscard/domain';
import type { ActContext } from '../../context.js';
import { StatedText, StringEnum } from '../../http/schemas.js';
import type { CardRow } from './cards.repository.js';
import type { CardsService } from './cards.service.js';

export const Via = StringEnum(VIAS, {
  description: 'How the holder reached us: at this counter (default), by phone, online …',
});
const Pin = Type.String({ pattern: '^\\d{6}$', writeOnly: true });

export interface CardActDef {
  /** Under /api/v1/cards/{cardNo}/: `loss`, `pin/reset`. */
  path: string;
  /** The scenario step: the path in camelCase (`pinReset`). */
  step: string;
  permission: Permission;
  summary: string;
  body: TSchema | null;
  throttle?: 'pin';
  /** A holder online may do it too (where the pack's places include `online`). */
  holder?: boolean;
  run(cards: CardsService, cardNo: string, body: never, ctx: ActContext): Promise<CardRow>;
}

const stepOf = (path: string) => path.replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase());

function declare(): CardActDef[] {
  const acts: CardActDef[] = [];
  const def = (
    path: string,
    permission: Permission,
    summary: string,
    body: TSchema | null,
    run: CardActDef['run'],
    options: { throttle?: 'pin'; holder?: boolean } = {},
  ) => acts.push({ path, step: stepOf(path), permission, summary, body, run, ...options });

  def(
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
    (cards, cardNo, body: Parameters<CardsService['issue']>[1], ctx) =>
      cards.issue(cardNo, body, ctx),
  );

  def(
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
    (cards, cardNo, body: Parameters<CardsService['activate']>[1], ctx) =>
      cards.activate(cardNo, body, ctx),
  );

  def(
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
      cards,
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
    { holder: true },
  );

  def(
    'unreport',
    'card.loss',
    'Un-report a loss (解挂); refused once a replacement has been applied for (ZS-13, SG-15, HN-19, FZ-34)',
    Type.Object(
      { via: Type.Optional(Via), cardPresented: Type.Optional(Type.Boolean()) },
      { additionalProperties: false, examples: [{ cardPresented: true }] },
    ),
    (cards, cardNo, body: Parameters<CardsService['unreport']>[1], ctx) =>
      cards.unreport(cardNo, body, ctx),
    { holder: true },
  );

  def(
    'suspend',
    'card.suspend',
    'Stop the card on the holder’s request (停用, FZ-35)',
    null,
    (cards, cardNo, _b, ctx) => cards.suspend(cardNo, ctx),
  );
  def('resume', 'card.suspend', 'Resume a stopped card', null, (cards, cardNo, _b, ctx) =>
    cards.resume(cardNo, ctx),
  );
  def(
    'freeze',
    'card.freeze',
    'Freeze the card for misuse (冻结 / 中止: HN-42, FZ-28)',
    Type.Object(
      { reason: StatedText(200) },
      { additionalProperties: false, examples: [{ reason: '出借社会保障卡' }] },
    ),
    (cards, cardNo, body: { reason: string }, ctx) => cards.freeze(cardNo, body, ctx),
  );
  def('unfreeze', 'card.freeze', 'Lift a freeze', null, (cards, cardNo, _b, ctx) =>
    cards.unfreeze(cardNo, ctx),
  );

  def(
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
              deathCertificate: Type.Optional(StatedText(60)),
              commitment: Type.Optional(Type.Boolean({ description: 'HN-27: 告知承诺制' })),
              applicantIdSeen: Type.Optional(Type.Boolean()),
              relativeIdSeen: Type.Optional(Type.Boolean()),
              cardHandedIn: Type.Optional(Type.Boolean()),
              applicantRelation: Type.Optional(
                StringEnum(APPLICANT_RELATIONS, {
                  description:
                    'Who asks, for a death or a disappearance: holder, guardian 监护人, household_member 户籍内家庭成员, relative 亲属, agent 代理人 (SG-18)',
                }),
              ),
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
            evidence: {
              deathCertificate: 'No. 3101060012345',
              relativeIdSeen: true,
              applicantRelation: 'relative',
            },
            attestations: { holderReminded: true },
          },
        ],
      },
    ),
    (cards, cardNo, body: Parameters<CardsService['cancel']>[1], ctx) =>
      cards.cancel(cardNo, body, ctx),
  );
  def(
    'return',
    'card.return',
    'The old or cancelled card was handed back (收回)',
    null,
    (cards, cardNo, _b, ctx) => cards.returnCard(cardNo, ctx),
  );
  def(
    'destroy',
    'card.destroy',
    'Destroy a returned old card or a cancelled card (销毁, HN-25, FZ-36)',
    null,
    (cards, cardNo, _b, ctx) => cards.destroy(cardNo, ctx),
  );

  def(
    'pin',
    'card.pin',
    'Set or change the social PIN (`old` required once one is set); not in Hainan (HN-14)',
    Type.Object(
      { old: Type.Optional(Pin), new: Pin },
      { additionalProperties: false, examples: [{ old: '888888', new: '520131' }] },
    ),
    (cards, cardNo, body: { old?: string; new: string }, ctx) => cards.changePin(cardNo, body, ctx),
    { throttle: 'pin' },
  );
  def(
    'pin/verify',
    'card.pin',
    'Verify the social PIN; wrong attempts count and lock it (FZ-32: six)',
    Type.Object({ pin: Pin }, { additionalProperties: false, examples: [{ pin: '520131' }] }),
    (cards, cardNo, body: { pin: string }, ctx) => cards.verifyPin(cardNo, body, ctx),
    { throttle: 'pin' },
  );
  def(
    'pin/reset',
    'card.pin',
    'Reset the PIN at a counter with the holder’s ID: to the initial PIN (FZ-32: 888888) or a new one',
    Type.Object({ new: Type.Optional(Pin) }, { additionalProperties: false, examples: [{}] }),
    (cards, cardNo, body: { new?: string }, ctx) => cards.resetPin(cardNo, body, ctx),
    { throttle: 'pin' },
  );
  def(
    'pin/unlock',
    'card.pin',
    'Unlock a locked PIN at a counter (SG-21)',
    null,
    (cards, cardNo, _b, ctx) => cards.unlockPin(cardNo, ctx),
    { throttle: 'pin' },
  );

  def(
    'bank-account-closed',
    'card.cancel',
    'The bank closed the account of a card cancelled on its holder’s death (HN-27: within 180 days); the card may then be destroyed',
    null,
    (cards, cardNo, _b, ctx) => cards.closeBankAccount(cardNo, ctx),
  );
  def(
    'undeliverable',
    'card.cancel',
    'A card made but not handed over cannot be delivered: the pack’s action at once (ZS-17(二) cancel, HN-12 recover and hold, FZ-27 cancel and recover, destroyed later)',
    Type.Object(
      {
        reason: StringEnum(['death', 'job_transfer', 'emigration', 'production_failure'] as const, {
          description:
            'death (as recorded in the register), job_transfer 工作调动, emigration 出国（境）定居, production_failure 制卡失败',
        }),
      },
      { additionalProperties: false, examples: [{ reason: 'job_transfer' }] },
    ),
    (
      cards,
      cardNo,
      body: { reason: 'death' | 'job_transfer' | 'emigration' | 'production_failure' },
      ctx,
    ) =>
      cards
        .markUndeliverable(
          cardNo,
          {
            jobTransfer: body.reason === 'job_transfer',
            settledAbroad: body.reason === 'emigration',
            productionFailed: body.reason === 'production_failure',
          },
          ctx,
        )
        .then((row) => row!),
  );
  return acts;
}

export const CARD_ACTS: readonly CardActDef[] = declare();

/** The act a scenario step names (`loss`, `pinReset`), if it is a card act. */
export function cardActOfStep(step: string): CardActDef | undefined {
  return CARD_ACTS.find((a) => a.step === step);
}
