/**
 * Where an act happens, in the words the rule packs use (SERVICE_PLACES): a counter at a bank
 * branch is a `bank_outlet`, a community outlet or the centre's window a `service_outlet`; a
 * report taken by phone or online is recorded with that channel by the staff who take it.
 */
import type { OrganizationKind } from '../organisations/kinds.js';

export type ServicePlace =
  | 'service_outlet'
  | 'bank_outlet'
  | 'online'
  | 'phone'
  | 'bank_phone'
  | 'self_service'
  | 'medical_institution'
  | 'pharmacy'
  | 'app';

/** How the holder reached us: in person at this counter, or by phone, online, app. */
export const VIAS = ['counter', 'phone', 'bank_phone', 'online', 'self_service', 'app'] as const;
export type Via = (typeof VIAS)[number];

export function placeOf(via: Via, organizationKind: OrganizationKind | null): ServicePlace {
  if (via !== 'counter') return via;
  return organizationKind === 'branch' || organizationKind === 'bank'
    ? 'bank_outlet'
    : 'service_outlet';
}
