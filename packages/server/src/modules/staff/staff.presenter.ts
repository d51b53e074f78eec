/**
 * What answers show of a staff account. Never the password hash, the second-factor secret, the
 * activation ticket's hash, failure counters or lock details; the phone only masked. A new
 * account's activation ticket is shown once, in the answer to its creation (the act marks it a
 * secret, so a saved Idempotency-Key answer holds null instead).
 */
import { formatShanghai, maskPhone } from '@sscard/domain';
import type { StaffRow } from './staff.repository.js';

export function presentStaff(s: StaffRow) {
  return {
    id: s.id,
    username: s.username,
    displayName: s.display_name,
    role: s.role,
    organizationId: s.organization_id,
    status: s.status,
    disabledReason: s.status === 'disabled' ? (s.disabled_reason ?? 'admin') : null,
    secondFactor: s.totp_secret_enc !== null,
    /** False until the holder sets a password with the activation ticket. */
    activated: s.password_hash !== null,
    lastLoginAt: s.last_login_at ? formatShanghai(s.last_login_at) : null,
    createdAt: formatShanghai(s.created_at),
  };
}

/** A one-time activation ticket, as handed to the account's holder. */
export interface Activation {
  ticket: string;
  expiresAt: Date;
}

export function presentActivation(a: Activation) {
  return { activationTicket: a.ticket, activationExpiresAt: formatShanghai(a.expiresAt) };
}

/** A new account: the account, and its activation ticket (shown once). */
export function presentNewAccount(r: { staff: StaffRow; activation: Activation | null }) {
  return { ...presentStaff(r.staff), ...(r.activation ? presentActivation(r.activation) : {}) };
}

/** The members of an answer that are secrets, for the act step (never saved for retries). */
export const ACTIVATION_SECRETS = ['activationTicket'] as const;

/** One's own phone, masked (`138****8000`): the answer to a phone change. */
export function presentPhone(phone: string | null) {
  return { phone: phone ? maskPhone(phone) : null };
}

/** One's own phone (masked) and second factor, for `GET /auth/me`. */
export function presentProfile(p: { phone: string | null; enrolled: boolean; required: boolean }) {
  return {
    ...presentPhone(p.phone),
    secondFactor: { enrolled: p.enrolled, required: p.required },
  };
}
