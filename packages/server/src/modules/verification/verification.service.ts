/**
 * Online validity checks (联网验证, HN-32) for terminals at hospitals, pharmacies, transit gates and
 * government windows. A card check is one prepared read (terminal, organisation, card, holder),
 * the pure verdict (domain/verification) and a log entry committed in a batch before the answer.
 * A PIN check changes the card (failures count toward the lock, FZ-32) and so is an act.
 */
import { timingSafeEqual } from 'node:crypto';
import {
  DomainError,
  afterPinAttempt,
  beforePinAttempt,
  cardVerdict,
  maskName,
  parseCardNumber,
  requirePinCheckPlace,
  formatShanghai,
  type CardFunction,
  type Citation,
  type Verdict,
} from '@sscard/domain';
import type { ActContext, Actor } from '../../context.js';
import type { Deps } from '../../deps.js';
import { toCardState, toColumns, type CardRow } from '../cards/cards.repository.js';
import {
  admitTerminal,
  RateLimiter,
  type TerminalAuth,
  type TerminalPrincipal,
} from '../terminals/terminal-auth.js';
import { presentedCredential } from '../terminals/credentials.js';
import type { FastifyRequest } from 'fastify';
import { VerificationLog } from './verification-log.js';
import {
  cardRowOf,
  type CheckRow,
  type VerificationRepository,
} from './verification.repository.js';

export interface CardCheck {
  cardNo: string;
  fn: CardFunction;
  ssn?: string | undefined;
  /** The verifier page: the operator's organisation's terminal. */
  terminalId?: string | undefined;
}

export interface CheckResult {
  verdict: Verdict;
  cardNo: string;
  checkedAt: Date;
  holderName: string | null;
  cardKind: string;
  terminal: TerminalPrincipal;
}

/** The card number as typed or scanned: spaces and a lowercase x are what scanners send. */
function cardNumberOf(raw: string): string {
  return parseCardNumber(raw.replace(/\s+/g, '').toUpperCase()).cardNo;
}

export class VerificationService implements TerminalAuth {
  readonly log: VerificationLog;
  private readonly limiter: RateLimiter;
  private readonly repo: VerificationRepository;

  constructor(private readonly deps: Deps) {
    this.repo = deps.repos.verification;
    this.log = new VerificationLog(this.repo);
    this.limiter = new RateLimiter(() => deps.clock.now(), deps.config.nodes.count);
  }

  /** One read: the terminal (by credential, or by id for an operator) and the card. */
  private async read(req: FastifyRequest, cardNo: string, terminalId?: string) {
    const actor = req.ctx.actor;
    let row: CheckRow | undefined;
    if (actor) {
      if (!terminalId) throw new DomainError('TERMINAL_NOT_OURS');
      row = await this.repo.byTerminalId(cardNo, terminalId);
    } else {
      const credential = presentedCredential(req, this.deps.config.terminals.trustProxy);
      if (!credential) throw new DomainError('TERMINAL_AUTH_REQUIRED');
      row = await this.repo.byCredential(cardNo, credential);
    }
    return { row, terminal: admitTerminal(row, actor, this.limiter) };
  }

  /** For routes that read no card (the deny-list): the terminal, admitted. */
  async authenticate(req: FastifyRequest, terminalId?: string): Promise<TerminalPrincipal> {
    return (await this.read(req, '', terminalId)).terminal;
  }

  async checkCard(req: FastifyRequest, input: CardCheck): Promise<CheckResult> {
    const cardNo = cardNumberOf(input.cardNo);
    const { row, terminal } = await this.read(req, cardNo, input.terminalId);
    const now = this.deps.clock.now();
    if (!row?.card_no) {
      await this.log.record(
        entry(terminal, cardNo, null, 'card', input.fn, false, ['unknown'], now),
      );
      throw new DomainError('NOT_FOUND', { resource: 'card' });
    }
    const card = cardRowOf(row);
    const pack = this.deps.rules.resolve(card.jurisdiction, now).pack;
    const verdict = cardVerdict({
      card: toCardState(card, pack.code),
      pack,
      now,
      fn: input.fn,
      endedBy: card.end_reason === 'new_card_issued' ? 'replacement' : null,
      holderDeceased: row.died_on !== null,
      ssnMatches: input.ssn === undefined ? undefined : this.ssnMatches(row, input.ssn),
    });
    await this.log.record(
      entry(
        terminal,
        cardNo,
        card.jurisdiction,
        'card',
        input.fn,
        verdict.valid,
        verdict.reasons.map((r) => r.code),
        now,
      ),
    );
    return {
      verdict,
      cardNo,
      checkedAt: now,
      holderName: row.holder_name ? maskName(row.holder_name) : null,
      cardKind: card.kind,
      terminal,
    };
  }

