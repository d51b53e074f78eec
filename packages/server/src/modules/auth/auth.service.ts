/**
 * Logging in and out, and turning a bearer token into an actor. Passwords are checked against
 * scrypt hashes; an unknown username costs the same time as a wrong password. Repeated failures
 * (wrong password, wrong or replayed one-time code) lock the account for a while; a disabled
 * account's sessions end at once and no new one starts.
 *
 * Second factor (TOTP, RFC 6238). Administrators (installation, centre, bank) must log in with
 * one; anyone else may enrol. An administrator without a secret cannot get a session at all:
 * the password alone answers `OTP_ENROLMENT_REQUIRED` with a fresh secret and a short-lived
 * enrolment ticket, and only `POST /auth/login/enrol` with that ticket and a code from the new
 * secret stores it and opens the session. Each code is good once (`staff_otp_used`).
 *
 * Changing one's own password, phone or second factor needs the password again (and a code
 * where a second factor is enrolled), so a session left open is not enough to take an account.
 *
 * While the account's organisation or its bank is suspended (FZ-42), login and every request
 * are refused with the article cited.
 */
import {
  DomainError,
  SUSPENSION_CITATION,
  checkPasswordStrength,
  checkPhone,
  isRole,
  maskPhone,
  scopeOf,
  effectivePermissions,
  secondFactorRequired,
  type OrganizationKind,
  type Role,
} from '@sscard/domain';
import type { Selectable, Transaction } from 'kysely';
import { decoyHash, hashPassword, verifyPassword } from '../../crypto/password.js';
import { hashToken, newToken, uuidv7 } from '../../crypto/tokens.js';
import type { ActContext, Actor } from '../../context.js';
import type { Database } from '../../db/database.js';
import type { DB, StaffTable } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { disableForInactivity, isInactive, lastActiveAt } from '../staff/inactivity.js';
import { INSTALLATION_ADMIN } from '../staff/staff.service.js';
import {
  enrolmentSecretAad,
  newOtpSecret,
  otpauthUri,
  staffPhoneAad,
  timeStepOf,
  totpSecretAad,
  verifyOtp,
} from './otp.js';
import { SessionsRepository, type SessionRow } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';

const MINUTE = 60_000;
/** Recording last activity on every request would be a write per read; once a minute is enough. */
const TOUCH_INTERVAL_MS = MINUTE;
/** Used-code rows older than this many steps can go: those codes are refused by time anyway. */
const USED_CODE_RETENTION_STEPS = 10;

export interface LoginInput {
  username: string;
  password: string;
  otp?: string | undefined;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  actor: Actor;
}

/** What the user needs to add the secret to an authenticator app, and the ticket to confirm. */
export interface Enrolment {
  ticket: string;
  secret: string;
  otpauthUri: string;
  expiresAt: Date;
}

/** Proof of presence for sensitive changes to one's own account. */
export interface Reauth {
  password: string;
  otp?: string | undefined;
}

export interface Profile {
  phone: string | null;
  secondFactor: { enrolled: boolean; required: boolean };
}

/** A staff row with what authentication needs of its organisation and that one's bank. */
type StaffForAuth = Selectable<StaffTable> & {
  organization_kind: string | null;
  bank_id: string | null;
  jurisdiction: string | null;
  organization_status: string | null;
  organization_name: string | null;
  bank_status: string | null;
  bank_name: string | null;
};

interface FailureOptions {
  /** A failure inside a session (re-authentication): when it locks the account, end sessions. */
  endSessions: boolean;
}

export class AuthService {
  readonly sessions: SessionsRepository;
  /** Listing and ending sessions (one's own, or others' in scope with `session.manage`). */
  readonly manage: SessionsService;

  constructor(private readonly deps: Deps) {
    this.sessions = new SessionsRepository(deps.db);
    this.manage = new SessionsService(deps, this.sessions);
  }

