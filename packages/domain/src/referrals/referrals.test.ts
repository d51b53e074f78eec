import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import { DomainError } from '../errors/domain-error.js';
import {
  answeredLate,
  referralDueOn,
  referralOverdue,
  referralTransition,
  requireAssignable,
  shouldEscalate,
  type ReferralTerm,
} from './referrals.js';

const calendar = new WorkingDayCalendar();
const term = (amount: number): ReferralTerm => ({
  within: { amount, unit: 'working_days' },
  citation: { rule: 'DEFAULT', default: true },
});
/** Shanghai wall-clock instant. */
const sh = (s: string) => new Date(`${s}:00+08:00`);

describe('referrals (FZ-46)', () => {
  it('moves recorded → assigned → answered → reported, reassigning until answered', () => {
    expect(referralTransition('recorded', 'assign')).toBe('assigned');
    expect(referralTransition('assigned', 'assign')).toBe('assigned');
    expect(referralTransition('assigned', 'answer')).toBe('answered');
    expect(referralTransition('answered', 'report')).toBe('reported');
    for (const [from, act] of [
      ['recorded', 'answer'],
      ['recorded', 'report'],
      ['assigned', 'report'],
      ['answered', 'assign'],
      ['answered', 'answer'],
      ['reported', 'assign'],
      ['reported', 'answer'],
      ['reported', 'report'],
    ] as const) {
      expect(() => referralTransition(from, act)).toThrow(DomainError);
      try {
        referralTransition(from, act);
      } catch (e) {
        expect((e as DomainError).code).toBe('REFERRAL_STATE');
      }
    }
  });

  it('counts the answer’s term in statutory working days from the day of assignment', () => {
    // Wednesday 6 May 2026 + 5 working days: 7, 8, 9 (a make-up working Saturday), 11, 12 May.
    expect(referralDueOn(sh('2026-05-06T09:00'), term(5), calendar)).toBe('2026-05-12');
    // Across the National Day holiday 2026 (1 to 7 October off; 10 October a make-up working day).
    expect(referralDueOn(sh('2026-09-30T16:00'), term(2), calendar)).toBe('2026-10-09');
    expect(
      referralDueOn(
        sh('2026-05-06T09:00'),
        { within: { amount: 3, unit: 'days' }, citation: { rule: 'DEFAULT' } },
        calendar,
      ),
    ).toBe('2026-05-09');
  });

  it('is late, overdue and escalated only after its due day, once a day', () => {
    expect(answeredLate('2026-05-12', sh('2026-05-12T23:59'))).toBe(false);
    expect(answeredLate('2026-05-12', sh('2026-05-13T00:01'))).toBe(true);
    expect(answeredLate(null, sh('2030-01-01T00:00'))).toBe(false);
    const r = { status: 'assigned' as const, dueOn: '2026-05-12', escalatedAt: null };
    expect(referralOverdue(r, '2026-05-12')).toBe(false);
    expect(referralOverdue(r, '2026-05-13')).toBe(true);
    expect(referralOverdue({ ...r, status: 'answered' }, '2026-05-20')).toBe(false);
    expect(shouldEscalate(r, '2026-05-12')).toBe(false);
    expect(shouldEscalate(r, '2026-05-13')).toBe(true);
    expect(shouldEscalate({ ...r, escalatedAt: sh('2026-05-13T06:30') }, '2026-05-13')).toBe(false);
    expect(shouldEscalate({ ...r, escalatedAt: sh('2026-05-13T06:30') }, '2026-05-14')).toBe(true);
    expect(shouldEscalate({ ...r, status: 'answered' }, '2026-05-14')).toBe(false);
  });

  it('is assigned to banks and outlets only', () => {
    for (const k of ['bank', 'branch', 'community_outlet', 'service_window'])
      expect(() => requireAssignable(k)).not.toThrow();
    for (const k of ['centre', 'vendor', 'service_point', 'unit'])
      expect(() => requireAssignable(k)).toThrow(DomainError);
  });
});
