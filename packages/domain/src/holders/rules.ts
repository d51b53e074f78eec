/**
 * Holders online: the one-time code, its throttle, and who a holder may act for (亲情服务). The
 * five regulations are silent on online sign-in and family service, so these are the platform's
 * documented defaults (docs/PORTAL.md), each configurable (`SSCARD_HOLDER_*`).
 */
import { DomainError } from '../errors/domain-error.js';
import { ageOn, type LocalDate } from '../time/local-date.js';

export interface HolderSettings {
  /** How long a one-time code works. */
  codeTtlSeconds: number;
  /** Wrong codes before a code stops working. */
  maxCodeAttempts: number;
  /** Codes asked for one document number and phone (or from one address) per window. */
  maxCodesPerWindow: number;
  maxCodesPerIpPerWindow: number;
  windowMinutes: number;
  /** How long a holder's session lasts without being used, and at most. */
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** The national e-card's 亲情服务 lets a holder act for up to eight family members. */
  maxWards: number;
  /** Below this age a child is served by the guardian on their record (SG-10, HN-10: 16). */
  childAge: number;
}

export const HOLDER_DEFAULTS: HolderSettings = {
  codeTtlSeconds: 300,
  maxCodeAttempts: 5,
  maxCodesPerWindow: 5,
  maxCodesPerIpPerWindow: 30,
  windowMinutes: 60,
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
  maxWards: 8,
  childAge: 16,
};

export const WARD_RELATIONS = ['child', 'parent', 'spouse', 'other'] as const;
export type WardRelation = (typeof WARD_RELATIONS)[number];

/** What adding a family member needs: nothing more (a child's recorded guardian) or their consent. */
export type WardProof = 'recorded_guardian' | 'consent_code';

/**
 * A child under `childAge` whose record names the holder as guardian is added at once; anyone
 * else (an elderly parent, a spouse, a child of 16 or more) consents with a code sent to their
 * own phone. A child under the age whose guardian is someone else is refused.
 */
export function wardProof(input: {
  relation: WardRelation;
  wardBirthDate: LocalDate;
  today: LocalDate;
  holderIsRecordedGuardian: boolean;
  settings: Pick<HolderSettings, 'childAge'>;
}): WardProof {
  const minor = ageOn(input.wardBirthDate, input.today) < input.settings.childAge;
  if (!minor) return 'consent_code';
  if (input.relation === 'child' && input.holderIsRecordedGuardian) return 'recorded_guardian';
  throw new DomainError('HOLDER_WARD_NOT_GUARDIAN', { age: input.settings.childAge });
}

/** HOLDER_WARD_LIMIT when the holder already acts for the most family members allowed. */
export function requireWardRoom(current: number, settings: Pick<HolderSettings, 'maxWards'>): void {
  if (current >= settings.maxWards)
    throw new DomainError('HOLDER_WARD_LIMIT', { max: settings.maxWards });
}