  async login(input: LoginInput, ctx: ActContext): Promise<LoginResult> {
    const { clock, config } = this.deps;
    const now = clock.now();
    const staff = await this.findStaff('username', input.username.toLowerCase());

    if (!staff) {
      await verifyPassword(input.password, await decoyHash());
      await this.recordRefusal(ctx, 'auth.login', null, 'LOGIN_FAILED', now);
      throw new DomainError('LOGIN_FAILED');
    }
    await this.refuseIfLocked(ctx, 'auth.login', staff, now);
    if (!(await verifyPassword(input.password, staff.password_hash)))
      await this.failed(ctx, 'auth.login', staff, 'LOGIN_FAILED', now, { endSessions: false });
    if (staff.status !== 'active') {
      await this.recordRefusal(ctx, 'auth.login', staff.id, 'ACCOUNT_DISABLED', now);
      throw new DomainError('ACCOUNT_DISABLED');
    }
    await this.refuseIfSuspended(ctx, 'auth.login', staff, now);
    if (isInactive(this.deps, staff, now)) {
      await this.deps.db.transaction().execute(async (trx) => {
        await disableForInactivity(
          this.deps,
          trx,
          ctx,
          [{ id: staff.id, lastActiveAt: lastActiveAt(staff) }],
          now,
        );
        await this.deps.audit.append(
          trx,
          ctx,
          {
            action: 'auth.login',
            targetType: 'staff',
            targetId: staff.id,
            outcome: 'refused',
            code: 'ACCOUNT_DISABLED',
          },
          now,
        );
      });
      throw new DomainError('ACCOUNT_DISABLED');
    }

    if (staff.totp_secret_enc) {
      await this.checkOtp(ctx, 'auth.login', staff, input.otp, now, { endSessions: false });
      return this.openSession(staff, ctx, now, true);
    }
    if (secondFactorRequired(staff.role)) {
      const enrolment = await this.beginEnrolment(staff, 'login', ctx, now);
      throw new DomainError(
        'OTP_ENROLMENT_REQUIRED',
        { minutes: config.otp.enrolmentMinutes },
        undefined,
        {
          enrolmentTicket: enrolment.ticket,
          otpSecret: enrolment.secret,
          otpauthUri: enrolment.otpauthUri,
          enrolmentExpiresAt: enrolment.expiresAt.toISOString(),
        },
      );
    }
    return this.openSession(staff, ctx, now, false);
  }

  /**
   * Completes the first login of an account that must have a second factor: the ticket from
   * `OTP_ENROLMENT_REQUIRED` and a code from the secret that came with it. Stores the secret
   * (sealed) and opens the session in one transaction.
   */
  async completeLoginEnrolment(ticket: string, otp: string, ctx: ActContext): Promise<LoginResult> {
    const now = this.deps.clock.now();
    const enrolment = await this.findEnrolment(ticket);
    if (
      !enrolment ||
      enrolment.purpose !== 'login' ||
      enrolment.completed_at ||
      enrolment.expires_at <= now
    ) {
      await this.recordRefusal(
        ctx,
        'auth.login',
        enrolment?.staff_id ?? null,
        'OTP_ENROLMENT_INVALID',
        now,
      );
      throw new DomainError('OTP_ENROLMENT_INVALID');
    }
    const staff = (await this.findStaff('id', enrolment.staff_id))!;
    await this.refuseIfLocked(ctx, 'auth.login', staff, now);
    if (staff.status !== 'active') {
      await this.recordRefusal(ctx, 'auth.login', staff.id, 'ACCOUNT_DISABLED', now);
      throw new DomainError('ACCOUNT_DISABLED');
    }
    await this.refuseIfSuspended(ctx, 'auth.login', staff, now);
    if (staff.totp_secret_enc) {
      await this.recordRefusal(ctx, 'auth.login', staff.id, 'OTP_ENROLMENT_INVALID', now);
      throw new DomainError('OTP_ENROLMENT_INVALID');
    }
    const { secret, step } = await this.matchEnrolment(enrolment, otp, now);
    if (step === null)
      await this.failed(ctx, 'auth.login', staff, 'OTP_INVALID', now, { endSessions: false });

    return this.openSession(staff, ctx, now, true, async (trx, actor) => {
      await this.completeEnrolment(trx, enrolment.id, staff.id, secret, step!, now);
      await this.deps.audit.append(
        trx,
        { ...ctx, actor },
        {
          action: 'auth.otp_enrol',
          targetType: 'staff',
          targetId: staff.id,
          details: { purpose: 'login' },
        },
        now,
      );
    });
  }

