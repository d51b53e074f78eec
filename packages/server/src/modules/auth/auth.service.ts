/**
 * Logging in and out, activating a new account, and turning a bearer token into an actor. Every
 * change runs through the act step (acts/act-step.ts).
 *
 * Login is decided without a race: the password is checked against its scrypt hash before the
 * transaction (it is slow), then the act locks the account row (SELECT … FOR UPDATE), reads its
 * lock and failure count again and decides there, so a lock closed by a concurrent failure wins
 * over a right password. Failures (wrong password, wrong or replayed one-time code) count toward
 * the lock and are kept although the login is refused (the act's `refusal`: committed, then
 * thrown). A name that is not an account counts its failures the same way (`login_throttle`),
 * and costs the same time, so neither the answers nor their timing tell which names exist; an
 * account without a password yet (not activated) answers exactly like a wrong password.
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
import { timingSafeEqual } from 'node:crypto';
import {
  DomainError,
  SUSPENSION_CITATION,
  checkPasswordStrength,
  checkPhone,
  isRole,
  scopeOf,
  effectivePermissions,
  secondFactorRequired,
  type AccessAct,
  type OrganizationKind,
  type Role,
} from '@sscard/domain';
import { decoyHash, hashPassword, verifyPassword } from '../../crypto/password.js';
import { hashToken, newToken, uuidv7 } from '../../crypto/tokens.js';
import type { Applied } from '../../acts/act-step.js';
import type { Target } from '../../acts/access.js';
import type { ActContext, Actor } from '../../context.js';
import type { Trx } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { disableForInactivity, isInactive, lastActiveAt } from '../staff/inactivity.js';
import { presentPhone, presentProfile } from '../staff/staff.presenter.js';
import type { StaffForAuth, StaffRepository } from '../staff/staff.repository.js';
import { INSTALLATION_ADMIN, staffTarget } from '../staff/staff.service.js';
import type { NameThrottle } from './login-throttle.repository.js';
import { newOtpSecret, otpauthUri, verifyOtp } from './otp.js';
import {
  ENROLMENT_SECRETS,
  LOGIN_SECRETS,
  presentEnrolment,
  presentLogin,
  type Enrolment,
  type LoginResult,
} from './sessions.presenter.js';
import type { SessionRow, SessionsRepository } from './sessions.repository.js';
import { SessionsService, sessionTarget } from './sessions.service.js';

export type { Enrolment, LoginResult } from './sessions.presenter.js';

const MINUTE = 60_000;
/** Recording last activity on every request would be a write per read; once a minute is enough. */
const TOUCH_INTERVAL_MS = MINUTE;

export interface LoginInput {
  username: string;
  password: string;
  otp?: string | undefined;
}

/** Proof of presence for sensitive changes to one's own account. */
export interface Reauth {
  password: string;
  otp?: string | undefined;
}

export interface Activation {
  username: string;
  ticket: string;
  newPassword: string;
}

type Failure = 'LOGIN_FAILED' | 'REAUTH_FAILED' | 'OTP_INVALID' | 'OTP_REPLAYED';

/** A refusal decided inside an act, kept with what led to it (committed, then thrown). */
type Refused = Required<Pick<Applied<null>, 'refusal'>> & Omit<Applied<null>, 'refusal'>;

/** The password as checked before the act's transaction, against the hash seen then. */
interface PasswordCheck {
  password: string;
  ok: boolean;
  hashSeen: string | null;
}

/** What an act on one's own account is about: the locked row, and the re-authentication. */
interface SelfAct<R> {
  name: AccessAct;
  action?: string;
  reauth?: { check: PasswordCheck; otp: string | undefined };
  /** Refusals that need the row but come before re-authentication (not counted, not kept). */
  before?: (staff: StaffForAuth) => void;
  apply: (s: { trx: Trx; now: Date; staff: StaffForAuth }) => Promise<Applied<R | null>>;
  present?: (result: R) => unknown;
  status?: number;
  secrets?: readonly string[];
}

