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
  placeOfActor,
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
  type ServicePlace,
} from '@sscard/domain';
import type { Act } from '../../acts/act-step.js';
import type { Target } from '../../acts/access.js';
import type { Insertable, Selectable } from 'kysely';
import type { ActContext, Actor } from '../../context.js';
import type { ApplicationChecksTable, ApplicationsTable } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { isUniqueViolation } from '../../deps.js';
import { uuidv7 } from '../../crypto/tokens.js';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../db/transact.js';
import type { AuditEntry } from '../audit/audit.repository.js';
import type { BankAdapter } from '../../adapters/bank/bank-adapter.js';
import { toCardState, type CardRow, type CardsRepository } from '../cards/cards.repository.js';
import { makeCard } from '../cards/production.js';
import type {
  OrganizationRow,
  OrganizationsRepository,
} from '../organizations/organizations.repository.js';
import { personTarget } from '../persons/persons.access.js';
import type { Person, PersonsRepository } from '../persons/persons.repository.js';
import type { FeesService } from '../policy/fees.service.js';
import { presentApplication } from './applications.presenter.js';
import { submitMany, type ManyItem, type ManyResult } from './submit-many.js';
import type { ApplicationRow, ApplicationsRepository } from './applications.repository.js';

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
  /** Where it is taken when not at the actor's own counter: a unit's roster at its chosen branch (FZ-15, FZ-18). */
  place?: ServicePlace | undefined;
}

