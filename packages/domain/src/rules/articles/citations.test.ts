/**
 * Issue 10, item 5: a refusal cites the article whose words refuse. Every refusal path of the
 * domain — the table below, run for all five packs, and every place refusal of every act — goes
 * through `citationGap`, which fails a refusal that cites the platform default (or nothing) while
 * its pack holds a deciding parameter with an article, or that cites an article deciding nothing.
 * A refusal code the table meets must be mapped to its deciding parameters (DECIDING_PARAMETERS)
 * or listed below as decided by no pack parameter.
 */
import { describe, expect, it } from 'vitest';
import {
  checkSubmission,
  type Delivery,
  type SubmissionInput,
} from '../../lifecycle/application.js';
import {
  activate,
  freeze,
  issue,
  reportLoss,
  suspend,
  unreport,
  type IssueTo,
} from '../../lifecycle/card-acts.js';
import type { CardState } from '../../lifecycle/card.js';
import { cancel, destroy, TEMPORARY_CARD_ENDINGS } from '../../lifecycle/card-end.js';
import { afterPinAttempt, beforePinAttempt, newPin } from '../../lifecycle/pin.js';
import { citationGap, DECIDING_PARAMETERS } from '../../lifecycle/refusals.js';
import type { DomainError } from '../../errors/domain-error.js';
import type { RulePack } from '../schema.js';
import { actAt, allowedPlace, fullCancellation } from '../testing/acts.js';
import {
  adult,
  card,
  child,
  counterApplication,
  noCards,
  outcome,
  stock,
  T0,
  TODAY,
} from '../testing/lifecycle-fixtures.js';
import { loadAllPacks } from '../testing/test-support.js';
import {
  APPLICATION_KINDS,
  CANCELLATION_GROUNDS,
  CHANGE_REASONS,
  PLACE_ACTS,
  SERVICE_PLACES,
} from '../vocabulary.js';

/** Refusals no pack parameter decides: states, duplicates, malformed input. */
const NOT_FROM_A_PACK = new Set([
  'CARD_STATE',
  'APPLICATION_EXISTS',
  'LOSS_ALREADY_REPORTED',
  'NOT_REPORTED_LOST',
  'OLD_CARD_REQUIRED',
  'PERSON_DECEASED',
  'PIN_FORMAT',
  'PIN_TOO_SIMPLE',
  'PIN_SAME',
  'PIN_NOT_SET',
]);

type Case = [name: string, run: (p: RulePack) => (() => unknown)[]];

const packs = loadAllPacks();
const one = (fn: () => unknown) => [fn];
const live = (p: RulePack, over: Partial<CardState> = {}) =>
  card({ jurisdiction: p.code, ...over });
const submit = (
  p: RulePack,
  over: Partial<SubmissionInput>,
  cards = noCards,
  applicant = adult,
) => {
  const kind = over.kind ?? 'first';
  return () =>
    checkSubmission(
      p,
      applicant,
      cards,
      { ...counterApplication, place: allowedPlace(p, kind), ...over },
      TODAY,
    );
};
const lostCard = (p: RulePack) => live(p, { loss: { kind: 'formal', since: T0 } });

