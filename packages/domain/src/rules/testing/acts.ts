/* Test support: every act and application kind of `places`, run through its domain decision at a
   given place, with everything else in order, so that the place is the only thing that can
   refuse. Used by the place matrix and the citation test. */
import { checkSubmission, type SubmissionInput } from '../../lifecycle/application.js';
import {
  activate,
  freeze,
  issue,
  reportLoss,
  suspend,
  unreport,
} from '../../lifecycle/card-acts.js';
import { cancel } from '../../lifecycle/card-end.js';
import { checkInfoChange } from '../../lifecycle/info-change.js';
import { newPin, resetPin, unlockPin } from '../../lifecycle/pin.js';
import { placesFor } from '../../lifecycle/place.js';
import type { RulePack } from '../schema.js';
import type { ApplicationKind, PlaceAct, ServicePlace } from '../vocabulary.js';
import {
  adult,
  card,
  counterApplication,
  noCards,
  stock,
  T0,
  TODAY,
} from './lifecycle-fixtures.js';

type Run = (() => unknown) | null;

const offered = (p: RulePack, kind: ApplicationKind) =>
  p.application.kinds.value.includes(kind) ||
  (kind === 'temporary' && p.temporaryCard.offered.value);

function application(
  p: RulePack,
  kind: ApplicationKind,
  place: ServicePlace,
  over: Partial<SubmissionInput> = {},
): Run {
  if (!offered(p, kind)) return null;
  const old = card({ jurisdiction: p.code, loss: { kind: 'formal', since: T0 } });
  const cards =
    kind === 'first'
      ? noCards
      : kind === 'temporary'
        ? { ...noCards, openApplicationKinds: ['first' as const] }
        : { ...noCards, live: old };
  const input: SubmissionInput = {
    ...counterApplication,
    kind,
    ...(kind === 'first' || kind === 'temporary' ? {} : { oldCard: old }),
    bankLossReceipt: true,
    hospitalProof: true,
    ...over,
    place,
  };
  return () => checkSubmission(p, adult, cards, input, TODAY);
}

/** A cancellation that meets every other condition of the pack. */
export function fullCancellation(p: RulePack) {
  return {
    reason: p.cancellation.grounds.value[0] ?? 'death',
    openApplications: 0,
    attestations: {
      relatedBusinessSettled: true,
      medicalAccountSettled: true,
      bankAccountClosed: true,
      holderReminded: true,
    },
    evidence: {
      deathCertificate: 'No. 1',
      commitment: true,
      applicantIdSeen: true,
      relativeIdSeen: true,
      cardHandedIn: true,
      applicantRelation: p.cancellation.deathApplicants.value[0] ?? 'relative',
    },
  };
}

/** The act at `place`, or null where the pack does not provide the act at all. */
export function actAt(p: RulePack, act: PlaceAct, place: ServicePlace): Run {
  const live = (over: Parameters<typeof card>[0] = {}) => card({ jurisdiction: p.code, ...over });
  const pinEnabled = p.pin.socialEnabled.value;
  switch (act) {
    case 'first':
    case 'replacement':
    case 'temporary':
      return application(p, act, place);
    case 'change': {
      const reason = p.change.reasons.value.find((r) => r !== 'expired');
      return reason ? application(p, 'change', place, { reason }) : null;
    }
    case 'expiryChange':
      return p.change.reasons.value.includes('expired')
        ? application(p, 'change', place, { reason: 'expired' })
        : null;
    case 'reissue': {
      const reason = p.reissue.reasons.value[0];
      return reason ? application(p, 'reissue', place, { reason }) : null;
    }
    case 'issue':
      return () => issue(stock({ jurisdiction: p.code }), p, { to: 'holder' }, T0, place);
    case 'socialActivation':
      return () => activate(live({ socialEnabledAt: null }), p, 'social', T0, place);
    case 'financialActivation':
      return () => activate(live({ financialActivatedAt: null }), p, 'financial', T0, place);
    case 'temporaryLoss':
      return p.loss.temporary.allowed.value
        ? () => reportLoss(live(), p, { kind: 'temporary', term: 'default' }, T0, place)
        : null;
    case 'formalLoss':
      return () => reportLoss(live(), p, { kind: 'formal', term: 'default' }, T0, place);
    case 'unreport':
      return () =>
        unreport(
          live({ loss: { kind: 'formal', since: T0 } }),
          p,
          { cardPresented: true },
          T0,
          place,
        );
    case 'pinChange':
      return pinEnabled ? () => newPin(live(), p, '520131', false, place) : null;
    case 'pinReset':
      return pinEnabled ? () => resetPin(live(), p, '520131', place) : null;
    case 'pinUnlock':
      return pinEnabled ? () => unlockPin(live({ pinLockedAt: T0 }), p, place) : null;
    case 'suspension':
      return p.suspension.onRequest.value ? () => suspend(live(), p, T0, place) : null;
    case 'freeze':
      return p.suspension.forMisuse.value ? () => freeze(live(), p, T0, place) : null;
    case 'cancellation':
      return () => cancel(live(), p, { ...fullCancellation(p), place });
    case 'nonKeyInfoChange':
      return () => checkInfoChange(p, ['phone'], place);
    case 'keyInfoChange':
      return () => checkInfoChange(p, ['name'], place);
  }
}

/** A place where the pack allows the act (for tests of other refusals), if any. */
export function allowedPlace(p: RulePack, act: PlaceAct): ServicePlace {
  return placesFor(p, act).value[0] ?? 'service_window';
}
