/**
 * The acts on a card: issue, activate, report lost and un-report, suspend and resume, freeze and
 * unfreeze, cancel, take back, destroy, and the social PIN. Each act locks the card, asks the
 * domain whether the rule pack in force allows it, stores the change and its audit record in one
 * transaction, and answers with the card as it now stands.
 */
import { timingSafeEqual } from 'node:crypto';
import { personTarget } from '../persons/persons.access.js';
import {
  DomainError,
  activate as activateAct,
  automaticCancellationDue,
  afterPinAttempt,
  ageOn,
  beforePinAttempt,
  cancel as cancelAct,
  citationOf,
  destroy as destroyAct,
  freeze as freezeAct,
  issue as issueAct,
  newPin,
  parseCardNumber,
  placeOfActor,
  requirePlace,
  requirePinEnabled,
  reportLoss,
  resetPin,
  resume as resumeAct,
  returnCard as returnAct,
  shanghaiDate,
  suspend as suspendAct,
  unfreeze as unfreezeAct,
  unlockPin,
  unclaimedDecision,
  undeliverableDecision,
  closeBankAccount,
  CARD_STATUS_LABELS,
  type UndeliverableFacts,
  unreport as unreportAct,
  type CancelAttestations,
  type CancelEvidence,
  type CardState,
  type IssueTo,
  type LossInput,
  type RulePack,
  type AccessAct,
  type ServicePlace,
  type Via,
} from '@sscard/domain';
import type { BankAdapter } from '../../adapters/bank/bank-adapter.js';
import type { Target } from '../../acts/access.js';
import { systemContext, type ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../db/transact.js';
import type { ApplicationsRepository } from '../applications/applications.repository.js';
import type { OrganizationsRepository } from '../organizations/organizations.repository.js';
import type { PersonsRepository } from '../persons/persons.repository.js';
import { presentCard } from './cards.presenter.js';
import {
  toCardState,
  toColumns,
  type CardColumns,
  type CardRow,
  type CardsRepository,
} from './cards.repository.js';

interface ActState {
  trx: Trx;
  now: Date;
  row: CardRow;
  card: CardState;
  pack: RulePack;
  place: ServicePlace;
}

interface ActResult {
  columns: CardColumns;
  details?: Record<string, string | number | boolean | null>;
  /** Thrown after the change commits (a wrong PIN is counted, then refused). */
  refusal?: DomainError;
}

/** Thrown inside a sweep's act when the card is not due after all: rolls back, answers null. */
const NOT_DUE = new Error('not due');

type Executor = Database | Trx;

/** What access needs to know about a card: its jurisdiction, bank, branch, taker and holder. */
export function cardTarget(row: CardRow, acceptedBy: string | null): Target {
  return {
    type: 'card',
    id: row.card_no,
    jurisdiction: row.jurisdiction,
    bankId: row.bank_id,
    branchId: row.branch_id,
    acceptedBy,
    personId: row.person_id,
  };
}

export interface IssueInput {
  to: IssueTo;
  agentDocumentsSeen?: boolean | undefined;
  homeVisitPhotoRecord?: boolean | undefined;
  unitRosterSigned?: boolean | undefined;
  /** The old card was handed back at pickup (HN-25, SG-17 换卡). */
  oldCardReturned?: boolean | undefined;
}

export class CardsService {
  readonly repo: CardsRepository;
  private readonly persons: PersonsRepository;
  private readonly applications: ApplicationsRepository;
  private readonly orgs: OrganizationsRepository;

  constructor(
    private readonly deps: Deps,
    private readonly bank: BankAdapter,
  ) {
    this.repo = deps.repos.cards;
    this.persons = deps.repos.persons;
    this.applications = deps.repos.applications;
    this.orgs = deps.repos.organizations;
  }

  packFor(row: CardRow, at: Date): RulePack {
    return this.deps.rules.resolve(row.jurisdiction, at).pack;
  }

  async target(row: CardRow, db: Executor = this.deps.db): Promise<Target> {
    return cardTarget(row, await this.repo.acceptedBy(row.application_id, db));
  }

  /** A card the actor may see (card.read); anything else is "not found", like a missing card. */
  async get(cardNo: string, ctx: ActContext): Promise<CardRow> {
    const found = await this.repo.findWithAcceptedBy(parseCardNumber(cardNo).cardNo);
    if (!found) throw new DomainError('NOT_FOUND', { resource: 'card' });
    const now = this.deps.clock.now();
    await this.deps.access.require(
      this.deps.db,
      ctx.actor,
      'card.read',
      cardTarget(found.row, found.acceptedBy),
      now,
    );
    return found.row;
  }

  /** The cards of a person the actor may see, each one the actor may see. */
  async listForPerson(personId: string, ctx: ActContext): Promise<CardRow[]> {
    const { access, db, clock } = this.deps;
    const now = clock.now();
    const person = await this.persons.findById(personId);
    if (!person) throw new DomainError('NOT_FOUND', { resource: 'person' });
    await access.require(db, ctx.actor, 'person.read', personTarget(person), now);
    const visible: CardRow[] = [];
    for (const row of await this.repo.listForPerson(personId)) {
      if (await access.can(db, ctx.actor!, 'card.read', await this.target(row), now))
        visible.push(row);
    }
    return visible;
  }

  /** What a card looks like in an answer (cards.presenter.ts), as of `at`. */
  async present(row: CardRow, at: Date, db: Executor = this.deps.db) {
    const pack = this.packFor(row, at);
    return presentCard(row, pack, at, {
      photoCardDue: await this.photoCardDue(row, pack, at, db),
      account: this.repo.openAccount(row),
    });
  }

  /** Whether a child has reached the age for a photo card (SH-22: 7, FZ-30: 2). */
  async photoCardDue(
    row: CardRow,
    pack: RulePack,
    now: Date,
    db: Executor = this.deps.db,
  ): Promise<boolean> {
    const from = pack.photo.photoCardRequiredFromAge.value;
    if (row.has_photo || from === null || row.status !== 'issued') return false;
    const birthDate = await this.persons.birthDate(row.person_id, db);
    return birthDate !== undefined && ageOn(birthDate, shanghaiDate(now)) >= from;
  }

  // ---- the acts ---------------------------------------------------------------------------

  issue(cardNo: string, input: IssueInput, ctx: ActContext): Promise<CardRow> {
    return this.act(
      cardNo,
      ctx,
      'card.issue',
      'counter',
      async ({ trx, now, row, card, pack, place }) => {
        const holderDiedOn = (await this.persons.findById(row.person_id, trx))?.diedOn ?? null;
        const change = issueAct(card, pack, { ...input, holderDiedOn }, now, place);
        const app = (await this.applications.find(row.application_id, trx, true))!;
        let oldCardReturned: boolean | null = null;
        if (app.old_card_no)
          oldCardReturned = await this.retireOldCard(
            trx,
            app.kind,
            app.old_card_no,
            cardNo,
            pack,
            input.oldCardReturned ?? false,
            now,
          );
        if (row.kind === 'regular' && pack.temporaryCard.returnOn.value.includes('card_received'))
          await this.endTemporaryCard(trx, row, now);
        await this.applications.update(
          trx,
          app.id,
          { status: 'issued', issued_at: now, closed_at: now },
          now,
        );
        const initial = pack.pin.socialEnabled.value ? pack.pin.initial.value : null;
        return {
          columns: {
            ...toColumns(change),
            issued_to: input.to,
            ...(initial ? { pin_hash: this.pinHash(cardNo, initial), pin_changed_at: now } : {}),
          },
          details: {
            to: input.to,
            applicationId: app.id,
            oldCardNo: app.old_card_no,
            oldCardReturned,
          },
        };
      },
    );
  }

  activate(
    cardNo: string,
    input: {
      function: 'social' | 'financial';
      via?: Via | undefined;
      byAgent?: boolean | undefined;
    },
    ctx: ActContext,
  ): Promise<CardRow> {
    return this.act(
      cardNo,
      ctx,
      input.function === 'financial' ? 'card.activate.financial' : 'card.activate.social',
      input.via ?? 'counter',
      async ({ trx, now, row, card, pack, place }) => {
        if (input.function === 'financial' && input.byAgent)
          await this.requireFinancialAgentAllowed(trx, row, pack, now);
        const change = activateAct(card, pack, input.function, now, place);
        if (input.function === 'financial') {
          const accountNo = this.repo.openAccount(row);
          if (accountNo)
            await this.bank.activate({
              bank: await this.orgCode(trx, row.bank_id),
              accountNo,
              requestId: `activate:${cardNo}`,
            });
        }
        return { columns: toColumns(change), details: { function: input.function, place } };
      },
      'card.activate',
    );
  }

  reportLoss(
    cardNo: string,
    input: LossInput & { via?: Via | undefined },
    ctx: ActContext,
  ): Promise<CardRow> {
    return this.act(
      cardNo,
      ctx,
      'card.loss',
      input.via ?? 'counter',
      async ({ trx, now, row, card, pack, place }) => {
        const change = reportLoss(card, pack, input, now, place);
        const until = change.loss?.kind === 'temporary' ? change.loss.until : null;
        // HN-17, HN-18: the bank account is locked in the same act, and lapses with the card.
        const accountNo = this.repo.openAccount(row);
        if (pack.loss.bankLinked.value && accountNo) {
          await this.bank.reportLoss({
            bank: await this.orgCode(trx, row.bank_id),
            accountNo,
            kind: input.kind,
            until: until?.toISOString() ?? null,
            requestId: `loss:${cardNo}:${now.getTime()}`,
          });
        }
        return {
          columns: toColumns(change),
          details: {
            kind: input.kind,
            term: input.term,
            place,
            until: until?.toISOString() ?? null,
            bankLinked: pack.loss.bankLinked.value,
          },
        };
      },
    );
  }

  unreport(
    cardNo: string,
    input: { via?: Via | undefined; cardPresented?: boolean | undefined },
    ctx: ActContext,
  ): Promise<CardRow> {
    return this.act(
      cardNo,
      ctx,
      'card.unreport',
      input.via ?? 'counter',
      async ({ trx, now, row, card, pack, place }) => {
        // Online nobody sees the card: a holder's word that they have it is no presentation.
        const shown = ctx.actor?.holder ? { ...input, cardPresented: false } : input;
        const change = unreportAct(card, pack, shown, now, place);
        const accountNo = this.repo.openAccount(row);
        if (pack.loss.bankLinked.value && accountNo) {
          await this.bank.unreport({
            bank: await this.orgCode(trx, row.bank_id),
            accountNo,
            requestId: `unreport:${cardNo}:${now.getTime()}`,
          });
        }
        return { columns: toColumns(change), details: { place } };
      },
    );
  }

  suspend(cardNo: string, ctx: ActContext): Promise<CardRow> {
    return this.act(cardNo, ctx, 'card.suspend', 'counter', async ({ now, card, pack, place }) => ({
      columns: toColumns(suspendAct(card, pack, now, place)),
    }));
  }

  resume(cardNo: string, ctx: ActContext): Promise<CardRow> {
    return this.act(cardNo, ctx, 'card.resume', 'counter', async ({ card, pack, place }) => ({
      columns: toColumns(resumeAct(card, pack, place)),
    }));
  }

  freeze(cardNo: string, input: { reason: string }, ctx: ActContext): Promise<CardRow> {
    return this.act(cardNo, ctx, 'card.freeze', 'counter', async ({ now, card, pack, place }) => ({
      columns: { ...toColumns(freezeAct(card, pack, now, place)), frozen_reason: input.reason },
      details: { citation: citationOf(pack.suspension.forMisuse.source).rule },
    }));
  }

  unfreeze(cardNo: string, ctx: ActContext): Promise<CardRow> {
    return this.act(cardNo, ctx, 'card.unfreeze', 'counter', async ({ card, pack, place }) => ({
      columns: { ...toColumns(unfreezeAct(card, pack, place)), frozen_reason: null },
    }));
  }

  cancel(
    cardNo: string,
    input: {
      reason: string;
      evidence?: CancelEvidence | undefined;
      attestations?: CancelAttestations | undefined;
    },
    ctx: ActContext,
  ): Promise<CardRow> {
    return this.act(
      cardNo,
      ctx,
      'card.cancel',
      'counter',
      async ({ trx, now, row, card, pack, place }) => {
        const open = (
          await this.applications.openForPerson(trx, row.person_id, row.jurisdiction)
        ).filter((a) => a.id !== row.application_id);
        const { ground } = cancelAct(card, pack, {
          reason: input.reason,
          evidence: input.evidence ?? {},
          attestations: input.attestations ?? {},
          openApplications: open.length,
          place,
        });
        if (row.status === 'in_stock') await this.closeApplication(trx, row.application_id, now);
        return {
          columns: {
            status: 'cancelled',
            ended_at: now,
            end_reason: ground,
            cancel_evidence: JSON.stringify({
              ...input.evidence,
              attestations: input.attestations ?? {},
            }),
          },
          details: { ground },
        };
      },
    );
  }

  returnCard(cardNo: string, ctx: ActContext): Promise<CardRow> {
    return this.act(cardNo, ctx, 'card.return', 'counter', async ({ now, row, card }) => {
      returnAct(card, row.returned_at);
      return { columns: { returned_at: now } };
    });
  }

  destroy(cardNo: string, ctx: ActContext): Promise<CardRow> {
    return this.act(cardNo, ctx, 'card.destroy', 'counter', async ({ now, row, card, pack }) => {
      destroyAct(card, pack, row.returned_at);
      return { columns: { status: 'destroyed', destroyed_at: now } };
    });
  }

  /**
   * HN-27: the bank has closed the account of a card cancelled on its holder's death; from now
   * on the card may be recovered and destroyed.
   */
  closeBankAccount(cardNo: string, ctx: ActContext): Promise<CardRow> {
    return this.act(
      cardNo,
      ctx,
      'card.bank_account_closed',
      'counter',
      async ({ now, card, pack }) => ({
        columns: toColumns(closeBankAccount(card, pack, now)),
        details: { rule: citationOf(pack.cancellation.bankAccountClosureWithin.source).rule },
      }),
    );
  }

  /**
   * ZS-17(二), HN-12, FZ-27: a card made but not handed over cannot be delivered (the applicant
   * died, moved away for work, settled abroad, or production failed): the pack's action, at once.
   * `facts` as recorded; the holder's recorded death is read from the register. Null from a sweep
   * when the card is not (or no longer) undeliverable; a refusal when asked for at a counter.
   */
  async markUndeliverable(
    cardNo: string,
    facts: Omit<UndeliverableFacts, 'diedOn'>,
    ctx: ActContext,
    fromSweep = false,
  ): Promise<CardRow | null> {
    const run = () =>
      this.act(
        cardNo,
        ctx,
        'card.undeliverable',
        'counter',
        async ({ trx, now, row, card, pack }) => {
          const diedOn = (await this.persons.findById(row.person_id, trx))?.diedOn ?? null;
          const decision = row.undeliverable_reason
            ? null
            : undeliverableDecision(card, { ...facts, diedOn }, pack);
          if (!decision) {
            if (fromSweep) throw NOT_DUE;
            throw new DomainError(
              'CARD_STATE',
              {
                status: CARD_STATUS_LABELS[row.status].zh,
                statusEn: CARD_STATUS_LABELS[row.status].en,
                act: '按无法送达处理',
                actEn: 'treated as undeliverable',
              },
              citationOf(pack.unclaimed.undeliverableAction.source),
            );
          }
          if (decision.ends) await this.closeApplication(trx, row.application_id, now);
          return {
            columns: {
              undeliverable_reason: decision.reason,
              unclaimed_action: decision.action,
              // FZ-27: cancelled with the reason, the card (in the service's hands) recovered; its
              // destruction is the bank's act, recorded when done (FZ-36), as for sleeping cards.
              ...(decision.ends
                ? {
                    status: 'cancelled',
                    ended_at: now,
                    end_reason: `undeliverable_${decision.reason}`,
                    ...(decision.destroy ? { returned_at: now } : {}),
                  }
                : {}),
            },
            details: {
              undeliverable: decision.reason,
              action: decision.action,
              rule: decision.citation.rule,
            },
          };
        },
      );
    return fromSweep ? this.unlessNotDue(run) : run();
  }

  /**
   * When a holder's death is recorded, the cards made for them and not yet handed over get the
   * pack's action at once (ZS-17(二), HN-12, FZ-27), as the service's own acts; the daily sweep
   * catches any it could not do now.
   */
  async onHolderDeath(personId: string, requestId: string | null): Promise<number> {
    const ctx = { ...systemContext('undeliverable'), requestId };
    let done = 0;
    for (const cardNo of await this.repo.pendingOf(personId))
      if (await this.markUndeliverable(cardNo, {}, ctx, true)) done += 1;
    return done;
  }

  // ---- what the card service does on its own (sweeps.ts finds the cards) ----------------

  /**
   * ZS-17, SG-12, HN-12, FZ-27: a card left in stock past the pack's limit gets the pack's
   * action: cancelled (its application closed), or marked as recovered and held or returned to
   * the management department and left in stock. Null when the card is not (or no longer) due.
   */
  async markUnclaimed(cardNo: string, ctx: ActContext): Promise<CardRow | null> {
    const calendar = await this.deps.calendar.calendar();
    return this.unlessNotDue(() =>
      this.act(
        cardNo,
        ctx,
        'card.cancel',
        'counter',
        async ({ trx, now, row, pack }) => {
          const app = await this.applications.find(row.application_id, trx);
          const events = {
            producedAt: row.produced_at,
            stockedAt: row.stocked_at,
            pickupDueAt: app?.due_at ?? null,
          };
          const decision =
            row.status === 'in_stock' && row.kind === 'regular' && !row.unclaimed_at
              ? unclaimedDecision(events, pack, calendar, now)
              : null;
          if (!decision) throw NOT_DUE;
          if (decision.ends) await this.closeApplication(trx, row.application_id, now);
          return {
            columns: {
              unclaimed_at: now,
              unclaimed_action: decision.action,
              ...(decision.ends
                ? { status: 'cancelled', ended_at: now, end_reason: 'unclaimed' }
                : {}),
            },
            details: {
              unclaimedAction: decision.action,
              since: decision.since.toISOString(),
              rule: decision.citation.rule,
            },
          };
        },
        'card.unclaimed',
      ),
    );
  }

  /**
   * ZS-15: the card of a holder who died is cancelled by the service once the pack's period
   * has passed since the death and nobody applied to cancel it. Null when not due.
   */
  async cancelAutomatically(cardNo: string, ctx: ActContext): Promise<CardRow | null> {
    const calendar = await this.deps.calendar.calendar();
    return this.unlessNotDue(() =>
      this.act(cardNo, ctx, 'card.cancel', 'counter', async ({ trx, now, row, pack }) => {
        const person = await this.persons.findById(row.person_id, trx);
        const live = row.kind === 'regular' && ['in_stock', 'issued'].includes(row.status);
        const due =
          live && person?.diedOn ? automaticCancellationDue(person.diedOn, pack, calendar) : null;
        if (!due || now <= due.due) throw NOT_DUE;
        if (row.status === 'in_stock') await this.closeApplication(trx, row.application_id, now);
        return {
          columns: {
            status: 'cancelled',
            ended_at: now,
            end_reason: 'death',
            cancel_evidence: JSON.stringify({ automatic: true, rule: due.citation.rule }),
          },
          details: { ground: 'death', automatic: true, rule: due.citation.rule },
        };
      }),
    );
  }

  private async unlessNotDue(act: () => Promise<CardRow>): Promise<CardRow | null> {
    try {
      return await act();
    } catch (e) {
      if (e === NOT_DUE) return null;
      throw e;
    }
  }

  private async closeApplication(trx: Trx, id: string, now: Date): Promise<void> {
    await this.applications.update(trx, id, { status: 'withdrawn', closed_at: now }, now);
  }

  // ---- the social PIN -------------------------------------------------------------------

  changePin(
    cardNo: string,
    input: { old?: string | undefined; new: string },
    ctx: ActContext,
  ): Promise<CardRow> {
    return this.act(
      cardNo,
      ctx,
      'card.pin.change',
      'counter',
      async ({ now, row, card, pack, place }) => {
        // Where PINs are changed comes before the old PIN: a refused place must not count an attempt.
        requirePinEnabled(pack);
        requirePlace(pack, 'pinChange', place);
        if (card.pinSet) {
          beforePinAttempt(card, pack);
          const attempt = afterPinAttempt(card, pack, this.pinMatches(row, input.old ?? ''), now);
          if (attempt.refusal)
            return { columns: toColumns(attempt.change), refusal: attempt.refusal };
        }
        const change = newPin(card, pack, input.new, input.old === input.new, place);
        return {
          columns: {
            ...toColumns(change),
            pin_hash: this.pinHash(row.card_no, input.new),
            pin_changed_at: now,
          },
          details: { first: !card.pinSet },
        };
      },
    );
  }

  verifyPin(cardNo: string, input: { pin: string }, ctx: ActContext): Promise<CardRow> {
    return this.act(cardNo, ctx, 'card.pin.verify', 'counter', async ({ now, row, card, pack }) => {
      beforePinAttempt(card, pack);
      const attempt = afterPinAttempt(card, pack, this.pinMatches(row, input.pin), now);
      return {
        columns: toColumns(attempt.change),
        details: { ok: !attempt.refusal },
        ...(attempt.refusal ? { refusal: attempt.refusal } : {}),
      };
    });
  }

  resetPin(cardNo: string, input: { new?: string | undefined }, ctx: ActContext): Promise<CardRow> {
    return this.act(
      cardNo,
      ctx,
      'card.pin.reset',
      'counter',
      async ({ now, row, card, pack, place }) => {
        const { change, pin } = resetPin(card, pack, input.new, place);
        return {
          columns: {
            ...toColumns(change),
            pin_hash: this.pinHash(row.card_no, pin),
            pin_changed_at: now,
          },
          details: { toInitial: input.new === undefined },
        };
      },
    );
  }

  unlockPin(cardNo: string, ctx: ActContext): Promise<CardRow> {
    return this.act(cardNo, ctx, 'card.pin.unlock', 'counter', async ({ card, pack, place }) => ({
      columns: toColumns(unlockPin(card, pack, place)),
    }));
  }

  // ---- machinery ----------------------------------------------------------------------------

  /**
   * PINs are six digits, so a slow hash alone would not protect them offline: they are keyed
   * (HMAC under the keyring's index key, per card), so a stolen database cannot be brute-forced
   * without the key; compared in constant time.
   */
  private pinHash(cardNo: string, pin: string): Buffer {
    return this.deps.keyring.blindIndex('social_pin', `${cardNo}:${pin}`);
  }

  private pinMatches(row: CardRow, pin: string): boolean {
    if (!row.pin_hash || !/^\d{6}$/.test(pin)) return false;
    const candidate = this.pinHash(row.card_no, pin);
    return candidate.length === row.pin_hash.length && timingSafeEqual(candidate, row.pin_hash);
  }

  private async orgCode(trx: Trx, id: string | null): Promise<string> {
    return id ? ((await this.orgs.findById(id, trx))?.code ?? id) : 'unknown';
  }

  /**
   * One act on one card, through the act step: the card is locked, access decided from the
   * actor's relationship to it, the domain decides under the pack in force, the change and its
   * audit record are written, and the answer is the card as it now stands.
   */
  private act(
    cardNo: string,
    ctx: ActContext,
    name: AccessAct,
    via: Via,
    fn: (s: ActState) => Promise<ActResult>,
    action?: string,
  ): Promise<CardRow> {
    const number = parseCardNumber(cardNo).cardNo;
    return this.deps.acts.run(ctx, {
      name,
      ...(action ? { action } : {}),
      resource: 'card',
      load: async (trx) => {
        const row = await this.repo.find(number, trx, true);
        return row && { row, acceptedBy: await this.repo.acceptedBy(row.application_id, trx) };
      },
      target: ({ row, acceptedBy }) => cardTarget(row, acceptedBy),
      apply: async ({ trx, now, loaded: { row } }) => {
        const pack = this.packFor(row, now);
        const card = toCardState(row, pack.code);
        const place = placeOfActor(ctx.actor, via);
        const result = await fn({ trx, now, row, card, pack, place });
        await this.repo.update(trx, number, result.columns, now);
        return {
          result: (await this.repo.find(number, trx))!,
          details: { ...result.details, packVersion: pack.version },
          ...(result.refusal ? { refusal: result.refusal } : {}),
        };
      },
      present: (row, trx, now) => this.present(row, now, trx),
    });
  }

  /** At the new card's issue the old one ends for good (SH-23) and, where handed back, is taken in. */
  private async retireOldCard(
    trx: Trx,
    kind: string,
    oldCardNo: string,
    newCardNo: string,
    pack: RulePack,
    returned: boolean,
    now: Date,
  ): Promise<boolean> {
    const old = await this.repo.find(oldCardNo, trx, true);
    if (!old) return false;
    const treatedAsReplacement =
      kind === 'change' && !returned && pack.change.notReturnedTreatedAsReplacement.value;
    const columns: CardColumns = {
      replaced_by: newCardNo,
      ...(returned ? { returned_at: now } : {}),
    };
    if (old.status === 'issued') {
      Object.assign(columns, {
        status: 'replaced',
        ended_at: now,
        end_reason: treatedAsReplacement
          ? 'not_returned_treated_as_replacement'
          : 'new_card_issued',
      });
    }
    await this.repo.update(trx, oldCardNo, columns, now);
    return returned;
  }

  /** SG-19: the temporary card is handed back and cancelled once the card itself is received. */
  private async endTemporaryCard(trx: Trx, row: CardRow, now: Date): Promise<void> {
    const apps = await this.repo.endTemporaryCards(trx, row.person_id, row.jurisdiction, now);
    // A temporary card never collected closes its application too, or it would stay open business.
    await this.applications.closeInStock(trx, apps, now);
  }

  /** FZ-51: an agent for a child under 14 does non-financial business only. */
  private async requireFinancialAgentAllowed(
    trx: Trx,
    row: CardRow,
    pack: RulePack,
    now: Date,
  ): Promise<void> {
    const minors = pack.agents.minors.value;
    const birthDate = await this.persons.birthDate(row.person_id, trx);
    if (
      minors.scope === 'non_financial' &&
      birthDate &&
      ageOn(birthDate, shanghaiDate(now)) < minors.belowAge
    ) {
      throw new DomainError('AGENT_SCOPE', {}, citationOf(pack.agents.minors.source));
    }
  }
}