  /**
   * A social PIN checked at a terminal: where the pack allows it (FZ-32: pharmacies only), else
   * refused before the PIN is looked at; a wrong one counts toward the lock as at a counter.
   */
  async checkPin(
    req: FastifyRequest,
    input: { cardNo: string; pin: string; terminalId?: string | undefined },
  ): Promise<{ cardNo: string; checkedAt: Date; terminal: TerminalPrincipal }> {
    const cardNo = cardNumberOf(input.cardNo);
    const { row, terminal } = await this.read(req, cardNo, input.terminalId);
    if (!row?.card_no) throw new DomainError('NOT_FOUND', { resource: 'card' });
    // The terminal is who acts (its audit record names it); the act step answers through req.ctx.
    const ctx: ActContext = req.ctx;
    ctx.actor ??= terminalActor(terminal);
    const { cards } = this.deps.repos;
    let valid = false;
    let jurisdiction: string | null = null;
    try {
      await this.deps.acts.run<CardRow, null>(ctx, {
        name: 'card.pin.check',
        resource: 'card',
        load: (trx) => cards.find(cardNo, trx, true),
        target: (c) => ({ type: 'card', id: c.card_no, jurisdiction: c.jurisdiction }),
        apply: async ({ trx, now, loaded }) => {
          jurisdiction = loaded.jurisdiction;
          const pack = this.deps.rules.resolve(loaded.jurisdiction, now).pack;
          const card = toCardState(loaded, pack.code);
          requirePinCheckPlace(pack, terminal.place);
          beforePinAttempt(card, pack);
          const attempt = afterPinAttempt(card, pack, this.pinMatches(loaded, input.pin), now);
          await cards.update(trx, cardNo, toColumns(attempt.change), now);
          valid = !attempt.refusal;
          return {
            result: null,
            details: { terminalId: terminal.terminalId, ok: valid, place: terminal.place },
            ...(attempt.refusal ? { refusal: attempt.refusal } : {}),
          };
        },
        present: (_r, _trx, now) => ({ valid: true, cardNo, checkedAt: formatShanghai(now) }),
      });
    } finally {
      const now = this.deps.clock.now();
      await this.log.record(
        entry(terminal, cardNo, jurisdiction, 'pin', 'social', valid, valid ? [] : ['pin'], now),
      );
    }
    return { cardNo, checkedAt: this.deps.clock.now(), terminal };
  }

  private ssnMatches(row: CheckRow, ssn: string): boolean {
    if (!row.ssn_enc || !row.person_id) return false;
    const held = this.deps.keyring.decrypt(row.ssn_enc, `persons.ssn:${row.person_id}`);
    return held === ssn.trim().toUpperCase();
  }

  private pinMatches(row: CardRow, pin: string): boolean {
    if (!row.pin_hash || !/^\d{6}$/.test(pin)) return false;
    const given = this.deps.keyring.blindIndex('social_pin', `${row.card_no}:${pin}`);
    return given.length === row.pin_hash.length && timingSafeEqual(given, row.pin_hash);
  }
}

function entry(
  t: TerminalPrincipal,
  cardNo: string,
  jurisdiction: string | null,
  checkKind: 'card' | 'pin',
  fn: string,
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
    checkKind,
    fn,
    valid,
    reasons,
  };
}

/** A terminal acting (a PIN check is an act): its audit record names the terminal, not a person. */
export function terminalActor(t: TerminalPrincipal): Actor {
  return {
    staffId: null,
    username: `terminal:${t.terminalId}`,
    role: 'terminal',
    organizationId: t.organizationId,
    organizationKind: t.organizationKind,
    bankId: null,
    jurisdiction: t.jurisdiction,
    scope: { kind: 'organization', organizationId: t.organizationId },
    sessionId: null,
  };
}

export type { Citation };
