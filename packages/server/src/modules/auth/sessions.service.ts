/**
 * Listing and ending sessions. Everyone may see and end their own; an administrator with
 * `session.manage` sees and ends those of the accounts in their data scope (a bank
 * administrator: their bank's staff; a centre administrator: their jurisdiction's; the
 * installation administrator: everyone's). Ending a session is an act (`session.end` for one's
 * own, `session.end_other` for another account's), audited, and the token stops working at once.
 */
import { actorCan } from '@sscard/domain';
import type { ActContext, Actor } from '../../context.js';
import type { Deps } from '../../deps.js';
import type { Target } from '../../acts/access.js';
import type { ListedSession, SessionsRepository } from './sessions.repository.js';

const MINUTE = 60_000;
/** Matches no account: what a platform actor (no account of its own) owns. */
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

export interface SessionFilter {
  staffId?: string | undefined;
  /** Only one's own, even for an administrator. */
  mine?: boolean | undefined;
  limit: number;
  offset: number;
}

export class SessionsService {
  private readonly repo: SessionsRepository;

  constructor(private readonly deps: Deps) {
    this.repo = deps.repos.sessions;
  }

  /** Open sessions (not ended, not timed out) the actor may see, newest first. */
  list(actor: Actor, f: SessionFilter): Promise<{ items: ListedSession[]; total: number }> {
    const now = this.deps.clock.now();
    const ownOnly = f.mine || !actorCan(actor, 'session.manage');
    return this.repo.listOpen({
      ...(ownOnly ? { ownerId: actor.staffId ?? NO_ACCOUNT } : { scope: actor.scope }),
      staffId: f.staffId,
      now,
      idleSince: new Date(now.getTime() - this.deps.config.session.idleMinutes * MINUTE),
      limit: f.limit,
      offset: f.offset,
    });
  }

  /** Ends a session: one's own, or one in scope for an administrator. */
  async end(ctx: ActContext, id: string): Promise<void> {
    // Whose session it is never changes: it decides which act this is.
    const owner = await this.repo.ownerOf(id);
    const own = owner !== undefined && owner === ctx.actor?.staffId;
    await this.deps.acts.run(ctx, {
      name: own ? 'session.end' : 'session.end_other',
      action: 'session.end',
      resource: 'session',
      load: async (trx, now) => {
        const s = await this.repo.findTarget(id, trx, true);
        return s && !s.endedAt && s.expiresAt > now ? s : undefined;
      },
      target: sessionTarget,
      apply: async ({ trx, now, loaded }) => {
        await this.repo.end(trx, id, now, own ? 'ended_by_user' : 'ended_by_admin');
        return { result: null, details: { staffId: loaded.staffId, own } };
      },
      present: () => null,
      status: 204,
    });
  }
}

/** What access needs to know about a session: its account and that one's organisation. */
export function sessionTarget(s: {
  id: string;
  staffId: string;
  organizationId: string | null;
  bankId: string | null;
  jurisdiction: string | null;
}): Target {
  return {
    type: 'session',
    id: s.id,
    jurisdiction: s.jurisdiction,
    staffId: s.staffId,
    organization:
      s.organizationId && s.jurisdiction !== null
        ? { id: s.organizationId, bankId: s.bankId, jurisdiction: s.jurisdiction }
        : undefined,
  };
}
