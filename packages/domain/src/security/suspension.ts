/**
 * Suspending a cooperating bank's (or an outlet's) access during a network or data security
 * incident. Fuzhou's measures give the centre this power in so many words (FZ-42); the platform
 * applies the same act, with the same citation, wherever it is installed.
 */
import type { Citation } from '../errors/domain-error.js';
import type { OrganizationKind } from '../organisations/kinds.js';

export const SUSPENSION_CITATION: Citation = {
  rule: 'FZ-42',
  quote: '市信息数据中心有权在合作银行发生网络与数据安全事件时暂停合作银行的网络专线接入',
};

/** Kinds whose access the centre may suspend; a bank's suspension covers all its branches. */
export const SUSPENDABLE_KINDS: readonly OrganizationKind[] = [
  'bank',
  'branch',
  'community_outlet',
  'service_point', // its terminals stop at once (issue 12)
];

export function isSuspendable(kind: OrganizationKind): boolean {
  return SUSPENDABLE_KINDS.includes(kind);
}

/** Roles that must log in with a second factor (TOTP); it is optional for every other role. */
export const SECOND_FACTOR_ROLES = ['installation_admin', 'centre_admin', 'bank_admin'] as const;

export function secondFactorRequired(role: string): boolean {
  return (SECOND_FACTOR_ROLES as readonly string[]).includes(role);
}
