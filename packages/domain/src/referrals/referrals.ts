/**
 * Referrals from the hotlines (转办, FZ-46; HN-38's 12333; SG-23's reports): a complaint or an
 * enquiry taken by 12333 or 12345 is recorded by the centre, assigned to a bank or an outlet,
 * answered there before a deadline in working days (the pack's service.referralAnswerWithin),
 * escalated when overdue, and the answer reported back to the hotline. Pure: the server supplies
 * the referral, the pack's term, the calendar and the clock's day.
 */
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import { computeDue } from '../calendar/due.js';
import { DomainError } from '../errors/domain-error.js';
import { citationOf } from '../rules/registry.js';
import type { RulePack } from '../rules/schema.js';
import { shanghaiDate, startOfShanghaiDay, type LocalDate } from '../time/local-date.js';
import type { Citation } from '../errors/domain-error.js';

export const REFERRAL_HOTLINES = ['12333', '12345'] as const;
export type ReferralHotline = (typeof REFERRAL_HOTLINES)[number];
export const REFERRAL_KINDS = ['complaint', 'enquiry'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];
export const REFERRAL_STATUSES = ['recorded', 'assigned', 'answered', 'reported'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, { zh: string; en: string }> = {
  recorded: { zh: '已登记，待转办', en: 'recorded, not yet assigned' },
  assigned: { zh: '已转办，待办结', en: 'assigned, awaiting an answer' },
  answered: { zh: '已办结，待反馈', en: 'answered, not yet reported back' },
  reported: { zh: '已反馈', en: 'reported back' },
};

export const REFERRAL_KIND_LABELS: Record<ReferralKind, { zh: string; en: string }> = {
  complaint: { zh: '投诉', en: 'Complaint' },
  enquiry: { zh: '咨询', en: 'Enquiry' },
};

export type ReferralAct = 'assign' | 'answer' | 'report';
const ACT_LABELS: Record<ReferralAct, { zh: string; en: string }> = {
  assign: { zh: '转办', en: 'assigned' },
  answer: { zh: '办结', en: 'answered' },
  report: { zh: '反馈', en: 'reported back' },
};

/** From which states each act may be done: reassigning is allowed until it is answered. */
const FROM: Record<ReferralAct, readonly ReferralStatus[]> = {
  assign: ['recorded', 'assigned'],
  answer: ['assigned'],
  report: ['answered'],
};
const TO: Record<ReferralAct, ReferralStatus> = {
  assign: 'assigned',
  answer: 'answered',
  report: 'reported',
};

/** The state after `act`, or a refusal naming the state it is in. */
export function referralTransition(status: ReferralStatus, act: ReferralAct): ReferralStatus {
  if (!FROM[act].includes(status))
    throw new DomainError('REFERRAL_STATE', {
      status: REFERRAL_STATUS_LABELS[status].zh,
      statusEn: REFERRAL_STATUS_LABELS[status].en,
      act: ACT_LABELS[act].zh,
      actEn: ACT_LABELS[act].en,
    });
  return TO[act];
}

export interface ReferralTerm {
  within: { amount: number; unit: 'minutes' | 'days' | 'working_days' | 'months' | 'years' };
  citation: Citation;
}

/** The pack's term for answering a referral (FZ-46 规定时限; a platform default where silent). */
export function referralTerm(pack: RulePack): ReferralTerm {
  const param = pack.service.referralAnswerWithin;
  return { within: param.value, citation: citationOf(param.source) };
}

/** The day by which an answer is due, counted from the day the referral is assigned. */
export function referralDueOn(
  assignedAt: Date,
  term: ReferralTerm,
  calendar: WorkingDayCalendar,
): LocalDate {
  const { amount, unit } = term.within;
  if (unit === 'months' || unit === 'years') {
    const days = unit === 'months' ? amount * 30 : amount * 365;
    const { due } = computeDue(
      startOfShanghaiDay(shanghaiDate(assignedAt)),
      { amount: days, unit: 'days' },
      calendar,
    );
    return shanghaiDate(due);
  }
  const { due } = computeDue(
    startOfShanghaiDay(shanghaiDate(assignedAt)),
    { amount, unit },
    calendar,
  );
  return shanghaiDate(due);
}

/** Answered after the due day. */
export function answeredLate(dueOn: LocalDate | null, answeredAt: Date): boolean {
  return dueOn !== null && shanghaiDate(answeredAt) > dueOn;
}

/**
 * Whether the daily job escalates the referral today: still unanswered past its due day, and not
 * already escalated today (so a job run twice in a day raises it once).
 */
export function shouldEscalate(
  r: { status: ReferralStatus; dueOn: LocalDate | null; escalatedAt: Date | null },
  today: LocalDate,
): boolean {
  if (r.status !== 'assigned' || r.dueOn === null || today <= r.dueOn) return false;
  return r.escalatedAt === null || shanghaiDate(r.escalatedAt) < today;
}

/** Overdue: assigned, unanswered, and past its due day. */
export function referralOverdue(
  r: { status: ReferralStatus; dueOn: LocalDate | null },
  today: LocalDate,
): boolean {
  return r.status === 'assigned' && r.dueOn !== null && today > r.dueOn;
}

/** The organisations a referral may be assigned to. */
export const REFERRAL_ASSIGNEE_KINDS = [
  'bank',
  'branch',
  'community_outlet',
  'service_window',
] as const;

export function requireAssignable(kind: string): void {
  if (!(REFERRAL_ASSIGNEE_KINDS as readonly string[]).includes(kind))
    throw new DomainError('REFERRAL_ASSIGNEE_KIND', {});
}
