/**
 * Staff accounts. Each account has one role and, except the installation administrator, belongs
 * to one organisation of the kind that role fits. Accounts are created only inside the creator's
 * scope, only for roles the creator's role may create (`ROLE_MAY_CREATE`) and never with a
 * separated permission (reading the audit trail or full records) that the creator does not hold
 * itself (`mayProvision`, GB/T 22239-2019 8.1.4.2). Those the API may not create (auditors, the
 * first centre administrator) are created by the operator on the server (`sscard staff create`).
 *
 * No administrator chooses or sees another account's password: a new account has none, and its
 * creation answers a one-time activation ticket (only its SHA-256 is stored) with which the
 * holder sets their own (`POST /api/v1/auth/activate`). Only the platform itself (the demo seed,
 * the tests, `admin` at first start) sets a password directly.
 *
 * Disabling an account ends its sessions in the same act. Accounts unused for
 * SSCARD_STAFF_INACTIVE_DAYS are disabled by `sweepInactive` (see inactivity.ts); an
 * administrator can enable an account again and reset its second factor (a lost device), after
 * which it enrols again at its next login. Every change runs through the act step.
 */
import { randomInt } from 'node:crypto';
import {
  DomainError,
  ROLE_MAY_CREATE,
  checkPasswordStrength,
  formatShanghai,
  isPlatformActor,
  organizationInScope,
  roleFitsOrganization,
  separatedNotHeld,
  type DataScope,
  type Role,
} from '@sscard/domain';
import type { ActContext, Actor } from '../../context.js';
import { isUniqueViolation, type Deps } from '../../deps.js';
import { hashPassword } from '../../crypto/password.js';
import { hashToken, newToken, uuidv7 } from '../../crypto/tokens.js';
import type { Target } from '../../acts/access.js';
import type { Trx } from '../../db/transact.js';
import { organizationTarget } from '../organizations/organizations.service.js';
import {
  disableForInactivity,
  inactivityCutoff,
  lastActiveAt,
  INACTIVITY_EXEMPT_ROLES,
} from './inactivity.js';
import {
  ACTIVATION_SECRETS,
  presentNewAccount,
  presentStaff,
  type Activation,
} from './staff.presenter.js';
import type { StaffFilter, StaffForAuth, StaffRepository, StaffRow } from './staff.repository.js';

export type { StaffRow } from './staff.repository.js';

export interface NewStaff {
  username: string;
  displayName: string;
  role: Role;
  organizationId: string | null;
  /**
   * The platform's own accounts only (the demo seed, tests, `admin` at first start): a password
   * set directly. From anyone else it is refused (PASSWORD_NOT_ACCEPTED): the holder sets it.
   */
  password?: string | undefined;
}

/** A new account, and the activation ticket its holder sets a password with (none if one was set). */
export interface CreatedStaff {
  staff: StaffRow;
  activation: Activation | null;
}

export const INSTALLATION_ADMIN = 'admin';

const HOUR = 60 * 60_000;

/** What access needs to know about an account (acts/access.ts): its organisation, and itself. */
export function staffTarget(s: StaffForAuth): Target {
  return {
    type: 'staff',
    id: s.id,
    jurisdiction: s.jurisdiction,
    bankId: s.bank_id,
    staffId: s.id,
    organization:
      s.organization_id && s.jurisdiction !== null
        ? { id: s.organization_id, bankId: s.bank_id, jurisdiction: s.jurisdiction }
        : undefined,
  };
}

export class StaffService {
  private readonly repo: StaffRepository;

  constructor(private readonly deps: Deps) {
    this.repo = deps.repos.staff;
  }

  list(scope: DataScope, f: StaffFilter) {
    return this.repo.list(scope, f);
  }

  /** An account in the scope; one outside it is NOT_FOUND, like a missing one. */
  async get(scope: DataScope, id: string): Promise<StaffRow> {
    const row = await this.repo.findForAuth('id', id);
    if (!row || !inScope(scope, row)) throw new DomainError('NOT_FOUND', { resource: 'staff' });
    return row;
  }

