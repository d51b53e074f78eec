/**
 * Holders online (issue 13): sign-in with a one-time code sent to the phone on the person's
 * record (a stand-in for the national identity service's real-name step, behind the notification
 * adapter), holder sessions that are never staff sessions, and family service (亲情服务): the
 * family members a holder acts for. Every change is an act of the one act step.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import {
  DomainError,
  maskIdNumber,
  maskName,
  maskPhone,
  parseIdDocument,
  requireWardRoom,
  shanghaiDate,
  wardProof,
  type IdDocumentType,
  type WardRelation,
} from '@sscard/domain';
import type { Target } from '../../acts/access.js';
import type { Applied } from '../../acts/act-step.js';
import type { ActContext, Actor } from '../../context.js';
import { hashToken, uuidv7 } from '../../crypto/tokens.js';
import type { Deps } from '../../deps.js';
import type { Trx } from '../../db/transact.js';
import type { NotifyAdapter } from '../../adapters/notify/notify-adapter.js';
import { personTarget } from '../persons/persons.access.js';
import { documentKey, ssnKey, type Person } from '../persons/persons.repository.js';
import type { Challenge, HolderSession, WardLink } from './holders.repository.js';

/** Holder tokens: `hs_` and 64 characters, never the 43 of a staff token (app-context.ts). */
const TOKEN_PREFIX = 'hs_';
export const isHolderToken = (token: string): boolean =>
  token.length === TOKEN_PREFIX.length + 64 && token.startsWith(TOKEN_PREFIX);

const TOUCH_MS = 60_000;

export interface SignInStart {
  idType?: IdDocumentType | undefined;
  idNumber: string;
  phone: string;
}

export interface WardInput {
  idType?: IdDocumentType | undefined;
  idNumber?: string | undefined;
  relation?: WardRelation | undefined;
  challengeId?: string | undefined;
  code?: string | undefined;
}

interface SignedIn {
  token: string;
  expiresAt: Date;
  personId: string;
}

/** One step of adding a family member, with the code to send when their consent is needed. */
type WardStep =
  | { status: 'added'; ward: WardLink }
  | {
      status: 'consent_required';
      challengeId: string;
      expiresAt: Date;
      send: { phone: string; code: string; from: string };
    };

export type WardResult =
  | { status: 'added'; ward: WardLink }
  | { status: 'consent_required'; challengeId: string; expiresAt: Date };

export class HoldersService {
  constructor(
    private readonly deps: Deps,
    private readonly notify: NotifyAdapter,
  ) {}

  private get repo() {
    return this.deps.repos.holders;
  }
  private get persons() {
    return this.deps.repos.persons;
  }
  private get settings() {
    return this.deps.config.holders;
  }

  // ---- sign-in ----------------------------------------------------------------------------------

  /**
   * Asks for a one-time code. The answer is the same whether or not the document and phone
   * belong to a holder (a challenge that can never be met), so it tells nobody who exists.
   */
  async startSignIn(
    ctx: ActContext,
    input: SignInStart,
  ): Promise<{ challengeId: string; expiresAt: Date }> {
    const doc = parseIdDocument(input.idType ?? 'resident_id', input.idNumber, this.today());
    const id = uuidv7(this.deps.clock.now().getTime());
    const sent = await this.deps.acts.run(ctx, {
      name: 'holder.sign_in_start',
      resource: 'challenge',
      load: async () => ({}),
      target: (): Target => ({ type: 'holder_challenge', id, jurisdiction: null }),
      apply: async ({ trx, now }) => {
        const subject = this.repo.subjectKey([documentKey(doc.type, doc.number), input.phone]);
        await this.throttle(trx, subject, ctx.ip, now);
        const person = await this.findHolder(trx, doc);
        const matched = person && !person.diedOn && person.phone === input.phone ? person : null;
        const code = matched ? sixDigits() : null;
        const expiresAt = new Date(now.getTime() + this.settings.codeTtlSeconds * 1000);
        await this.repo.insertChallenge(trx, {
          id,
          purpose: 'sign_in',
          subject,
          personId: matched?.id ?? null,
          codeHmac: code ? this.repo.codeKey(id, code) : null,
          createdAt: now,
          expiresAt,
          ip: ctx.ip,
        });
        return {
          result: { challengeId: id, expiresAt, phone: matched?.phone ?? null, code },
          details: { purpose: 'sign_in' },
        };
      },
      present: (r) => ({
        challengeId: r.challengeId,
        expiresAt: r.expiresAt.toISOString(),
        resendAfterSeconds: 60,
      }),
      status: 202,
    });
    if (sent.phone && sent.code)
      await this.notify.send({
        phone: sent.phone,
        purpose: 'sign_in',
        code: sent.code,
        text: `【社会保障卡】您的登录验证码为 ${sent.code}，${Math.ceil(this.settings.codeTtlSeconds / 60)} 分钟内有效。请勿告知他人。`,
      });
    return { challengeId: sent.challengeId, expiresAt: sent.expiresAt };
  }

