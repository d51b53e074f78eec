/**
 * Where each act may be done, as the rule pack says (`places.<act>`, with its article), and
 * where this counter is. A member of staff acts at the kind of counter their organisation is (a
 * bank branch is a `bank_outlet`, a community outlet a `community_outlet`, the centre's or a
 * service window a `service_window`); a report taken by phone, online or in an app is recorded
 * with that channel (`via`). The server decides (PLACE_NOT_ALLOWED, citing the article); the
 * workstation says so before anyone presses a button.
 */
import {
  PLACE_ACTS,
  SERVICE_PLACES,
  type PlaceAct,
  type ServicePlace,
} from '@domain/rules/vocabulary';
import type { CardAct, Policy, PolicyParameter } from '../api/types';

export { PLACE_ACTS, SERVICE_PLACES, type PlaceAct, type ServicePlace };

/** The channels a member of staff may record an act under (the API's `via`, besides counter). */
export const VIA_PLACES: readonly ServicePlace[] = [
  'phone',
  'bank_phone',
  'online',
  'self_service',
  'app',
];

/**
 * The counter a member of staff stands at (the domain's `placeOf(via: 'counter', kind)`): the
 * centre and organisations that are no service place act at the centre's window.
 */
export function counterPlace(organizationKind: string | null | undefined): ServicePlace {
  switch (organizationKind) {
    case 'branch':
    case 'bank':
      return 'bank_outlet';
    case 'community_outlet':
      return 'community_outlet';
    default:
      return 'service_window';
  }
}

/** The place of an attempt: the counter, or the channel the report came in by. */
export function placeOf(counter: ServicePlace, via: string | undefined): ServicePlace {
  return via && via !== 'counter' && (SERVICE_PLACES as readonly string[]).includes(via)
    ? (via as ServicePlace)
    : counter;
}

export interface Places {
  /** The act whose parameter applies (`change` when a pack sets no places for `expiryChange`). */
  act: PlaceAct;
  places: readonly ServicePlace[];
  parameter: PolicyParameter | undefined;
}

/** Where the pack allows an act (a change for an expired card has its own list where set). */
export function placesOf(
  policy: Policy | undefined,
  act: PlaceAct,
  reason?: string | null,
): Places | null {
  if (!policy) return null;
  const find = (a: PlaceAct) => policy.parameters.find((p) => p.path === `places.${a}`);
  if ((act === 'change' && reason === 'expired') || act === 'expiryChange') {
    const expiry = find('expiryChange');
    if (expiry && Array.isArray(expiry.value))
      return { act: 'expiryChange', places: expiry.value as ServicePlace[], parameter: expiry };
    act = 'change';
  }
  const parameter = find(act);
  if (!parameter) return null;
  return {
    act,
    places: Array.isArray(parameter.value) ? (parameter.value as ServicePlace[]) : [],
    parameter,
  };
}

/**
 * How an act stands for this counter: done `here`, done here only as a report taken by a channel
 * the pack names (`channel`: the form offers `via`), or done `elsewhere` (not at this counter).
 */
export type Reach = 'here' | 'channel' | 'elsewhere';

export function reachOf(places: Places | null, counter: ServicePlace, viaAccepted: boolean): Reach {
  if (!places) return 'here';
  if (places.places.includes(counter)) return 'here';
  if (viaAccepted && places.places.some((p) => VIA_PLACES.includes(p))) return 'channel';
  return 'elsewhere';
}

/** The pack's acts behind each card act (the body picks one where there are two). */
export const CARD_ACT_PLACES: Partial<Record<CardAct, readonly PlaceAct[]>> = {
  issue: ['issue'],
  activate: ['socialActivation', 'financialActivation'],
  loss: ['temporaryLoss', 'formalLoss'],
  unreport: ['unreport'],
  suspend: ['suspension'],
  resume: ['suspension'],
  freeze: ['freeze'],
  unfreeze: ['freeze'],
  cancel: ['cancellation'],
  pin: ['pinChange'],
  'pin/reset': ['pinReset'],
  'pin/unlock': ['pinUnlock'],
};

/** The pack's act for a card act with the values of its form. */
export function cardPlaceAct(
  act: CardAct,
  body: Record<string, unknown> | undefined,
): PlaceAct | null {
  const acts = CARD_ACT_PLACES[act];
  if (!acts) return null;
  if (act === 'activate')
    return body?.function === 'financial' ? 'financialActivation' : 'socialActivation';
  if (act === 'loss') return body?.kind === 'formal' ? 'formalLoss' : 'temporaryLoss';
  return acts[0] ?? null;
}

/** The best reach of a card act over the pack's acts behind it (loss: temporary or formal). */
export function cardActReach(
  policy: Policy | undefined,
  act: CardAct,
  counter: ServicePlace,
  viaAccepted: boolean,
): { reach: Reach; places: Places[] } {
  const places = (CARD_ACT_PLACES[act] ?? [])
    .map((a) => placesOf(policy, a))
    .filter((p): p is Places => p !== null);
  if (places.length === 0) return { reach: 'here', places };
  const reaches = places.map((p) => reachOf(p, counter, viaAccepted));
  const reach = reaches.includes('here')
    ? 'here'
    : reaches.includes('channel')
      ? 'channel'
      : 'elsewhere';
  return { reach, places };
}
