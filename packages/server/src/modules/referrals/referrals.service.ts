/**
 * Referrals from the 12333 / 12345 hotlines (FZ-46 转办制度; HN-38; SG-23): recorded by the centre,
 * assigned to a bank or an outlet, answered there before the pack's term in working days,
 * escalated by the daily job `referrals.escalate` when overdue, and the answer reported back.
 * Each step is an act; who may do it is the access table's `referral.*` rows.
 */
import {
  DomainError,
  actorCan,
  answeredLate,
  jurisdictionPrefix,
  referralDueOn,
  referralTerm,
  referralTransition,
  requireAssignable,
  shanghaiDate,
  shouldEscalate,
  startOfShanghaiDay,
  type DataScope,
  type ReferralHotline,
  type ReferralKind,
  type ReferralStatus,
} from '@sscard/domain';
import type { Target } from '../../acts/access.js';
import type { Applied } from '../../acts/act-step.js';
import type { Actor, ActContext } from '../../context.js';
import { uuidv7 } from '../../crypto/tokens.js';
import { isUniqueViolation, type Deps } from '../../deps.js';
import type { Trx } from '../../db/transact.js';
import { presentReferral } from './referrals.presenter.js';
import type { ReferralColumns, ReferralRow, ReferralsRepository } from './referrals.repository.js';

export interface NewReferral {
  hotline: ReferralHotline;
  ticketNo: string;
  kind: ReferralKind;
  summary: string;
  caller?: { name?: string | null; phone?: string | null } | null | undefined;
}

export function referralTarget(r: ReferralRow): Target {
  return {
    type: 'referral',
    id: r.id,
    jurisdiction: r.jurisdiction,
    ...(r.assigned_to
      ? {
          bankId: r.assigned_bank_id,
          organization: {
            id: r.assigned_to,
            bankId: r.assigned_bank_id,
            jurisdiction: r.assigned_jurisdiction ?? r.jurisdiction,
          },
        }
      : {}),
  };
}

export class ReferralsService {
  readonly repo: ReferralsRepository;

  constructor(private readonly deps: Deps) {
    this.repo = deps.repos.referrals;
  }

  private full(actor: Actor | null): boolean {
    return (
      !actor || actorCan({ role: actor.role, permissions: actor.permissions }, 'person.read_full')
    );
  }

  private dueRule(jurisdiction: string): string {
    return referralTerm(this.deps.rules.resolve(jurisdiction, this.deps.clock.now()).pack).citation
      .rule;
  }

  present(r: ReferralRow, actor: Actor | null) {
    return presentReferral(
      r,
      this.deps.clock.now(),
      this.full(actor),
      this.dueRule(r.jurisdiction),
    );
  }

  list(
    scope: DataScope,
    f: { status?: ReferralStatus | undefined; overdue?: boolean | undefined },
    paging: { limit: number; offset: number },
  ) {
    return this.repo.list(
      scope,
      {
        status: f.status,
        overdueOn: f.overdue ? shanghaiDate(this.deps.clock.now()) : undefined,
      },
      paging,
    );
  }

  async get(ctx: ActContext, id: string): Promise<ReferralRow> {
    const r = await this.repo.findById(id);
    if (!r) throw new DomainError('NOT_FOUND', { resource: 'referral' });
    await this.deps.access.require(
      this.deps.db,
      ctx.actor,
      'referral.read',
      referralTarget(r),
      this.deps.clock.now(),
    );
    return r;
  }

  /** FZ-46: the centre records what a hotline referred; the ticket is recorded once. */
  record(ctx: ActContext, input: NewReferral): Promise<ReferralRow> {
    const id = uuidv7();
    const orgId = ctx.actor?.organizationId ?? null;
    return this.deps.acts.run<{ jurisdiction: string }, ReferralRow>(ctx, {
      name: 'referral.record',
      resource: 'organization',
      load: async (trx) => {
        if (!orgId) return undefined;
        const org = await this.deps.repos.organizations.findById(orgId, trx);
        return org && { jurisdiction: org.jurisdiction };
      },
      target: ({ jurisdiction }) => ({ type: 'referral', id: null, jurisdiction }),
      apply: async ({ trx, now, loaded: { jurisdiction } }) => {
        const duplicate = () =>
          new DomainError('REFERRAL_DUPLICATE', {
            hotline: input.hotline,
            ticketNo: input.ticketNo,
          });
        if (await this.repo.findByTicket(input.hotline, input.ticketNo, trx)) throw duplicate();
        try {
          await this.repo.insert(trx, {
            id,
            jurisdiction,
            hotline: input.hotline,
            ticket_no: input.ticketNo,
            kind: input.kind,
            summary: input.summary,
            caller_enc: this.repo.sealCaller(id, input.caller ?? null),
            status: 'recorded',
            assigned_to: null,
            assigned_bank_id: null,
            assigned_at: null,
            due_on: null,
            answer: null,
            answered_by: null,
            answered_at: null,
            answered_late: null,
            report: null,
            reported_at: null,
            escalated_at: null,
            recorded_by: ctx.actor?.staffId ?? null,
            recorded_at: now,
            updated_at: now,
          });
        } catch (e) {
          if (isUniqueViolation(e)) throw duplicate();
          throw e;
        }
        return {
          result: (await this.repo.findById(id, trx))!,
          details: { referralId: id, hotline: input.hotline, kind: input.kind },
          audited: { targetType: 'referral', targetId: id, jurisdiction },
        };
      },
      present: (r) => this.present(r, ctx.actor),
      status: 201,
    });
  }

