import { expect } from 'vitest';
import { WorkingDayCalendar } from '../../calendar/working-day-calendar.js';
import { checkSubmission, type SubmissionInput } from '../../lifecycle/application.js';
import {
  activate,
  closeBankAccount,
  freeze,
  issue,
  reportLoss,
  unreport,
} from '../../lifecycle/card-acts.js';
import { cancel, destroy } from '../../lifecycle/card-end.js';
import { checkInfoChange } from '../../lifecycle/info-change.js';
import { bankAccountClosureDue, undeliverableDecision } from '../../lifecycle/sweeps.js';
import { usability } from '../../lifecycle/usability.js';
import type { ServicePlace } from '../../rules/vocabulary.js';
import type { RulePack } from '../schema.js';
import { describeArticles } from '../testing/article-harness.js';
import {
  adult,
  apply,
  card,
  counterApplication,
  DAY,
  noCards,
  refusal,
  stock,
  T0,
  TODAY,
} from '../testing/lifecycle-fixtures.js';
import { at, loadPack, sourceAt } from '../testing/test-support.js';

const hn = (over: Parameters<typeof card>[0] = {}) => card({ jurisdiction: 'HN', ...over });

/** The refusal of an application at this place as [code, rule], or ['accepted']. */
function applyAt(p: RulePack, place: ServicePlace, over: Partial<SubmissionInput> = {}) {
  const old = hn({ loss: { kind: 'formal', since: T0 } });
  const kind = over.kind ?? 'first';
  try {
    checkSubmission(
      p,
      adult,
      kind === 'first' ? noCards : { ...noCards, live: old },
      { ...counterApplication, ...(kind === 'first' ? {} : { oldCard: old }), ...over, place },
      TODAY,
    );
    return ['accepted'];
  } catch (e) {
    const err = e as { code: string; citation?: { rule: string } };
    return [err.code, err.citation?.rule];
  }
}

const cancelForDeath = {
  reason: 'death',
  openApplications: 0,
  evidence: {
    applicantIdSeen: true,
    cardHandedIn: true,
    commitment: true,
    applicantRelation: 'agent',
  },
};

