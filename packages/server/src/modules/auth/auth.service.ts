/**
 * Logging in and out, and turning a bearer token into an actor. Passwords are checked against
 * scrypt hashes; an unknown username costs the same time as a wrong password. Repeated failures
 * lock the account for a while; a disabled account's sessions end at once and no new one starts.
 */
import { DomainError, isRole, scopeOf, type OrganizationKind, type Role } from '@sscard/domain';
import { decoyHash, verifyPassword } from '../../crypto/password.js';
import { hashToken, newToken, uuidv7 } from '../../crypto/tokens.js';
import type { ActContext, Actor } from '../../context.js';
import type { Deps } from '../../deps.js';
import { SessionsRepository, type SessionRow } from './sessions.repository.js';

const MINUTE = 60_000;
/** Recording last activity on every request would be a write per read; once a minute is enough. */
const TOUCH_INTERVAL_MS = MINUTE;

export interface LoginResult {
  token: string;
  expiresAt: Date;
  actor: Actor;
}

export class AuthService {
  readonly sessions: SessionsRepository;

  constructor(private readonly deps: Deps) {
    this.sessions = new SessionsRepository(deps.db);
  }

  async login(username: string, password: string, ctx: ActContext): Promise<LoginResult> {
    const { db, clock, config } = this.deps;
    const now = clock.now();
    const staff = await db
      .selectFrom('staff as st')
      .leftJoin('organizations as o', 'o.id', 'st.organization_id')
      .selectAll('st')
      .select(['o.kind as organization_kind', 'o.bank_id', 'o.jurisdiction'])
      .where('st.username', '=', username.toLowerCase())
      .executeTakeFirst();

    if (!staff) {
      await verifyPassword(password, await decoyHash());
      await this.recordRefusal(ctx, null, 'LOGIN_FAILED', now);
      throw new DomainError('LOGIN_FAILED');
    }
    if (staff.locked_until && staff.locked_until > now) {
      await this.recordRefusal(ctx, staff.id, 'ACCOUNT_LOCKED', now);
      throw new DomainError('ACCOUNT_LOCKED', { until: staff.locked_until.toISOString() });
    }
    const ok = await verifyPassword(password, staff.password_hash);
    if (!ok) {
      const failures = await db
        .updateTable('staff')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', staff.id)
        .returning('failed_logins')
        .executeTakeFirstOrThrow();
      if (failures.failed_logins >= config.login.maxFailures) {
        const until = new Date(now.getTime() + config.login.lockMinutes * MINUTE);
        await db
          .updateTable('staff')
          .set({ locked_until: until, failed_logins: 0 })
          .where('id', '=', staff.id)
          .execute();
        await this.recordRefusal(ctx, staff.id, 'ACCOUNT_LOCKED', now, {
          failures: failures.failed_logins,
        });
        throw new DomainError('ACCOUNT_LOCKED', { until: until.toISOString() });
      }
      await this.recordRefusal(ctx, staff.id, 'LOGIN_FAILED', now, {
        failures: failures.failed_logins,
      });
      throw new DomainError('LOGIN_FAILED');
    }
    if (staff.status !== 'active') {
      await this.recordRefusal(ctx, staff.id, 'ACCOUNT_DISABLED', now);
      throw new DomainError('ACCOUNT_DISABLED');
    }

    const token = newToken();
    const expiresAt = new Date(now.getTime() + config.session.absoluteHours * 60 * MINUTE);
    const actor = actorOf({
      sessionId: uuidv7(),
      staffId: staff.id,
      username: staff.username,
      role: staff.role,
      organizationId: staff.organization_id,
      organizationKind: staff.organization_kind,
      bankId: staff.bank_id,
      jurisdiction: staff.jurisdiction,
    });
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('staff')
        .set({ failed_logins: 0, locked_until: null, last_login_at: now })
        .where('id', '=', staff.id)
        .execute();
      await this.sessions.create(trx, {
        id: actor.sessionId!,
        tokenHash: hashToken(token),
        staffId: staff.id,
        now,
        expiresAt,
        ip: ctx.ip,
      });
      await this.deps.audit.append(
        trx,
        { ...ctx, actor },
        { action: 'auth.login', targetType: 'staff', targetId: staff.id },
        now,
      );
    });
    ctx.audited = true;
    return { token, expiresAt, actor };
  }

  /** The actor behind a bearer token, or a 401 problem saying why not. */
  async authenticate(token: string): Promise<Actor> {
    const now = this.deps.clock.now();
    const row = await this.sessions.findByTokenHash(hashToken(token));
    if (!row) throw new DomainError('AUTH_REQUIRED');
    const reason = this.whyNotValid(row, now);
    if (reason) {
      await this.sessions.end(this.deps.db, row.sessionId, now, reason);
      throw new DomainError(reason === 'disabled' ? 'ACCOUNT_DISABLED' : 'SESSION_EXPIRED');
    }
    if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS)
      await this.sessions.touch(row.sessionId, now);
    return actorOf(row);
  }

  async logout(ctx: ActContext): Promise<void> {
    const sessionId = ctx.actor?.sessionId;
    if (!sessionId) return;
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      await this.sessions.end(trx, sessionId, now, 'logout');
      await this.deps.audit.append(
        trx,
        ctx,
        { action: 'auth.logout', targetType: 'session', targetId: sessionId },
        now,
      );
    });
  }

  private whyNotValid(row: SessionRow, now: Date): string | null {
    if (row.endedAt) return 'ended';
    if (row.staffStatus !== 'active') return 'disabled';
    if (now >= row.expiresAt) return 'absolute_timeout';
    if (now.getTime() - row.lastSeenAt.getTime() > this.deps.config.session.idleMinutes * MINUTE)
      return 'idle_timeout';
    return null;
  }

  private async recordRefusal(
    ctx: ActContext,
    staffId: string | null,
    code: string,
    now: Date,
    details?: Record<string, number>,
  ): Promise<void> {
    await this.deps.db.transaction().execute((trx) =>
      this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'auth.login',
          targetType: 'staff',
          targetId: staffId,
          outcome: 'refused',
          code,
          details: details ?? null,
        },
        now,
      ),
    );
  }
}

type ActorFields = Pick<
  SessionRow,
  | 'sessionId'
  | 'staffId'
  | 'username'
  | 'role'
  | 'organizationId'
  | 'organizationKind'
  | 'bankId'
  | 'jurisdiction'
>;

function actorOf(row: ActorFields): Actor {
  if (!isRole(row.role)) throw new DomainError('AUTH_REQUIRED');
  const role: Role = row.role;
  const organizationKind = row.organizationKind as OrganizationKind | null;
  return {
    staffId: row.staffId,
    username: row.username,
    role,
    organizationId: row.organizationId,
    organizationKind,
    bankId: row.bankId,
    jurisdiction: row.jurisdiction,
    scope: scopeOf({
      role,
      organizationId: row.organizationId,
      organizationKind,
      bankId: row.bankId,
      jurisdiction: row.jurisdiction,
    }),
    sessionId: row.sessionId,
  };
}
