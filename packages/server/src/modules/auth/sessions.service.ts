/**
 * Listing and ending sessions. Everyone may see and end their own; an administrator with
 * `session.manage` sees and ends those of the accounts in their data scope (a bank
 * administrator: their bank's staff; a centre administrator: their jurisdiction's; the
 * installation administrator: everyone's). Ending a session is audited and the token stops
 * working at once.
 */
import { DomainError, can, organizationInScope } from '@sscard/domain';
import type { ActContext, Actor } from '../../context.js';
import type { Deps } from '../../deps.js';
import { orgScopePredicate } from '../organizations/scope.js';
import type { SessionsRepository } from './sessions.repository.js';
import { countOf } from '../../db/paging.js';

const MINUTE = 60_000;

export interface SessionView {
  id: string;
  staffId: string;
  username: string;
  role: string;
  organizationId: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  secondFactor: boolean;
  current: boolean;
}

export interface SessionFilter {
  staffId?: string | undefined;
  /** Only one's own, even for an administrator. */
  mine?: boolean | undefined;
  limit: number;
  offset: number;
}

export class SessionsService {
  constructor(
    private readonly deps: Deps,
    private readonly sessions: SessionsRepository,
  ) {}

  /** Open sessions (not ended, not timed out) the actor may see, newest first. */
  async list(actor: Actor, f: SessionFilter): Promise<{ items: SessionView[]; total: number }> {
    const { db, clock, config } = this.deps;
    const now = clock.now();
    const idleSince = new Date(now.getTime() - config.session.idleMinutes * MINUTE);
    let q = db
      .selectFrom('sessions as s')
      .innerJoin('staff as st', 'st.id', 's.staff_id')
      .leftJoin('organizations as o', 'o.id', 'st.organization_id')
      .where('s.ended_at', 'is', null)
      .where('s.expires_at', '>', now)
      .where('s.last_seen_at', '>=', idleSince)
      .where('st.status', '=', 'active');
    if (f.mine || !can(actor.role, 'session.manage'))
      q = q.where('s.staff_id', '=', actor.staffId ?? '00000000-0000-0000-0000-000000000000');
    else if (actor.scope.kind !== 'all') q = q.where(orgScopePredicate(actor.scope, 'o'));
    if (f.staffId) q = q.where('s.staff_id', '=', f.staffId);
    const [rows, count] = await Promise.all([
      q
        .select([
          's.id',
          's.staff_id',
          'st.username',
          'st.role',
          'st.organization_id',
          's.created_at',
          's.last_seen_at',
          's.expires_at',
          's.ip',
          's.second_factor',
        ])
        .orderBy('s.created_at', 'desc')
        .orderBy('s.id')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      countOf(q),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        staffId: r.staff_id,
        username: r.username,
        role: r.role,
        organizationId: r.organization_id,
        createdAt: r.created_at,
        lastSeenAt: r.last_seen_at,
        expiresAt: r.expires_at,
        ip: r.ip,
        secondFactor: r.second_factor,
        current: r.id === actor.sessionId,
      })),
      total: count,
    };
  }

  /** Ends a session: one's own, or one in scope for an administrator. */
  async end(ctx: ActContext, id: string): Promise<void> {
    const actor = ctx.actor!;
    const { db, clock } = this.deps;
    const now = clock.now();
    const row = await db
      .selectFrom('sessions as s')
      .innerJoin('staff as st', 'st.id', 's.staff_id')
      .leftJoin('organizations as o', 'o.id', 'st.organization_id')
      .select([
        's.id',
        's.staff_id',
        's.ended_at',
        's.expires_at',
        'o.id as organization_id',
        'o.bank_id',
        'o.jurisdiction',
      ])
      .where('s.id', '=', id)
      .executeTakeFirst();
    const own = row !== undefined && row.staff_id === actor.staffId;
    const visible =
      row !== undefined &&
      (own ||
        (can(actor.role, 'session.manage') &&
          (actor.scope.kind === 'all' ||
            (row.organization_id !== null &&
              organizationInScope(actor.scope, {
                id: row.organization_id,
                bankId: row.bank_id,
                jurisdiction: row.jurisdiction ?? '',
              })))));
    if (!row || !visible || row.ended_at || row.expires_at <= now)
      throw new DomainError('NOT_FOUND', { resource: 'session' });
    await db.transaction().execute(async (trx) => {
      await this.sessions.end(trx, id, now, own ? 'ended_by_user' : 'ended_by_admin');
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'session.end',
          targetType: 'session',
          targetId: id,
          details: { staffId: row.staff_id, own },
        },
        now,
      );
    });
  }
}