const NO_STAFF: Target = { type: 'staff', id: null, jurisdiction: null };

export class AuthService {
  readonly sessions: SessionsRepository;
  /** Listing and ending sessions (one's own, or others' in scope with `session.manage`). */
  readonly manage: SessionsService;
  private readonly staff: StaffRepository;

  constructor(private readonly deps: Deps) {
    this.sessions = deps.repos.sessions;
    this.staff = deps.repos.staff;
    this.manage = new SessionsService(deps);
  }

  async login(input: LoginInput, ctx: ActContext): Promise<LoginResult> {
    const name = input.username.toLowerCase();
    const known = await this.staff.findByUsername(name);
    const check = await this.checkPassword(input.password, known?.password_hash ?? null);
    type Loaded = { staff: StaffForAuth } | { throttle: NameThrottle };
    const result = await this.deps.acts.run<Loaded, LoginResult | null>(ctx, {
      name: 'auth.login',
      resource: 'staff',
      load: async (trx, now) => {
        const staff = known && (await this.staff.findForAuth('id', known.id, trx, true));
        return staff
          ? { staff }
          : { throttle: await this.deps.repos.loginThrottle.lock(trx, name, now) };
      },
      target: (l) => ('staff' in l ? staffTarget(l.staff) : NO_STAFF),
      apply: async ({ trx, now, loaded }) => {
        if (!('staff' in loaded)) return this.nameFailure(trx, name, loaded.throttle, now);
        const staff = loaded.staff;
        const refused =
          this.lockRefusal(staff, now) ??
          (await this.passwordRefusal(trx, staff, check, 'LOGIN_FAILED', now, false)) ??
          this.standingRefusal(staff) ??
          (await this.inactivityRefusal(trx, staff, now));
        if (refused) return refused;
        if (staff.totp_secret_enc) {
          const code = await this.codeRefusal(trx, staff, input.otp, now, false);
          if (code) return code;
          return this.openSession(trx, staff, ctx, now, true);
        }
        if (secondFactorRequired(staff.role)) return this.enrolmentRequired(trx, staff, now);
        return this.openSession(trx, staff, ctx, now, false);
      },
      present: (r) => (r ? presentLogin(r) : null),
      secrets: LOGIN_SECRETS,
    });
    return result!;
  }

  /**
   * Completes the first login of an account that must have a second factor: the ticket from
   * `OTP_ENROLMENT_REQUIRED` and a code from the secret that came with it. Stores the secret
   * (sealed) and opens the session in one act.
   */
  async completeLoginEnrolment(ticket: string, otp: string, ctx: ActContext): Promise<LoginResult> {
    const ticketHash = hashToken(ticket);
    const pending = await this.staff.findEnrolment(ticketHash);
    const result = await this.deps.acts.run(ctx, {
      name: 'auth.login',
      resource: 'staff',
      load: async (trx) => {
        // The account first, then its enrolment: the order every act on an account locks in.
        const staff = pending && (await this.staff.findForAuth('id', pending.staff_id, trx, true));
        const enrolment = staff && (await this.staff.findEnrolment(ticketHash, trx, true));
        return { staff, enrolment };
      },
      target: ({ staff }) => (staff ? staffTarget(staff) : NO_STAFF),
      apply: async ({
        trx,
        now,
        loaded: { staff, enrolment },
      }): Promise<Applied<LoginResult | null>> => {
        const invalid = { result: null, refusal: new DomainError('OTP_ENROLMENT_INVALID') };
        if (
          !staff ||
          !enrolment ||
          enrolment.purpose !== 'login' ||
          enrolment.completed_at ||
          enrolment.expires_at <= now
        )
          return invalid;
        const refused = this.lockRefusal(staff, now) ?? this.standingRefusal(staff);
        if (refused) return refused;
        if (staff.totp_secret_enc) return invalid;
        const secret = this.staff.enrolmentSecret(enrolment);
        const step = await verifyOtp(secret, otp, now);
        if (step === null) return this.failure(trx, staff, 'OTP_INVALID', now, false);
        await this.completeEnrolment(trx, staff, enrolment.id, secret, step, now);
        const opened = await this.openSession(trx, staff, ctx, now, true);
        return {
          ...opened,
          more: [
            {
              action: 'auth.otp_enrol',
              targetType: 'staff',
              targetId: staff.id,
              details: { purpose: 'login' },
            },
          ],
        };
      },
      present: (r) => (r ? presentLogin(r) : null),
      secrets: LOGIN_SECRETS,
    });
    return result!;
  }

