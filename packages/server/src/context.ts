/**
 * Who is acting, from where, and why: passed to every service call that changes state, and
 * written into the audit record of that change.
 */
import type { DataScope, Locale, OrganizationKind, Permission, Role } from '@sscard/domain';

export interface Actor {
  /** null for the platform itself (start-up, jobs, CLI). */
  staffId: string | null;
  username: string;
  role: Role;
  organizationId: string | null;
  organizationKind: OrganizationKind | null;
  bankId: string | null;
  jurisdiction: string | null;
  scope: DataScope;
  sessionId: string | null;
  /** The acts granted to this account within its role (FZ-37); absent: the role's full set. */
  permissions?: readonly Permission[];
  /**
   * A holder signed in online (role `holder`, modules/holders): who they are and the family
   * members they act for (亲情服务). Absent for staff, terminals and the platform.
   */
  holder?: { personId: string; wards: readonly string[] };
}

export interface ActContext {
  actor: Actor | null;
  requestId: string | null;
  ip: string | null;
  /** Why the act is done, as stated by the user (X-Sscard-Reason header or a body field). */
  reason: string | null;
  locale: Locale;
  /** Set once an audit record for this act has been written in its transaction. */
  audited: boolean;
  /** The request's Idempotency-Key, claimed and answered inside the act's transaction. */
  idempotency?: {
    actorKey: string;
    key: string;
    fingerprint: string;
  };
  /**
   * Set by the act step (acts/act-step.ts) when its act committed: the answer its presenter
   * gave, which the route sends and which was saved for the Idempotency-Key in the same
   * transaction. A state-changing route that answers without it bypassed the act step.
   */
  answer?: { status: number; body: unknown };
}

/** The platform acting on its own behalf: migrations, seeding, sweeps, the CLI. */
export function systemContext(name: string): ActContext {
  return {
    actor: {
      staffId: null,
      username: `system:${name}`,
      role: 'installation_admin',
      organizationId: null,
      organizationKind: null,
      bankId: null,
      jurisdiction: null,
      scope: { kind: 'all' },
      sessionId: null,
    },
    requestId: null,
    ip: null,
    reason: null,
    locale: 'zh-CN',
    audited: false,
  };
}
