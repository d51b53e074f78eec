/**
 * Staff accounts. Each account has one role and, except the installation administrator, belongs
 * to one organisation of the kind that role fits. Accounts are created only inside the creator's
 * scope and only for roles the creator's role may grant. Disabling an account ends its sessions
 * in the same transaction. Accounts unused for SSCARD_STAFF_INACTIVE_DAYS are disabled by
 * `sweepInactive` (see inactivity.ts); an administrator can enable an account again and reset
 * its second factor (a lost device), after which it enrols again at its next login.
 */
import { randomInt } from 'node:crypto';
import {
  DomainError,
  ROLE_MAY_CREATE,
  checkPasswordStrength,
  organizationInScope,
  roleFitsOrganization,
  type DataScope,
  type Role,
} from '@sscard/domain';
import { sql, type Selectable } from 'kysely';
import type { ActContext } from '../../context.js';
import { isUniqueViolation, type Deps } from '../../deps.js';
import { hashPassword } from '../../crypto/password.js';
import { uuidv7 } from '../../crypto/tokens.js';
import { transact, type Trx } from '../../db/transact.js';
import type { StaffTable } from '../../db/schema.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { totpSecretAad } from '../auth/otp.js';
import { disableForInactivity, inactivityCutoff, INACTIVITY_EXEMPT_ROLES } from './inactivity.js';
import { orgScopePredicate } from '../organizations/scope.js';
import { OrganizationsRepository } from '../organizations/organizations.repository.js';
import { toScoped } from '../organizations/organizations.service.js';
import { countOf } from '../../db/paging.js';

export type StaffRow = Selectable<StaffTable>;

export interface NewStaff {
  username: string;
  displayName: string;
  role: Role;
  organizationId: string | null;
  password: string;
}

export const INSTALLATION_ADMIN = 'admin';

export class StaffService {
  private readonly orgs: OrganizationsRepository;
  private readonly sessions: SessionsRepository;

  constructor(private readonly deps: Deps) {
    this.orgs = new OrganizationsRepository(deps.db);
    this.sessions = new SessionsRepository(deps.db);
  }

  async list(
    scope: DataScope,
    f: {
      organizationId?: string | undefined;
      role?: Role | undefined;
      limit: number;
      offset: number;
    },
  ) {
    let q = this.deps.db
      .selectFrom('staff as s')
      .leftJoin('organizations as o', 'o.id', 's.organization_id');
    if (scope.kind !== 'all') q = q.where(orgScopePredicate(scope, 'o'));
    if (f.organizationId) q = q.where('s.organization_id', '=', f.organizationId);
    if (f.role) q = q.where('s.role', '=', f.role);
    const [items, count] = await Promise.all([
      q
        .selectAll('s')
        .orderBy('s.created_at')
        .orderBy('s.id')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      countOf(q),
    ]);
    return { items, total: count };
  }