  /** The code typed: a holder session (its token shown once), or a counted failure. */
  async signIn(ctx: ActContext, input: { challengeId: string; code: string }): Promise<SignedIn> {
    return this.deps.acts.run<Challenge | null, SignedIn>(ctx, {
      name: 'holder.sign_in',
      resource: 'challenge',
      load: async (trx) => (await this.repo.lockChallenge(trx, input.challengeId)) ?? null,
      target: (c): Target => ({
        type: 'holder_challenge',
        id: c?.id ?? null,
        jurisdiction: null,
      }),
      apply: async ({ trx, now, loaded }): Promise<Applied<SignedIn>> => {
        const refusal = await this.meet(trx, loaded, 'sign_in', input.code, now);
        if (refusal) return { result: null as never, refusal, details: { purpose: 'sign_in' } };
        const c = loaded!;
        const token = TOKEN_PREFIX + randomBytes(48).toString('base64url');
        const expiresAt = new Date(now.getTime() + this.settings.sessionMaxHours * 3_600_000);
        const sessionId = uuidv7(now.getTime());
        await this.repo.consume(trx, c.id, now);
        await this.repo.createSession(trx, {
          id: sessionId,
          personId: c.personId!,
          tokenHash: hashToken(token),
          at: now,
          expiresAt,
          ip: ctx.ip,
        });
        return {
          result: { token, expiresAt, personId: c.personId! },
          details: { sessionId },
          audited: { targetType: 'person', targetId: c.personId! },
        };
      },
      present: async (r, trx) => ({
        token: r.token,
        expiresAt: r.expiresAt.toISOString(),
        holder: await this.holderView(r.personId, trx),
      }),
      secrets: ['token'],
    });
  }

