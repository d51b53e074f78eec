/**
 * Applications (申领、补领、换领、换发、临时卡): accepted under the rule pack in force, checked by
 * the agencies the pack names, produced in a batch or on the spot, stocked at the branch and
 * issued. Each step is one transaction with its audit record; refusals cite their article.
 */
import {
  AGENCY_CHECKS,
  CHECK_ALIASES,
  COUNTER_CHECKS,
  DomainError,
  afterCheck,
  checkSubmission,
  citationOf,
  computeFee,
  dueAfter,
  rejectionCitation,
  requireApplicationStatus,
  shanghaiDate,
  type ApplicantCards,
  type ApplicationChannel,
  type ApplicationKind,
  type ChangeReason,
  type Citation,
  type Deadline,
  type Delivery,
  type IdDocumentType,
  type ProductionCheck,
  type RulePack,
  type FeeSchedule,
  type WorkingDayCalendar,
} from '@sscard/domain';
import type { ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import { isUniqueViolation } from '../../deps.js';
import { uuidv7 } from '../../crypto/tokens.js';
import { transact, type Trx } from '../../db/transact.js';
import type { BankAdapter } from '../../adapters/bank/bank-adapter.js';
import { CardsRepository, toCardState, type CardRow } from '../cards/cards.repository.js';
import { requireCardAccess } from '../cards/card-access.js';
import { makeCard } from '../cards/production.js';
import { OrganizationsRepository } from '../organizations/organizations.repository.js';
import { PersonsRepository, type Person } from '../persons/persons.repository.js';
import type { FeesService } from '../policy/fees.service.js';
import { ApplicationsRepository, type ApplicationRow } from './applications.repository.js';

export interface AgentInput {
  kind: 'agent' | 'guardian';
  name: string;
  idType: IdDocumentType;
  idNumber: string;
  relation: string;
  /** The agent showed their own ID and the applicant's (HN-10, SG-10, FZ-51). */
  documentsSeen: boolean;
}

export interface SubmitInput {
  personId: string;
  kind: ApplicationKind;
  reason?: ChangeReason | undefined;
  channel?: ApplicationChannel | undefined;
  jurisdiction?: string | undefined;
  branchId?: string | undefined;
  production?: 'instant' | 'batch' | undefined;
  delivery?: Delivery | undefined;
  deliveryAddress?: string | undefined;
  agent?: AgentInput | undefined;
  oldCardNo?: string | undefined;
  consentToDelay?: boolean | undefined;
  bankLossReceipt?: boolean | undefined;
  studioPhotoReceipt?: boolean | undefined;
  hospitalProof?: string | undefined;
  temporaryCardLostOrDamaged?: boolean | undefined;
}

const OPEN_STATUSES_BEFORE_PRODUCTION = [
  'submitted',
  'checking',
  'approved',
  'in_production',
] as const;

/** What a transaction needs that lives outside it: read before it starts (one connection on PGlite). */
export interface Prepared {
  schedule: FeeSchedule;
  calendar: WorkingDayCalendar;
}

export class ApplicationsService {
  readonly repo: ApplicationsRepository;
  private readonly cards: CardsRepository;
  private readonly persons: PersonsRepository;
  private readonly orgs: OrganizationsRepository;

  constructor(
    private readonly deps: Deps,
    private readonly fees: FeesService,
    private readonly bank: BankAdapter,
  ) {
    this.repo = new ApplicationsRepository(deps.db, deps.keyring);
    this.cards = new CardsRepository(deps.db, deps.keyring);
    this.persons = new PersonsRepository(deps.db, deps.keyring);
    this.orgs = new OrganizationsRepository(deps.db);
  }

  async get(id: string, ctx: ActContext): Promise<ApplicationRow> {
    const app = await this.repo.find(id);
    if (!app) throw new DomainError('NOT_FOUND', { resource: 'application' });
    await requireCardAccess(this.persons, ctx.actor!, app, this.deps.db);
    return app;
  }

  async submit(input: SubmitInput, ctx: ActContext): Promise<ApplicationRow> {
    const actor = ctx.actor!;
    const jurisdictionRef = input.jurisdiction ?? actor.jurisdiction;
    if (!jurisdictionRef)
      throw new DomainError('VALIDATION', { summary: 'jurisdiction is required' });
    const branchId =
      input.branchId ?? (actor.organizationKind === 'branch' ? actor.organizationId : null);
    if (!branchId)
      throw new DomainError('VALIDATION', {
        summary: 'branchId is required: the bank branch that makes and hands over the card',
      });
    const prepared = await this.prepare();
    try {
      return await transact(this.deps, ctx, (trx, now) =>
        this.submitIn(trx, now, input, jurisdictionRef, branchId, ctx, prepared),
      );
    } catch (e) {
      if (
        isUniqueViolation(e, 'applications_one_open_first') ||
        isUniqueViolation(e, 'cards_one_pending')
      ) {
        throw new DomainError('APPLICATION_EXISTS', { jurisdiction: jurisdictionRef });
      }
      throw e;
    }
  }

  /** The submission itself, inside a transaction the caller owns (a key change runs several). */
  async submitIn(
    trx: Trx,
    now: Date,
    input: SubmitInput,
    jurisdictionRef: string,
    branchId: string,
    ctx: ActContext,
    prepared: Prepared,
  ): Promise<ApplicationRow> {
    const actor = ctx.actor!;
    const { pack } = this.deps.rules.resolve(jurisdictionRef, now);
    const today = shanghaiDate(now);
    const person = await this.persons.findById(input.personId, trx, true);
    if (!person) throw new DomainError('NOT_FOUND', { resource: 'person' });
    const branch = await this.orgs.findById(branchId, trx);
    if (
      !branch ||
      branch.kind !== 'branch' ||
      branch.jurisdiction !== pack.divisionCode ||
      branch.status !== 'active'
    ) {
      throw new DomainError('NOT_FOUND', { resource: 'branch' });
    }
    const held = await this.cards.listForPerson(person.id, trx);
    const here = held.filter((c) => c.jurisdiction === pack.divisionCode);
    const open = await this.repo.openForPerson(trx, person.id, pack.divisionCode);
    const oldRow = input.oldCardNo ? here.find((c) => c.card_no === input.oldCardNo) : undefined;
    if (input.oldCardNo && !oldRow) throw new DomainError('OLD_CARD_NOT_HOLDERS');
    const cards: ApplicantCards = {
      live: stateOf(
        here.find((c) => c.kind === 'regular' && c.status === 'issued'),
        pack,
      ),
      pending: stateOf(
        here.find(
          (c) => c.kind === 'regular' && (c.status === 'in_production' || c.status === 'in_stock'),
        ),
        pack,
      ),
      temporary: stateOf(
        here.find(
          (c) =>
            c.kind === 'temporary' && ['in_production', 'in_stock', 'issued'].includes(c.status),
        ),
        pack,
      ),
      openApplicationKinds: open.map((a) => a.kind),
    };
    const channel = input.channel ?? 'counter';
    const production = input.kind === 'temporary' ? 'instant' : (input.production ?? 'batch');
    const decision = checkSubmission(
      pack,
      {
        birthDate: person.birthDate,
        idType: person.idType,
        hasPhoto: person.photoId !== null,
        diedOn: person.diedOn,
        hasGuardian: person.guardian !== null,
      },
      cards,
      {
        kind: input.kind,
        reason: input.reason,
        channel,
        production,
        delivery: input.delivery ?? 'counter',
        agent: input.agent
          ? { kind: input.agent.kind, documentsSeen: input.agent.documentsSeen }
          : undefined,
        consentToDelay: input.consentToDelay,
        bankLossReceipt: input.bankLossReceipt,
        studioPhotoReceipt: input.studioPhotoReceipt,
        hospitalProof: input.hospitalProof !== undefined,
        branchCanInstantIssue: branch.can_instant_issue,
        oldCard: stateOf(oldRow, pack) ?? undefined,
      },
      today,
    );
    if ((input.delivery ?? 'counter') === 'mail' && !input.deliveryAddress)
      throw new DomainError('DELIVERY_ADDRESS_REQUIRED');
    const fee = computeFee({
      pack,
      kind: input.kind,
      today,
      person: { hardship: person.hardship },
      isFirstCard:
        held.filter((c) => c.jurisdiction === pack.divisionCode && c.kind === 'regular').length ===
        0,
      schedule: prepared.schedule,
      ...(input.reason ? { reason: input.reason } : {}),
      ...(oldRow?.issued_at
        ? {
            cardIssuedOn: shanghaiDate(oldRow.issued_at),
            cardPickedUpOn: shanghaiDate(oldRow.issued_at),
          }
        : {}),
      ...(input.temporaryCardLostOrDamaged !== undefined
        ? { temporaryCardLostOrDamaged: input.temporaryCardLostOrDamaged }
        : {}),
    });

    const id = uuidv7();
    await this.repo.insert(trx, {
      id,
      person_id: person.id,
      jurisdiction: pack.divisionCode,
      pack_version: pack.version,
      kind: input.kind,
      reason: input.reason ?? null,
      channel,
      production,
      status: 'submitted',
      branch_id: branch.id,
      bank_id: branch.bank_id!,
      accepted_by: actor.organizationId,
      delivery: input.delivery ?? 'counter',
      delivery_address_enc: input.deliveryAddress
        ? this.repo.seal(id, 'delivery_address', input.deliveryAddress)
        : null,
      agent: input.agent
        ? JSON.stringify({
            kind: input.agent.kind,
            name: input.agent.name,
            idType: input.agent.idType,
            relation: input.agent.relation,
          })
        : null,
      agent_id_number_enc: input.agent
        ? this.repo.seal(id, 'agent_id_number', input.agent.idNumber)
        : null,
      fee_fen: fee.amountFen,
      fee: JSON.stringify(fee),
      old_card_no: oldRow?.card_no ?? null,
      card_no: null,
      rejection_reason: null,
      rejection_rule: null,
      due_at: null,
      due: null,
      submitted_at: now,
      approved_at: null,
      produced_at: null,
      stocked_at: null,
      issued_at: null,
      closed_at: null,
      created_by: actor.staffId,
      updated_at: now,
    });
    // FZ-17: an online application is answered within 2 working days; agencies have SH-10's 3.
    const dueOf = (check: ProductionCheck) => {
      const online = channel !== 'counter' && channel !== 'agent' && channel !== 'unit';
      const limit =
        online && COUNTER_CHECKS.includes(check)
          ? (pack.checks.onlineRejectionDeadline.value ?? pack.checks.deadline.value)
          : pack.checks.deadline.value;
      return limit ? dueAfter(now, limit, prepared.calendar).due : null;
    };
    await this.repo.insertChecks(
      trx,
      decision.checks.map(({ check, start }) => ({
        application_id: id,
        agency: check,
        result: start === 'pending' ? 'pending' : 'pass',
        reason: null,
        due_at: start === 'pending' ? dueOf(check) : null,
        recorded_at: start === 'pending' ? null : now,
        recorded_by: start === 'pending' ? null : actor.staffId,
      })),
    );
    if (actor.organizationId)
      await this.persons.link(trx, person.id, actor.organizationId, 'applied', now);
    await this.persons.link(trx, person.id, branch.id, 'card_branch', now);
    if (oldRow) await this.markOldCard(trx, oldRow, id, decision.oldCardEnds, now);
    if (decision.deadline) await this.setDue(trx, id, decision.deadline, now, now, prepared);

    const pending = decision.checks.some((c) => c.start === 'pending');
    const app = (await this.repo.find(id, trx))!;
    const status = pending
      ? 'checking'
      : await this.approve(trx, app, person, decision.deadline, now, prepared);
    if (pending) await this.repo.update(trx, id, { status: 'checking' }, now);
    await this.deps.audit.append(
      trx,
      ctx,
      {
        action: 'application.submit',
        targetType: 'application',
        targetId: id,
        jurisdiction: pack.divisionCode,
        details: {
          kind: input.kind,
          channel,
          production,
          status,
          feeFen: fee.amountFen,
          personId: person.id,
        },
      },
      now,
    );
    return (await this.repo.find(id, trx))!;
  }

  /** A check answer from an agency (SH-10: police, HRSS, medical insurance within 3 working days). */
  async recordCheck(
    id: string,
    input: { agency: string; result: 'pass' | 'fail'; reason?: string | undefined },
    ctx: ActContext,
  ): Promise<ApplicationRow> {
    const agency = (CHECK_ALIASES[input.agency] ?? input.agency) as ProductionCheck;
    const prepared = await this.prepare();
    return transact(this.deps, ctx, async (trx, now) => {
      const app = await this.lockVisible(trx, id, ctx);
      requireApplicationStatus(app.status, ['checking'], { zh: '登记核验结果', en: 'checked' });
      const checks = await this.repo.checks(id, trx);
      const check = checks.find((c) => c.agency === agency);
      if (!check) throw new DomainError('CHECK_NOT_REQUIRED', { agency: input.agency });
      // Agencies' answers (police, HRSS, medical insurance, population data) are recorded by the
      // centre; a counter records only what it checks itself (FZ-17: an online application's documents).
      const actor = ctx.actor!;
      if (
        AGENCY_CHECKS.includes(agency) &&
        actor.organizationKind !== 'centre' &&
        actor.scope.kind !== 'all'
      ) {
        throw new DomainError('FORBIDDEN', {
          role: actor.role,
          action: `record the ${agency} check`,
        });
      }
      if (check.result !== 'pending') throw new DomainError('CHECK_ALREADY_RECORDED');
      if (input.result === 'fail' && !input.reason)
        throw new DomainError(
          'CHECK_REASON_REQUIRED',
          {},
          rejectionCitation(this.packOf(app, now)),
        );
      await this.repo.updateCheck(trx, id, agency, {
        result: input.result,
        reason: input.reason ?? null,
        recorded_at: now,
        recorded_by: ctx.actor!.staffId,
      });
      const next = afterCheck(
        checks.map((c) => ({
          check: c.agency as ProductionCheck,
          result: c.agency === agency ? input.result : c.result,
        })),
      );
      const pack = this.packOf(app, now);
      let status: string = next;
      if (next === 'rejected') {
        // SH-10, FZ-17: the applicant is told the reason; the old card is no longer held back.
        await this.repo.update(
          trx,
          id,
          {
            status: 'rejected',
            rejection_reason: input.reason!,
            rejection_rule: rejectionCitation(pack).rule,
            closed_at: now,
          },
          now,
        );
        await this.releaseOldCard(trx, app, now);
      } else if (next === 'approved') {
        const person = (await this.persons.findById(app.person_id, trx))!;
        status = await this.approve(trx, app, person, this.deadlineOf(app), now, prepared);
      }
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'application.check',
          targetType: 'application',
          targetId: id,
          jurisdiction: app.jurisdiction,
          details: { agency, result: input.result, status },
        },
        now,
      );
      return (await this.repo.find(id, trx))!;
    });
  }

  async withdraw(id: string, ctx: ActContext): Promise<ApplicationRow> {
    return transact(this.deps, ctx, async (trx, now) => {
      const app = await this.lockVisible(trx, id, ctx);
      requireApplicationStatus(app.status, OPEN_STATUSES_BEFORE_PRODUCTION, {
        zh: '撤回',
        en: 'withdrawn',
      });
      if (app.card_no)
        await this.cards.update(
          trx,
          app.card_no,
          { status: 'cancelled', ended_at: now, end_reason: 'application_withdrawn' },
          now,
        );
      await this.repo.update(trx, id, { status: 'withdrawn', closed_at: now }, now);
      await this.releaseOldCard(trx, app, now);
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'application.withdraw',
          targetType: 'application',
          targetId: id,
          jurisdiction: app.jurisdiction,
        },
        now,
      );
      return (await this.repo.find(id, trx))!;
    });
  }

  /** 即时制卡: the counter makes the card on the spot; it is in stock at once. */
  async produce(id: string, ctx: ActContext): Promise<ApplicationRow> {
    return transact(this.deps, ctx, async (trx, now) => {
      const app = await this.lockVisible(trx, id, ctx);
      requireApplicationStatus(app.status, ['approved'], {
        zh: '即时制卡',
        en: 'produced on the spot',
      });
      if (app.production !== 'instant') {
        throw new DomainError('INSTANT_NOT_OFFERED', {
          why: '该申领为批量制卡。',
          whyEn: 'This application is produced in a batch.',
        });
      }
      const actor = ctx.actor!;
      if (actor.organizationKind === 'branch' && actor.organizationId !== app.branch_id) {
        throw new DomainError('INSTANT_NOT_OFFERED', {
          why: '须在受理网点即时制卡。',
          whyEn: 'Instant cards are made at the receiving branch.',
        });
      }
      const person = (await this.persons.findById(app.person_id, trx))!;
      const cardNo = await makeCard(this.production(), trx, app, person, now, true);
      await this.repo.update(
        trx,
        id,
        { status: 'in_stock', card_no: cardNo, produced_at: now, stocked_at: now },
        now,
      );
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'application.produce',
          targetType: 'application',
          targetId: id,
          jurisdiction: app.jurisdiction,
          details: { cardNo, late: app.due_at !== null && now > app.due_at },
        },
        now,
      );
      return (await this.repo.find(id, trx))!;
    });
  }

  /** 入库: the card made in a batch arrived at the branch. */
  async stock(id: string, ctx: ActContext): Promise<ApplicationRow> {
    return transact(this.deps, ctx, async (trx, now) => {
      const app = await this.lockVisible(trx, id, ctx);
      requireApplicationStatus(app.status, ['in_production'], { zh: '入库', en: 'stocked' });
      await this.cards.update(
        trx,
        app.card_no!,
        { status: 'in_stock', produced_at: now, stocked_at: now },
        now,
      );
      await this.repo.update(
        trx,
        id,
        { status: 'in_stock', produced_at: now, stocked_at: now },
        now,
      );
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'application.stock',
          targetType: 'application',
          targetId: id,
          jurisdiction: app.jurisdiction,
          details: { cardNo: app.card_no, late: app.due_at !== null && now > app.due_at },
        },
        now,
      );
      return (await this.repo.find(id, trx))!;
    });
  }

  // ---- inside the transaction --------------------------------------------------------

  private production() {
    return {
      cards: this.cards,
      bank: this.bank,
      orgCode: async (orgId: string, trx: Trx) =>
        (await this.orgs.findById(orgId, trx))?.code ?? orgId,
    };
  }

  private async lockVisible(trx: Trx, id: string, ctx: ActContext): Promise<ApplicationRow> {
    const app = await this.repo.find(id, trx, true);
    if (!app) throw new DomainError('NOT_FOUND', { resource: 'application' });
    await requireCardAccess(this.persons, ctx.actor!, app, trx);
    return app;
  }

  private packOf(app: ApplicationRow, now: Date): RulePack {
    // The version in force when the application was accepted governs it.
    return this.deps.rules.resolve(app.jurisdiction, app.submitted_at ?? now).pack;
  }

  private deadlineOf(app: ApplicationRow): { limit: Deadline; citation: Citation } | null {
    const due = app.due as { limit?: Deadline; citation?: Citation } | null;
    return due?.limit && due.citation ? { limit: due.limit, citation: due.citation } : null;
  }

  /** All checks passed: approved; a batch card goes into production at once. */
  private async approve(
    trx: Trx,
    app: ApplicationRow,
    person: Person,
    deadline: { limit: Deadline; citation: Citation } | null,
    now: Date,
    prepared: Prepared,
  ): Promise<string> {
    await this.repo.update(trx, app.id, { status: 'approved', approved_at: now }, now);
    if (deadline && deadline.limit.from === 'checks_passed')
      await this.setDue(trx, app.id, deadline, now, now, prepared);
    if (app.production === 'instant') return 'approved';
    const cardNo = await makeCard(this.production(), trx, app, person, now, false);
    await this.repo.update(trx, app.id, { status: 'in_production', card_no: cardNo }, now);
    return 'in_production';
  }

  private async setDue(
    trx: Trx,
    id: string,
    deadline: { limit: Deadline; citation: Citation },
    start: Date,
    now: Date,
    prepared: Prepared,
  ): Promise<void> {
    const { due, warnings } = dueAfter(start, deadline.limit, prepared.calendar);
    await this.repo.update(
      trx,
      id,
      {
        due_at: due,
        due: JSON.stringify({ limit: deadline.limit, citation: deadline.citation, warnings }),
      },
      now,
    );
  }

  async prepare(): Promise<Prepared> {
    return { schedule: await this.fees.schedule(), calendar: await this.deps.calendar.calendar() };
  }

  /** The old card is held for this application; where the pack says so it ends now (HN-20, FZ-33). */
  private async markOldCard(
    trx: Trx,
    old: CardRow,
    applicationId: string,
    ends: 'on_acceptance' | 'on_issue_of_new_card' | null,
    now: Date,
  ): Promise<void> {
    if (ends === 'on_acceptance') {
      await this.cards.update(
        trx,
        old.card_no,
        {
          status: 'replaced',
          replacement_application_id: applicationId,
          ended_at: now,
          end_reason: 'replacement_accepted',
        },
        now,
      );
    } else {
      await this.cards.update(trx, old.card_no, { replacement_application_id: applicationId }, now);
    }
  }

  private async releaseOldCard(trx: Trx, app: ApplicationRow, now: Date): Promise<void> {
    if (!app.old_card_no) return;
    const old = await this.cards.find(app.old_card_no, trx, true);
    if (old && old.status === 'issued' && old.replacement_application_id === app.id) {
      await this.cards.update(trx, old.card_no, { replacement_application_id: null }, now);
    }
  }
}

function stateOf(row: CardRow | undefined, pack: RulePack) {
  return row ? toCardState(row, pack.code) : null;
}

export { citationOf };
