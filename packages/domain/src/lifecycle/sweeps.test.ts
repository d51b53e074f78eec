/** Unclaimed cards and automatic cancellation, per article (ZS-15, ZS-17, SG-12, HN-12, FZ-27). */
import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import { loadPack } from '../rules/testing/test-support.js';
import {
  automaticCancellationDue,
  bankAccountClosureDue,
  unclaimedDecision,
  undeliverableDecision,
} from './sweeps.js';

const cal = new WorkingDayCalendar();
/** 2026-05-06 09:00 in Shanghai. */
const T0 = new Date('2026-05-06T01:00:00Z');
const at = (iso: string) => new Date(iso);
const events = { producedAt: T0, stockedAt: T0, pickupDueAt: at('2026-05-20T01:00:00Z') };

describe('unclaimed cards', () => {
  it('ZS-17: six months after production the card is cancelled, not a day before', () => {
    const zs = loadPack('zs');
    expect(unclaimedDecision(events, zs, cal, at('2026-11-06T15:00:00Z'))).toBeNull();
    const d = unclaimedDecision(events, zs, cal, at('2026-11-06T16:00:00Z'))!;
    expect(d).toMatchObject({ action: 'cancel', ends: true, citation: { rule: 'ZS-17' } });
    expect(d.since.toISOString()).toBe('2026-11-06T15:59:59.999Z');
  });

  it('SG-12: twelve months from the pickup date on the receipt, returned to management', () => {
    const sg = loadPack('sg');
    expect(unclaimedDecision(events, sg, cal, at('2027-05-20T15:00:00Z'))).toBeNull();
    expect(unclaimedDecision(events, sg, cal, at('2027-05-21T00:00:00Z'))).toMatchObject({
      action: 'return_to_management',
      ends: false,
      citation: { rule: 'SG-12' },
    });
  });

  it('HN-12: after 180 days the card is recovered and held, and stays in stock', () => {
    const hn = loadPack('hn');
    expect(unclaimedDecision(events, hn, cal, at('2026-11-01T00:00:00Z'))).toBeNull();
    expect(unclaimedDecision(events, hn, cal, at('2026-11-03T00:00:00Z'))).toMatchObject({
      action: 'recover_and_hold',
      ends: false,
      citation: { rule: 'HN-12' },
    });
  });

  it('FZ-27: a "sleeping card" of six months is cancelled, to be destroyed', () => {
    expect(
      unclaimedDecision(events, loadPack('fz'), cal, at('2026-11-07T00:00:00Z')),
    ).toMatchObject({ action: 'cancel_and_destroy', ends: true, citation: { rule: 'FZ-27' } });
  });

  it('Shanghai sets no limit: a card may wait in stock indefinitely', () => {
    expect(unclaimedDecision(events, loadPack('sh'), cal, at('2036-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('automatic cancellation', () => {
  it('ZS-15: a year after the death, to the end of that day', () => {
    const due = automaticCancellationDue('2026-05-06', loadPack('zs'), cal)!;
    expect(due.citation.rule).toBe('ZS-15');
    expect(due.due.toISOString()).toBe('2027-05-06T15:59:59.999Z');
  });

  it('the other regulations provide none', () => {
    for (const code of ['sh', 'sg', 'hn', 'fz'])
      expect(automaticCancellationDue('2026-05-06', loadPack(code), cal)).toBeNull();
  });
});

describe('undeliverable cards', () => {
  it('SH and SG set no action: the card waits in stock (and is never issued to the dead)', () => {
    for (const code of ['sh', 'sg'])
      expect(
        undeliverableDecision({ status: 'in_stock' }, { diedOn: '2026-05-06' }, loadPack(code)),
      ).toBeNull();
  });

  it('only a card still in the service’s hands', () => {
    const zs = loadPack('zs');
    expect(undeliverableDecision({ status: 'issued' }, { diedOn: '2026-05-06' }, zs)).toBeNull();
    expect(
      undeliverableDecision({ status: 'in_production' }, { productionFailed: true }, zs),
    ).toMatchObject({ reason: 'production_failure', action: 'cancel' });
  });
});

describe('the bank account after a cancellation', () => {
  it('only HN-27 leaves the bank account alive after cancellation', () => {
    const cancelled = {
      cardNo: 'x',
      jurisdiction: 'XX',
      kind: 'regular' as const,
      status: 'cancelled' as const,
      hasPhoto: true,
      issuedAt: T0,
      expiresOn: null,
      socialEnabledAt: T0,
      financialActivatedAt: T0,
      loss: { kind: 'none' as const },
      suspendedAt: null,
      frozenAt: null,
      pinSet: false,
      pinFailures: 0,
      pinLockedAt: null,
      replacementApplicationId: null,
      endedAt: T0,
    };
    for (const code of ['zs', 'sg', 'sh', 'fz'])
      expect(bankAccountClosureDue(cancelled, loadPack(code), cal)).toBeNull();
    expect(bankAccountClosureDue(cancelled, loadPack('hn'), cal)?.citation.rule).toBe('HN-27');
    // A card cancelled before it was ever handed over has no account life to run down.
    expect(bankAccountClosureDue({ ...cancelled, issuedAt: null }, loadPack('hn'), cal)).toBeNull();
  });
});
