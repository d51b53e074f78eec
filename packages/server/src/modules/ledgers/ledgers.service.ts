/**
 * Ledgers and registers (FZ-27, ZS-17, FZ-36, HN-25; docs/LEDGERS.md). Reading a ledger is an act
 * (it opens SSNs and bank accounts of many people, so it is audited: who read which ledger), as is
 * filing one (FZ-27: the monthly ledger is due the working day before month end; a late filing
 * raises an alert) and recording a destruction (who, when, before which witness, which batch).
 */
import { createHash } from 'node:crypto';
import {
  BANK_MONTHLY_FIELDS,
  BRANCH_DAILY_FIELDS,
  DomainError,
  LEDGER_FIELD_LABELS,
  actorCan,
  addDays,
  destroy as destroyDecision,
  destructionCardNumbers,
  endOfShanghaiDay,
  filedLate,
  firstDayOfMonth,
  jurisdictionPrefix,
  lastDayOfMonth,
  ledgerOverdue,
  monthlyLedgerDue,
  parseLedgerDay,
  parseLedgerMonth,
  shanghaiDate,
  startOfShanghaiDay,
  type DataScope,
  type DestructionCategory,
  type LedgerField,
  type LedgerKind,
  type RulePack,
} from '@sscard/domain';
import type { Actor, ActContext } from '../../context.js';
import { uuidv7 } from '../../crypto/tokens.js';
import type { Deps } from '../../deps.js';
import { toCsv } from '../../files/csv.js';
import type { OrganizationRow } from '../organizations/organizations.repository.js';
import { organizationTarget } from '../organizations/organizations.service.js';
import { cardTarget } from '../cards/cards.service.js';
import { toCardState } from '../cards/cards.repository.js';
import {
  ledgerCells,
  presentDestruction,
  presentFiling,
  type Inventory,
  type Ledger,
} from './ledgers.presenter.js';
import type {
  DestructionRow,
  FilingRow,
  InventoryScope,
  LedgersRepository,
} from './ledgers.repository.js';

const COUNTER_KINDS = ['branch', 'community_outlet', 'service_window'];

export interface DestructionInput {
  organizationId: string;
  category: DestructionCategory;
  cardNos: string[];
  batch?: string | null | undefined;
  witness: string;
  /** When the cards were destroyed (no later than now); now when absent. */
  destroyedAt?: string | undefined;
  note?: string | null | undefined;
}

/** What the monthly filing page shows per bank: due, filed, late, overdue (computed on read). */
export interface MonthlyFilingStatus {
  month: string;
  dueOn: string | null;
  rule: string | null;
  banks: {
    bankId: string;
    bankName: string;
    filing: ReturnType<typeof presentFiling> | null;
    late: boolean;
    overdue: boolean;
  }[];
}

export class LedgersService {
  readonly repo: LedgersRepository;

  constructor(private readonly deps: Deps) {
    this.repo = deps.repos.ledgers;
  }

  private pack(jurisdiction: string, at: Date): RulePack {
    return this.deps.rules.resolve(jurisdiction, at).pack;
  }

  private fullView(actor: Actor | null): boolean {
    if (!actor) return true;
    return actorCan({ role: actor.role, permissions: actor.permissions }, 'person.read_full');
  }

  /** The fields of a ledger: the pack's list where it has one, else FZ-27's (the only text listing them). */
  private fields(
    pack: RulePack,
    kind: LedgerKind,
  ): { fields: readonly LedgerField[]; rule: string } {
    const param = kind === 'branch_daily' ? pack.ledgers.branchDaily : pack.ledgers.bankMonthly;
    const all: readonly LedgerField[] =
      kind === 'branch_daily' ? BRANCH_DAILY_FIELDS : BANK_MONTHLY_FIELDS;
    const listed = param.value?.fields.filter((f): f is LedgerField =>
      (all as readonly string[]).includes(f),
    );
    return {
      fields: listed && listed.length > 0 ? listed : all,
      rule: param.value ? param.source.rule : 'FZ-27',
    };
  }