  async get(scope: DataScope, id: string): Promise<StaffRow> {
    const row = await this.deps.db
      .selectFrom('staff')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || !(await this.inScope(scope, row)))
      throw new DomainError('NOT_FOUND', { resource: 'staff' });
    return row;
  }

  async create(input: NewStaff, ctx: ActContext): Promise<StaffRow> {
    const actor = ctx.actor!;
    if (!ROLE_MAY_CREATE[actor.role].includes(input.role)) {
      throw new DomainError('FORBIDDEN', { role: actor.role, action: `create ${input.role}` });
    }
    const org = input.organizationId ? await this.orgs.findById(input.organizationId) : null;
    if (input.organizationId && (!org || !organizationInScope(actor.scope, toScoped(org)))) {
      throw new DomainError('NOT_FOUND', { resource: 'organization' });
    }
    if (!org && actor.scope.kind !== 'all')
      throw new DomainError('OUT_OF_SCOPE', { resource: 'staff' });
    if (!roleFitsOrganization(input.role, org?.kind ?? null)) {
      throw new DomainError('ROLE_NOT_ALLOWED_FOR_ORGANIZATION', {
        role: input.role,
        kind: org?.kind ?? 'none',
      });
    }
    checkPasswordStrength(input.password);
    return this.insert(input, ctx);
  }

  async disable(scope: DataScope, id: string, ctx: ActContext): Promise<StaffRow> {
    const target = await this.get(scope, id);
    if (target.id === ctx.actor?.staffId)
      throw new DomainError('FORBIDDEN', { role: ctx.actor.role, action: 'disable own account' });
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('staff')
        .set({ status: 'disabled', disabled_at: now, disabled_reason: 'admin' })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const ended = await this.sessions.endAllForStaff(trx, id, now, 'account_disabled');
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'staff.disable',
          targetType: 'staff',
          targetId: id,
          details: { sessionsEnded: ended },
        },
        now,
      );
      return row;
    });
  }

  /**
   * On first start, create the installation administrator `admin` with the configured password,
   * or a random one that the caller prints once. Does nothing if the account exists.
   */
  async ensureInstallationAdmin(
    ctx: ActContext,
    password?: string,
  ): Promise<{ created: boolean; password?: string }> {
    const exists = await this.deps.db
      .selectFrom('staff')
      .select('id')
      .where('username', '=', INSTALLATION_ADMIN)
      .executeTakeFirst();
    if (exists) {
      await this.applyAdminSecret(ctx);
      return { created: false };
    }
    const chosen = password ?? generatePassword();
    checkPasswordStrength(chosen);
    try {
      await this.insert(
        {
          username: INSTALLATION_ADMIN,
          displayName: '平台管理员',
          role: 'installation_admin',
          organizationId: null,
          password: chosen,
        },
        ctx,
      );
    } catch (e) {
      if (e instanceof DomainError && e.code === 'USERNAME_TAKEN') return { created: false }; // another node won the race
      throw e;
    }
    await this.applyAdminSecret(ctx);
    return { created: true, ...(password ? {} : { password: chosen }) };
  }

  /**
   * SSCARD_ADMIN_TOTP_SECRET, when set, is the installation administrator's second factor: it
   * is stored (sealed) at start whenever the stored one differs. When unset, `admin` enrols at
   * its first login like any other administrator.
   */
  private async applyAdminSecret(ctx: ActContext): Promise<void> {
    const secret = this.deps.config.adminTotpSecret;
    if (!secret) return;
    const { db, keyring } = this.deps;
    const admin = await db
      .selectFrom('staff')
      .select(['id', 'totp_secret_enc'])
      .where('username', '=', INSTALLATION_ADMIN)
      .executeTakeFirstOrThrow();
    const aad = totpSecretAad(admin.id);
    if (admin.totp_secret_enc && keyring.decrypt(admin.totp_secret_enc, aad) === secret) return;
    const now = this.deps.clock.now();
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('staff')
        .set({ totp_secret_enc: keyring.encrypt(secret, aad), totp_enrolled_at: now })
        .where('id', '=', admin.id)
        .execute();
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'staff.otp_preset',
          targetType: 'staff',
          targetId: admin.id,
          details: { replaced: admin.totp_secret_enc !== null },
        },
        now,
      );
    });
  }

  /**
   * Disables every account in the actor's scope not used for SSCARD_STAFF_INACTIVE_DAYS (the
   * installation administrator excepted), in one transaction with one audit record each and one
   * for the sweep. For a scheduler: call it with a system context.
   */
  async sweepInactive(
    ctx: ActContext,
  ): Promise<{ cutoff: Date; disabled: { id: string; username: string }[] }> {
    const scope = ctx.actor?.scope ?? { kind: 'all' };
    const now = this.deps.clock.now();
    const cutoff = inactivityCutoff(this.deps, now);
    return this.deps.db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('staff as s')
        .leftJoin('organizations as o', 'o.id', 's.organization_id')
        .select(['s.id', 's.username', 's.created_at', 's.last_login_at', 's.reactivated_at'])
        .where('s.status', '=', 'active')
        .where('s.role', 'not in', [...INACTIVITY_EXEMPT_ROLES])
        .where(sql<boolean>`greatest(s.created_at, s.last_login_at, s.reactivated_at) < ${cutoff}`);
      if (scope.kind !== 'all') q = q.where(orgScopePredicate(scope, 'o'));
      const stale = await q.orderBy('s.username').forUpdate('s').execute();
      await disableForInactivity(
        this.deps,
        trx,
        ctx,
        stale.map((r) => ({
          id: r.id,
          lastActiveAt: new Date(
            Math.max(
              r.created_at.getTime(),
              r.last_login_at?.getTime() ?? 0,
              r.reactivated_at?.getTime() ?? 0,
            ),
          ),
        })),
        now,
      );
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'staff.sweep_inactive',
          targetType: 'staff',
          targetId: null,
          details: {
            inactiveDays: this.deps.config.staff.inactiveDays,
            cutoff: cutoff.toISOString(),
            disabled: stale.length,
          },
        },
        now,
      );
      return { cutoff, disabled: stale.map((r) => ({ id: r.id, username: r.username })) };
    });
  }

  /** Enables a disabled account; inactivity counts afresh from now. */
  async enable(scope: DataScope, id: string, ctx: ActContext): Promise<StaffRow> {
    const target = await this.get(scope, id);
    if (target.status === 'active') throw new DomainError('ACCOUNT_ALREADY_ACTIVE');
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('staff')
        .set({
          status: 'active',
          disabled_at: null,
          disabled_reason: null,
          reactivated_at: now,
          failed_logins: 0,
          locked_until: null,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'staff.enable',
          targetType: 'staff',
          targetId: id,
          details: { wasDisabledFor: target.disabled_reason ?? 'unknown' },
        },
        now,
      );
      return row;
    });
  }

  /**
   * Clears another account's second factor (a lost or replaced device) and ends its sessions;
   * at its next login it enrols a new one (administrators must). Not for one's own account.
   */
  async resetSecondFactor(scope: DataScope, id: string, ctx: ActContext): Promise<StaffRow> {
    const target = await this.get(scope, id);
    if (target.id === ctx.actor?.staffId)
      throw new DomainError('FORBIDDEN', {
        role: ctx.actor.role,
        action: 'reset own second factor',
      });
    if (target.username === INSTALLATION_ADMIN && this.deps.config.adminTotpSecret)
      throw new DomainError('OTP_MANAGED_BY_CONFIG');
    if (!target.totp_secret_enc) throw new DomainError('OTP_NOT_ENROLLED');
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('staff')
        .set({ totp_secret_enc: null, totp_enrolled_at: null })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .deleteFrom('otp_enrolments')
        .where('staff_id', '=', id)
        .where('completed_at', 'is', null)
        .execute();
      const ended = await this.sessions.endAllForStaff(trx, id, now, 'second_factor_reset');
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'staff.otp_reset',
          targetType: 'staff',
          targetId: id,
          details: { sessionsEnded: ended },
        },
        now,
      );
      return row;
    });
  }

  private async insert(input: NewStaff, ctx: ActContext): Promise<StaffRow> {
    const passwordHash = await hashPassword(input.password);
    try {
      return await transact(this.deps, ctx, (trx, now) =>
        this.insertIn(trx, { ...input, passwordHash }, ctx, now),
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DomainError('USERNAME_TAKEN');
      throw e;
    }
  }

  /** Creates an account inside the caller's transaction (FZ-37 approvals create accounts too). */
  async insertIn(
    trx: Trx,
    input: Omit<NewStaff, 'password'> & {
      passwordHash: string;
      permissions?: readonly string[] | null;
    },
    ctx: ActContext,
    now: Date,
  ): Promise<StaffRow> {
    const id = uuidv7();
    const row = await trx
      .insertInto('staff')
      .values({
        id,
        username: input.username,
        display_name: input.displayName,
        organization_id: input.organizationId,
        role: input.role,
        password_hash: input.passwordHash,
        password_changed_at: now,
        created_at: now,
        created_by: ctx.actor?.staffId ?? null,
        permissions: input.permissions ? JSON.stringify(input.permissions) : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.deps.audit.append(
      trx,
      ctx,
      {
        action: 'staff.create',
        targetType: 'staff',
        targetId: id,
        details: { role: input.role, restricted: Boolean(input.permissions) },
      },
      now,
    );
    return row;
  }

  private async inScope(scope: DataScope, row: StaffRow): Promise<boolean> {
    if (scope.kind === 'all') return true;
    if (!row.organization_id) return false;
    const org = await this.orgs.findById(row.organization_id);
    return !!org && organizationInScope(scope, toScoped(org));
  }
}

/** 16 characters from four classes, for the one-time printed administrator password. */
export function generatePassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '-_.!@#%+='];
  const all = sets.join('');
  const pick = (s: string) => s[randomInt(s.length)]!;
  const chars = sets.map(pick);
  while (chars.length < 16) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
