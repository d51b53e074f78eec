/**
 * The acts on a card: issue, activate, report lost and un-report, suspend and resume, freeze and
 * unfreeze, cancel, take back, destroy, and the social PIN. Each act locks the card, asks the
 * domain whether the rule pack in force allows it, stores the change and its audit record in one
 * transaction, and answers with the card as it now stands.
 */
import { timingSafeEqual } from 'node:crypto';
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
  placeOf,
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
  unreport as unreportAct,
  type CancelAttestations,
  type CancelEvidence,
  type CardState,
  type IssueTo,
  type LossInput,
  type RulePack,
  type ServicePlace,
  type Via,
} from '@sscard/domain';
import type { BankAdapter } from '../../adapters/bank/bank-adapter.js';
import type { ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import { transact, type Trx } from '../../db/transact.js';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { OrganizationsRepository } from '../organizations/organizations.repository.js';
import { PersonsRepository } from '../persons/persons.repository.js';
import { requireCardAccess } from './card-access.js';
import {
  CardsRepository,
  toCardState,
  toColumns,
  type CardColumns,
  type CardRow,
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
    this.repo = new CardsRepository(deps.db, deps.keyring);
    this.persons = new PersonsRepository(deps.db, deps.keyring);
    this.applications = new ApplicationsRepository(deps.db, deps.keyring);
    this.orgs = new OrganizationsRepository(deps.db);
  }

  packFor(row: CardRow, at: Date): RulePack {
    return this.deps.rules.resolve(row.jurisdiction, at).pack;
  }

  async get(cardNo: string, ctx: ActContext): Promise<CardRow> {
    const row = await this.repo.find(parseCardNumber(cardNo).cardNo);
    if (!row) throw new DomainError('NOT_FOUND', { resource: 'card' });
    await requireCardAccess(this.persons, ctx.actor!, row, this.deps.db);
    return row;
  }

  async listForPerson(personId: string, ctx: ActContext): Promise<CardRow[]> {
    if (!(await this.persons.inScope(personId, ctx.actor!.scope)))
      throw new DomainError('NOT_FOUND', { resource: 'person' });
    return this.repo.listForPerson(personId);
  }

  /** Whether a child has reached the age for a photo card (SH-22: 7, FZ-30: 2). */
  async photoCardDue(row: CardRow, pack: RulePack, now: Date): Promise<boolean> {
    const from = pack.photo.photoCardRequiredFromAge.value;
    if (row.has_photo || from === null || row.status !== 'issued') return false;
    const person = await this.deps.db
      .selectFrom('persons')
      .select('birth_date')
      .where('id', '=', row.person_id)
      .executeTakeFirst();
    return person !== undefined && ageOn(person.birth_date, shanghaiDate(now)) >= from;
  }

  // ---- the acts ---------------------------------------------------------------------------

  issue(cardNo: string, input: IssueInput, ctx: ActContext): Promise<CardRow> {
    return this.act(cardNo, ctx, 'card.issue', 'counter', async ({ trx, now, row, card, pack }) => {
      const change = issueAct(card, pack, input, now);
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
      if (ctx.actor?.organizationId)
        await this.persons.link(trx, row.person_id, ctx.actor.organizationId, 'served', now);
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
    });
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
      'card.activate',
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
        const change = unreportAct(card, pack, input, now, place);
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
    return this.act(cardNo, ctx, 'card.suspend', 'counter', async ({ now, card, pack }) => ({
      columns: toColumns(suspendAct(card, pack, now)),
    }));
  }

  resume(cardNo: string, ctx: ActContext): Promise<CardRow> {
    return this.act(cardNo, ctx, 'card.resume', 'counter', async ({ card, pack }) => ({
      columns: toColumns(resumeAct(card, pack)),
    }));
  }

  freeze(cardNo: string, input: { reason: string }, ctx: ActContext): Promise<CardRow> {
    return this.act(cardNo, ctx, 'card.freeze', 'counter', async ({ now, card, pack }) => ({
      columns: { ...toColumns(freezeAct(card, pack, now)), frozen_reason: input.reason },
      details: { citation: citationOf(pack.suspension.forMisuse.source).rule },
    }));
  }

  unfreeze(cardNo: string, ctx: ActContext): Promise<CardRow> {
    return this.act(cardNo, ctx, 'card.unfreeze', 'counter', async ({ card, pack }) => ({
      columns: { ...toColumns(unfreezeAct(card, pack)), frozen_reason: null },
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
      async ({ trx, now, row, card, pack }) => {
        const open = (
          await this.applications.openForPerson(trx, row.person_id, row.jurisdiction)
        ).filter((a) => a.id !== row.application_id);
        const { ground } = cancelAct(card, pack, {
          reason: input.reason,
          evidence: input.evidence ?? {},
          attestations: input.attestations ?? {},
          openApplications: open.length,
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

  // ---- what the card service does on its own (sweeps.ts finds the cards) ----------------

  /**
   * ZS-17, SG-12, HN-12, FZ-27: a card left in stock past the pack's limit gets the pack's
   * action: cancelled (its application closed), or marked as recovered and held or returned to
   * the management department and left in stock. Null when the card is not (or no longer) due.
   */
  async markUnclaimed(cardNo: string, ctx: ActContext): Promise<CardRow | null> {
    const calendar = await this.deps.calendar.calendar();
    return this.unlessNotDue(() =>
      this.act(cardNo, ctx, 'card.unclaimed', 'counter', async ({ trx, now, row, pack }) => {
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
      }),
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
        requirePlace(pack.pin.changeAt, place, '修改社保密码');
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

  private async act(
    cardNo: string,
    ctx: ActContext,
    action: string,
    via: Via,
    fn: (s: ActState) => Promise<ActResult>,
  ): Promise<CardRow> {
    const number = parseCardNumber(cardNo).cardNo;
    let refusal: DomainError | undefined;
    const row = await transact(this.deps, ctx, async (trx, now) => {
      const row = await this.repo.find(number, trx, true);
      if (!row) throw new DomainError('NOT_FOUND', { resource: 'card' });
      await requireCardAccess(this.persons, ctx.actor!, row, trx);
      const pack = this.packFor(row, now);
      const card = toCardState(row, pack.code);
      const result = await fn({
        trx,
        now,
        row,
        card,
        pack,
        place: placeOf(via, ctx.actor?.organizationKind ?? null),
      });
      refusal = result.refusal;
      await this.repo.update(trx, number, result.columns, now);
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action,
          targetType: 'card',
          targetId: number,
          jurisdiction: row.jurisdiction,
          details: { ...result.details, packVersion: pack.version },
          ...(refusal ? { outcome: 'refused' as const, code: refusal.code } : {}),
        },
        now,
      );
      return (await this.repo.find(number, trx))!;
    });
    if (refusal) throw refusal;
    return row;
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
    const ended = await trx
      .updateTable('cards')
      .set({
        status: 'cancelled',
        ended_at: now,
        end_reason: 'regular_card_received',
        updated_at: now,
      })
      .where('person_id', '=', row.person_id)
      .where('jurisdiction', '=', row.jurisdiction)
      .where('kind', '=', 'temporary')
      .where('status', 'in', ['in_stock', 'issued'])
      .returning(['application_id', 'status'])
      .execute();
    // A temporary card never collected closes its application too, or it would stay open business.
    const apps = ended.map((c) => c.application_id);
    if (apps.length) {
      await trx
        .updateTable('applications')
        .set({ status: 'withdrawn', closed_at: now, updated_at: now })
        .where('id', 'in', apps)
        .where('status', '=', 'in_stock')
        .execute();
    }
  }

  /** FZ-51: an agent for a child under 14 does non-financial business only. */
  private async requireFinancialAgentAllowed(
    trx: Trx,
    row: CardRow,
    pack: RulePack,
    now: Date,
  ): Promise<void> {
    const minors = pack.agents.minors.value;
    const person = await trx
      .selectFrom('persons')
      .select('birth_date')
      .where('id', '=', row.person_id)
      .executeTakeFirst();
    if (
      minors.scope === 'non_financial' &&
      person &&
      ageOn(person.birth_date, shanghaiDate(now)) < minors.belowAge
    ) {
      throw new DomainError('AGENT_SCOPE', {}, citationOf(pack.agents.minors.source));
    }
  }
}