  /** The monthly ledger's due day under the bank's pack, where the pack sets one. */
  private async monthlyDue(pack: RulePack, month: string): Promise<string | null> {
    if (pack.ledgers.bankMonthly.value?.due !== 'working_day_before_month_end') return null;
    return monthlyLedgerDue(month, await this.deps.calendar.calendar()).dueOn;
  }

  private requireKind(org: OrganizationRow, kind: LedgerKind): void {
    const ok = kind === 'branch_daily' ? COUNTER_KINDS.includes(org.kind) : org.kind === 'bank';
    if (!ok)
      throw new DomainError('LEDGER_ORGANIZATION_KIND', {
        ledger: kind === 'branch_daily' ? '每日台账' : '每月台账',
        ledgerEn: kind === 'branch_daily' ? 'daily ledger' : 'monthly ledger',
        kind: kind === 'branch_daily' ? '网点' : '合作银行',
        kindEn: kind === 'branch_daily' ? 'outlet' : 'bank',
      });
  }

  /** Computes a ledger (no access check: callers run it inside an act). */
  private async compute(
    trx: Parameters<LedgersRepository['branchDaily']>[2],
    org: OrganizationRow,
    kind: LedgerKind,
    period: string,
    now: Date,
    full: boolean,
  ): Promise<Ledger> {
    const today = shanghaiDate(now);
    const pack = this.pack(org.jurisdiction, now);
    this.requireKind(org, kind);
    const { fields, rule } = this.fields(pack, kind);
    if (kind === 'branch_daily') {
      const day = parseLedgerDay(period, today);
      const cards = await this.repo.branchDaily(org.id, endOfShanghaiDay(day), trx);
      return {
        kind,
        organizationId: org.id,
        organizationName: org.name,
        period: day,
        fields,
        cards,
        dueOn: null,
        rule,
        full,
      };
    }
    const month = parseLedgerMonth(period, today);
    const start = startOfShanghaiDay(firstDayOfMonth(month));
    const end = endOfShanghaiDay(lastDayOfMonth(month));
    const cards = await this.repo.bankMonthly(org.id, start, end, trx);
    return {
      kind,
      organizationId: org.id,
      organizationName: org.name,
      period: month,
      fields,
      cards,
      dueOn: await this.monthlyDue(pack, month),
      rule,
      full,
    };
  }

  /** A ledger, read as an act (audited: it opens many SSNs and accounts). */
  read(ctx: ActContext, kind: LedgerKind, organizationId: string, period: string): Promise<Ledger> {
    const full = this.fullView(ctx.actor);
    return this.deps.acts.run<OrganizationRow, Ledger>(ctx, {
      name: 'ledger.read',
      action: kind === 'branch_daily' ? 'ledger.branch_daily.read' : 'ledger.bank_monthly.read',
      resource: 'organization',
      load: (trx) => this.deps.repos.organizations.findById(organizationId, trx),
      target: (org) => organizationTarget(org),
      apply: async ({ trx, now, loaded: org }) => {
        const ledger = await this.compute(trx, org, kind, period, now, full);
        return {
          result: ledger,
          details: { kind, period: ledger.period, rows: ledger.cards.length, masked: !full },
        };
      },
      present: (l) => ({ kind: l.kind, period: l.period, rows: l.cards.length }),
    });
  }

  /** The ledger as CSV (UTF-8 with BOM, formulas neutralised by csv.ts). */
  csv(l: Ledger): string {
    return toCsv(
      l.fields.map((f) => LEDGER_FIELD_LABELS[f].zh),
      l.cards.map((c) => ledgerCells(c, l.fields, l.full)),
    );
  }