  /**
   * Sets the password of a new account with its one-time activation ticket (shown once to the
   * administrator who created it, or printed by `sscard staff activation`). The ticket is spent;
   * no session opens: the holder logs in next (administrators then enrol their second factor).
   * A wrong name, ticket, a used or expired one all answer `ACTIVATION_INVALID`, after the same
   * work.
   */
  async activate(input: Activation, ctx: ActContext): Promise<void> {
    checkPasswordStrength(input.newPassword);
    const hash = await hashPassword(input.newPassword);
    const ticketHash = hashToken(input.ticket);
    await this.deps.acts.run(ctx, {
      name: 'auth.activate',
      resource: 'staff',
      load: async (trx) => ({
        staff: await this.staff.findForAuth('username', input.username.toLowerCase(), trx, true),
      }),
      target: ({ staff }) => (staff ? staffTarget(staff) : NO_STAFF),
      apply: async ({ trx, now, loaded: { staff } }) => {
        const valid =
          staff !== undefined &&
          staff.status === 'active' &&
          staff.password_hash === null &&
          staff.activation_hash !== null &&
          staff.activation_expires_at !== null &&
          staff.activation_expires_at > now &&
          staff.activation_hash.length === ticketHash.length &&
          timingSafeEqual(staff.activation_hash, ticketHash);
        if (!valid) return { result: null, refusal: new DomainError('ACTIVATION_INVALID') };
        await this.staff.update(trx, staff.id, {
          password_hash: hash,
          password_changed_at: now,
          activation_hash: null,
          activation_expires_at: null,
        });
        return { result: null, details: { role: staff.role } };
      },
      present: () => null,
      status: 204,
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
    await this.deps.acts.run(ctx, {
      name: 'auth.logout',
      resource: 'session',
      load: (trx) => this.sessions.findTarget(sessionId, trx, true),
      target: sessionTarget,
      apply: async ({ trx, now }) => {
        await this.sessions.end(trx, sessionId, now, 'logout');
        return { result: null };
      },
      present: () => null,
      status: 204,
    });
  }

  /** What `me` shows besides the actor: the phone (masked) and the second factor's state. */
  async profile(actor: Actor) {
    const staff = actor.staffId ? await this.staff.findById(actor.staffId) : undefined;
    return {
      ...presentProfile({
        phone: staff ? this.staff.phone(staff) : null,
        enrolled: Boolean(staff?.totp_secret_enc),
        required: secondFactorRequired(actor.role),
      }),
      // Whether this is a test installation (the web shows a banner); not the time itself.
      clock: this.deps.clock.mode,
    };
  }

  /** Changes one's own password; other sessions of the account end. */
  async changePassword(
    ctx: ActContext,
    input: Reauth & { newPassword: string },
  ): Promise<{ sessionsEnded: number }> {
    checkPasswordStrength(input.newPassword);
    if (input.newPassword.normalize('NFC') === input.password.normalize('NFC'))
      throw new DomainError('PASSWORD_REUSED');
    const check = await this.checkOwnPassword(ctx, input.password);
    const hash = await hashPassword(input.newPassword);
    return this.selfAct(ctx, {
      name: 'auth.password_change',
      reauth: { check, otp: input.otp },
      apply: async ({ trx, now, staff }) => {
        await this.staff.update(trx, staff.id, { password_hash: hash, password_changed_at: now });
        const ended = await this.endOtherSessions(trx, ctx, staff.id, now, 'password_changed');
        return { result: { sessionsEnded: ended }, details: { sessionsEnded: ended } };
      },
      present: () => null,
      status: 204,
    });
  }

  /** Sets or clears one's own phone number (sealed at rest; shown masked). */
  async changePhone(
    ctx: ActContext,
    input: Reauth & { phone: string | null },
  ): Promise<{ phone: string | null }> {
    if (input.phone !== null) checkPhone(input.phone);
    const check = await this.checkOwnPassword(ctx, input.password);
    return this.selfAct(ctx, {
      name: 'auth.phone_change',
      reauth: { check, otp: input.otp },
      apply: async ({ trx, staff }) => {
        await this.staff.setPhone(trx, staff.id, input.phone);
        return { result: { phone: input.phone }, details: { set: input.phone !== null } };
      },
      present: (r) => presentPhone(r.phone),
    });
  }

  /**
   * Starts adding (or replacing) one's own second factor: a new secret to put in an
   * authenticator app and a ticket for `confirmEnrolment`. The current factor stays in force
   * until the new one is confirmed.
   */
  async startEnrolment(ctx: ActContext, input: Reauth): Promise<Enrolment> {
    this.refuseIfManagedByConfig(ctx);
    const check = await this.checkOwnPassword(ctx, input.password);
    return this.selfAct(ctx, {
      name: 'auth.otp_enrol',
      action: 'auth.otp_enrolment_start',
      reauth: { check, otp: input.otp },
      apply: async ({ trx, now, staff }) => ({
        result: await this.beginEnrolment(trx, staff, 'session', now),
        details: { purpose: 'session' },
      }),
      present: presentEnrolment,
      secrets: ENROLMENT_SECRETS,
    });
  }

  /** Confirms a new second factor with a code from it; other sessions of the account end. */
  async confirmEnrolment(
    ctx: ActContext,
    ticket: string,
    otp: string,
  ): Promise<{ sessionsEnded: number }> {
    this.refuseIfManagedByConfig(ctx);
    const ticketHash = hashToken(ticket);
    return this.selfAct(ctx, {
      name: 'auth.otp_enrol',
      apply: async ({ trx, now, staff }) => {
        const enrolment = await this.staff.findEnrolment(ticketHash, trx, true);
        if (
          !enrolment ||
          enrolment.staff_id !== staff.id ||
          enrolment.purpose !== 'session' ||
          enrolment.completed_at ||
          enrolment.expires_at <= now
        )
          throw new DomainError('OTP_ENROLMENT_INVALID');
        const secret = this.staff.enrolmentSecret(enrolment);
        const step = await verifyOtp(secret, otp, now);
        if (step === null) return this.failure(trx, staff, 'OTP_INVALID', now, true);
        await this.completeEnrolment(trx, staff, enrolment.id, secret, step, now);
        const ended = await this.endOtherSessions(trx, ctx, staff.id, now, 'second_factor_changed');
        return {
          result: { sessionsEnded: ended },
          details: {
            purpose: 'session',
            replaced: Boolean(staff.totp_secret_enc),
            sessionsEnded: ended,
          },
        };
      },
    });
  }

  /** Removes one's own second factor; refused for the roles that must have one. */
  async removeSecondFactor(ctx: ActContext, input: Reauth): Promise<void> {
    const role = ctx.actor?.role;
    if (role && secondFactorRequired(role))
      throw new DomainError('OTP_REQUIRED_FOR_ROLE', { role });
    const check = await this.checkOwnPassword(ctx, input.password);
    await this.selfAct(ctx, {
      name: 'auth.otp_remove',
      before: (staff) => {
        if (!staff.totp_secret_enc) throw new DomainError('OTP_NOT_ENROLLED');
      },
      reauth: { check, otp: input.otp },
      apply: async ({ trx, now, staff }) => {
        await this.staff.setTotpSecret(trx, staff.id, null, now);
        return { result: null };
      },
      present: () => null,
      status: 204,
    });
  }

  // ---------------------------------------------------------------------------------------

  /** Checks a password before the act (scrypt is slow); a missing hash costs the same time. */
  private async checkPassword(password: string, hash: string | null): Promise<PasswordCheck> {
    const ok = await verifyPassword(password, hash ?? (await decoyHash()));
    return { password, ok: ok && hash !== null, hashSeen: hash };
  }

  private async checkOwnPassword(ctx: ActContext, password: string): Promise<PasswordCheck> {
    const id = ctx.actor?.staffId;
    const staff = id ? await this.staff.findById(id) : undefined;
    if (!staff) throw new DomainError('AUTH_REQUIRED');
    return this.checkPassword(password, staff.password_hash);
  }

  /** One act on one's own account: the row locked, re-authenticated where asked, then `apply`. */
  private async selfAct<R>(ctx: ActContext, act: SelfAct<R>): Promise<R> {
    const id = ctx.actor?.staffId;
    if (!id) throw new DomainError('AUTH_REQUIRED');
    const result = await this.deps.acts.run<StaffForAuth, R | null>(ctx, {
      name: act.name,
      ...(act.action ? { action: act.action } : {}),
      resource: 'staff',
      load: (trx) => this.staff.findForAuth('id', id, trx, true),
      target: staffTarget,
      apply: async ({ trx, now, loaded }): Promise<Applied<R | null>> => {
        act.before?.(loaded);
        if (act.reauth) {
          const refused = await this.reauthenticate(trx, loaded, act.reauth, now);
          if (refused) return refused;
        }
        return act.apply({ trx, now, staff: loaded });
      },
      ...(act.present ? { present: (r: R | null) => act.present!(r as R) } : {}),
      ...(act.status ? { status: act.status } : {}),
      ...(act.secrets ? { secrets: act.secrets } : {}),
    });
    return result as R;
  }

  /** The password again, and a fresh code where a second factor is enrolled; failures count. */
  private async reauthenticate(
    trx: Trx,
    staff: StaffForAuth,
    reauth: NonNullable<SelfAct<unknown>['reauth']>,
    now: Date,
  ): Promise<Refused | null> {
    const refused =
      this.lockRefusal(staff, now) ??
      (await this.passwordRefusal(trx, staff, reauth.check, 'REAUTH_FAILED', now, true)) ??
      (staff.totp_secret_enc ? await this.codeRefusal(trx, staff, reauth.otp, now, true) : null);
    if (refused) return refused;
    if (staff.failed_logins > 0) await this.staff.update(trx, staff.id, { failed_logins: 0 });
    return null;
  }

  private refuseIfManagedByConfig(ctx: ActContext): void {
    if (ctx.actor?.username === INSTALLATION_ADMIN && this.deps.config.adminTotpSecret)
      throw new DomainError('OTP_MANAGED_BY_CONFIG');
  }

  /** ACCOUNT_LOCKED while the (locked, freshly read) row says so, whatever the password. */
  private lockRefusal(staff: StaffForAuth, now: Date): Refused | null {
    if (!staff.locked_until || staff.locked_until <= now) return null;
    return {
      result: null,
      refusal: new DomainError('ACCOUNT_LOCKED', { until: staff.locked_until.toISOString() }),
    };
  }

  /** The password checked before the act; checked again if it changed since. */
  private async passwordRefusal(
    trx: Trx,
    staff: StaffForAuth,
    check: PasswordCheck,
    code: 'LOGIN_FAILED' | 'REAUTH_FAILED',
    now: Date,
    endSessions: boolean,
  ): Promise<Refused | null> {
    const ok =
      staff.password_hash === check.hashSeen
        ? check.ok
        : (await this.checkPassword(check.password, staff.password_hash)).ok;
    return ok ? null : this.failure(trx, staff, code, now, endSessions);
  }

  /** A disabled account, or one whose organisation is suspended (FZ-42): not counted. */
  private standingRefusal(staff: StaffForAuth): Refused | null {
    if (staff.status !== 'active')
      return { result: null, refusal: new DomainError('ACCOUNT_DISABLED') };
    const suspended = suspensionOf({
      organizationStatus: staff.organization_status,
      organizationName: staff.organization_name,
      bankStatus: staff.bank_status,
      bankName: staff.bank_name,
    });
    return suspended ? { result: null, refusal: suspended } : null;
  }

  /** An account unused too long is disabled at its login (inactivity.ts). */
  private async inactivityRefusal(
    trx: Trx,
    staff: StaffForAuth,
    now: Date,
  ): Promise<Refused | null> {
    if (!isInactive(this.deps.config, staff, now)) return null;
    const more = await disableForInactivity(
      this.deps.repos,
      this.deps.config,
      trx,
      [{ id: staff.id, lastActiveAt: lastActiveAt(staff) }],
      now,
    );
    return { result: null, refusal: new DomainError('ACCOUNT_DISABLED'), more };
  }

  /** A code from the account's secret, used up; wrong or replayed codes count to the lock. */
  private async codeRefusal(
    trx: Trx,
    staff: StaffForAuth,
    otp: string | undefined,
    now: Date,
    endSessions: boolean,
  ): Promise<Refused | null> {
    if (!otp) return { result: null, refusal: new DomainError('OTP_REQUIRED') };
    const step = await verifyOtp(this.staff.totpSecret(staff)!, otp, now);
    if (step === null) return this.failure(trx, staff, 'OTP_INVALID', now, endSessions);
    if (!(await this.staff.useCode(trx, staff.id, step, now)))
      return this.failure(trx, staff, 'OTP_REPLAYED', now, endSessions);
    return null;
  }

  /**
   * A failed password or code, on the locked row: counts toward the lock, which it may close
   * (ACCOUNT_LOCKED, ending the account's sessions when it failed inside one).
   */
  private async failure(
    trx: Trx,
    staff: StaffForAuth,
    code: Failure,
    now: Date,
    endSessions: boolean,
  ): Promise<Refused> {
    const failures = staff.failed_logins + 1;
    if (failures < this.deps.config.login.maxFailures) {
      await this.staff.update(trx, staff.id, { failed_logins: failures });
      return { result: null, refusal: new DomainError(code), details: { failures } };
    }
    const until = this.lockUntil(now);
    await this.staff.update(trx, staff.id, { locked_until: until, failed_logins: 0 });
    const ended = endSessions
      ? await this.sessions.endAllForStaff(trx, staff.id, now, 'locked')
      : 0;
    return {
      result: null,
      refusal: new DomainError('ACCOUNT_LOCKED', { until: until.toISOString() }),
      details: { failures, cause: code, sessionsEnded: ended },
    };
  }

  /** A login under a name that is no account: counted and locked exactly like an account. */
  private async nameFailure(
    trx: Trx,
    name: string,
    throttle: NameThrottle,
    now: Date,
  ): Promise<Refused> {
    const throttles = this.deps.repos.loginThrottle;
    if (throttle.lockedUntil && throttle.lockedUntil > now)
      return {
        result: null,
        refusal: new DomainError('ACCOUNT_LOCKED', { until: throttle.lockedUntil.toISOString() }),
      };
    const failures = throttle.failures + 1;
    if (failures < this.deps.config.login.maxFailures) {
      await throttles.save(trx, name, { failures, lockedUntil: null }, now);
      return { result: null, refusal: new DomainError('LOGIN_FAILED'), details: { failures } };
    }
    const until = this.lockUntil(now);
    await throttles.save(trx, name, { failures: 0, lockedUntil: until }, now);
    return {
      result: null,
      refusal: new DomainError('ACCOUNT_LOCKED', { until: until.toISOString() }),
      details: { failures, cause: 'LOGIN_FAILED', sessionsEnded: 0 },
    };
  }

  private lockUntil(now: Date): Date {
    return new Date(now.getTime() + this.deps.config.login.lockMinutes * MINUTE);
  }

  /** OTP_ENROLMENT_REQUIRED, carrying a fresh secret and ticket (kept: the refusal commits). */
  private async enrolmentRequired(trx: Trx, staff: StaffForAuth, now: Date): Promise<Refused> {
    const enrolment = await this.beginEnrolment(trx, staff, 'login', now);
    return {
      result: null,
      refusal: new DomainError(
        'OTP_ENROLMENT_REQUIRED',
        { minutes: this.deps.config.otp.enrolmentMinutes },
        undefined,
        {
          enrolmentTicket: enrolment.ticket,
          otpSecret: enrolment.secret,
          otpauthUri: enrolment.otpauthUri,
          enrolmentExpiresAt: enrolment.expiresAt.toISOString(),
        },
      ),
      more: [
        {
          action: 'auth.otp_enrolment_start',
          targetType: 'staff',
          targetId: staff.id,
          details: { purpose: 'login' },
        },
      ],
    };
  }

  /** A new secret and ticket; any earlier unconfirmed enrolment of the account is void. */
  private async beginEnrolment(
    trx: Trx,
    staff: StaffForAuth,
    purpose: 'login' | 'session',
    now: Date,
  ): Promise<Enrolment> {
    const { otp } = this.deps.config;
    const secret = newOtpSecret();
    const ticket = newToken();
    const expiresAt = new Date(now.getTime() + otp.enrolmentMinutes * MINUTE);
    await this.staff.replaceEnrolment(trx, {
      id: uuidv7(),
      staffId: staff.id,
      ticketHash: hashToken(ticket),
      purpose,
      secret,
      now,
      expiresAt,
    });
    return {
      ticket,
      secret,
      otpauthUri: otpauthUri(otp.issuer, staff.username, secret),
      expiresAt,
    };
  }

  private async completeEnrolment(
    trx: Trx,
    staff: StaffForAuth,
    enrolmentId: string,
    secret: string,
    step: number,
    now: Date,
  ): Promise<void> {
    if (!(await this.staff.completeEnrolment(trx, enrolmentId, now)))
      throw new DomainError('OTP_ENROLMENT_INVALID');
    await this.staff.setTotpSecret(trx, staff.id, secret, now);
    await this.staff.useCode(trx, staff.id, step, now);
  }

  private endOtherSessions(
    trx: Trx,
    ctx: ActContext,
    staffId: string,
    now: Date,
    reason: string,
  ): Promise<number> {
    return this.sessions.endAllForStaff(trx, staffId, now, reason, ctx.actor?.sessionId);
  }

  /**
   * Opens a session on the locked row: failures and lock cleared, last login recorded. The login
   * is audited in the name of the account that logged in.
   */
  private async openSession(
    trx: Trx,
    staff: StaffForAuth,
    ctx: ActContext,
    now: Date,
    secondFactor: boolean,
  ): Promise<Applied<LoginResult>> {
    const token = newToken();
    const expiresAt = new Date(
      now.getTime() + this.deps.config.session.absoluteHours * 60 * MINUTE,
    );
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
    await this.staff.update(trx, staff.id, {
      failed_logins: 0,
      locked_until: null,
      last_login_at: now,
    });
    await this.sessions.create(trx, {
      id: actor.sessionId!,
      tokenHash: hashToken(token),
      staffId: staff.id,
      now,
      expiresAt,
      ip: ctx.ip,
      secondFactor,
    });
    ctx.actor = actor;
    return { result: { token, expiresAt, actor }, details: { secondFactor } };
  }

  private whyNotValid(row: SessionRow, now: Date): string | null {
    if (row.endedAt) return 'ended';
    if (row.staffStatus !== 'active') return 'disabled';
    if (now >= row.expiresAt) return 'absolute_timeout';
    if (now.getTime() - row.lastSeenAt.getTime() > this.deps.config.session.idleMinutes * MINUTE)
      return 'idle_timeout';
    return null;
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
