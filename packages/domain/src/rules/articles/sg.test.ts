import { expect } from 'vitest';
import { checkSubmission, type SubmissionInput } from '../../lifecycle/application.js';
import { activate, issue, reportLoss, unreport } from '../../lifecycle/card-acts.js';
import { cancel } from '../../lifecycle/card-end.js';
import { checkInfoChange } from '../../lifecycle/info-change.js';
import { resetPin, unlockPin } from '../../lifecycle/pin.js';
import type { ServicePlace } from '../../rules/vocabulary.js';
import type { RulePack } from '../schema.js';
import { describeArticles } from '../testing/article-harness.js';
import {
  adult,
  card,
  child,
  counterApplication,
  noCards,
  refusal,
  stock,
  T0,
  TODAY,
} from '../testing/lifecycle-fixtures.js';
import { at, loadPack, sourceAt } from '../testing/test-support.js';

const sg = (over: Parameters<typeof card>[0] = {}) => card({ jurisdiction: 'SG', ...over });

/** The refusal of an application of this kind at this place, as [code, rule]. */
function applyAt(p: RulePack, place: ServicePlace, over: Partial<SubmissionInput> = {}) {
  const old = sg({ loss: { kind: 'formal', since: T0 } });
  const kind = over.kind ?? 'first';
  const cards =
    kind === 'first'
      ? noCards
      : kind === 'temporary'
        ? { ...noCards, openApplicationKinds: ['first' as const] }
        : { ...noCards, live: old };
  const input: SubmissionInput = {
    ...counterApplication,
    ...(kind === 'first' || kind === 'temporary' ? {} : { oldCard: old }),
    bankLossReceipt: true,
    hospitalProof: true,
    ...over,
    place,
  };
  try {
    checkSubmission(p, adult, cards, input, TODAY);
    return ['accepted'];
  } catch (e) {
    const err = e as { code: string; citation?: { rule: string } };
    return [err.code, err.citation?.rule];
  }
}

const deathCancel = (relation: string) => ({
  reason: 'death',
  openApplications: 0,
  attestations: {
    relatedBusinessSettled: true,
    medicalAccountSettled: true,
    bankAccountClosed: true,
  },
  evidence: { applicantIdSeen: true, deathCertificate: 'No. 1', applicantRelation: relation },
});