  /**
   * FZ-27: a ledger handed in. The ledger is computed as it stands, in full, and its CSV's SHA-256
   * kept with who filed it and when; a monthly ledger filed after its due day is late and raises
   * an alert for the centre.
   */
  file(
    ctx: ActContext,
    input: { kind: LedgerKind; organizationId: string; period: string },
  ): Promise<FilingRow> {
    const id = uuidv7();
    return this.deps.acts.run<OrganizationRow, FilingRow>(ctx, {
      name: 'ledger.file',
      action: `ledger.${input.kind}.file`,
      resource: 'organization',
      load: (trx) => this.deps.repos.organizations.findById(input.organizationId, trx),
      target: (org) => organizationTarget(org),
      apply: async ({ trx, now, loaded: org }) => {
        const ledger = await this.compute(trx, org, input.kind, input.period, now, true);
        const sha256 = createHash('sha256').update(this.csv(ledger)).digest('hex');
        const late = filedLate(ledger.dueOn, shanghaiDate(now));
        await this.repo.insertFiling(trx, {
          id,
          kind: input.kind,
          organization_id: org.id,
          jurisdiction: org.jurisdiction,
          period: ledger.period,
          due_on: ledger.dueOn,
          late,
          row_count: ledger.cards.length,
          sha256,
          filed_by: ctx.actor?.staffId ?? null,
          filed_by_name: ctx.actor?.username ?? 'system',
          filed_at: now,
        });
        if (late)
          await this.deps.repos.alerts.raise(
            trx,
            {
              kind: 'ledger.filed_late',
              severity: 'warning',
              key: `${org.id}:${input.kind}:${ledger.period}`,
              jurisdiction: org.jurisdiction,
              details: {
                organizationId: org.id,
                kind: input.kind,
                period: ledger.period,
                dueOn: ledger.dueOn,
                rule: ledger.rule,
              },
            },
            now,
          );
        return {
          result: (await this.repo.findFiling(id, trx))!,
          details: { kind: input.kind, period: ledger.period, rows: ledger.cards.length, late },
          audited: { targetType: 'ledger_filing', targetId: id, jurisdiction: org.jurisdiction },
        };
      },
      present: presentFiling,
      status: 201,
    });
  }

  /** Each bank in scope for a month: its filing, whether late, whether overdue unfiled (on read). */
  async monthlyStatus(scope: DataScope, month: string): Promise<MonthlyFilingStatus> {
    const now = this.deps.clock.now();
    const today = shanghaiDate(now);
    parseLedgerMonth(month, addDays(today, 31));
    const banks = await this.repo.banksInScope(scope);
    const filings = await this.repo.filings(scope, { kind: 'bank_monthly', period: month });
    let dueOn: string | null = null;
    let rule: string | null = null;
    const out: MonthlyFilingStatus['banks'] = [];
    for (const b of banks) {
      const pack = this.pack(b.jurisdiction, now);
      const due = await this.monthlyDue(pack, month);
      if (due) {
        dueOn = due;
        rule = pack.ledgers.bankMonthly.source.rule;
      }
      // the first filing counts for lateness; a later one is a correction
      const mine = filings.filter((f) => f.organization_id === b.id);
      const first = mine.at(-1) ?? null;
      out.push({
        bankId: b.id,
        bankName: b.name,
        filing: first ? presentFiling(first) : null,
        late: first?.late ?? false,
        overdue: ledgerOverdue(due, first !== null, today),
      });
    }
    return { month, dueOn, rule, banks: out };
  }

  filings(scope: DataScope, f: { kind?: LedgerKind; period?: string; organizationId?: string }) {
    return this.repo.filings(scope, f);
  }

  /** ZS-17's inventory ledger of unissued cards, for a branch, a bank's branches or a centre. */
  inventory(ctx: ActContext, organizationId: string, from: string, to: string): Promise<Inventory> {
    return this.deps.acts.run<OrganizationRow, Inventory>(ctx, {
      name: 'ledger.read',
      action: 'ledger.inventory.read',
      resource: 'organization',
      load: (trx) => this.deps.repos.organizations.findById(organizationId, trx),
      target: (org) => organizationTarget(org),
      apply: async ({ trx, now, loaded: org }) => {
        const today = shanghaiDate(now);
        const first = parseLedgerDay(from, today);
        const last = parseLedgerDay(to, today);
        if (first > last)
          throw new DomainError('LEDGER_PERIOD_INVALID', {
            expected: '起止日期（起 ≤ 止）',
            expectedEn: 'a from date no later than the to date',
          });
        const scope: InventoryScope =
          org.kind === 'bank'
            ? { kind: 'bank', id: org.id }
            : org.kind === 'centre'
              ? { kind: 'jurisdiction', prefix: jurisdictionPrefix(org.jurisdiction) }
              : { kind: 'branch', id: org.id };
        const start = startOfShanghaiDay(first);
        const end = endOfShanghaiDay(last);
        const summary = await this.repo.inventorySummary(scope, start, end, trx);
        const movements = await this.repo.inventoryMovements(scope, start, end, trx);
        const pack = this.pack(org.jurisdiction, now);
        return {
          result: {
            scopeName: org.name,
            from: first,
            to: last,
            summary,
            movements,
            rule: pack.ledgers.unissuedInventory.value
              ? pack.ledgers.unissuedInventory.source.rule
              : null,
          },
          details: { from: first, to: last, branches: summary.length, movements: movements.length },
        };
      },
      present: (i) => ({ from: i.from, to: i.to, branches: i.summary.length }),
    });
  }