  /**
   * Creates an account (`staff.create`). Over the API it has no password: the answer carries
   * its activation ticket, shown once. The platform itself may set a password (`password`).
   */
  async create(input: NewStaff, ctx: ActContext): Promise<CreatedStaff> {
    const actor = ctx.actor;
    const platform = actor !== null && isPlatformActor(actor);
    if (input.password !== undefined && !platform) throw new DomainError('PASSWORD_NOT_ACCEPTED');
    if (!platform) this.refuseUnlessMayCreate(actor, input);
    if (input.password !== undefined) checkPasswordStrength(input.password);
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    try {
      return await this.deps.acts.run(ctx, {
        name: 'staff.create',
        resource: 'organization',
        load: async (trx) => {
          if (input.organizationId === null) return { org: null };
          const org = await this.deps.repos.organizations.findById(input.organizationId, trx);
          return org && { org };
        },
        target: ({ org }): Target =>
          org ? organizationTarget(org) : { type: 'organization', id: null, jurisdiction: null },
        apply: async ({ trx, now, loaded: { org } }) => {
          if (!roleFitsOrganization(input.role, org?.kind ?? null))
            throw new DomainError('ROLE_NOT_ALLOWED_FOR_ORGANIZATION', {
              role: input.role,
              kind: org?.kind ?? 'none',
            });
          const { staff, activation } = await this.openAccount(trx, {
            ...input,
            passwordHash,
            permissions: null,
            createdBy: actor?.staffId ?? null,
            now,
          });
          return {
            result: { staff, activation },
            audited: { targetType: 'staff', targetId: staff.id },
            details: { role: input.role, restricted: false, activation: activation !== null },
          };
        },
        present: presentNewAccount,
        status: 201,
        secrets: ACTIVATION_SECRETS,
      });
    } catch (e) {
      throw usernameTaken(e);
    }
  }

  /**
   * The operator's way to create any account (`sscard staff create`): the platform only, in an
   * organisation named by id or code, with an activation ticket for its holder.
   */
  async provision(
    input: Omit<NewStaff, 'organizationId' | 'password'> & { organization: string | null },
    ctx: ActContext,
  ): Promise<CreatedStaff> {
    this.platformOnly(ctx, 'staff.create');
    const org = input.organization ? await this.repo.findOrganization(input.organization) : null;
    if (input.organization && !org)
      throw new DomainError('NOT_FOUND', { resource: 'organization' });
    return this.create(
      {
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        organizationId: org?.id ?? null,
      },
      ctx,
    );
  }

  /**
   * A fresh activation ticket for an account whose holder has not set a password yet (the
   * earlier ticket lapsed or was lost): the operator's (`sscard staff activation`).
   */
  issueActivation(username: string, ctx: ActContext): Promise<CreatedStaff> {
    this.platformOnly(ctx, 'staff.activation_issue');
    return this.deps.acts.run(ctx, {
      name: 'staff.activation_issue',
      resource: 'staff',
      load: (trx) => this.repo.findForAuth('username', username.toLowerCase(), trx, true),
      target: staffTarget,
      apply: async ({ trx, now, loaded }) => {
        if (loaded.password_hash !== null) throw new DomainError('ACCOUNT_ALREADY_ACTIVATED');
        const activation = this.newActivation(now);
        const staff = await this.repo.update(trx, loaded.id, {
          activation_hash: hashToken(activation.ticket),
          activation_expires_at: activation.expiresAt,
        });
        return { result: { staff, activation }, details: { role: staff.role } };
      },
      present: presentNewAccount,
      secrets: ACTIVATION_SECRETS,
    });
  }

  disable(id: string, ctx: ActContext): Promise<StaffRow> {
    return this.staffAct(id, ctx, 'staff.disable', async ({ trx, now, staff }) => {
      if (staff.id === ctx.actor?.staffId)
        throw new DomainError('FORBIDDEN', { role: ctx.actor.role, action: 'disable own account' });
      const row = await this.repo.update(trx, id, {
        status: 'disabled',
        disabled_at: now,
        disabled_reason: 'admin',
      });
      const ended = await this.deps.repos.sessions.endAllForStaff(trx, id, now, 'account_disabled');
      return { row, details: { sessionsEnded: ended } };
    });
  }