describeArticles(loadPack('HN'), [
  [
    'HN-2',
    'application, replacement, change and reissue (换发)',
    (p) => {
      expect(at(p, 'application.kinds', 'HN-2')).toEqual([
        'first',
        'replacement',
        'change',
        'reissue',
      ]);
    },
  ],
  [
    'HN-3',
    'one person, one card, province-wide',
    (p) => {
      expect(at(p, 'card.onePerPerson', 'HN-3')).toBe(true);
      expect(at(p, 'card.onePerPersonScope', 'HN-3')).toBe('province');
    },
  ],
  [
    'HN-4',
    'physical and electronic cards of equal effect and the same status',
    (p) => {
      expect(at(p, 'card.forms', 'HN-4')).toEqual(['physical', 'electronic']);
      expect(at(p, 'ecard.offered', 'HN-4')).toBe(true);
      expect(at(p, 'ecard.mirrorsPhysicalStatus', 'HN-4')).toBe(true);
      // The one-card functions and the financial functions are two things (一卡通应用功能 / 金融应用功能).
      expect(at(p, 'effects.freeze', 'HN-4')).toEqual(['social', 'one_card']);
    },
  ],
  [
    'HN-5',
    'card data with bank account; no photo needed under 7; SSN is the citizen number',
    (p) => {
      expect(at(p, 'card.data', 'HN-5')).toEqual(['name', 'photo', 'ssn', 'bank_account_number']);
      expect(at(p, 'card.ssnIsCitizenIdNumber', 'HN-5')).toBe(true);
      expect(at(p, 'photo.optionalBelowAge', 'HN-5')).toBe(7);
      expect(at(p, 'card.onePerPersonScope', 'HN-5')).toBe('province');
      expect(sourceAt(p, 'photo.photoCardRequiredFromAge').default).toBe(true);
    },
  ],
  [
    'HN-6',
    'cards are valid for ten years',
    (p) => {
      expect(at(p, 'card.validityYears', 'HN-6')).toBe(10);
    },
  ],
  [
    'HN-8',
    'household members and people with local public-service rights',
    (p) => {
      expect(at(p, 'eligibility.groups', 'HN-8')).toEqual(
        expect.arrayContaining(['local_household', 'public_service_rights', 'foreigners']),
      );
    },
  ],
  [
    'HN-9',
    'counters, online, self-service terminals, employer/school/village proxies',
    (p) => {
      expect(at(p, 'application.proxies', 'HN-9')).toEqual(['unit', 'agent']);
      expect(at(p, 'places.first', 'HN-9')).toEqual([
        'service_window',
        'bank_outlet',
        'online',
        'app',
        'self_service',
      ]);
      for (const place of [
        'service_window',
        'bank_outlet',
        'online',
        'app',
        'self_service',
      ] as const)
        expect(applyAt(p, place)).toEqual(['accepted']);
      expect(applyAt(p, 'community_outlet')).toEqual(['PLACE_NOT_ALLOWED', 'HN-9']);
    },
  ],
  [
    'HN-10',
    'seven accepted documents; household register under 16; guardian recorded',
    (p) => {
      expect(at(p, 'identity.documents.household_register', 'HN-10')).toEqual({
        accepted: true,
        onlyUnderAge: 16,
      });
      for (const doc of [
        'resident_id',
        'hmt_residence_permit',
        'hk_macau_travel_permit',
        'tw_travel_permit',
        'passport',
        'foreign_permanent_residence',
      ]) {
        expect(at(p, `identity.documents.${doc}`, 'HN-10')).toEqual({ accepted: true });
      }
      expect(at(p, 'agents.guardianRecorded', 'HN-10')).toBe(true);
      expect(at(p, 'agents.unableToAttend', 'HN-10')).toMatchObject({ proofRequired: true });
      expect(at(p, 'application.proxies', 'HN-10')).toContain('agent');
    },
  ],
  [
    'HN-11',
    'joint checks incl. bank account; 30 working days from acceptance; instant outlets',
    (p) => {
      expect(at(p, 'checks.required', 'HN-11')).toEqual([
        'applicant_info',
        'card_status',
        'bank_account_opening',
      ]);
      expect(at(p, 'checks.reasonGivenOnFailure', 'HN-11')).toBe(true);
      expect(at(p, 'production.deadline', 'HN-11')).toEqual({
        amount: 30,
        unit: 'working_days',
        from: 'acceptance',
      });
      expect(at(p, 'production.instant', 'HN-11')).toMatchObject({ offered: 'designated_outlets' });
      expect(at(p, 'places.issue', 'HN-11')).toEqual(['service_window', 'bank_outlet']);
      const e = refusal(() => issue(stock(), p, { to: 'holder' }, T0, 'community_outlet'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'HN-11']);
    },
  ],
  [
    'HN-12',
    'pickup in person, by agent, mail, home visit; unclaimed 180 days recovered and held',
    (p) => {
      expect(at(p, 'pickup.methods', 'HN-12')).toEqual([
        'self',
        'agent',
        'unit',
        'mail',
        'home_visit',
      ]);
      expect(at(p, 'unclaimed.after', 'HN-12')).toEqual({
        amount: 180,
        unit: 'days',
        from: 'ready_for_pickup',
      });
      expect(at(p, 'unclaimed.action', 'HN-12')).toBe('recover_and_hold');
      expect(at(p, 'unclaimed.undeliverable', 'HN-12')).toEqual(['death', 'emigration']);
      expect(at(p, 'places.issue', 'HN-12')).toEqual(['service_window', 'bank_outlet']);
      // 发放期间因死亡、出国(境)定居等原因无法送达的社会保障卡，市县一卡通机构应统一回收保管.
      expect(at(p, 'unclaimed.undeliverableAction', 'HN-12')).toBe('recover_and_hold');
      for (const facts of [{ diedOn: TODAY }, { settledAbroad: true }])
        expect(undeliverableDecision(stock(), facts, p)).toMatchObject({
          action: 'recover_and_hold',
          ends: false,
          citation: { rule: 'HN-12' },
        });
      expect(undeliverableDecision(stock(), { jobTransfer: true }, p)).toBeNull();
      const e = refusal(() =>
        issue(stock(), p, { to: 'holder', holderDiedOn: TODAY }, T0, 'bank_outlet'),
      );
      expect([e.code, e.citation?.rule]).toEqual(['HOLDER_DECEASED', 'HN-12']);
    },
  ],
  [
    'HN-13',
    'e-card only after the physical card, unusable while it is abnormal',
    (p) => {
      expect(at(p, 'ecard.requiresPhysicalCard', 'HN-13')).toBe(true);
      expect(at(p, 'ecard.mirrorsPhysicalStatus', 'HN-13')).toBe(true);
    },
  ],
  [
    'HN-14',
    'no social PIN in Hainan; the e-card has its own payment PIN',
    (p) => {
      expect(at(p, 'pin.socialEnabled', 'HN-14')).toBe(false);
      expect(at(p, 'pin.lockoutAttempts', 'HN-14')).toBeNull();
      for (const act of ['pinChange', 'pinReset', 'pinUnlock'])
        expect(at(p, `places.${act}`, 'HN-14')).toEqual([]);
      expect(at(p, 'ecard.separatePaymentPin', 'HN-14')).toBe(true);
    },
  ],
  [
    'HN-15',
    'social function enabled automatically at pickup; bank account activated at the bank',
    (p) => {
      expect(at(p, 'activation.socialFunction', 'HN-15')).toBe('at_pickup');
      expect(at(p, 'activation.financialNeedsBankActivation', 'HN-15')).toBe(true);
      expect(at(p, 'places.socialActivation', 'HN-15')).toEqual([]);
      // 到合作金融机构办理社会保障卡银行账户激活: at the bank, not at the agency's window.
      expect(at(p, 'places.financialActivation', 'HN-15')).toEqual(['bank_outlet']);
      const issued = hn({ financialActivatedAt: null });
      const e = refusal(() => activate(issued, p, 'financial', T0, 'service_window'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'HN-15']);
    },
  ],
  [
    'HN-16',
    'temporary then formal loss, or formal directly',
    (p) => {
      expect(at(p, 'loss.temporary.allowed', 'HN-16')).toBe(true);
    },
  ],
  [
    'HN-17',
    'temporary loss for 15 days or long-term by choice, linked with the bank',
    (p) => {
      expect(at(p, 'loss.temporary.termDays', 'HN-17')).toBe(15);
      expect(at(p, 'loss.temporary.longTermOption', 'HN-17')).toBe(true);
      expect(at(p, 'loss.temporary.autoRestore', 'HN-17')).toBe(true);
      expect(at(p, 'places.temporaryLoss', 'HN-17')).toEqual([
        'service_window',
        'phone',
        'online',
        'app',
        'bank_outlet',
        'bank_phone',
      ]);
      expect(at(p, 'loss.effect', 'HN-17')).toBe('all_functions_stop');
      expect(at(p, 'loss.bankLinked', 'HN-17')).toBe(true);
    },
  ],
  [
    'HN-18',
    'formal loss at the bank or online, linked in real time',
    (p) => {
      expect(at(p, 'places.formalLoss', 'HN-18')).toEqual(['bank_outlet', 'online', 'app']);
      const e = refusal(() =>
        reportLoss(hn(), p, { kind: 'formal', term: 'default' }, T0, 'service_window'),
      );
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'HN-18']);
      expect(at(p, 'loss.bankLinked', 'HN-18')).toBe(true);
      expect(at(p, 'loss.effect', 'HN-18')).toBe('all_functions_stop');
    },
  ],
  [
    'HN-19',
    'un-report at the bank with card and ID; not after a replacement is applied for',
    (p) => {
      expect(at(p, 'loss.unreport.cutoff', 'HN-19')).toBe('replacement_applied');
      expect(at(p, 'places.unreport', 'HN-19')).toEqual(['bank_outlet']);
      const lost = hn({ loss: { kind: 'formal', since: T0 } });
      const e = refusal(() => unreport(lost, p, { cardPresented: true }, T0, 'service_window'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'HN-19']);
      expect(at(p, 'loss.unreport.requiresCard', 'HN-19')).toBe(true);
      expect(at(p, 'loss.bankLinked', 'HN-19')).toBe(true);
    },
  ],
  [
    'HN-20',
    'replacement after formal loss; the old card dies on acceptance',
    (p) => {
      expect(at(p, 'replacement.requiresFormalLoss', 'HN-20')).toBe(true);
      expect(at(p, 'replacement.oldCardInvalid', 'HN-20')).toBe('on_acceptance');
      expect(at(p, 'places.replacement', 'HN-20')).toEqual(['bank_outlet', 'online', 'app']);
      expect(applyAt(p, 'service_window', { kind: 'replacement' })).toEqual([
        'PLACE_NOT_ALLOWED',
        'HN-20',
      ]);
      expect(applyAt(p, 'online', { kind: 'replacement' })).toEqual(['accepted']);
    },
  ],
  [
    'HN-21',
    'seven change reasons incl. expiry, upgrade and voluntary',
    (p) => {
      expect(at(p, 'change.reasons', 'HN-21')).toEqual(
        expect.arrayContaining([
          'expired',
          'damaged',
          'photo_changed',
          'upgrade',
          'voluntary',
          'other',
        ]),
      );
    },
  ],
  [
    'HN-22',
    'an expiring card is changed before it expires',
    (p) => {
      expect(at(p, 'card.renewBeforeExpiry', 'HN-22')).toBe(true);
      // (一) an expiring card also at the agency; (二) every other change only at the bank or online.
      expect(at(p, 'places.expiryChange', 'HN-22')).toEqual([
        'service_window',
        'bank_outlet',
        'online',
        'app',
      ]);
      expect(at(p, 'places.change', 'HN-22')).toEqual(['bank_outlet', 'online', 'app']);
      expect(applyAt(p, 'service_window', { kind: 'change', reason: 'expired' })).toEqual([
        'accepted',
      ]);
      expect(applyAt(p, 'service_window', { kind: 'change', reason: 'damaged' })).toEqual([
        'PLACE_NOT_ALLOWED',
        'HN-22',
      ]);
      expect(applyAt(p, 'bank_outlet', { kind: 'change', reason: 'damaged' })).toEqual([
        'accepted',
      ]);
    },
  ],
  [
    'HN-23',
    'key information change → reissue (换发); non-key at outlets, online, terminals',
    (p) => {
      expect(at(p, 'reissue.reasons', 'HN-23')).toEqual([
        'name_changed',
        'id_type_changed',
        'ssn_changed',
      ]);
      expect(at(p, 'infoChange.keyFields', 'HN-23')).toEqual(['name', 'id_type', 'ssn']);
      expect(at(p, 'infoChange.keyChangeLeadsTo', 'HN-23')).toBe('reissue');
      expect(at(p, 'infoChange.proofRequired', 'HN-23')).toBe(true);
      expect(at(p, 'places.nonKeyInfoChange', 'HN-23')).toEqual([
        'service_window',
        'online',
        'app',
        'self_service',
      ]);
      expect(at(p, 'places.reissue', 'HN-23')).toEqual(['bank_outlet', 'online', 'app']);
      expect(at(p, 'places.keyInfoChange', 'HN-23')).toEqual(['bank_outlet', 'online', 'app']);
      expect(applyAt(p, 'service_window', { kind: 'reissue', reason: 'name_changed' })).toEqual([
        'PLACE_NOT_ALLOWED',
        'HN-23',
      ]);
      expect(refusal(() => checkInfoChange(p, ['phone'], 'bank_outlet')).citation?.rule).toBe(
        'HN-23',
      );
      expect(refusal(() => checkInfoChange(p, ['name'], 'service_window')).citation?.rule).toBe(
        'HN-23',
      );
      expect(checkInfoChange(p, ['ssn'], 'online')).toEqual({ key: true, leadsTo: 'reissue' });
    },
  ],
  [
    'HN-24',
    'first card and gen-2→3 free; expiry and upgrade free; hardship free; else bank rate',
    (p) => {
      expect(at(p, 'fees.first', 'HN-24')).toBe('free');
      for (const item of ['replacement', 'change', 'reissue']) {
        expect(at(p, `fees.${item}`, 'HN-24')).toBe('configured');
      }
      expect(at(p, 'fees.freeReasons', 'HN-24')).toEqual(['expired', 'upgrade']);
      expect(at(p, 'fees.hardshipExempt', 'HN-24')).toEqual(['tekun', 'dibao']);
    },
  ],
  [
    'HN-25',
    'old card handed back at pickup and destroyed; not handed back → replacement',
    (p) => {
      expect(at(p, 'change.oldCardInvalid', 'HN-25')).toBe('on_issue_of_new_card');
      expect(at(p, 'change.oldCardReturnedAtPickup', 'HN-25')).toBe(true);
      expect(at(p, 'change.notReturnedTreatedAsReplacement', 'HN-25')).toBe(true);
      expect(at(p, 'reissue.oldCardInvalid', 'HN-25')).toBe('on_issue_of_new_card');
      expect(at(p, 'destruction.cards', 'HN-25')).toContain('returned_old');
    },
  ],
  [
    'HN-26',
    'fast replacement and change within 5 days',
    (p) => {
      const five = { amount: 5, unit: 'days', from: 'acceptance' };
      expect(at(p, 'replacement.deadline', 'HN-26')).toEqual(five);
      expect(at(p, 'change.deadline', 'HN-26')).toEqual(five);
      expect(at(p, 'production.instant', 'HN-26')).toMatchObject({ kinds: ['first'] });
    },
  ],
  [
    'HN-27',
    'death: agent cancels, proof by commitment allowed, bank account closed within 180 days',
    (p) => {
      expect(at(p, 'cancellation.grounds', 'HN-27')).toEqual(['death']);
      expect(at(p, 'cancellation.preconditions', 'HN-27')).toEqual([]);
      expect(at(p, 'cancellation.deathApplicants', 'HN-27')).toEqual(['agent']);
      expect(at(p, 'cancellation.deathDocuments', 'HN-27')).toEqual([
        'card',
        'applicant_id',
        'death_certificate',
      ]);
      expect(at(p, 'cancellation.deathProofByCommitment', 'HN-27')).toBe(true);
      expect(at(p, 'cancellation.bankAccountClosureWithin', 'HN-27')).toEqual({
        amount: 180,
        unit: 'days',
        from: 'cancellation',
      });
      expect(at(p, 'cancellation.cardRecovered', 'HN-27')).toBe(true);
      expect(at(p, 'destruction.cards', 'HN-27')).toContain('cancelled');
      expect(at(p, 'places.cancellation', 'HN-27')).toEqual(['service_window', 'online', 'app']);
      expect(
        refusal(() => cancel(hn(), p, { ...cancelForDeath, place: 'bank_outlet' })).citation?.rule,
      ).toBe('HN-27');
      const holderAsks = {
        ...cancelForDeath,
        evidence: { ...cancelForDeath.evidence, applicantRelation: 'holder' },
      };
      const who = refusal(() => cancel(hn(), p, holderAsks));
      expect([who.code, who.citation?.rule]).toEqual(['CANCEL_APPLICANT_NOT_ALLOWED', 'HN-27']);
      expect(cancel(hn(), p, { ...cancelForDeath, place: 'service_window' }).ground).toBe('death');

      // 注销后社会保障卡的一卡通应用功能终止使用; the agent still collects benefits through the card.
      expect(at(p, 'effects.cancellation', 'HN-27')).toEqual(['social', 'one_card']);
      const cancelled = hn({ status: 'cancelled', endedAt: T0 });
      const u = usability(cancelled, p, new Date(T0.getTime() + 10 * DAY));
      expect(u).toMatchObject({
        usable: false,
        social: false,
        oneCard: false,
        financial: true,
        bankAccountClosurePending: true,
      });
      // 在办理注销后的 180日内 … 办理银行账户注销手续: the deadline is tracked from the cancellation.
      const due = bankAccountClosureDue(cancelled, p, new WorkingDayCalendar())!;
      expect(due.citation.rule).toBe('HN-27');
      expect(due.due.toISOString()).toBe('2026-11-02T15:59:59.999Z');
      // 注销银行账户后,由合作金融机构回收社会保障卡并销毁: kept until then.
      const kept = refusal(() => destroy(cancelled, p, T0));
      expect([kept.code, kept.citation?.rule]).toEqual(['CARD_KEPT_UNTIL_ACCOUNT_CLOSED', 'HN-27']);
      const closed = apply(cancelled, closeBankAccount(cancelled, p, T0));
      expect(usability(closed, p, T0)).toMatchObject({
        financial: false,
        bankAccountClosurePending: false,
      });
      expect(bankAccountClosureDue(closed, p, new WorkingDayCalendar())).toBeNull();
      expect(() => destroy(closed, p, T0)).not.toThrow();
    },
  ],
  [
    'HN-28',
    'deaths found by data matching: the agent is told to cancel',
    (p) => {
      expect(at(p, 'cancellation.deathFoundByDataMatch', 'HN-28')).toBe('notify_agent');
    },
  ],
  [
    'HN-32',
    'machine reads check the card online',
    (p) => {
      expect(at(p, 'devices.onlineValidityCheck', 'HN-32')).toBe(true);
    },
  ],
  [
    'HN-37',
    'losses from poor safekeeping fall on the holder',
    (p) => {
      expect(at(p, 'loss.holderLiableUntilReported', 'HN-37')).toBe(true);
    },
  ],
  [
    'HN-38',
    'hotline 0898-12333',
    (p) => {
      expect(at(p, 'service.hotline', 'HN-38')).toBe('0898-12333');
    },
  ],
  [
    'HN-42',
    'misuse suspends the one-card functions, not the bank account',
    (p) => {
      expect(at(p, 'suspension.forMisuse', 'HN-42')).toBe(true);
      expect(at(p, 'effects.freeze', 'HN-42')).toEqual(['social', 'one_card']);
      expect(at(p, 'places.freeze', 'HN-42')).toEqual(['service_window']);
      const frozen = apply(hn(), freeze(hn(), p, T0, 'service_window'));
      expect(usability(frozen, p, T0)).toMatchObject({
        usable: false,
        social: false,
        oneCard: false,
        financial: true,
      });
      const e = refusal(() => freeze(hn(), p, T0, 'bank_outlet'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'HN-42']);
      // The bank account may still be activated while the one-card functions are suspended.
      const inactive = apply(frozen, { financialActivatedAt: null });
      expect(activate(inactive, p, 'financial', T0, 'bank_outlet').financialActivatedAt).toEqual(
        T0,
      );
    },
  ],
  [
    'HN-45',
    'guardians or agents for under-16s, the incapable, the elderly and disabled',
    (p) => {
      expect(at(p, 'agents.minors', 'HN-45')).toEqual({
        belowAge: 16,
        mandatory: false,
        scope: 'all',
      });
      expect(at(p, 'agents.unableToAttend', 'HN-45')).toMatchObject({
        allowed: true,
        groups: ['elderly', 'disabled', 'incapacitated'],
        scope: 'all',
      });
      expect(at(p, 'agents.agentShowsOwnId', 'HN-45')).toBe(true);
    },
  ],
  [
    'HN-47',
    'in force from 2022-01-01',
    (p) => {
      expect(at(p, 'effectiveFrom', 'HN-47')).toBe('2022-01-01');
    },
  ],
]);