  /** The holder behind a bearer token, with the family members they act for. */
  async authenticate(token: string): Promise<Actor> {
    const now = this.deps.clock.now();
    const s = await this.repo.findSession(hashToken(token));
    if (!s || s.endedAt) throw new DomainError('AUTH_REQUIRED');
    const why = this.whyEnded(s, now);
    if (why) {
      await this.repo.endSession(this.deps.db, s.sessionId, now, why);
      throw new DomainError('SESSION_EXPIRED');
    }
    if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_MS)
      await this.repo.touchSession(s.sessionId, now);
    return holderActor(s.personId, s.wards, s.sessionId);
  }

  async signOut(ctx: ActContext): Promise<void> {
    const sessionId = ctx.actor?.sessionId;
    if (!sessionId || !ctx.actor?.holder) throw new DomainError('HOLDER_SESSION_REQUIRED');
    await this.deps.acts.run(ctx, {
      name: 'holder.sign_out',
      resource: 'session',
      load: (trx) => this.repo.lockSession(trx, sessionId),
      target: (s): Target => ({
        type: 'holder_session',
        id: s.id,
        jurisdiction: null,
        personId: s.personId,
      }),
      apply: async ({ trx, now }) => {
        await this.repo.endSession(trx, sessionId, now, 'sign_out');
        return { result: null };
      },
      present: () => ({ signedOut: true }),
    });
  }

  async me(actor: Actor) {
    const holder = requireHolder(actor);
    return {
      holder: await this.holderView(holder.personId),
      wards: (await this.repo.wards(holder.personId)).map(presentWard),
    };
  }

  // ---- family service (亲情服务) ----------------------------------------------------------------

  /**
   * Adds a family member the holder will act for: a child under the pack's age whose record names
   * the holder as guardian at once; anyone else with a code sent to their own phone (their
   * consent), given back with `challengeId` and `code`.
   */
  async addWard(ctx: ActContext, input: WardInput): Promise<WardResult> {
    const holder = requireHolder(ctx.actor);
    const doc =
      input.idNumber !== undefined
        ? parseIdDocument(input.idType ?? 'resident_id', input.idNumber, this.today())
        : null;
    if (!doc && !(input.challengeId && input.code))
      throw new DomainError('VALIDATION', {
        summary: 'give idNumber and relation, or challengeId and code',
      });
    const result = await this.deps.acts.run<Person, WardStep>(ctx, {
      name: 'holder.ward.add',
      resource: 'person',
      // The holder's own record, locked: two additions at once count against one limit.
      load: (trx) => this.persons.findById(holder.personId, trx, true),
      target: (p) => personTarget(p),
      apply: async ({ trx, now, loaded: me }): Promise<Applied<WardStep>> => {
        if (!doc) return this.consented(trx, now, me, input.challengeId!, input.code!);
        const ward = await this.findHolder(trx, doc);
        if (!ward || ward.diedOn) throw new DomainError('HOLDER_WARD_UNKNOWN');
        if (ward.id === me.id) throw new DomainError('HOLDER_WARD_SELF');
        const links = await this.repo.wards(me.id, trx);
        if (links.some((l) => l.personId === ward.id)) throw new DomainError('HOLDER_WARD_EXISTS');
        requireWardRoom(links.length, this.settings);
        const relation = input.relation ?? 'other';
        const proof = wardProof({
          relation,
          wardBirthDate: ward.birthDate,
          today: shanghaiDate(now),
          holderIsRecordedGuardian:
            !!ward.guardian && ward.guardian.idNumber.toUpperCase() === me.idNumber.toUpperCase(),
          settings: this.settings,
        });
        if (proof === 'recorded_guardian') return this.link(trx, now, me, ward, relation, proof);
        if (!ward.phone) throw new DomainError('HOLDER_WARD_UNKNOWN');
        const subject = this.repo.subjectKey(['ward', me.id, ward.id]);
        await this.throttle(trx, subject, ctx.ip, now);
        const id = uuidv7(now.getTime());
        const code = sixDigits();
        const expiresAt = new Date(now.getTime() + this.settings.codeTtlSeconds * 1000);
        await this.repo.insertChallenge(trx, {
          id,
          purpose: 'ward_consent',
          subject,
          personId: ward.id,
          requestedBy: me.id,
          relation,
          codeHmac: this.repo.codeKey(id, code),
          createdAt: now,
          expiresAt,
          ip: ctx.ip,
        });
        return {
          result: {
            status: 'consent_required',
            challengeId: id,
            expiresAt,
            send: { phone: ward.phone, code, from: me.name },
          },
          details: { wardPersonId: ward.id, relation, proof: 'consent_code', step: 'code_sent' },
        };
      },
      present: (r) =>
        r.status === 'added'
          ? { status: r.status, ward: presentWard(r.ward) }
          : { status: r.status, challengeId: r.challengeId, expiresAt: r.expiresAt.toISOString() },
    });
    if (result.status === 'consent_required') {
      const { phone, code, from } = result.send;
      await this.notify.send({
        phone,
        purpose: 'ward_consent',
        code,
        text: `【社会保障卡】${maskName(from)}申请为您代办社会保障卡业务（亲情服务），验证码 ${code}。如同意，请将验证码告诉对方；如不同意，请忽略本短信。`,
      });
      return {
        status: result.status,
        challengeId: result.challengeId,
        expiresAt: result.expiresAt,
      };
    }
    return result;
  }

  async removeWard(ctx: ActContext, wardPersonId: string): Promise<void> {
    const holder = requireHolder(ctx.actor);
    await this.deps.acts.run(ctx, {
      name: 'holder.ward.remove',
      resource: 'person',
      load: (trx) => this.persons.findById(holder.personId, trx, true),
      target: (p) => personTarget(p),
      apply: async ({ trx, now, loaded: me }) => {
        if (!(await this.repo.removeWard(trx, me.id, wardPersonId, now)))
          throw new DomainError('NOT_FOUND', { resource: 'ward' });
        return { result: null, details: { wardPersonId } };
      },
      present: () => ({ removed: true }),
    });
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private async consented(
    trx: Trx,
    now: Date,
    me: Person,
    challengeId: string,
    code: string,
  ): Promise<Applied<WardStep>> {
    const c = (await this.repo.lockChallenge(trx, challengeId)) ?? null;
    const refusal =
      c && c.requestedBy !== me.id
        ? new DomainError('HOLDER_CODE_INVALID')
        : await this.meet(trx, c, 'ward_consent', code, now);
    if (refusal) return { result: null as never, refusal, details: { step: 'consent' } };
    await this.repo.consume(trx, c!.id, now);
    const ward = await this.persons.findById(c!.personId!, trx);
    const links = await this.repo.wards(me.id, trx);
    if (links.some((l) => l.personId === ward!.id)) throw new DomainError('HOLDER_WARD_EXISTS');
    requireWardRoom(links.length, this.settings);
    return this.link(trx, now, me, ward!, (c!.relation ?? 'other') as WardRelation, 'consent_code');
  }

  private async link(
    trx: Trx,
    now: Date,
    me: Person,
    ward: Person,
    relation: WardRelation,
    proof: 'recorded_guardian' | 'consent_code',
  ): Promise<Applied<WardStep>> {
    await this.repo.addWard(trx, {
      id: uuidv7(now.getTime()),
      holderPersonId: me.id,
      wardPersonId: ward.id,
      relation,
      proof,
      at: now,
    });
    return {
      result: {
        status: 'added',
        ward: { personId: ward.id, name: ward.name, relation, proof, addedAt: now },
      },
      details: { wardPersonId: ward.id, relation, proof },
    };
  }

  /**
   * Whether the code meets the challenge. A wrong code counts (committed with the refusal); a
   * challenge that was never meetable (no such holder) fails exactly like a wrong code.
   */
  private async meet(
    trx: Trx,
    c: Challenge | null,
    purpose: Challenge['purpose'],
    code: string,
    now: Date,
  ): Promise<DomainError | null> {
    if (!c || c.purpose !== purpose || c.consumedAt || c.expiresAt <= now)
      return new DomainError('HOLDER_CODE_INVALID');
    const max = this.settings.maxCodeAttempts;
    if (c.attempts >= max) return new DomainError('HOLDER_CODE_ATTEMPTS', { max });
    const given = this.repo.codeKey(c.id, code);
    if (c.personId && c.codeHmac && timingSafeEqual(given, c.codeHmac)) return null;
    await this.repo.countAttempt(trx, c.id);
    return c.attempts + 1 >= max
      ? new DomainError('HOLDER_CODE_ATTEMPTS', { max })
      : new DomainError('HOLDER_CODE_INVALID');
  }

  /** HOLDER_SIGN_IN_THROTTLED past the codes allowed per subject, or per address, per window. */
  private async throttle(trx: Trx, subject: Buffer, ip: string | null, now: Date): Promise<void> {
    await this.repo.lockSubject(trx, subject);
    const windowMs = this.settings.windowMinutes * 60_000;
    const since = new Date(now.getTime() - windowMs);
    const checks: [{ subject: Buffer } | { ip: string }, number][] = [
      [{ subject }, this.settings.maxCodesPerWindow],
    ];
    if (ip) checks.push([{ ip }, this.settings.maxCodesPerIpPerWindow]);
    for (const [by, max] of checks) {
      const { count, oldest } = await this.repo.countSince(trx, by, since);
      if (count >= max) {
        const freeAt = (oldest?.getTime() ?? now.getTime()) + windowMs;
        const minutes = Math.max(1, Math.ceil((freeAt - now.getTime()) / 60_000));
        throw new DomainError('HOLDER_SIGN_IN_THROTTLED', { minutes });
      }
    }
  }

  private async findHolder(
    trx: Trx,
    doc: ReturnType<typeof parseIdDocument>,
  ): Promise<Person | undefined> {
    const id =
      (doc.ssn ? await this.persons.findIdByKey('ssn', ssnKey(doc.ssn), trx) : undefined) ??
      (await this.persons.findIdByKey('id_document', documentKey(doc.type, doc.number), trx));
    return id ? this.persons.findById(id, trx) : undefined;
  }

  private whyEnded(s: HolderSession, now: Date): string | null {
    if (s.diedOn) return 'holder_deceased';
    if (now >= s.expiresAt) return 'expired';
    if (now.getTime() - s.lastSeenAt.getTime() > this.settings.sessionIdleMinutes * 60_000)
      return 'idle';
    return null;
  }

  private async holderView(personId: string, db?: Trx) {
    const p = (await this.persons.findById(personId, db))!;
    return {
      personId: p.id,
      name: p.name,
      idNumberMasked: maskIdNumber(p.idNumber),
      phoneMasked: p.phone ? maskPhone(p.phone) : null,
      jurisdiction: p.jurisdiction,
    };
  }

  /** Active bank branches of a jurisdiction, by name (public facts: signs over the door). */
  async branches(jurisdiction: string) {
    return this.deps.repos.organizations.activeBranches(
      this.deps.jurisdictions.resolve(jurisdiction).code,
    );
  }

  private today() {
    return shanghaiDate(this.deps.clock.now());
  }
}

/** The actor of a holder session: role `holder`, no organisation, no staff scope. */
export function holderActor(personId: string, wards: readonly string[], sessionId: string): Actor {
  return {
    staffId: null,
    username: `holder:${personId}`,
    role: 'holder',
    organizationId: null,
    organizationKind: null,
    bankId: null,
    jurisdiction: null,
    scope: { kind: 'organization', organizationId: '' },
    sessionId,
    holder: { personId, wards },
  };
}

function requireHolder(actor: Actor | null | undefined): NonNullable<Actor['holder']> {
  if (!actor?.holder) throw new DomainError('HOLDER_SESSION_REQUIRED');
  return actor.holder;
}

function presentWard(w: WardLink) {
  return {
    personId: w.personId,
    name: w.name,
    relation: w.relation as WardRelation,
    proof: w.proof as 'recorded_guardian' | 'consent_code',
    addedAt: w.addedAt.toISOString(),
  };
}

function sixDigits(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
