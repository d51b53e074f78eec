/**
 * The electronic card (电子社保卡, issue 13; docs/ECARD.md): issued to the holder of a live
 * physical card (HN-13), one per card, whose status is the card's read live at every use; its
 * payment PIN (HN-14); its QR codes, signed with Ed25519, checked once by a registered terminal.
 * Every change is an act (acts/act-step.ts); the QR check is the terminals' hot path, like the card
 * check: one prepared read, the pure verdict, the code's jti and the log entry group-committed.
 */
import type { KeyObject } from 'node:crypto';
import {
  DomainError,
  afterEcardPinAttempt,
  beforeEcardPinAttempt,
  decideEcardIssue,
  ecardStatus,
  ecardVerdict,
  qrExpiresAt,
  requireEcardPinFormat,
  requireEcardUsable,
  type EcardCardFacts,
  type Verdict,
} from '@sscard/domain';
import type { FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { randomUUID } from 'node:crypto';
import type { ActContext } from '../../context.js';
import { systemContext } from '../../context.js';
import { hashPassword, verifyPassword } from '../../crypto/password.js';
import type { Deps } from '../../deps.js';
import type { Trx } from '../../db/transact.js';
import { isUniqueViolation } from '../../deps.js';
import type { Target } from '../../acts/access.js';
import { toCardState, type CardRow } from '../cards/cards.repository.js';
import { presentedCredential } from '../terminals/credentials.js';
import { RateLimiter, admitTerminal, type TerminalPrincipal } from '../terminals/terminal-auth.js';
import type { VerificationService } from '../verification/verification.service.js';
import type { EcardRow, EcardsRepository, QrCheckRow } from './ecards.repository.js';
import {
  PublicKeys,
  jwkOf,
  newJti,
  newSigningKey,
  parseQr,
  privateKeyFromDer,
  signQr,
  verifyQrSignature,
} from './qr-signing.js';
import { UsedCodes } from './qr-used.js';
import { presentEcard, presentQr } from './ecards.presenter.js';

/** A code made up to this long "in the future" (another node's clock) is still taken. */
const CLOCK_SKEW_MS = 30_000;
/** Used-code rows are kept this long past their code's expiry (then pruned daily). */
const USED_KEEP_MS = 3_600_000;
/** Retired public keys are kept at least this long, far past any code's lifetime. */
const RETIRED_KEY_KEEP_MS = 7 * 24 * 3_600_000;

export interface EcardView {
  ecard: EcardRow;
  card: CardRow;
  status: ReturnType<typeof ecardStatus>;
}

export interface QrMinted {
  token: string;
  ecardId: string;
  kid: string;
  issuedAt: Date;
  expiresAt: Date;
}

export interface QrCheckResult {
  verdict: Verdict;
  ecardId: string;
  cardNo: string;
  cardKind: string;
  holderName: string | null;
  checkedAt: Date;
  issuedAt: Date;
  expiresAt: Date;
  terminal: TerminalPrincipal;
}

interface Loaded {
  ecard: EcardRow;
  card: CardRow;
  died: boolean;
}

export function ecardTarget(e: Pick<EcardRow, 'id' | 'jurisdiction' | 'person_id'>): Target {
  return { type: 'ecard', id: e.id, jurisdiction: e.jurisdiction, personId: e.person_id };
}

export class EcardsService {
  private readonly repo: EcardsRepository;
  readonly publicKeys: PublicKeys;
  readonly used: UsedCodes;
  private readonly limiter: RateLimiter;
  /** A signing key exists (there always is one once made: rotation replaces it in one act). */
  private keyReady = false;
  /** Private keys opened on this node, by kid. */
  private readonly signers = new Map<string, KeyObject>();

  constructor(
    private readonly deps: Deps,
    private readonly verification: VerificationService,
  ) {
    this.repo = deps.repos.ecards;
    this.publicKeys = new PublicKeys(this.repo);
    // A rotation on any node is heard here once it commits (db/change-bus.ts).
    deps.changes.on('ecard.keys', () => this.publicKeys.forget());
    this.used = new UsedCodes(this.repo, () => deps.clock.now());
    this.limiter = new RateLimiter(() => deps.clock.now(), deps.config.nodes.count);
  }

  private get ttlSeconds(): number {
    return this.deps.config.ecard.qrTtlSeconds;
  }

  private facts(card: CardRow, died: boolean, now: Date): EcardCardFacts {
    const pack = this.deps.rules.resolve(card.jurisdiction, now).pack;
    return {
      card: toCardState(card, pack.code),
      pack,
      now,
      holderDeceased: died,
      endedBy: card.end_reason === 'new_card_issued' ? 'replacement' : null,
    };
  }

  private async loadEcard(id: string, trx?: Trx, lock = false): Promise<Loaded | undefined> {
    const ecard = await this.repo.find(id, trx, lock);
    if (!ecard) return undefined;
    const card = await this.deps.repos.cards.find(ecard.card_no, trx);
    if (!card) return undefined;
    return { ecard, card, died: await this.repo.holderDied(card.person_id, trx) };
  }

  // ---- issue and read ---------------------------------------------------------------------------

  /** HN-13: the holder asks for the e-card of their live physical card (or a ward's). */
  async issue(ctx: ActContext, cardNo: string): Promise<EcardView> {
    const cards = this.deps.repos.cards;
    return this.deps.acts.run<{ card: CardRow; died: boolean }, EcardView>(ctx, {
      name: 'ecard.issue',
      resource: 'card',
      status: 201,
      present: presentEcard,
      load: async (trx) => {
        const card = await cards.find(cardNo.trim().toUpperCase(), trx, true);
        return card && { card, died: await this.repo.holderDied(card.person_id, trx) };
      },
      target: ({ card }) => ({
        type: 'card',
        id: card.card_no,
        jurisdiction: card.jurisdiction,
        bankId: card.bank_id,
        branchId: card.branch_id,
        personId: card.person_id,
      }),
      apply: async ({ trx, now, loaded: { card, died } }) => {
        const facts = this.facts(card, died, now);
        decideEcardIssue(facts, !!(await this.repo.findByCard(card.card_no, trx)));
        const ecard: EcardRow = {
          id: randomUUID(),
          card_no: card.card_no,
          person_id: card.person_id,
          jurisdiction: card.jurisdiction,
          issued_at: now,
          pin_hash: null,
          pin_set_at: null,
          pin_failures: 0,
          pin_locked_at: null,
          updated_at: now,
        };
        await this.repo.insert(trx, ecard);
        return {
          result: { ecard, card, status: ecardStatus(facts) },
          details: { ecardId: ecard.id, cardNo: card.card_no },
          audited: { targetType: 'ecard', targetId: ecard.id },
        };
      },
    });
  }

  /** One e-card, its status computed from its card now (ecard.read). */
  async get(ctx: ActContext, id: string): Promise<EcardView> {
    const loaded = await this.loadEcard(id);
    if (!loaded) throw new DomainError('NOT_FOUND', { resource: 'ecard' });
    const now = this.deps.clock.now();
    await this.deps.access.require(
      this.deps.db,
      ctx.actor,
      'ecard.read',
      ecardTarget(loaded.ecard),
      now,
    );
    return { ...loaded, status: ecardStatus(this.facts(loaded.card, loaded.died, now)) };
  }

  /** A person's e-cards (the holder's portal; ecard.read on the person). */
  async ofPerson(ctx: ActContext, personId: string): Promise<EcardView[]> {
    const now = this.deps.clock.now();
    await this.deps.access.require(
      this.deps.db,
      ctx.actor,
      'ecard.read',
      { type: 'person', id: personId, jurisdiction: null, personId },
      now,
    );
    const views: EcardView[] = [];
    for (const e of await this.repo.ofPerson(personId)) {
      const loaded = await this.loadEcard(e.id);
      if (loaded)
        views.push({ ...loaded, status: ecardStatus(this.facts(loaded.card, loaded.died, now)) });
    }
    return views;
  }

  // ---- the payment PIN (HN-14) ------------------------------------------------------------------

  /**
   * Sets the payment PIN, or changes it with the current one (failures count; five lock it for a
   * day). Its own scrypt hash: never the bank's PIN, never the social PIN.
   */
  async setPin(
    ctx: ActContext,
    id: string,
    input: { pin: string; currentPin?: string | undefined },
  ): Promise<{ ecardId: string; pinSetAt: Date }> {
    const hash = /^\d{6}$/.test(input.pin) ? await hashPassword(input.pin) : null;
    return this.deps.acts.run<Loaded, { ecardId: string; pinSetAt: Date }>(ctx, {
      name: 'ecard.pin',
      resource: 'ecard',
      present: (r) => ({ ecardId: r.ecardId, pinSet: true, pinSetAt: r.pinSetAt.toISOString() }),
      load: (trx) => this.loadEcard(id, trx, true),
      target: ({ ecard }) => ecardTarget(ecard),
      apply: async ({ trx, now, loaded: { ecard, card, died } }) => {
        const facts = this.facts(card, died, now);
        requireEcardUsable(facts);
        requireEcardPinFormat(input.pin, facts.pack);
        const state = {
          pinSet: ecard.pin_hash !== null,
          pinFailures: ecard.pin_failures,
          pinLockedAt: ecard.pin_locked_at,
        };
        const changing = ecard.pin_hash !== null;
        if (ecard.pin_hash !== null) {
          beforeEcardPinAttempt(state, facts.pack, now);
          if (input.currentPin === undefined) throw new DomainError('ECARD_PIN_CURRENT_REQUIRED');
          const ok = await verifyPassword(input.currentPin, ecard.pin_hash);
          const attempt = afterEcardPinAttempt(state, facts.pack, ok, now);
          if (attempt.refusal) {
            await this.repo.updatePin(
              trx,
              ecard.id,
              {
                pin_failures: attempt.change.pinFailures,
                pin_locked_at: attempt.change.pinLockedAt,
              },
              now,
            );
            return {
              result: { ecardId: ecard.id, pinSetAt: now },
              details: {
                ecardId: ecard.id,
                ok: false,
                changed: false,
                failures: attempt.change.pinFailures,
              },
              refusal: attempt.refusal,
            };
          }
        }
        await this.repo.updatePin(
          trx,
          ecard.id,
          { pin_hash: hash, pin_set_at: now, pin_failures: 0, pin_locked_at: null },
          now,
        );
        return {
          result: { ecardId: ecard.id, pinSetAt: now },
          details: { ecardId: ecard.id, ok: true, changed: changing, failures: 0 },
        };
      },
    });
  }

  // ---- QR codes ---------------------------------------------------------------------------------

  private signer(kid: string, openPrivate: () => Buffer): KeyObject {
    let key = this.signers.get(kid);
    if (!key) {
      key = privateKeyFromDer(openPrivate());
      this.signers.set(kid, key);
    }
    return key;
  }

  /** A QR code for the holder to show: only while the physical card works (HN-13). */
  async mintQr(ctx: ActContext, id: string): Promise<QrMinted> {
    if (!this.keyReady && !(await this.repo.activeKey())) await this.ensureKey();
    this.keyReady = true;
    return this.deps.acts.run<Loaded, QrMinted>(ctx, {
      name: 'ecard.qr',
      resource: 'ecard',
      // The code is the holder's to show: never kept with the Idempotency-Key's answer.
      secrets: ['token', 'svg'],
      present: async (r) =>
        presentQr(
          r,
          await QRCode.toString(r.token, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
        ),
      load: (trx) => this.loadEcard(id, trx),
      target: ({ ecard }) => ecardTarget(ecard),
      apply: async ({ trx, now, loaded: { ecard, card, died } }) => {
        requireEcardUsable(this.facts(card, died, now));
        const active = await this.repo.activeKey(trx);
        if (!active) throw new Error('no QR signing key');
        const claims = {
          kid: active.kid,
          ecardId: ecard.id,
          issuedAt: new Date(Math.floor(now.getTime() / 1000) * 1000),
          ttlSeconds: this.ttlSeconds,
          cardVersion: card.version,
          jti: newJti(),
        };
        const token = signQr(claims, this.signer(active.kid, active.openPrivate));
        return {
          result: {
            token,
            ecardId: ecard.id,
            kid: active.kid,
            issuedAt: claims.issuedAt,
            expiresAt: qrExpiresAt(claims),
          },
          details: {
            ecardId: ecard.id,
            kid: active.kid,
            jti: Buffer.from(claims.jti).toString('hex'),
          },
        };
      },
    });
  }

  /**
   * A registered terminal checks a shown code: its signature (a known key, which signed it before
   * it retired), its expiry, that it was never presented before anywhere (the jti's insert), and
   * the physical card now, through the card check's verdict. A code made before any change of the
   * card (a loss, even one since withdrawn) is stale.
   */
  async checkQr(
    req: FastifyRequest,
    input: { token: string; terminalId?: string | undefined },
  ): Promise<QrCheckResult> {
    const parsed = parseQr(input.token.trim());
    const ecardId = parsed?.claims.ecardId ?? '00000000-0000-0000-0000-000000000000';
    const actor = req.ctx.actor;
    let row: QrCheckRow | undefined;
    if (actor) {
      if (!input.terminalId) throw new DomainError('TERMINAL_NOT_OURS');
      row = await this.repo.checkByTerminalId(ecardId, input.terminalId);
    } else {
      const credential = presentedCredential(req, this.deps.config.terminals.trustProxy);
      if (!credential) throw new DomainError('TERMINAL_AUTH_REQUIRED');
      row = await this.repo.checkByCredential(ecardId, credential);
    }
    const terminal = admitTerminal(row, actor, this.limiter);
    const now = this.deps.clock.now();
    const refuse = async (code: 'QR_INVALID' | 'QR_EXPIRED' | 'QR_USED' | 'QR_STALE') => {
      if (row?.card_no)
        await this.verification.log.record(
          logEntry(terminal, row.card_no, row.jurisdiction as string, false, [code], now),
        );
      return new DomainError(code);
    };
    if (!parsed) throw await refuse('QR_INVALID');
    const { claims, body, signature } = parsed;
    const key = await this.publicKeys.get(claims.kid);
    if (
      !key ||
      !verifyQrSignature(body, signature, key.key) ||
      (key.retiredAt && claims.issuedAt > key.retiredAt) ||
      claims.issuedAt.getTime() > now.getTime() + CLOCK_SKEW_MS
    )
      throw await refuse('QR_INVALID');
    const expiresAt = qrExpiresAt(claims);
    if (now >= expiresAt) throw await refuse('QR_EXPIRED');
    if (!row?.card_no || !row.ecard_id) throw new DomainError('NOT_FOUND', { resource: 'ecard' });
    // Accepted once across the installation: the jti's row, committed before the answer.
    const first = await this.used.claim(Buffer.from(claims.jti).toString('hex'), expiresAt);
    if (!first) throw await refuse('QR_USED');
    const card = row as unknown as CardRow;
    const verdict = ecardVerdict(this.facts(card, row.died_on !== null, now));
    // The card works now, but changed since the code was made (a loss reported and withdrawn).
    if (verdict.valid && Number(row.version) !== claims.cardVersion) throw await refuse('QR_STALE');
    await this.verification.log.record(
      logEntry(
        terminal,
        row.card_no,
        card.jurisdiction,
        verdict.valid,
        verdict.reasons.map((r) => r.code),
        now,
      ),
    );
    return {
      verdict,
      ecardId: row.ecard_id,
      cardNo: row.card_no,
      cardKind: card.kind,
      holderName: row.holder_name,
      checkedAt: now,
      issuedAt: claims.issuedAt,
      expiresAt,
      terminal,
    };
  }

  // ---- signing keys -----------------------------------------------------------------------------

  /** The first key, made by the platform when a code is first asked for. */
  private async ensureKey(): Promise<void> {
    try {
      await this.rotateKeys(systemContext('ecard-keys'), { onlyIfNone: true });
    } catch (e) {
      // Another node made it meanwhile.
      if (!isUniqueViolation(e)) throw e;
    }
  }

  /**
   * A new key signs from now on; the one it replaces stops signing (its private key is dropped)
   * and verifies the codes it signed until they expire. Audited.
   */
  async rotateKeys(
    ctx: ActContext,
    opts: { onlyIfNone?: boolean } = {},
  ): Promise<{ kid: string; retired: string | null }> {
    const result = await this.deps.acts.run<
      { kid: string } | null,
      { kid: string; retired: string | null }
    >(ctx, {
      name: 'ecard.keys.rotate',
      resource: 'ecard_signing_key',
      load: async (trx) => {
        const active = await this.repo.activeKey(trx, true);
        return active ? { kid: active.kid } : null;
      },
      target: () => ({ type: 'ecard_signing_key', id: null, jurisdiction: null }),
      apply: async ({ trx, now, loaded }) => {
        if (loaded && opts.onlyIfNone)
          return {
            result: { kid: loaded.kid, retired: null },
            details: { kid: loaded.kid, retired: null, unchanged: true },
          };
        if (loaded) await this.repo.retireKey(trx, loaded.kid, now);
        const key = newSigningKey();
        await this.repo.insertKey(trx, key, now);
        await this.deps.changes.publish(trx, 'ecard.keys');
        return {
          result: { kid: key.kid, retired: loaded?.kid ?? null },
          details: { kid: key.kid, retired: loaded?.kid ?? null, unchanged: false },
          audited: { targetId: key.kid },
        };
      },
    });
    this.publicKeys.forget();
    return result;
  }

  /** Every key, newest first, with what it does now. */
  async listKeys(): Promise<
    {
      kid: string;
      state: 'signing' | 'verifying' | 'expired';
      createdAt: Date;
      retiredAt: Date | null;
    }[]
  > {
    const now = this.deps.clock.now();
    return (await this.repo.keys()).map((k) => ({
      kid: k.kid,
      state: !k.retired_at ? 'signing' : this.verifies(k.retired_at, now) ? 'verifying' : 'expired',
      createdAt: k.created_at,
      retiredAt: k.retired_at,
    }));
  }

  /** A retired key verifies while a code it signed may still be unexpired. */
  private verifies(retiredAt: Date, now: Date): boolean {
    return now.getTime() < retiredAt.getTime() + this.ttlSeconds * 1000 + CLOCK_SKEW_MS;
  }

  /** The public keys that may verify a code now (GET /.well-known/jwks.json). */
  async jwks() {
    const now = this.deps.clock.now();
    const keys = (await this.repo.keys()).filter(
      (k) => !k.retired_at || this.verifies(k.retired_at, now),
    );
    return { keys: keys.map((k) => jwkOf(k.kid, k.public_key)) };
  }

  /** For the daily housekeeping act: used codes long expired, retired keys long past their codes. */
  async prune(trx: Trx, now: Date): Promise<{ ecardQrCodes: number; ecardRetiredKeys: number }> {
    return {
      ecardQrCodes: await this.repo.pruneUsed(trx, new Date(now.getTime() - USED_KEEP_MS)),
      ecardRetiredKeys: await this.repo.pruneKeys(
        trx,
        new Date(now.getTime() - Math.max(RETIRED_KEY_KEEP_MS, this.ttlSeconds * 1000)),
      ),
    };
  }
}

function logEntry(
  t: TerminalPrincipal,
  cardNo: string,
  jurisdiction: string | null,
  valid: boolean,
  reasons: string[],
  at: Date,
) {
  return {
    cardNo,
    at,
    terminalId: t.terminalId,
    organizationId: t.organizationId,
    jurisdiction,
    checkKind: 'qr' as const,
    fn: 'social',
    valid,
    reasons,
  };
}