  /** Enables a disabled account; inactivity counts afresh from now. */
  enable(id: string, ctx: ActContext): Promise<StaffRow> {
    return this.staffAct(id, ctx, 'staff.enable', async ({ trx, now, staff }) => {
      if (staff.status === 'active') throw new DomainError('ACCOUNT_ALREADY_ACTIVE');
      const row = await this.repo.update(trx, id, {
        status: 'active',
        disabled_at: null,
        disabled_reason: null,
        reactivated_at: now,
        failed_logins: 0,
        locked_until: null,
      });
      return { row, details: { wasDisabledFor: staff.disabled_reason ?? 'unknown' } };
    });
  }

  /**
   * Clears another account's second factor (a lost or replaced device) and ends its sessions;
   * at its next login it enrols a new one (administrators must). Not for one's own account.
   */
  resetSecondFactor(id: string, ctx: ActContext): Promise<StaffRow> {
    return this.staffAct(id, ctx, 'staff.otp_reset', async ({ trx, now, staff }) => {
      if (staff.id === ctx.actor?.staffId)
        throw new DomainError('FORBIDDEN', {
          role: ctx.actor.role,
          action: 'reset own second factor',
        });
      if (staff.username === INSTALLATION_ADMIN && this.deps.config.adminTotpSecret)
        throw new DomainError('OTP_MANAGED_BY_CONFIG');
      if (!staff.totp_secret_enc) throw new DomainError('OTP_NOT_ENROLLED');
      const row = await this.repo.setTotpSecret(trx, id, null, now);
      await this.repo.dropOpenEnrolments(trx, id);
      const ended = await this.deps.repos.sessions.endAllForStaff(
        trx,
        id,
        now,
        'second_factor_reset',
      );
      return { row, details: { sessionsEnded: ended } };
    });
  }