  /**
   * FZ-36 / HN-25: cards destroyed, entered in the register: who (the account), when, before which
   * witness, which batch. A number that is a card of the platform must be one the actor's
   * organisation may destroy (`card.destroy`: its bank or the centre) and one the pack lets be
   * destroyed; it then ends as destroyed. Any other number is a waste card (a vendor's spoiled
   * blank) recorded by number. A number is entered once.
   */
  recordDestruction(ctx: ActContext, input: DestructionInput): Promise<DestructionRow> {
    const id = uuidv7();
    const cardNos = destructionCardNumbers(input.cardNos);
    return this.deps.acts.run<OrganizationRow, DestructionRow>(ctx, {
      name: 'destruction.record',
      resource: 'organization',
      load: (trx) => this.deps.repos.organizations.findById(input.organizationId, trx),
      target: (org) => organizationTarget(org),
      apply: async ({ trx, now, loaded: org }) => {
        const destroyedAt = input.destroyedAt ? new Date(input.destroyedAt) : now;
        if (Number.isNaN(destroyedAt.getTime()) || destroyedAt > now)
          throw new DomainError('VALIDATION', {
            summary: 'destroyedAt must be a date-time no later than now',
          });
        const already = await this.repo.recordedCards(cardNos, trx);
        if (already.length > 0)
          throw new DomainError('DESTRUCTION_CARD_RECORDED', { cardNo: already[0]! });
        const cards: { card_no: string; known: boolean }[] = [];
        for (const cardNo of cardNos) {
          const row = await this.deps.repos.cards.find(cardNo, trx, true);
          if (!row) {
            cards.push({ card_no: cardNo, known: false });
            continue;
          }
          await this.deps.access.require(
            trx,
            ctx.actor,
            'card.destroy',
            cardTarget(row, await this.deps.repos.cards.acceptedBy(row.application_id, trx)),
            now,
          );
          if (row.status !== 'destroyed') {
            const pack = this.pack(row.jurisdiction, now);
            destroyDecision(toCardState(row, pack.code), pack, row.returned_at);
            await this.deps.repos.cards.update(
              trx,
              cardNo,
              { status: 'destroyed', destroyed_at: destroyedAt },
              now,
            );
          }
          cards.push({ card_no: cardNo, known: true });
        }
        await this.repo.insertDestruction(
          trx,
          {
            id,
            jurisdiction: org.jurisdiction,
            organization_id: org.id,
            category: input.category,
            batch: input.batch ?? null,
            witness: input.witness,
            destroyed_at: destroyedAt,
            recorded_by: ctx.actor?.staffId ?? null,
            recorded_by_name: ctx.actor?.username ?? 'system',
            recorded_at: now,
            note: input.note ?? null,
            card_count: cards.length,
          },
          cards,
        );
        return {
          result: (await this.repo.findDestruction(id, trx))!,
          details: {
            category: input.category,
            cards: cards.length,
            known: cards.filter((c) => c.known).length,
            batch: input.batch ?? null,
          },
          audited: { targetType: 'destruction', targetId: id, jurisdiction: org.jurisdiction },
        };
      },
      present: presentDestruction,
      status: 201,
    });
  }

  destructions(scope: DataScope, f: { organizationId?: string; from?: Date; to?: Date }) {
    return this.repo.destructions(scope, f);
  }
}