describeArticles(loadPack('SG'), [
  [
    'SG-doc',
    'issued on 2018-02-01',
    (p) => {
      expect(at(p, 'effectiveFrom', 'SG-doc')).toBe('2018-02-01');
    },
  ],
  [
    'SG-2',
    'a multi-function smart card, no e-card in the text',
    (p) => {
      expect(at(p, 'card.forms', 'SG-2')).toEqual(['physical']);
      expect(p.ecard.offered.value).toBe(false);
    },
  ],
  [
    'SG-6',
    'the service windows do replacement, PINs, loss, data changes and cancellation; the bank windows new cards and banking',
    (p) => {
      expect(at(p, 'places.pinReset', 'SG-6')).toEqual(['service_window']);
      expect(at(p, 'places.pinUnlock', 'SG-6')).toEqual(['service_window']);
      expect(at(p, 'places.cancellation', 'SG-6')).toEqual(['service_window']);
      expect(at(p, 'places.nonKeyInfoChange', 'SG-6')).toEqual(['service_window']);
      expect(at(p, 'places.first', 'SG-6')).toEqual(['service_window', 'bank_outlet']);
      expect(at(p, 'places.issue', 'SG-6')).toEqual(['service_window', 'bank_outlet']);
      expect(at(p, 'places.replacement', 'SG-6')).toEqual(['service_window']);
      // Not at a bank window, nor at a community outlet (SH-7's kind; SG's windows are 综合服务窗口).
      for (const place of ['bank_outlet', 'community_outlet'] as const) {
        const e = refusal(() => resetPin(sg({ pinLockedAt: T0 }), p, '520131', place));
        expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'SG-6']);
        expect(refusal(() => checkInfoChange(p, ['phone'], place)).citation?.rule).toBe('SG-6');
        expect(
          refusal(() =>
            cancel(sg(), p, { ...deathCancel('household_member'), reason: 'emigration', place }),
          ).citation?.rule,
        ).toBe('SG-6');
      }
      expect(resetPin(sg({ pinLockedAt: T0 }), p, '520131', 'service_window').pin).toBe('520131');
      expect(checkInfoChange(p, ['address'], 'service_window').key).toBe(false);
    },
  ],
  [
    'SG-8',
    'the social PIN settles medical costs',
    (p) => {
      expect(at(p, 'pin.socialEnabled', 'SG-8')).toBe(true);
    },
  ],
  [
    'SG-9',
    'local household, migrant workers and children; one card each',
    (p) => {
      expect(at(p, 'eligibility.groups', 'SG-9')).toEqual([
        'local_household',
        'migrant_workers_and_children',
        'foreigners',
        'hmt_residents',
        'overseas_chinese',
      ]);
      expect(at(p, 'card.onePerPerson', 'SG-9')).toBe(true);
    },
  ],
  [
    'SG-10',
    'ID card required from 16, household register under 16, guardian under 16, agents with proof',
    (p) => {
      expect(at(p, 'identity.documents.resident_id', 'SG-10')).toEqual({
        accepted: true,
        requiredFromAge: 16,
      });
      expect(at(p, 'identity.documents.household_register', 'SG-10')).toEqual({
        accepted: true,
        onlyUnderAge: 16,
      });
      expect(at(p, 'identity.documents.passport', 'SG-10')).toEqual({ accepted: true });
      expect(at(p, 'identity.documents.hk_macau_travel_permit', 'SG-10')).toEqual({
        accepted: true,
      });
      expect(sourceAt(p, 'identity.documents.tw_travel_permit').default).toBe(true);
      expect(at(p, 'photo.studioReceiptWhenMissing', 'SG-10')).toBe(true);
      expect(at(p, 'application.proxies', 'SG-10')).toEqual(['agent']);
      expect(at(p, 'places.first', 'SG-10')).toEqual(['service_window', 'bank_outlet']);
      expect(applyAt(p, 'online')).toEqual(['PLACE_NOT_ALLOWED', 'SG-10']);
      expect(applyAt(p, 'bank_outlet')).toEqual(['accepted']);
      expect(applyAt(p, 'service_window')).toEqual(['accepted']);
      // 不满十六周岁的申领人须由其监护人代为办理: an agent who is not the guardian is refused by SG-10.
      const e = refusal(() =>
        checkSubmission(
          p,
          child,
          noCards,
          { ...counterApplication, agent: { kind: 'agent', documentsSeen: true } },
          TODAY,
        ),
      );
      expect([e.code, e.citation?.rule]).toEqual(['AGENT_REQUIRED', 'SG-10']);
      expect(at(p, 'application.bankChosenByApplicant', 'SG-10')).toBe(true);
      expect(at(p, 'agents.minors', 'SG-10')).toEqual({
        belowAge: 16,
        mandatory: true,
        scope: 'all',
      });
      expect(at(p, 'agents.unableToAttend', 'SG-10')).toMatchObject({
        groups: ['elderly', 'disabled', 'remote_resident'],
        proofRequired: true,
      });
      expect(at(p, 'agents.agentShowsOwnId', 'SG-10')).toBe(true);
    },
  ],
  [
    'SG-11',
    'population-database match; cards made within 30 working days of acceptance',
    (p) => {
      expect(at(p, 'checks.required', 'SG-11')).toEqual(['population_database']);
      expect(at(p, 'production.deadline', 'SG-11')).toEqual({
        amount: 30,
        unit: 'working_days',
        from: 'acceptance',
      });
    },
  ],
  [
    'SG-12',
    'pickup by self or agent; unclaimed over 12 months returned to management',
    (p) => {
      expect(at(p, 'pickup.methods', 'SG-12')).toEqual(['self', 'agent']);
      expect(at(p, 'unclaimed.after', 'SG-12')).toEqual({
        amount: 12,
        unit: 'months',
        from: 'pickup_due',
      });
      expect(at(p, 'unclaimed.action', 'SG-12')).toBe('return_to_management');
      expect(at(p, 'places.issue', 'SG-12')).toEqual(['service_window', 'bank_outlet']);
      const e = refusal(() => issue(stock(), p, { to: 'holder' }, T0, 'community_outlet'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'SG-12']);
      expect(issue(stock(), p, { to: 'holder' }, T0, 'bank_outlet').status).toBe('issued');
      // A holder who died cannot be handed the card: SG-18 ends the card with the service.
      const dead = refusal(() =>
        issue(stock(), p, { to: 'holder', holderDiedOn: TODAY }, T0, 'bank_outlet'),
      );
      expect([dead.code, dead.citation?.rule]).toEqual(['HOLDER_DECEASED', 'SG-18']);
    },
  ],
  [
    'SG-13',
    'social function enabled at pickup; bank activation separate; no annual fees',
    (p) => {
      expect(at(p, 'activation.socialFunction', 'SG-13')).toBe('at_pickup');
      expect(at(p, 'activation.financialNeedsBankActivation', 'SG-13')).toBe(true);
      expect(at(p, 'fees.bankServiceWaivers', 'SG-13')).toContain('annual_fee');
      expect(at(p, 'places.socialActivation', 'SG-13')).toEqual(['service_window', 'bank_outlet']);
      // 金融功能根据开户银行提供的网点前台方式进行激活: at the bank, not at the service window.
      expect(at(p, 'places.financialActivation', 'SG-13')).toEqual(['bank_outlet']);
      const issued = sg({ financialActivatedAt: null });
      const e = refusal(() => activate(issued, p, 'financial', T0, 'service_window'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'SG-13']);
      expect(activate(issued, p, 'financial', T0, 'bank_outlet').financialActivatedAt).toEqual(T0);
    },
  ],
  [
    'SG-14',
    'temporary and formal loss, social and bank separately; all functions stop',
    (p) => {
      expect(at(p, 'loss.temporary.allowed', 'SG-14')).toBe(true);
      expect(at(p, 'places.temporaryLoss', 'SG-14')).toEqual(['online', 'phone', 'self_service']);
      expect(at(p, 'places.formalLoss', 'SG-14')).toEqual(['service_window']);
      // The social function's formal loss is taken at the service window; the bank window takes
      // the bank account's, under the bank's rules.
      const formal = { kind: 'formal', term: 'default' } as const;
      const e = refusal(() => reportLoss(sg(), p, formal, T0, 'bank_outlet'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'SG-14']);
      expect(reportLoss(sg(), p, formal, T0, 'service_window').loss?.kind).toBe('formal');
      expect(at(p, 'loss.effect', 'SG-14')).toBe('all_functions_stop');
      expect(at(p, 'loss.bankLinked', 'SG-14')).toBe(false);
    },
  ],
  [
    'SG-15',
    'no un-report once formally lost and a replacement applied for',
    (p) => {
      expect(at(p, 'loss.unreport.cutoff', 'SG-15')).toBe('replacement_applied');
      expect(at(p, 'places.unreport', 'SG-15')).toEqual(['service_window']);
      const lost = sg({ loss: { kind: 'formal', since: T0 } });
      const e = refusal(() => unreport(lost, p, { cardPresented: true }, T0, 'bank_outlet'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'SG-15']);
      expect(at(p, 'loss.unreport.requiresCard', 'SG-15')).toBe(true);
    },
  ],
  [
    'SG-16',
    'replacement only after formal loss, with the bank loss receipt',
    (p) => {
      expect(at(p, 'replacement.requiresFormalLoss', 'SG-16')).toBe(true);
      expect(at(p, 'replacement.bankLossReceiptRequired', 'SG-16')).toBe(true);
      expect(at(p, 'application.kinds', 'SG-16')).toContain('replacement');
      // 到社保卡综合服务窗口办理补卡手续: not at a bank window.
      expect(at(p, 'places.replacement', 'SG-16')).toEqual(['service_window']);
      expect(applyAt(p, 'bank_outlet', { kind: 'replacement' })).toEqual([
        'PLACE_NOT_ALLOWED',
        'SG-16',
      ]);
      expect(applyAt(p, 'service_window', { kind: 'replacement' })).toEqual(['accepted']);
    },
  ],
  [
    'SG-17',
    'first card free; provincial rate; free change within the two-year warranty',
    (p) => {
      expect(at(p, 'fees.first', 'SG-17')).toBe('free');
      expect(at(p, 'fees.replacement', 'SG-17')).toBe('configured');
      expect(at(p, 'fees.change', 'SG-17')).toBe('configured');
      expect(at(p, 'fees.warranty', 'SG-17')).toMatchObject({
        kinds: ['change'],
        maxCardAgeYears: 2,
        excludedReasons: expect.arrayContaining(['voluntary', 'damaged_by_holder']),
      });
      expect(at(p, 'change.reasons', 'SG-17')).toEqual(
        expect.arrayContaining(['damaged', 'voluntary']),
      );
      expect(at(p, 'infoChange.keyChangeLeadsTo', 'SG-17')).toBe('change');
      expect(at(p, 'infoChange.keyFields', 'SG-17')).toEqual(['name', 'ssn', 'photo']);
      expect(at(p, 'application.kinds', 'SG-17')).toContain('change');
      expect(at(p, 'places.change', 'SG-17')).toEqual(['service_window']);
      expect(at(p, 'places.keyInfoChange', 'SG-17')).toEqual(['service_window']);
      expect(applyAt(p, 'bank_outlet', { kind: 'change', reason: 'damaged' })).toEqual([
        'PLACE_NOT_ALLOWED',
        'SG-17',
      ]);
      expect(refusal(() => checkInfoChange(p, ['name'], 'bank_outlet')).citation?.rule).toBe(
        'SG-17',
      );
    },
  ],
  [
    'SG-18',
    'cancellation on transfer, emigration, death, missing; all business settled first',
    (p) => {
      expect(at(p, 'cancellation.grounds', 'SG-18')).toEqual([
        'insurance_transferred',
        'emigration',
        'death',
        'missing',
      ]);
      expect(at(p, 'cancellation.preconditions', 'SG-18')).toEqual([
        'related_business_settled',
        'medical_account_settled',
        'bank_account_closed',
      ]);
      expect(at(p, 'cancellation.deathApplicants', 'SG-18')).toEqual([
        'guardian',
        'household_member',
      ]);
      expect(at(p, 'cancellation.cardRecovered', 'SG-18')).toBe(true);
      expect(at(p, 'effects.cancellation', 'SG-18')).toEqual(['social', 'one_card', 'financial']);
      // 持卡人死亡或失踪的，由持卡人监护人或户籍内家庭成员办理.
      for (const reason of ['death', 'missing']) {
        for (const relation of ['relative', 'agent', 'holder', 'neighbour']) {
          const e = refusal(() =>
            cancel(sg(), p, { ...deathCancel(relation), reason, place: 'service_window' }),
          );
          expect([e.code, e.citation?.rule]).toEqual(['CANCEL_APPLICANT_NOT_ALLOWED', 'SG-18']);
        }
        for (const relation of ['guardian', 'household_member'])
          expect(
            cancel(sg(), p, { ...deathCancel(relation), reason, place: 'service_window' }).ground,
          ).toBe(reason);
      }
    },
  ],
  [
    'SG-19',
    'temporary card: 90 days, free, 20 yuan if lost or damaged, hospital proof',
    (p) => {
      expect(at(p, 'application.kinds', 'SG-19')).toContain('temporary');
      expect(at(p, 'temporaryCard.offered', 'SG-19')).toBe(true);
      expect(at(p, 'temporaryCard.validity', 'SG-19')).toEqual({ amount: 90, unit: 'days' });
      expect(at(p, 'temporaryCard.conditions', 'SG-19')).toContain('hospital_proof');
      expect(at(p, 'temporaryCard.returnOn', 'SG-19')).toEqual(['card_received', 'expiry']);
      expect(at(p, 'temporaryCard.idRequiredWhenUsed', 'SG-19')).toBe(true);
      expect(at(p, 'fees.temporary', 'SG-19')).toBe('free');
      expect(at(p, 'fees.temporaryLostOrDamaged', 'SG-19')).toEqual({ fen: 2000 });
      // 到参保地社保卡综合服务窗口办理申领手续，符合办理条件的现场发放.
      expect(at(p, 'places.temporary', 'SG-19')).toEqual(['service_window']);
      expect(applyAt(p, 'bank_outlet', { kind: 'temporary' })).toEqual([
        'PLACE_NOT_ALLOWED',
        'SG-19',
      ]);
      expect(applyAt(p, 'service_window', { kind: 'temporary' })).toEqual(['accepted']);
      const temporary = stock({ kind: 'temporary' });
      const e = refusal(() => issue(temporary, p, { to: 'holder' }, T0, 'bank_outlet'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'SG-19']);
    },
  ],
  [
    'SG-20',
    'social and bank PINs; change the social PIN at windows, terminals, clinics',
    (p) => {
      expect(at(p, 'pin.socialEnabled', 'SG-20')).toBe(true);
      expect(at(p, 'places.pinChange', 'SG-20')).toEqual([
        'service_window',
        'self_service',
        'medical_institution',
      ]);
      expect(at(p, 'pin.changeAfterPickup', 'SG-20')).toBe('advised');
    },
  ],
  [
    'SG-21',
    'repeated wrong PINs lock the card; the count is a default',
    (p) => {
      expect(at(p, 'pin.lockoutAttempts', 'SG-21')).toBe(6);
      expect(sourceAt(p, 'pin.lockoutAttempts')).toMatchObject({ rule: 'DEFAULT', default: true });
      expect(at(p, 'places.pinUnlock', 'SG-21')).toEqual(['service_window']);
      const locked = sg({ pinLockedAt: T0 });
      const e = refusal(() => unlockPin(locked, p, 'bank_outlet'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'SG-21']);
      expect(unlockPin(locked, p, 'service_window').pinLockedAt).toBeNull();
    },
  ],
  [
    'SG-22',
    'a changed appearance calls for a change of card',
    (p) => {
      expect(at(p, 'change.reasons', 'SG-22')).toContain('appearance_changed');
      expect(at(p, 'places.change', 'SG-22')).toEqual(['service_window']);
    },
  ],
  [
    'SG-25',
    'losses from poor safekeeping fall on the holder',
    (p) => {
      expect(at(p, 'loss.holderLiableUntilReported', 'SG-25')).toBe(true);
    },
  ],
  [
    'SG-29',
    'in force from issue for five years: until 2023-01-31',
    (p) => {
      expect(at(p, 'effectiveFrom', 'SG-29')).toBe('2018-02-01');
      expect(at(p, 'effectiveUntil', 'SG-29')).toBe('2023-01-31');
    },
  ],
]);
