/**
 * Accounts nobody uses are accounts nobody watches: an account not used for
 * SSCARD_STAFF_INACTIVE_DAYS (90 by default) is disabled, by the sweep or at its next login,
 * whichever comes first. Activity is the later of creation, last login and re-enabling. The
 * installation administrator is exempt: it is the way back in, and it logs in with a second
 * factor that the installation sets (SSCARD_ADMIN_TOTP_SECRET) or that it enrolled.
 */
import type { Transaction } from 'kysely';
import type { ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import type { DB } from '../../db/schema.js';
import { SessionsRepository } from '../auth/sessions.repository.js';

const DAY = 24 * 60 * 60_000;

export const INACTIVITY_EXEMPT_ROLES: readonly string[] = ['installation_admin'];

export interface ActivityFacts {
  role: string;
  status: string;
  created_at: Date;
  last_login_at: Date | null;
  reactivated_at: Date | null;
}

export function lastActiveAt(s: ActivityFacts): Date {
  let t = s.created_at.getTime();
  if (s.last_login_at) t = Math.max(t, s.last_login_at.getTime());
  if (s.reactivated_at) t = Math.max(t, s.reactivated_at.getTime());
  return new Date(t);
}

export function inactivityCutoff(deps: Deps, now: Date): Date {
  return new Date(now.getTime() - deps.config.staff.inactiveDays * DAY);
}

export function isInactive(deps: Deps, s: ActivityFacts, now: Date): boolean {
  return (
    s.status === 'active' &&
    !INACTIVITY_EXEMPT_ROLES.includes(s.role) &&
    lastActiveAt(s) < inactivityCutoff(deps, now)
  );
}

/** Disables the given accounts for inactivity, ends their sessions, one audit record each. */
export async function disableForInactivity(
  deps: Deps,
  trx: Transaction<DB>,
  ctx: ActContext,
  accounts: { id: string; lastActiveAt: Date }[],
  now: Date,
): Promise<void> {
  const sessions = new SessionsRepository(deps.db);
  for (const a of accounts) {
    const updated = await trx
      .updateTable('staff')
      .set({ status: 'disabled', disabled_at: now, disabled_reason: 'inactive' })
      .where('id', '=', a.id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!Number(updated.numUpdatedRows)) continue;
    const ended = await sessions.endAllForStaff(trx, a.id, now, 'account_disabled');
    await deps.audit.append(
      trx,
      ctx,
      {
        action: 'staff.disable',
        targetType: 'staff',
        targetId: a.id,
        details: {
          reason: 'inactive',
          lastActiveAt: a.lastActiveAt.toISOString(),
          inactiveDays: deps.config.staff.inactiveDays,
          sessionsEnded: ended,
        },
      },
      now,
    );
  }
}