const CASES: Case[] = [
  // ---- applications ------------------------------------------------------------------------
  [
    'a kind of application the pack does not offer',
    (p) =>
      APPLICATION_KINDS.filter(
        (k) =>
          !p.application.kinds.value.includes(k) &&
          !(k === 'temporary' && p.temporaryCard.offered.value),
      ).map((kind) => submit(p, { kind, place: 'service_window' })),
  ],
  [
    'a unit or an agent the pack does not let bring applications',
    (p) => (['unit', 'agent'] as const).map((channel) => submit(p, { channel })),
  ],
  [
    'a household register for an adult',
    (p) => one(submit(p, {}, noCards, { ...adult, idType: 'household_register' })),
  ],
  ['a child with no one acting', (p) => one(submit(p, {}, noCards, child))],
  [
    'a child with an agent who is not the guardian (SG-10)',
    (p) => one(submit(p, { agent: { kind: 'agent', documentsSeen: true } }, noCards, child)),
  ],
  [
    'an agent who did not show both documents',
    (p) => one(submit(p, { agent: { kind: 'agent', documentsSeen: false } })),
  ],
  ['an adult with no photo', (p) => one(submit(p, {}, noCards, { ...adult, hasPhoto: false }))],
  [
    'a delivery the pack does not offer',
    (p) =>
      (['counter', 'mail', 'home', 'unit'] as Delivery[]).map((delivery) =>
        submit(p, { delivery }),
      ),
  ],
  ['a second card', (p) => one(submit(p, {}, { ...noCards, live: live(p) }))],
  [
    'a replacement without formal loss, or without the bank receipt',
    (p) => [
      submit(p, { kind: 'replacement', oldCard: live(p) }, { ...noCards, live: live(p) }),
      submit(p, { kind: 'replacement', oldCard: lostCard(p) }, { ...noCards, live: lostCard(p) }),
    ],
  ],
  [
    'a change or reissue for a reason the pack does not accept',
    (p) =>
      (['change', 'reissue'] as const).flatMap((kind) =>
        CHANGE_REASONS.filter((r) => !(p[kind].reasons.value as string[]).includes(r)).map(
          (reason) => submit(p, { kind, reason, oldCard: live(p) }, { ...noCards, live: live(p) }),
        ),
      ),
  ],
  [
    'instant production the pack does not offer',
    (p) =>
      (['first', 'replacement', 'change'] as const).map((kind) =>
        submit(
          p,
          {
            kind,
            reason: 'damaged',
            oldCard: lostCard(p),
            bankLossReceipt: true,
            production: 'instant',
            branchCanInstantIssue: true,
          },
          { ...noCards, live: lostCard(p) },
        ),
      ),
  ],
  ['a delay without consent (FZ-16)', (p) => one(submit(p, { consentToDelay: false }))],
  [
    'a temporary card without hospital proof or a card on its way',
    (p) => [
      submit(p, { kind: 'temporary' }, { ...noCards, openApplicationKinds: ['first'] }),
      submit(p, { kind: 'temporary', hospitalProof: true }),
    ],
  ],
  // ---- issuing and activation ---------------------------------------------------------------
  [
    'an issuing method the pack does not offer, or without its record',
    (p) => [
      ...(['holder', 'agent', 'mail', 'unit', 'home_visit'] as IssueTo[]).map(
        (to) => () => issue(stock(), p, { to }, T0, allowedPlace(p, 'issue')),
      ),
    ],
  ],
  [
    'a card for a holder who died',
    (p) =>
      one(() =>
        issue(stock(), p, { to: 'holder', holderDiedOn: TODAY }, T0, allowedPlace(p, 'issue')),
      ),
  ],
  [
    'a function activated twice',
    (p) => [
      () => activate(live(p), p, 'social', T0, allowedPlace(p, 'socialActivation')),
      () => activate(live(p), p, 'financial', T0, allowedPlace(p, 'financialActivation')),
    ],
  ],
  [
    'activation while lost, frozen or stopped',
    (p) =>
      (['social', 'financial'] as const).flatMap((fn) =>
        [
          { loss: { kind: 'formal', since: T0 } } as const,
          { frozenAt: T0 },
          { suspendedAt: T0 },
        ].map(
          (state) => () =>
            activate(
              live(p, { ...state, socialEnabledAt: null, financialActivatedAt: null }),
              p,
              fn,
              T0,
              allowedPlace(p, fn === 'social' ? 'socialActivation' : 'financialActivation'),
            ),
        ),
      ),
  ],
  // ---- loss ------------------------------------------------------------------------------
  [
    'a temporary loss where there is none, or open-ended where the term is set (SH-18)',
    (p) => [
      () =>
        reportLoss(
          live(p),
          p,
          { kind: 'temporary', term: 'default' },
          T0,
          allowedPlace(p, 'temporaryLoss'),
        ),
      () =>
        reportLoss(
          live(p),
          p,
          { kind: 'temporary', term: 'long' },
          T0,
          allowedPlace(p, 'temporaryLoss'),
        ),
      () =>
        reportLoss(
          lostCard(p),
          p,
          { kind: 'formal', term: 'default' },
          T0,
          allowedPlace(p, 'formalLoss'),
        ),
    ],
  ],
  [
    'an un-report after a replacement, without the card, or of a card not lost',
    (p) => [
      () =>
        unreport(
          { ...lostCard(p), replacementApplicationId: 'a' },
          p,
          { cardPresented: true },
          T0,
          allowedPlace(p, 'unreport'),
        ),
      () => unreport(lostCard(p), p, {}, T0, allowedPlace(p, 'unreport')),
      () => unreport(live(p), p, { cardPresented: true }, T0, allowedPlace(p, 'unreport')),
    ],
  ],
  // ---- stopping, freezing, cancelling, destroying -----------------------------------------
  [
    'a stop or freeze the pack does not provide',
    (p) => [
      () => suspend(live(p), p, T0, allowedPlace(p, 'suspension')),
      () => freeze(live(p), p, T0, allowedPlace(p, 'freeze')),
    ],
  ],
  [
    'a cancellation on a ground the pack does not have',
    (p) =>
      [...CANCELLATION_GROUNDS, 'whim'].map(
        (reason) => () =>
          cancel(live(p), p, {
            ...fullCancellation(p),
            reason,
            place: allowedPlace(p, 'cancellation'),
          }),
      ),
  ],
  [
    'a temporary card ended for another reason',
    (p) =>
      p.temporaryCard.offered.value
        ? [...TEMPORARY_CARD_ENDINGS, 'death'].map(
            (reason) => () =>
              cancel(live(p, { kind: 'temporary' }), p, { reason, openApplications: 0 }),
          )
        : [],
  ],
  [
    'a cancellation with business open, evidence missing, or asked by the holder',
    (p) => {
      const full = fullCancellation(p);
      const place = allowedPlace(p, 'cancellation');
      const grounds = p.cancellation.grounds.value.filter((g) => g === 'death' || g === 'missing');
      return [
        () => cancel(live(p), p, { ...full, attestations: {}, openApplications: 1, place }),
        ...grounds.flatMap((reason) => [
          () => cancel(live(p), p, { ...full, reason, evidence: {}, place }),
          () =>
            cancel(live(p), p, {
              ...full,
              reason,
              evidence: { ...full.evidence, applicantRelation: 'holder' },
              place,
            }),
        ]),
      ];
    },
  ],
  [
    'destroying a card not to be destroyed',
    (p) => [
      () => destroy(live(p), p, null),
      () => destroy(live(p, { status: 'replaced' }), p, null),
      () => destroy(live(p, { status: 'cancelled', endedAt: T0 }), p, T0),
    ],
  ],
  [
    'an act on a replaced card',
    (p) =>
      one(() =>
        reportLoss(
          live(p, { status: 'replaced' }),
          p,
          { kind: 'formal', term: 'default' },
          T0,
          'phone',
        ),
      ),
  ],
  // ---- PINs --------------------------------------------------------------------------------
  [
    'PINs: not enabled, locked, wrong, too simple',
    (p) => [
      () => beforePinAttempt(live(p, { pinLockedAt: T0 }), p),
      () => {
        const r = afterPinAttempt(live(p), p, false, T0).refusal;
        if (r) throw r;
      },
      () => {
        const r = afterPinAttempt(live(p, { pinFailures: 5 }), p, false, T0).refusal;
        if (r) throw r;
      },
      () => newPin(live(p), p, '123456', false, allowedPlace(p, 'pinChange')),
    ],
  ],
];

