/**
 * What answers show of sessions and logins: the actor behind a session, a new session's token
 * (shown once: login acts mark it a secret), listed sessions, second-factor enrolments (their
 * secret and ticket are secrets too).
 */
import { ROLE_PERMISSIONS, formatShanghai } from '@sscard/domain';
import type { Actor } from '../../context.js';
import type { ListedSession } from './sessions.repository.js';

export function presentMe(a: Actor) {
  return {
    staffId: a.staffId,
    username: a.username,
    role: a.role,
    organizationId: a.organizationId,
    organizationKind: a.organizationKind,
    jurisdiction: a.jurisdiction,
    scope: a.scope,
    permissions: [...(a.permissions ?? ROLE_PERMISSIONS[a.role])],
  };
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  actor: Actor;
}

export function presentLogin(r: LoginResult) {
  return { token: r.token, expiresAt: formatShanghai(r.expiresAt), me: presentMe(r.actor) };
}

/** The bearer token of a new session: never saved for an Idempotency-Key retry. */
export const LOGIN_SECRETS = ['token'] as const;

export function presentSession(s: ListedSession, currentSessionId: string | null) {
  return {
    id: s.id,
    staffId: s.staffId,
    username: s.username,
    role: s.role,
    organizationId: s.organizationId,
    createdAt: formatShanghai(s.createdAt),
    lastSeenAt: formatShanghai(s.lastSeenAt),
    expiresAt: formatShanghai(s.expiresAt),
    ip: s.ip,
    secondFactor: s.secondFactor,
    current: s.id === currentSessionId,
  };
}

/** What the user needs to add the secret to an authenticator app, and the ticket to confirm. */
export interface Enrolment {
  ticket: string;
  secret: string;
  otpauthUri: string;
  expiresAt: Date;
}

export function presentEnrolment(e: Enrolment) {
  return {
    ticket: e.ticket,
    secret: e.secret,
    otpauthUri: e.otpauthUri,
    expiresAt: formatShanghai(e.expiresAt),
  };
}

/** An enrolment's secret and ticket: never saved for an Idempotency-Key retry. */
export const ENROLMENT_SECRETS = ['ticket', 'secret', 'otpauthUri'] as const;
