/**
 * The card rules of each regulation, as pure decisions. Each test names the article it checks.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { card, DAY, T0 } from '../rules/testing/lifecycle-fixtures.js';
import { loadPack } from '../rules/testing/test-support.js';
import {
  activate,
  issue,
  reportLoss,
  suspend,
  freeze,
  unreport,
  type CardChange,
} from './card-acts.js';
import { cancel, destroy } from './card-end.js';
import type { CardState } from './card.js';
import { afterPinAttempt, beforePinAttempt, checkNewPin, resetPin } from './pin.js';
import { usability } from './usability.js';
import {
  checkSubmission,
  type Applicant,
  type ApplicantCards,
  type SubmissionInput,
} from './application.js';

const SH = loadPack('sh');
const HN = loadPack('hn');
const FZ = loadPack('fz');
const SG = loadPack('sg');
const ZS = loadPack('zs');

const apply = (c: CardState, change: CardChange): CardState => ({ ...c, ...change });

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('temporary loss and its term', () => {
  it('SH-18: lasts 5 days and stops the social function at once, then restores by itself', () => {
    const lost = apply(
      card(),
      reportLoss(card(), SH, { kind: 'temporary', term: 'default' }, T0, 'phone'),
    );
    expect(usability(lost, SH, T0).social).toBe(false);
    expect(usability(lost, SH, new Date(T0.getTime() + 5 * DAY - 1)).usable).toBe(false);
    expect(usability(lost, SH, new Date(T0.getTime() + 5 * DAY)).usable).toBe(true);
    // The financial function is the bank's business in Shanghai (SH-20): not stopped by our loss.
    expect(usability(lost, SH, T0).financial).toBe(true);
  });

  it('SH-18: temporary loss is taken by phone, not at a bank counter', () => {
    const e = refusal(() =>
      reportLoss(card(), SH, { kind: 'temporary', term: 'default' }, T0, 'bank_outlet'),
    );
    // One code for every place refusal (PLACE_NOT_ALLOWED); LOSS_CHANNEL_NOT_ALLOWED is retired.
    expect(e.code).toBe('PLACE_NOT_ALLOWED');
    expect(e.citation?.rule).toBe('SH-18');
  });

  it('HN-17: the holder picks 15 days or long-term; long-term waits for un-reporting; all functions stop', () => {
    const short = apply(
      card({ jurisdiction: 'HN' }),
      reportLoss(card(), HN, { kind: 'temporary', term: 'default' }, T0, 'phone'),
    );
    expect(usability(short, HN, new Date(T0.getTime() + 15 * DAY)).usable).toBe(true);
    expect(usability(short, HN, T0).financial).toBe(false);
    const long = apply(
      card(),
      reportLoss(card(), HN, { kind: 'temporary', term: 'long' }, T0, 'phone'),
    );
    expect(usability(long, HN, new Date(T0.getTime() + 400 * DAY)).usable).toBe(false);
  });

  it('SH-18: long-term temporary loss is not offered in Shanghai', () => {
    expect(
      refusal(() => reportLoss(card(), SH, { kind: 'temporary', term: 'long' }, T0, 'phone')).code,
    ).toBe('LOSS_TERM_NOT_ALLOWED');
  });

  it('FZ-33: Fuzhou has one kind of loss; a temporary one is refused', () => {
    const e = refusal(() =>
      reportLoss(card(), FZ, { kind: 'temporary', term: 'default' }, T0, 'bank_outlet'),
    );
    expect(e.code).toBe('LOSS_NOT_ALLOWED');
    expect(e.citation?.rule).toMatch(/^FZ-|DEFAULT/);
  });

  it('a formal loss after a temporary one does not lapse', () => {
    const temp = apply(
      card(),
      reportLoss(card(), SH, { kind: 'temporary', term: 'default' }, T0, 'phone'),
    );
    const formal = apply(
      temp,
      reportLoss(temp, SH, { kind: 'formal', term: 'default' }, T0, 'community_outlet'),
    );
    expect(usability(formal, SH, new Date(T0.getTime() + 30 * DAY)).usable).toBe(false);
  });
});

describe('un-reporting', () => {
  const formal = (pack = SH) =>
    apply(
      card(),
      reportLoss(
        card(),
        pack,
        { kind: 'formal', term: 'default' },
        T0,
        pack === SH ? 'community_outlet' : pack === SG ? 'service_window' : 'bank_outlet',
      ),
    );

  it('SH-19: restores at once', () => {
    const back = apply(formal(), unreport(formal(), SH, {}, T0, 'community_outlet'));
    expect(usability(back, SH, T0).usable).toBe(true);
  });

  it('ZS-13, SG-15, HN-19, FZ-34: not once a replacement has been applied for', () => {
    for (const [pack, rule] of [
      [ZS, 'ZS-1'],
      [SG, 'SG-15'],
      [HN, 'HN-19'],
      [FZ, 'FZ-34'],
    ] as const) {
      const lost = { ...formal(pack), replacementApplicationId: 'app-1' };
      const e = refusal(() => unreport(lost, pack, { cardPresented: true }, T0, 'bank_outlet'));
      expect(e.code).toBe('UNREPORT_AFTER_REPLACEMENT');
      expect(e.citation?.rule.startsWith(rule)).toBe(true);
    }
  });

  it('HN-19, FZ-34: the found card must be shown', () => {
    expect(refusal(() => unreport(formal(HN), HN, {}, T0, 'bank_outlet')).code).toBe(
      'CARD_REQUIRED_FOR_UNREPORT',
    );
  });
});

describe('issuing and activation', () => {
  const stock = card({
    status: 'in_stock',
    issuedAt: null,
    socialEnabledAt: null,
    financialActivatedAt: null,
  });

  it('SG-13, HN-15: the social function is enabled at pickup', () => {
    expect(issue(stock, HN, { to: 'holder' }, T0).socialEnabledAt).toEqual(T0);
    expect(issue(stock, SG, { to: 'holder' }, T0).socialEnabledAt).toEqual(T0);
  });

  it('SH-12: in Shanghai it is a separate activation', () => {
    const issued = apply(stock, issue(stock, SH, { to: 'holder' }, T0));
    expect(issued.socialEnabledAt).toBeNull();
    expect(usability(issued, SH, T0).usable).toBe(false);
    const active = apply(issued, activate(issued, SH, 'social', T0, 'community_outlet'));
    expect(usability(active, SH, T0).usable).toBe(true);
  });

  it('HN-6: a card issued in Hainan is valid for ten years', () => {
    expect(issue(stock, HN, { to: 'holder' }, T0).expiresOn).toBe('2036-05-06');
    const issued = apply(stock, issue(stock, HN, { to: 'holder' }, T0));
    expect(usability(issued, HN, new Date('2036-05-07T01:00:00Z')).expired).toBe(true);
  });

  it('SG-12, HN-12: an agent collects with both documents', () => {
    expect(refusal(() => issue(stock, HN, { to: 'agent' }, T0)).code).toBe(
      'AGENT_DOCUMENTS_REQUIRED',
    );
    expect(issue(stock, HN, { to: 'agent', agentDocumentsSeen: true }, T0).issuedAt).toEqual(T0);
  });
});

describe('suspension and freezing', () => {
  it('FZ-35: Fuzhou stops a card on request; Shanghai has no such act', () => {
    expect(usability(apply(card(), suspend(card(), FZ, T0)), FZ, T0).usable).toBe(false);
    expect(refusal(() => suspend(card(), SH, T0)).code).toBe('SUSPENSION_NOT_PROVIDED');
  });

  it('HN-42: misuse suspends the one-card functions', () => {
    expect(usability(apply(card(), freeze(card(), HN, T0)), HN, T0).usable).toBe(false);
  });

  it('per function: SH-18 stops the social side of a lost card, not the bank account; SG-14 everything', () => {
    const lost = card({ loss: { kind: 'formal', since: T0 } });
    expect(usability(lost, SH, T0)).toMatchObject({
      social: false,
      oneCard: false,
      financial: true,
    });
    expect(usability(lost, SH, T0).stoppedBy).toEqual({
      social: ['lost'],
      one_card: ['lost'],
      financial: [],
    });
    expect(usability(lost, SG, T0)).toMatchObject({
      social: false,
      oneCard: false,
      financial: false,
    });
    // FZ-35: a stopped card is stopped whole.
    const stopped = apply(card(), suspend(card(), FZ, T0));
    expect(usability(stopped, FZ, T0)).toMatchObject({ social: false, financial: false });
  });
});

describe('PINs', () => {
  it('HN-14: no social PIN in Hainan', () => {
    const e = refusal(() => beforePinAttempt(card(), HN));
    expect(e.code).toBe('PIN_NOT_ENABLED');
    expect(e.citation?.rule).toBe('HN-14');
  });

  it('FZ-32: six wrong attempts lock the PIN; a reset goes back to 888888', () => {
    let c = card({ jurisdiction: 'FZ' });
    for (let i = 1; i <= 5; i++) {
      const { change, refusal: r } = afterPinAttempt(c, FZ, false, T0);
      c = apply(c, change);
      expect(r?.code).toBe('PIN_WRONG');
    }
    const sixth = afterPinAttempt(c, FZ, false, T0);
    expect(sixth.refusal?.code).toBe('PIN_LOCKED');
    expect(sixth.refusal?.citation?.rule).toBe('FZ-32');
    c = apply(c, sixth.change);
    expect(refusal(() => beforePinAttempt(c, FZ)).code).toBe('PIN_LOCKED');
    const reset = resetPin(c, FZ, undefined, 'bank_outlet');
    expect(reset.pin).toBe('888888');
    expect(apply(c, reset.change).pinLockedAt).toBeNull();
  });

  it('refuses trivial new PINs', () => {
    for (const pin of ['111111', '123456', '987654', '12345'])
      expect(() => checkNewPin(pin)).toThrow(DomainError);
    expect(() => checkNewPin('520131')).not.toThrow();
  });
});

describe('cancellation and destruction', () => {
  it('SG-18: refuses while business is open, and records nothing until settled', () => {
    const e = refusal(() =>
      cancel(card(), SG, { reason: 'emigration', openApplications: 1, attestations: {} }),
    );
    expect(e.code).toBe('CANCEL_OPEN_BUSINESS');
    expect(e.citation?.rule).toBe('SG-18');
    expect(
      cancel(card(), SG, {
        reason: 'emigration',
        openApplications: 0,
        attestations: {
          relatedBusinessSettled: true,
          medicalAccountSettled: true,
          bankAccountClosed: true,
        },
      }).ground,
    ).toBe('emigration');
  });

  it('FZ-35: a death needs the relative’s ID and the death certificate', () => {
    const e = refusal(() =>
      cancel(card(), FZ, {
        reason: 'death',
        openApplications: 0,
        attestations: { holderReminded: true },
        evidence: {},
      }),
    );
    expect(e.code).toBe('DEATH_EVIDENCE_REQUIRED');
    expect(e.citation?.rule).toBe('FZ-35');
  });

  it('HN-27: the grounds are the regulation’s; emigration is not one in Hainan', () => {
    expect(
      refusal(() => cancel(card(), HN, { reason: 'emigration', openApplications: 0 })).code,
    ).toBe('CANCEL_GROUND_NOT_ALLOWED');
  });

  it('HN-25, FZ-36: only returned old cards and cancelled cards are destroyed', () => {
    expect(() => destroy(card({ status: 'replaced' }), HN, T0)).not.toThrow();
    expect(refusal(() => destroy(card({ status: 'replaced' }), HN, null)).code).toBe(
      'DESTROY_NOT_ALLOWED',
    );
    expect(refusal(() => destroy(card(), HN, null)).code).toBe('DESTROY_NOT_ALLOWED');
  });
});

describe('applications', () => {
  const adult: Applicant = {
    birthDate: '1980-01-01',
    idType: 'resident_id',
    hasPhoto: true,
    diedOn: null,
  };
  const none: ApplicantCards = {
    live: null,
    pending: null,
    temporary: null,
    openApplicationKinds: [],
  };
  const base: SubmissionInput = {
    kind: 'first',
    channel: 'counter',
    production: 'batch',
    delivery: 'counter',
    branchCanInstantIssue: false,
  };

  it('SH-10: police, HRSS and medical insurance checks within 3 working days', () => {
    const d = checkSubmission(SH, adult, none, base, '2026-05-06');
    expect(d.checks.map((c) => [c.check, c.start])).toEqual([
      ['police_identity', 'pending'],
      ['hrss_insurance', 'pending'],
      ['medical_insurance', 'pending'],
    ]);
    expect(d.deadline?.limit).toEqual({ amount: 30, unit: 'days', from: 'checks_passed' });
    expect(d.deadline?.citation.rule).toBe('SH-11');
  });

  it('SG-16, HN-20: a replacement needs a formal loss first', () => {
    const old = card();
    const e = refusal(() =>
      checkSubmission(
        HN,
        adult,
        { ...none, live: old },
        { ...base, kind: 'replacement', oldCard: old },
        '2026-05-06',
      ),
    );
    expect(e.code).toBe('REPLACEMENT_NEEDS_FORMAL_LOSS');
    expect(e.citation?.rule).toBe('HN-20');
    const lost = card({ loss: { kind: 'formal', since: T0 } });
    expect(
      checkSubmission(
        HN,
        adult,
        { ...none, live: lost },
        { ...base, kind: 'replacement', oldCard: lost },
        '2026-05-06',
      ).oldCardEnds,
    ).toBe('on_acceptance');
  });

  it('one card per person: a first application is refused while a card is held', () => {
    const e = refusal(() =>
      checkSubmission(SH, adult, { ...none, live: card() }, base, '2026-05-06'),
    );
    expect(e.code).toBe('ONE_CARD_PER_PERSON');
  });

  it('SG-10: under 16 the guardian applies', () => {
    const child: Applicant = {
      birthDate: '2015-01-01',
      idType: 'household_register',
      hasPhoto: true,
      diedOn: null,
    };
    expect(refusal(() => checkSubmission(SG, child, none, base, '2026-05-06')).code).toBe(
      'AGENT_REQUIRED',
    );
    expect(
      checkSubmission(
        SG,
        child,
        none,
        { ...base, agent: { kind: 'guardian', documentsSeen: true } },
        '2026-05-06',
      ).checks.length,
    ).toBeGreaterThan(0);
  });

  it('FZ-16: instant at every counter, 20 minutes; otherwise only with the applicant’s consent', () => {
    const instant = checkSubmission(
      FZ,
      adult,
      none,
      { ...base, production: 'instant', branchCanInstantIssue: true },
      '2026-05-06',
    );
    expect(instant.deadline?.limit).toEqual({ amount: 20, unit: 'minutes', from: 'acceptance' });
    expect(refusal(() => checkSubmission(FZ, adult, none, base, '2026-05-06')).code).toBe(
      'DELAY_CONSENT_REQUIRED',
    );
    expect(
      checkSubmission(FZ, adult, none, { ...base, consentToDelay: true }, '2026-05-06').deadline
        ?.limit.unit,
    ).toBe('working_days');
  });

  it('HN-5: children under 7 may have no photo', () => {
    const child: Applicant = {
      birthDate: '2022-01-01',
      idType: 'household_register',
      hasPhoto: false,
      diedOn: null,
    };
    expect(() =>
      checkSubmission(
        HN,
        child,
        none,
        { ...base, agent: { kind: 'guardian', documentsSeen: true } },
        '2026-05-06',
      ),
    ).not.toThrow();
    expect(
      refusal(() => checkSubmission(HN, { ...adult, hasPhoto: false }, none, base, '2026-05-06'))
        .code,
    ).toBe('PHOTO_REQUIRED');
  });

  it('SG-19: a temporary card needs hospital proof and a card on its way', () => {
    const t = { ...base, kind: 'temporary' as const };
    expect(refusal(() => checkSubmission(SG, adult, none, t, '2026-05-06')).code).toBe(
      'TEMPORARY_CARD_CONDITIONS',
    );
    expect(() =>
      checkSubmission(
        SG,
        adult,
        { ...none, openApplicationKinds: ['first'] },
        { ...t, hospitalProof: true },
        '2026-05-06',
      ),
    ).not.toThrow();
    expect(refusal(() => checkSubmission(SH, adult, none, t, '2026-05-06')).code).toBe(
      'APPLICATION_KIND_NOT_OFFERED',
    );
  });
});