const OPEN_STATUSES_BEFORE_ISSUE = [
  'submitted',
  'checking',
  'approved',
  'in_production',
  'in_stock',
] as const;

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
    this.repo = deps.repos.applications;
    this.cards = deps.repos.cards;
    this.persons = deps.repos.persons;
    this.orgs = deps.repos.organizations;
  }

  /** An application the actor may see (application.read); anything else is "not found". */
  async get(id: string, ctx: ActContext): Promise<ApplicationRow> {
    const app = await this.repo.find(id);
    if (!app) throw new DomainError('NOT_FOUND', { resource: 'application' });
    const now = this.deps.clock.now();
    await this.deps.access.require(
      this.deps.db,
      ctx.actor,
      'application.read',
      applicationTarget(app),
      now,
    );
    return app;
  }

  /** A person's applications the actor may see, newest first (the person must be visible). */
  async listForPerson(personId: string, ctx: ActContext): Promise<ApplicationRow[]> {
    const { access, db, clock } = this.deps;
    const now = clock.now();
    const person = await this.persons.findById(personId);
    if (!person) throw new DomainError('NOT_FOUND', { resource: 'person' });
    await access.require(db, ctx.actor, 'person.read', personTarget(person), now);
    const visible: ApplicationRow[] = [];
    for (const app of await this.repo.listForPerson(personId)) {
      if (await access.can(db, ctx.actor!, 'application.read', applicationTarget(app), now))
        visible.push(app);
    }
    return visible;
  }

  /** What an application looks like in an answer (applications.presenter.ts). */
  async present(app: ApplicationRow, at: Date, db: Database | Trx = this.deps.db) {
    return presentApplication(
      app,
      await this.repo.checks(app.id, db),
      this.repo.open(app.id, 'agent_id_number', app.agent_id_number_enc),
      at,
    );
  }

  async submit(given: SubmitInput, ctx: ActContext): Promise<ApplicationRow> {
    const actor = ctx.actor!;
    const input = actor.holder ? await this.online(given) : given;
    const jurisdictionRef = input.jurisdiction ?? actor.jurisdiction;
    if (!jurisdictionRef)
      throw new DomainError('VALIDATION', { summary: 'jurisdiction is required' });
    const jurisdiction = this.deps.jurisdictions.resolve(jurisdictionRef).code;
    const branchId =
      input.branchId ?? (actor.organizationKind === 'branch' ? actor.organizationId : null);
    if (!branchId)
      throw new DomainError('VALIDATION', {
        summary: 'branchId is required: the bank branch that makes and hands over the card',
      });
    const prepared = await this.prepare();
    try {
      return await this.deps.acts.run(ctx, {
        name: 'application.submit',
        resource: 'person',
        // The applicant, locked: two submissions for one person queue here.
        load: (trx) => this.persons.findById(input.personId, trx, true),
        // Access to the person, in the jurisdiction applied to: a counter applies in its own.
        target: (person) => personTarget(person, jurisdiction),
        apply: async ({ trx, now, loaded: person }) => {
          const { app, details } = await this.submitIn(
            trx,
            now,
            person,
            input,
            jurisdiction,
            branchId,
            ctx,
            prepared,
          );
          return {
            result: app,
            details,
            audited: {
              targetType: 'application',
              targetId: app.id,
              jurisdiction: app.jurisdiction,
            },
          };
        },
        present: (app, trx, now) => this.present(app, now, trx),
        status: 201,
      });
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

  /**
   * A holder applies online: through the `online` channel only, for themselves or a family member
   * (no agent: 亲情服务 is recorded as the holder acting), made in a batch (instant production is
   * a counter's), in the applicant's own jurisdiction unless they name another.
   */
  private async online(input: SubmitInput): Promise<SubmitInput> {
    return {
      ...input,
      channel: 'online',
      agent: undefined,
      production: 'batch',
      jurisdiction: input.jurisdiction ?? (await this.persons.jurisdictionOf(input.personId)),
    };
  }

  /**
   * The submission itself, inside an act the caller runs (a key change submits several): gather
   * what the rules need, let the domain decide (pure), write the application, its checks and due
   * date. Answers the application and the facts for its audit record.
   */
  async submitIn(
    trx: Trx,
    now: Date,
    person: Person,
    input: SubmitInput,
    jurisdiction: string,
    branchId: string,
    ctx: ActContext,
    prepared: Prepared,
  ): Promise<{ app: ApplicationRow; details: AuditEntry['details'] }> {
    const { pack } = this.deps.rules.resolve(jurisdiction, now);
    const facts = await this.gatherSubmission(trx, person, input, pack, branchId);
    const decided = decideSubmission(pack, person, facts, input, ctx.actor!, now, prepared);
    const { app, status } = await this.writeSubmission(
      trx,
      now,
      person,
      input,
      facts,
      decided,
      ctx,
      prepared,
    );
    return {
      app,
      details: {
        kind: input.kind,
        channel: decided.channel,
        production: decided.production,
        status,
        feeFen: decided.fee.amountFen,
        personId: person.id,
      },
    };
  }

  /** Many first applications at once, as `submitIn` makes each (a roster chunk; submit-many.ts). */
  submitMany(
    trx: Trx,
    now: Date,
    items: ManyItem[],
    jurisdiction: string,
    branchId: string,
    ctx: ActContext,
    prepared: Prepared,
  ): Promise<ManyResult[]> {
    const x = {
      repo: this.repo,
      cards: this.cards,
      orgs: this.orgs,
      persons: this.persons,
      rules: this.deps.rules,
      production: this.production(),
    };
    return submitMany(x, trx, now, items, jurisdiction, branchId, ctx, prepared);
  }

  /** What the rules need to know about the applicant's cards, business and the card branch. */
  private async gatherSubmission(
    trx: Trx,
    person: Person,
    input: SubmitInput,
    pack: RulePack,
    branchId: string,
  ): Promise<SubmissionFacts> {
    const branch = await cardBranch(this.orgs, trx, branchId, pack);
    const held = await this.cards.listForPerson(person.id, trx);
    const here = held.filter((c) => c.jurisdiction === pack.divisionCode);
    const open = await this.repo.openForPerson(trx, person.id, pack.divisionCode);
    const oldRow = input.oldCardNo ? here.find((c) => c.card_no === input.oldCardNo) : undefined;
    if (input.oldCardNo && !oldRow) throw new DomainError('OLD_CARD_NOT_HOLDERS');
    return { branch, here, open, oldRow };
  }

  /** Writes what was decided: the application, its checks with their due dates, the old card. */
  private async writeSubmission(
    trx: Trx,
    now: Date,
    person: Person,
    input: SubmitInput,
    { branch, oldRow }: SubmissionFacts,
    { decision, fee, channel, production, checks }: SubmissionDecision,
    ctx: ActContext,
    prepared: Prepared,
  ): Promise<{ app: ApplicationRow; status: string }> {
    const actor = ctx.actor!;
    const id = uuidv7();
    await this.repo.insert(
      trx,
      submittedRow(
        this.repo,
        id,
        person,
        input,
        branch,
        { decision, fee, channel, production },
        actor,
        now,
        oldRow,
      ),
    );
    await this.repo.insertChecks(trx, checkRows(id, checks, actor, now));
    if (oldRow) await this.markOldCard(trx, oldRow, id, decision.oldCardEnds, now);
    if (decision.deadline) await this.setDue(trx, id, decision.deadline, now, now, prepared);

    const pending = checks.some((c) => c.pending);
    const app = (await this.repo.find(id, trx))!;
    const status = pending
      ? 'checking'
      : await this.approve(trx, app, person, decision.deadline, now, prepared);
    if (pending) await this.repo.update(trx, id, { status: 'checking' }, now);
    return { app: (await this.repo.find(id, trx))!, status };
  }

  /** A check answer from an agency (SH-10: police, HRSS, medical insurance within 3 working days). */
  async recordCheck(
    id: string,
    input: { agency: string; result: 'pass' | 'fail'; reason?: string | undefined },
    ctx: ActContext,
  ): Promise<ApplicationRow> {
    const agency = (CHECK_ALIASES[input.agency] ?? input.agency) as ProductionCheck;
    const prepared = await this.prepare();
    // Agencies' answers (police, HRSS, medical insurance, population data) are recorded by the
    // centre; a counter records only what it checks itself (FZ-17: an online application's documents).
    const name = AGENCY_CHECKS.includes(agency) ? 'application.check.agency' : 'application.check';
    return this.act(id, ctx, name, async ({ trx, now, app }) => {
      const actor = ctx.actor!;
      requireApplicationStatus(app.status, ['checking'], { zh: '登记核验结果', en: 'checked' });
      const checks = await this.repo.checks(id, trx);
      const check = checks.find((c) => c.agency === agency);
      if (!check) throw new DomainError('CHECK_NOT_REQUIRED', { agency: input.agency });
      if (check.result !== 'pending') throw new DomainError('CHECK_ALREADY_RECORDED');
      const pack = this.packOf(app, now);
      if (input.result === 'fail' && !input.reason)
        throw new DomainError('CHECK_REASON_REQUIRED', {}, rejectionCitation(pack));
      await this.repo.updateCheck(trx, id, agency, {
        result: input.result,
        reason: input.reason ?? null,
        recorded_at: now,
        recorded_by: actor.staffId,
      });
      const next = afterCheck(
        checks.map((c) => ({
          check: c.agency as ProductionCheck,
          result: c.agency === agency ? input.result : c.result,
        })),
      );
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
      return { agency, result: input.result, status };
    });
  }

  async withdraw(id: string, ctx: ActContext): Promise<ApplicationRow> {
    return this.act(id, ctx, 'application.withdraw', async ({ trx, now, app }) => {
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
      return {};
    });
  }

  /** 即时制卡: the counter makes the card on the spot; it is in stock at once. */
  async produce(id: string, ctx: ActContext): Promise<ApplicationRow> {
    return this.act(id, ctx, 'application.produce', async ({ trx, now, app }) => {
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
      const person = (await this.persons.findById(app.person_id, trx))!;
      const cardNo = await makeCard(this.production(), trx, app, person, now, true);
      await this.repo.update(
        trx,
        id,
        { status: 'in_stock', card_no: cardNo, produced_at: now, stocked_at: now },
        now,
      );
      return { cardNo, late: app.due_at !== null && now > app.due_at };
    });
  }

  /** 入库: the card made in a batch arrived at the branch. */
  async stock(id: string, ctx: ActContext): Promise<ApplicationRow> {
    return this.act(id, ctx, 'application.stock', async ({ trx, now, app }) =>
      this.stockIn(trx, app, now),
    );
  }

  /**
   * 入库 inside an act's transaction: the card made in a batch is in stock at its branch (the
   * stock act above, and each made card of a vendor's return file, FZ-20(三)).
   */
  async stockIn(trx: Trx, app: ApplicationRow, now: Date): Promise<AuditEntry['details']> {
    requireApplicationStatus(app.status, ['in_production'], { zh: '入库', en: 'stocked' });
    await this.cards.update(
      trx,
      app.card_no!,
      { status: 'in_stock', produced_at: now, stocked_at: now },
      now,
    );
    await this.repo.update(
      trx,
      app.id,
      { status: 'in_stock', produced_at: now, stocked_at: now },
      now,
    );
    return { cardNo: app.card_no, late: app.due_at !== null && now > app.due_at };
  }

  /** FZ-23: the applicant was told that the card will be late (延期发放，及时通知申领人). */
  async recordDelayNotice(id: string, ctx: ActContext): Promise<ApplicationRow> {
    return this.act(id, ctx, 'application.delay_notice', async ({ trx, now, app }) => {
      requireApplicationStatus(app.status, OPEN_STATUSES_BEFORE_ISSUE, {
        zh: '登记延期通知',
        en: 'given a delay notice',
      });
      await this.repo.update(trx, id, { delay_notice_at: now }, now);
      return { late: app.due_at !== null && now > app.due_at };
    });
  }

  /**
   * One act on one application, through the act step: locked, access decided from the actor's
   * relationship to it, changed, audited; the answer is the application as it now stands.
   */
  private act(
    id: string,
    ctx: ActContext,
    name:
      | 'application.check'
      | 'application.check.agency'
      | 'application.withdraw'
      | 'application.produce'
      | 'application.stock'
      | 'application.delay_notice',
    fn: (s: { trx: Trx; now: Date; app: ApplicationRow }) => Promise<AuditEntry['details']>,
  ): Promise<ApplicationRow> {
    const act: Act<ApplicationRow, ApplicationRow> = {
      name,
      ...(name === 'application.check.agency' ? { action: 'application.check' } : {}),
      resource: 'application',
      load: (trx) => this.repo.find(id, trx, true),
      target: applicationTarget,
      apply: async ({ trx, now, loaded }) => {
        const details = await fn({ trx, now, app: loaded });
        return { result: (await this.repo.find(id, trx))!, details };
      },
      present: (app, trx, now) => this.present(app, now, trx),
    };
    return this.deps.acts.run(ctx, act);
  }

  // ---- inside the transaction --------------------------------------------------------

  private production() {
    return {
      cards: this.cards,
      bank: this.bank,
      orgCode: async (orgId: string, trx: Trx) =>
        (await this.orgs.findById(orgId, trx))?.code ?? orgId,
      opensByFile: async (bankId: string, trx: Trx) =>
        (await this.orgs.findById(bankId, trx))?.account_opening === 'file',
    };
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

/** What a submission's decision reads (gathered in its transaction). */
export interface SubmissionFacts {
  branch: OrganizationRow;
  /** The applicant's cards in the jurisdiction. */
  here: CardRow[];
  open: ApplicationRow[];
  oldRow: CardRow | undefined;
}

export interface SubmissionDecision {
  decision: ReturnType<typeof checkSubmission> & { packVersion: string };
  fee: ReturnType<typeof computeFee>;
  channel: ApplicationChannel;
  production: 'instant' | 'batch';
  checks: { check: ProductionCheck; pending: boolean; dueAt: Date | null }[];
}

/**
 * The submission's decision, pure: whether the pack allows it (who, where, what the old card
 * needs, which checks), what it costs, and when each check is due (FZ-17: an online application
 * is answered within 2 working days; agencies have SH-10's 3).
 */
export function decideSubmission(
  pack: RulePack,
  person: Person,
  { branch, here, open, oldRow }: SubmissionFacts,
  input: SubmitInput,
  actor: Parameters<typeof placeOfActor>[0],
  now: Date,
  prepared: Prepared,
): SubmissionDecision {
  const today = shanghaiDate(now);
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
        (c) => c.kind === 'temporary' && ['in_production', 'in_stock', 'issued'].includes(c.status),
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
      // Where it is taken: this counter (a branch, a community outlet, a service window).
      place: input.place ?? placeOfActor(actor, 'counter'),
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
    isFirstCard: here.filter((c) => c.kind === 'regular').length === 0,
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
  const online = channel !== 'counter' && channel !== 'agent' && channel !== 'unit';
  const dueOf = (check: ProductionCheck) => {
    const limit =
      online && COUNTER_CHECKS.includes(check)
        ? (pack.checks.onlineRejectionDeadline.value ?? pack.checks.deadline.value)
        : pack.checks.deadline.value;
    return limit ? dueAfter(now, limit, prepared.calendar).due : null;
  };
  const checks = decision.checks.map(({ check, start }) => ({
    check,
    pending: start === 'pending',
    dueAt: start === 'pending' ? dueOf(check) : null,
  }));
  return {
    decision: { ...decision, packVersion: pack.version },
    fee,
    channel,
    production,
    checks,
  };
}

/** What access needs to know about an application: jurisdiction, bank, branch, taker, applicant. */
export function applicationTarget(app: ApplicationRow): Target {
  return {
    type: 'application',
    id: app.id,
    jurisdiction: app.jurisdiction,
    bankId: app.bank_id,
    branchId: app.branch_id,
    acceptedBy: app.accepted_by,
    personId: app.person_id,
  };
}

function stateOf(row: CardRow | undefined, pack: RulePack) {
  return row ? toCardState(row, pack.code) : null;
}

export { citationOf };

/** The application's row as submitted (status `submitted`), personal fields sealed. */
export function submittedRow(
  repo: Pick<ApplicationsRepository, 'seal'>,
  id: string,
  person: Person,
  input: SubmitInput,
  branch: OrganizationRow,
  { decision, fee, channel, production }: Omit<SubmissionDecision, 'checks'>,
  actor: Actor,
  now: Date,
  oldRow: CardRow | undefined,
): Insertable<ApplicationsTable> {
  return {
    id,
    person_id: person.id,
    jurisdiction: branch.jurisdiction,
    pack_version: decision.packVersion,
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
      ? repo.seal(id, 'delivery_address', input.deliveryAddress)
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
      ? repo.seal(id, 'agent_id_number', input.agent.idNumber)
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
  };
}

/** The application's checks as submitted: pending ones with their due dates, the rest passed. */
export function checkRows(
  id: string,
  checks: SubmissionDecision['checks'],
  actor: Actor,
  now: Date,
): Selectable<ApplicationChecksTable>[] {
  return checks.map((c) => ({
    application_id: id,
    agency: c.check,
    result: c.pending ? 'pending' : 'pass',
    reason: null,
    due_at: c.dueAt,
    recorded_at: c.pending ? null : now,
    recorded_by: c.pending ? null : actor.staffId,
  }));
}

/** The branch that will hand the card out: an active branch of the pack's division. */
export async function cardBranch(
  orgs: OrganizationsRepository,
  trx: Trx,
  branchId: string,
  pack: RulePack,
): Promise<OrganizationRow> {
  const branch = await orgs.findById(branchId, trx);
  if (
    !branch ||
    branch.kind !== 'branch' ||
    branch.jurisdiction !== pack.divisionCode ||
    branch.status !== 'active'
  )
    throw new DomainError('NOT_FOUND', { resource: 'branch' });
  return branch;
}