  /** Assigned (or reassigned, until answered) to a bank or an outlet of the jurisdiction. */
  async assign(ctx: ActContext, id: string, organizationId: string): Promise<ReferralRow> {
    const calendar = await this.deps.calendar.calendar();
    return this.referralAct(ctx, id, 'referral.assign', async (trx, now, r) => {
      const status = referralTransition(r.status, 'assign');
      const org = await this.deps.repos.organizations.findById(organizationId, trx);
      if (!org || !org.jurisdiction.startsWith(jurisdictionPrefix(r.jurisdiction)))
        throw new DomainError('NOT_FOUND', { resource: 'organization' });
      requireAssignable(org.kind);
      const pack = this.deps.rules.resolve(r.jurisdiction, now).pack;
      const term = referralTerm(pack);
      const dueOn = referralDueOn(now, term, calendar);
      return {
        columns: {
          status,
          assigned_to: org.id,
          assigned_bank_id: org.bank_id,
          assigned_at: now,
          due_on: dueOn,
        },
        details: {
          to: org.id,
          dueOn,
          rule: term.citation.rule,
          reassigned: r.status === 'assigned',
        },
      };
    });
  }

  /** The bank or outlet answers (FZ-46: 调查处理 … 办结); late when after the due day. */
  answer(ctx: ActContext, id: string, answer: string): Promise<ReferralRow> {
    return this.referralAct(ctx, id, 'referral.answer', async (_trx, now, r) => {
      const status = referralTransition(r.status, 'answer');
      const late = answeredLate(r.due_on, now);
      return {
        columns: {
          status,
          answer,
          answered_by: ctx.actor?.staffId ?? null,
          answered_at: now,
          answered_late: late,
        },
        details: { late, dueOn: r.due_on },
      };
    });
  }

  /** The centre reports the answer back to the hotline (反馈). */
  report(ctx: ActContext, id: string, report: string): Promise<ReferralRow> {
    return this.referralAct(ctx, id, 'referral.report', async (_trx, now, r) => ({
      columns: { status: referralTransition(r.status, 'report'), report, reported_at: now },
      details: { answeredLate: r.answered_late },
    }));
  }

  /**
   * The daily job: each referral assigned, unanswered and past its due day is escalated once a
   * day: marked, counted, and raised as an alert for the centre.
   */
  async escalate(ctx: ActContext): Promise<{ escalated: number }> {
    const now = this.deps.clock.now();
    const today = shanghaiDate(now);
    const ids = await this.repo.toEscalate(today, startOfShanghaiDay(today));
    let escalated = 0;
    for (const id of ids) {
      const done = await this.deps.acts.run<ReferralRow, boolean>(ctx, {
        name: 'referral.escalate',
        resource: 'referral',
        load: (trx) => this.repo.findById(id, trx, true),
        target: referralTarget,
        apply: async ({ trx, now: at, loaded: r }): Promise<Applied<boolean>> => {
          const due = shouldEscalate(
            { status: r.status, dueOn: r.due_on, escalatedAt: r.escalated_at },
            shanghaiDate(at),
          );
          if (!due) return { result: false, details: { skipped: true } };
          await this.repo.update(trx, id, { escalated_at: at, escalations: r.escalations + 1 }, at);
          await this.deps.repos.alerts.raise(
            trx,
            {
              kind: 'referral.overdue',
              severity: 'warning',
              key: id,
              jurisdiction: r.jurisdiction,
              details: {
                referralId: id,
                hotline: r.hotline,
                ticketNo: r.ticket_no,
                assignedTo: r.assigned_to,
                dueOn: r.due_on,
              },
            },
            at,
          );
          return {
            result: true,
            details: { dueOn: r.due_on, escalations: r.escalations + 1 },
          };
        },
      });
      if (done) escalated += 1;
    }
    return { escalated };
  }

  private referralAct(
    ctx: ActContext,
    id: string,
    name: 'referral.assign' | 'referral.answer' | 'referral.report',
    fn: (
      trx: Trx,
      now: Date,
      r: ReferralRow,
    ) => Promise<{ columns: ReferralColumns; details: Record<string, unknown> }>,
  ): Promise<ReferralRow> {
    return this.deps.acts.run<ReferralRow, ReferralRow>(ctx, {
      name,
      resource: 'referral',
      load: (trx) => this.repo.findById(id, trx, true),
      target: referralTarget,
      apply: async ({ trx, now, loaded }) => {
        const { columns, details } = await fn(trx, now, loaded);
        await this.repo.update(trx, id, columns, now);
        return {
          result: (await this.repo.findById(id, trx))!,
          details: details as never,
        };
      },
      present: (r) => this.present(r, ctx.actor),
    });
  }
}
