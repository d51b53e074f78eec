/**
 * Accounts nobody uses are accounts nobody watches: an account not used for
 * SSCARD_STAFF_INACTIVE_DAYS (90 by default) is disabled, by the sweep or at its next login,
 * whichever comes first. Activity is the later of creation, last login and re-enabling. The
 * installation administrator is exempt: it is the way back in, and it logs in with a second
 * factor that the installation sets (SSCARD_ADMIN_TOTP_SECRET) or that it enrolled.
 */
import type { Config } from '../../config.js';
import type { Trx } from '../../db/transact.js';
import type { Repositories } from '../../repositories.js';
import type { AuditEntry } from '../audit/audit.repository.js';

const DAY = 24 * 60 * 60_000;

export const INACTIVITY_EXEMPT_ROLES: readonly string[] = ['installation_admin'];

export interface ActivityFacts {
  role: string;
  status: string;
  created_at: Date;
  last_login_at: Date | null;
  reactivated_at: Date | null;
}

export function lastActiveAt(s: Omit<ActivityFacts, 'role' | 'status'>): Date {
  let t = s.created_at.getTime();
  if (s.last_login_at) t = Math.max(t, s.last_login_at.getTime());
  if (s.reactivated_at) t = Math.max(t, s.reactivated_at.getTime());
  return new Date(t);
}

export function inactivityCutoff(config: Pick<Config, 'staff'>, now: Date): Date {
  return new Date(now.getTime() - config.staff.inactiveDays * DAY);
}

export function isInactive(config: Pick<Config, 'staff'>, s: ActivityFacts, now: Date): boolean {
  return (
    s.status === 'active' &&
    !INACTIVITY_EXEMPT_ROLES.includes(s.role) &&
    lastActiveAt(s) < inactivityCutoff(config, now)
  );
}

/**
 * Disables the given accounts for inactivity and ends their sessions, inside the act's
 * transaction; returns one audit record for each account it disabled (for the act step's `more`).
 */
export async function disableForInactivity(
  repos: Pick<Repositories, 'staff' | 'sessions'>,
  config: Pick<Config, 'staff'>,
  trx: Trx,
  accounts: { id: string; lastActiveAt: Date }[],
  now: Date,
): Promise<AuditEntry[]> {
  const records: AuditEntry[] = [];
  for (const a of accounts) {
    if (!(await repos.staff.disableIfActive(trx, a.id, now, 'inactive'))) continue;
    const ended = await repos.sessions.endAllForStaff(trx, a.id, now, 'account_disabled');
    records.push({
      action: 'staff.disable',
      targetType: 'staff',
      targetId: a.id,
      details: {
        reason: 'inactive',
        lastActiveAt: a.lastActiveAt.toISOString(),
        inactiveDays: config.staff.inactiveDays,
        sessionsEnded: ended,
      },
    });
  }
  return records;
}