  /** The actor behind a bearer token, or a problem saying why not. */
  async authenticate(token: string): Promise<Actor> {
    const now = this.deps.clock.now();
    const row = await this.sessions.findByTokenHash(hashToken(token));
    if (!row) throw new DomainError('AUTH_REQUIRED');
    const suspended = suspensionOf({
      organizationStatus: row.organizationStatus,
      organizationName: row.organizationName,
      bankStatus: row.bankStatus,
      bankName: row.bankName,
    });
    if (suspended) {
      if (!row.endedAt)
        await this.sessions.end(this.deps.db, row.sessionId, now, 'organization_suspended');
      throw suspended;
    }
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

  /** What `me` shows besides the actor: the phone (masked) and the second factor's state. */
  async profile(actor: Actor): Promise<Profile> {
    const staff = actor.staffId ? await this.findStaff('id', actor.staffId) : undefined;
    const phone = staff?.phone_enc
      ? this.deps.keyring.decrypt(staff.phone_enc, staffPhoneAad(staff.id))
      : null;
    return {
      phone: phone ? maskPhone(phone) : null,
      secondFactor: {
        enrolled: Boolean(staff?.totp_secret_enc),
        required: secondFactorRequired(actor.role),
      },
    };
  }

  /** Changes one's own password; other sessions of the account end. */
  async changePassword(
    ctx: ActContext,
    input: Reauth & { newPassword: string },
  ): Promise<{ sessionsEnded: number }> {
    const action = 'auth.password_change';
    checkPasswordStrength(input.newPassword);
    if (input.newPassword.normalize('NFC') === input.password.normalize('NFC'))
      throw new DomainError('PASSWORD_REUSED');
    const now = this.deps.clock.now();
    const staff = await this.self(ctx);
    await this.reauthenticate(ctx, action, staff, input, now);
    const hash = await hashPassword(input.newPassword);
    return this.deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('staff')
        .set({ password_hash: hash, password_changed_at: now })
        .where('id', '=', staff.id)
        .execute();
      const ended = await this.sessions.endAllForStaff(
        trx,
        staff.id,
        now,
        'password_changed',
        ctx.actor!.sessionId,
      );
      await this.deps.audit.append(
        trx,
        ctx,
        { action, targetType: 'staff', targetId: staff.id, details: { sessionsEnded: ended } },
        now,
      );
      return { sessionsEnded: ended };
    });
  }

  /** Sets or clears one's own phone number (sealed at rest; shown masked). */
  async changePhone(ctx: ActContext, input: Reauth & { phone: string | null }): Promise<Profile> {
    const action = 'auth.phone_change';
    if (input.phone !== null) checkPhone(input.phone);
    const now = this.deps.clock.now();
    const staff = await this.self(ctx);
    await this.reauthenticate(ctx, action, staff, input, now);
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('staff')
        .set({
          phone_enc:
            input.phone === null
              ? null
              : this.deps.keyring.encrypt(input.phone, staffPhoneAad(staff.id)),
        })
        .where('id', '=', staff.id)
        .execute();
      await this.deps.audit.append(
        trx,
        ctx,
        { action, targetType: 'staff', targetId: staff.id, details: { set: input.phone !== null } },
        now,
      );
    });
    return this.profile(ctx.actor!);
  }

  /**
   * Starts adding (or replacing) one's own second factor: a new secret to put in an
   * authenticator app and a ticket for `confirmEnrolment`. The current factor stays in force
   * until the new one is confirmed.
   */
  async startEnrolment(ctx: ActContext, input: Reauth): Promise<Enrolment> {
    const action = 'auth.otp_enrol';
    const now = this.deps.clock.now();
    const staff = await this.self(ctx);
    this.refuseIfManagedByConfig(staff);
    await this.reauthenticate(ctx, action, staff, input, now);
    return this.beginEnrolment(staff, 'session', ctx, now);
  }

  /** Confirms a new second factor with a code from it; other sessions of the account end. */
  async confirmEnrolment(
    ctx: ActContext,
    ticket: string,
    otp: string,
  ): Promise<{ sessionsEnded: number }> {
    const action = 'auth.otp_enrol';
    const now = this.deps.clock.now();
    const staff = await this.self(ctx);
    this.refuseIfManagedByConfig(staff);
    const enrolment = await this.findEnrolment(ticket);
    if (
      !enrolment ||
      enrolment.staff_id !== staff.id ||
      enrolment.purpose !== 'session' ||
      enrolment.completed_at ||
      enrolment.expires_at <= now
    )
      throw new DomainError('OTP_ENROLMENT_INVALID');
    const { secret, step } = await this.matchEnrolment(enrolment, otp, now);
    if (step === null)
      await this.failed(ctx, action, staff, 'OTP_INVALID', now, { endSessions: true });
    return this.deps.db.transaction().execute(async (trx) => {
      await this.completeEnrolment(trx, enrolment.id, staff.id, secret, step!, now);
      const ended = await this.sessions.endAllForStaff(
        trx,
        staff.id,
        now,
        'second_factor_changed',
        ctx.actor!.sessionId,
      );
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action,
          targetType: 'staff',
          targetId: staff.id,
          details: {
            purpose: 'session',
            replaced: Boolean(staff.totp_secret_enc),
            sessionsEnded: ended,
          },
        },
        now,
      );
      return { sessionsEnded: ended };
    });
  }

  /** Removes one's own second factor; refused for the roles that must have one. */
  async removeSecondFactor(ctx: ActContext, input: Reauth): Promise<void> {
    const action = 'auth.otp_remove';
    const now = this.deps.clock.now();
    const staff = await this.self(ctx);
    if (secondFactorRequired(staff.role))
      throw new DomainError('OTP_REQUIRED_FOR_ROLE', { role: staff.role });
    if (!staff.totp_secret_enc) throw new DomainError('OTP_NOT_ENROLLED');
    await this.reauthenticate(ctx, action, staff, input, now);
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('staff')
        .set({ totp_secret_enc: null, totp_enrolled_at: null })
        .where('id', '=', staff.id)
        .execute();
      await this.deps.audit.append(
        trx,
        ctx,
        { action, targetType: 'staff', targetId: staff.id },
        now,
      );
    });
  }

  // ---------------------------------------------------------------------------------------

  private findStaff(
    by: 'id' | 'username',
    value: string,
    db: Database | Transaction<DB> = this.deps.db,
  ): Promise<StaffForAuth | undefined> {
    return db
      .selectFrom('staff as st')
      .leftJoin('organizations as o', 'o.id', 'st.organization_id')
      .leftJoin('organizations as b', 'b.id', 'o.bank_id')
      .selectAll('st')
      .select([
        'o.kind as organization_kind',
        'o.bank_id',
        'o.jurisdiction',
        'o.status as organization_status',
        'o.name as organization_name',
        'b.status as bank_status',
        'b.name as bank_name',
      ])
      .where(by === 'id' ? 'st.id' : 'st.username', '=', value)
      .executeTakeFirst();
  }

  private async self(ctx: ActContext): Promise<StaffForAuth> {
    const id = ctx.actor?.staffId;
    const staff = id ? await this.findStaff('id', id) : undefined;
    if (!staff) throw new DomainError('AUTH_REQUIRED');
    return staff;
  }

  private refuseIfManagedByConfig(staff: StaffForAuth): void {
    if (staff.username === INSTALLATION_ADMIN && this.deps.config.adminTotpSecret)
      throw new DomainError('OTP_MANAGED_BY_CONFIG');
  }

  private async refuseIfLocked(
    ctx: ActContext,
    action: string,
    staff: StaffForAuth,
    now: Date,
  ): Promise<void> {
    if (staff.locked_until && staff.locked_until > now) {
      await this.recordRefusal(ctx, action, staff.id, 'ACCOUNT_LOCKED', now);
      throw new DomainError('ACCOUNT_LOCKED', { until: staff.locked_until.toISOString() });
    }
  }

  private async refuseIfSuspended(
    ctx: ActContext,
    action: string,
    staff: StaffForAuth,
    now: Date,
  ): Promise<void> {
    const suspended = suspensionOf({
      organizationStatus: staff.organization_status,
      organizationName: staff.organization_name,
      bankStatus: staff.bank_status,
      bankName: staff.bank_name,
    });
    if (!suspended) return;
    await this.recordRefusal(ctx, action, staff.id, 'ORGANIZATION_SUSPENDED', now);
    throw suspended;
  }

  /** The password again, and a fresh code where a second factor is enrolled. */
  private async reauthenticate(
    ctx: ActContext,
    action: string,
    staff: StaffForAuth,
    input: Reauth,
    now: Date,
  ): Promise<void> {
    await this.refuseIfLocked(ctx, action, staff, now);
    if (!(await verifyPassword(input.password, staff.password_hash)))
      await this.failed(ctx, action, staff, 'REAUTH_FAILED', now, { endSessions: true });
    if (staff.totp_secret_enc)
      await this.checkOtp(ctx, action, staff, input.otp, now, { endSessions: true });
    if (staff.failed_logins > 0)
      await this.deps.db
        .updateTable('staff')
        .set({ failed_logins: 0 })
        .where('id', '=', staff.id)
        .execute();
  }

  /** Checks a code against the account's secret and uses it up; failures count to the lock. */
  private async checkOtp(
    ctx: ActContext,
    action: string,
    staff: StaffForAuth,
    otp: string | undefined,
    now: Date,
    options: FailureOptions,
  ): Promise<void> {
    if (!otp) {
      await this.recordRefusal(ctx, action, staff.id, 'OTP_REQUIRED', now);
      throw new DomainError('OTP_REQUIRED');
    }
    const secret = this.deps.keyring.decrypt(staff.totp_secret_enc!, totpSecretAad(staff.id));
    const step = await verifyOtp(secret, otp, now);
    if (step === null) await this.failed(ctx, action, staff, 'OTP_INVALID', now, options);
    if (!(await this.useCode(this.deps.db, staff.id, step!, now)))
      await this.failed(ctx, action, staff, 'OTP_REPLAYED', now, options);
  }

  /** Records a code's time step as used; false if it already was (a replay). */
  private async useCode(
    db: Database | Transaction<DB>,
    staffId: string,
    step: number,
    now: Date,
  ): Promise<boolean> {
    const inserted = await db
      .insertInto('staff_otp_used')
      .values({ staff_id: staffId, time_step: step, used_at: now })
      .onConflict((oc) => oc.columns(['staff_id', 'time_step']).doNothing())
      .returning('time_step')
      .executeTakeFirst();
    await db
      .deleteFrom('staff_otp_used')
      .where('staff_id', '=', staffId)
      .where('time_step', '<', timeStepOf(now) - USED_CODE_RETENTION_STEPS)
      .execute();
    return inserted !== undefined;
  }

  private async beginEnrolment(
    staff: StaffForAuth,
    purpose: 'login' | 'session',
    ctx: ActContext,
    now: Date,
  ): Promise<Enrolment> {
    const { config, keyring } = this.deps;
    const secret = newOtpSecret();
    const ticket = newToken();
    const id = uuidv7();
    const expiresAt = new Date(now.getTime() + config.otp.enrolmentMinutes * MINUTE);
    await this.deps.db.transaction().execute(async (trx) => {
      // One open enrolment per account: a new one replaces any earlier, unconfirmed secret.
      await trx
        .deleteFrom('otp_enrolments')
        .where('staff_id', '=', staff.id)
        .where('completed_at', 'is', null)
        .execute();
      await trx
        .insertInto('otp_enrolments')
        .values({
          id,
          staff_id: staff.id,
          ticket_hash: hashToken(ticket),
          purpose,
          secret_enc: keyring.encrypt(secret, enrolmentSecretAad(id)),
          created_at: now,
          expires_at: expiresAt,
        })
        .execute();
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'auth.otp_enrolment_start',
          targetType: 'staff',
          targetId: staff.id,
          details: { purpose },
        },
        now,
      );
    });
    return {
      ticket,
      secret,
      otpauthUri: otpauthUri(config.otp.issuer, staff.username, secret),
      expiresAt,
    };
  }

  private findEnrolment(ticket: string) {
    return this.deps.db
      .selectFrom('otp_enrolments')
      .selectAll()
      .where('ticket_hash', '=', hashToken(ticket))
      .executeTakeFirst();
  }

  /** The enrolment's secret, and the time step `otp` matches under it (null: a wrong code). */
  private async matchEnrolment(
    enrolment: { id: string; secret_enc: string },
    otp: string,
    now: Date,
  ): Promise<{ secret: string; step: number | null }> {
    const secret = this.deps.keyring.decrypt(
      enrolment.secret_enc,
      enrolmentSecretAad(enrolment.id),
    );
    return { secret, step: await verifyOtp(secret, otp, now) };
  }

  private async completeEnrolment(
    trx: Transaction<DB>,
    enrolmentId: string,
    staffId: string,
    secret: string,
    step: number,
    now: Date,
  ): Promise<void> {
    const done = await trx
      .updateTable('otp_enrolments')
      .set({ completed_at: now })
      .where('id', '=', enrolmentId)
      .where('completed_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!done) throw new DomainError('OTP_ENROLMENT_INVALID');
    await trx
      .updateTable('staff')
      .set({
        totp_secret_enc: this.deps.keyring.encrypt(secret, totpSecretAad(staffId)),
        totp_enrolled_at: now,
      })
      .where('id', '=', staffId)
      .execute();
    await this.useCode(trx, staffId, step, now);
  }

  private async openSession(
    staff: StaffForAuth,
    ctx: ActContext,
    now: Date,
    secondFactor: boolean,
    alsoInTransaction?: (trx: Transaction<DB>, actor: Actor) => Promise<void>,
  ): Promise<LoginResult> {
    const { db, config } = this.deps;
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
      grantedPermissions: staff.permissions,
    });
    await db.transaction().execute(async (trx) => {
      if (alsoInTransaction) await alsoInTransaction(trx, actor);
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
        secondFactor,
      });
      await this.deps.audit.append(
        trx,
        { ...ctx, actor },
        {
          action: 'auth.login',
          targetType: 'staff',
          targetId: staff.id,
          details: { secondFactor },
        },
        now,
      );
    });
    ctx.audited = true;
    return { token, expiresAt, actor };
  }

  /**
   * A failed password or code: counts toward the lock, which it may close. Always throws: the
   * given code, or ACCOUNT_LOCKED when this failure was one too many.
   */
  private async failed(
    ctx: ActContext,
    action: string,
    staff: StaffForAuth,
    code: 'LOGIN_FAILED' | 'REAUTH_FAILED' | 'OTP_INVALID' | 'OTP_REPLAYED',
    now: Date,
    options: FailureOptions,
  ): Promise<never> {
    const { db, config } = this.deps;
    const failures = await db
      .updateTable('staff')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', staff.id)
      .returning('failed_logins')
      .executeTakeFirstOrThrow();
    if (failures.failed_logins >= config.login.maxFailures) {
      const until = new Date(now.getTime() + config.login.lockMinutes * MINUTE);
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('staff')
          .set({ locked_until: until, failed_logins: 0 })
          .where('id', '=', staff.id)
          .execute();
        const ended = options.endSessions
          ? await this.sessions.endAllForStaff(trx, staff.id, now, 'locked')
          : 0;
        await this.deps.audit.append(
          trx,
          ctx,
          {
            action,
            targetType: 'staff',
            targetId: staff.id,
            outcome: 'refused',
            code: 'ACCOUNT_LOCKED',
            details: { failures: failures.failed_logins, cause: code, sessionsEnded: ended },
          },
          now,
        );
      });
      throw new DomainError('ACCOUNT_LOCKED', { until: until.toISOString() });
    }
    await this.recordRefusal(ctx, action, staff.id, code, now, {
      failures: failures.failed_logins,
    });
    throw new DomainError(code);
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
    action: string,
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
          action,
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

/** The FZ-42 refusal if the organisation or its bank is suspended, else null. */
export function suspensionOf(o: {
  organizationStatus: string | null;
  organizationName: string | null;
  bankStatus: string | null;
  bankName: string | null;
}): DomainError | null {
  const name =
    o.bankStatus === 'suspended'
      ? o.bankName
      : o.organizationStatus === 'suspended'
        ? o.organizationName
        : undefined;
  if (name === undefined) return null;
  return new DomainError('ORGANIZATION_SUSPENDED', { name: name ?? '' }, SUSPENSION_CITATION);
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
  | 'grantedPermissions'
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
    permissions: effectivePermissions(role, (row.grantedPermissions as string[] | null) ?? null),
  };
}