function refusalsOf(run: () => unknown): DomainError[] {
  const e = outcome(run);
  return e ? [e] : [];
}

describe('every refusal cites the article whose words refuse', () => {
  for (const [name, make] of CASES) {
    it(name, () => {
      let refused = 0;
      for (const pack of packs) {
        for (const run of make(pack)) {
          for (const e of refusalsOf(run)) {
            refused++;
            expect(
              e.code in DECIDING_PARAMETERS || NOT_FROM_A_PACK.has(e.code),
              `${pack.code} ${e.code}: map it in DECIDING_PARAMETERS or NOT_FROM_A_PACK`,
            ).toBe(true);
            expect(citationGap(pack, e), `${name}: ${e.code}`).toBeNull();
          }
        }
      }
      expect(refused, `${name}: refused somewhere`).toBeGreaterThan(0);
    });
  }

  it('place refusals of every act, at every place, in every pack', () => {
    let refused = 0;
    for (const pack of packs) {
      for (const act of PLACE_ACTS) {
        for (const place of SERVICE_PLACES) {
          const run = actAt(pack, act, place);
          if (!run) continue;
          for (const e of refusalsOf(run)) {
            refused++;
            expect(e.code).toBe('PLACE_NOT_ALLOWED');
            expect(citationGap(pack, e), `${pack.code} ${act} at ${place}`).toBeNull();
          }
        }
      }
    }
    expect(refused).toBeGreaterThan(300);
  });

  it('catches a refusal citing the default where the pack holds an article', () => {
    const sg = packs.find((p) => p.code === 'SG')!;
    const gap = citationGap(sg, {
      code: 'AGENT_REQUIRED',
      params: {},
      citation: { rule: 'DEFAULT', default: true, note: 'x' },
    });
    expect(gap).toMatch(/agents\.minors rests on SG-10/);
    expect(
      citationGap(sg, {
        code: 'AGENT_REQUIRED',
        params: {},
        citation: { rule: 'SG-6', quote: 'x' },
      }),
    ).toMatch(/decides none/);
  });
});