  /**
   * Disables every account in the actor's scope not used for SSCARD_STAFF_INACTIVE_DAYS (the
   * installation administrator excepted), in one act with one audit record each and one for
   * the sweep. For a scheduler: call it with a system context.
   */
  sweepInactive(
    ctx: ActContext,
  ): Promise<{ cutoff: Date; disabled: { id: string; username: string }[] }> {
    const { config, repos } = this.deps;
    const scope: DataScope = ctx.actor?.scope ?? { kind: 'all' };
    return this.deps.acts.run(ctx, {
      name: 'staff.sweep_inactive',
      resource: 'staff',
      load: async () => ({}),
      target: () => ({ type: 'staff', id: null, jurisdiction: null }),
      apply: async ({ trx, now }) => {
        const cutoff = inactivityCutoff(config, now);
        const stale = await this.repo.stale(trx, scope, cutoff, INACTIVITY_EXEMPT_ROLES);
        const more = await disableForInactivity(
          repos,
          config,
          trx,
          stale.map((r) => ({ id: r.id, lastActiveAt: lastActiveAt(r) })),
          now,
        );
        return {
          result: { cutoff, disabled: stale.map((r) => ({ id: r.id, username: r.username })) },
          details: {
            inactiveDays: config.staff.inactiveDays,
            cutoff: cutoff.toISOString(),
            disabled: stale.length,
          },
          more,
        };
      },
      present: (r) => ({ cutoff: formatShanghai(r.cutoff), disabled: r.disabled }),
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
    if (await this.repo.findByUsername(INSTALLATION_ADMIN)) {
      await this.applyAdminSecret(ctx);
      return { created: false };
    }
    const chosen = password ?? generatePassword();
    try {
      await this.create(
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
    const admin = await this.repo.findByUsername(INSTALLATION_ADMIN);
    if (!admin || this.repo.totpSecret(admin) === secret) return;
    await this.deps.acts.run(ctx, {
      name: 'staff.otp_preset',
      resource: 'staff',
      load: (trx) => this.repo.findForAuth('id', admin.id, trx, true),
      target: staffTarget,
      apply: async ({ trx, now, loaded }) => {
        await this.repo.setTotpSecret(trx, loaded.id, secret, now);
        return { result: null, details: { replaced: loaded.totp_secret_enc !== null } };
      },
    });
  }

  /**
   * Writes a new account inside the caller's act (creation, or an approved FZ-37 grant): with
   * the password hash the platform set, or else a fresh activation ticket for its holder.
   */
  async openAccount(
    trx: Trx,
    a: {
      username: string;
      displayName: string;
      role: Role;
      organizationId: string | null;
      passwordHash: string | null;
      permissions: readonly string[] | null;
      createdBy: string | null;
      now: Date;
    },
  ): Promise<CreatedStaff> {
    const activation = a.passwordHash === null ? this.newActivation(a.now) : null;
    const staff = await this.repo.insert(trx, {
      id: uuidv7(),
      username: a.username,
      display_name: a.displayName,
      organization_id: a.organizationId,
      role: a.role,
      password_hash: a.passwordHash,
      activation_hash: activation ? hashToken(activation.ticket) : null,
      activation_expires_at: activation?.expiresAt ?? null,
      password_changed_at: a.now,
      created_at: a.now,
      created_by: a.createdBy,
      permissions: a.permissions ? JSON.stringify(a.permissions) : null,
    });
    return { staff, activation };
  }

  // ---------------------------------------------------------------------------------------

  /** ROLE_MAY_CREATE and separation of duties, for a member of staff creating an account. */
  private refuseUnlessMayCreate(actor: Actor | null, input: NewStaff): void {
    if (!actor) throw new DomainError('AUTH_REQUIRED');
    const missing = separatedNotHeld(actor, input.role);
    if (missing.length) throw separationRefusal(input.role, missing);
    if (!ROLE_MAY_CREATE[actor.role].includes(input.role))
      throw new DomainError('FORBIDDEN', { role: actor.role, action: `create ${input.role}` });
    if (input.organizationId === null && actor.scope.kind !== 'all')
      throw new DomainError('OUT_OF_SCOPE', { resource: 'staff' });
  }

  private platformOnly(ctx: ActContext, action: string): void {
    if (!ctx.actor || !isPlatformActor(ctx.actor))
      throw new DomainError('FORBIDDEN', { role: ctx.actor?.role ?? 'anonymous', action });
  }

  private newActivation(now: Date): Activation {
    return {
      ticket: newToken(),
      expiresAt: new Date(now.getTime() + this.deps.config.staff.activationHours * HOUR),
    };
  }

  /** One act on one account: locked, access decided from the actor's scope, answered as the account. */
  private staffAct(
    id: string,
    ctx: ActContext,
    name: 'staff.disable' | 'staff.enable' | 'staff.otp_reset',
    fn: (s: {
      trx: Trx;
      now: Date;
      staff: StaffForAuth;
    }) => Promise<{ row: StaffRow; details: Record<string, string | number | boolean> }>,
  ): Promise<StaffRow> {
    return this.deps.acts.run(ctx, {
      name,
      resource: 'staff',
      load: (trx) => this.repo.findForAuth('id', id, trx, true),
      target: staffTarget,
      apply: async ({ trx, now, loaded }) => {
        const { row, details } = await fn({ trx, now, staff: loaded });
        return { result: row, details };
      },
      present: presentStaff,
    });
  }
}

/** SEPARATION_OF_DUTIES: the role would hold separated permissions the actor does not. */
export function separationRefusal(role: Role, missing: readonly string[]): DomainError {
  return new DomainError(
    'SEPARATION_OF_DUTIES',
    { role, permissions: missing.join(', ') },
    {
      rule: 'GB/T 22239-2019 8.1.4.2',
      quote: '应授予管理用户所需的最小权限，实现管理用户的权限分离。',
      note: '三权分立：审计（audit.read）与完整个人信息查阅（person.read_full）不能经由自己开设的账户或批准的授权获得。',
    },
  );
}

/** USERNAME_TAKEN for the unique violation of a username, else the error as it was. */
export function usernameTaken(e: unknown): unknown {
  return isUniqueViolation(e, 'staff_username_key') ? new DomainError('USERNAME_TAKEN') : e;
}

function inScope(scope: DataScope, row: StaffForAuth): boolean {
  if (scope.kind === 'all') return true;
  if (!row.organization_id || row.jurisdiction === null) return false;
  return organizationInScope(scope, {
    id: row.organization_id,
    bankId: row.bank_id,
    jurisdiction: row.jurisdiction,
  });
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
