import { expect } from 'vitest';
import { checkSubmission } from '../../lifecycle/application.js';
import { activate, issue, reportLoss, unreport } from '../../lifecycle/card-acts.js';
import { describeArticles } from '../testing/article-harness.js';
import {
  adult,
  card,
  counterApplication,
  noCards,
  refusal,
  stock,
  T0,
  TODAY,
} from '../testing/lifecycle-fixtures.js';
import { at, loadPack, sourceAt } from '../testing/test-support.js';

describeArticles(loadPack('SH'), [
  [
    'SH-4',
    'card data: name, photo, SSN, card number',
    (p) => {
      expect(at(p, 'card.data', 'SH-4')).toEqual(['name', 'photo', 'ssn', 'card_number']);
    },
  ],
  [
    'SH-7',
    'community and bank outlets hand cards over; the card service sends them out',
    (p) => {
      expect(at(p, 'places.issue', 'SH-7')).toEqual([
        'service_window',
        'community_outlet',
        'bank_outlet',
      ]);
      expect(issue(stock(), p, { to: 'holder' }, T0, 'community_outlet').status).toBe('issued');
      const e = refusal(() => issue(stock(), p, { to: 'holder' }, T0, 'phone'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'SH-7']);
    },
  ],
  [
    'SH-8',
    'local household and people insured in Shanghai',
    (p) => {
      expect(at(p, 'eligibility.groups', 'SH-8')).toEqual(
        expect.arrayContaining(['local_household', 'locally_insured']),
      );
    },
  ],
  [
    'SH-9',
    'apply at community or bank outlets, or online',
    (p) => {
      expect(at(p, 'application.proxies', 'SH-9')).toEqual([]);
      expect(at(p, 'places.first', 'SH-9')).toEqual(['community_outlet', 'bank_outlet', 'online']);
      expect(at(p, 'places.reissue', 'SH-9')).toEqual([
        'community_outlet',
        'bank_outlet',
        'online',
      ]);
      expect(at(p, 'places.keyInfoChange', 'SH-9')).toEqual([
        'community_outlet',
        'bank_outlet',
        'online',
      ]);
      const apply = (place: 'community_outlet' | 'service_window') =>
        checkSubmission(p, adult, noCards, { ...counterApplication, place }, TODAY);
      expect(() => apply('community_outlet')).not.toThrow();
      const e = refusal(() => apply('service_window'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'SH-9']);
    },
  ],
  [
    'SH-10',
    'police, HRSS and medical insurance each check within 3 working days; reasons given',
    (p) => {
      expect(at(p, 'checks.required', 'SH-10')).toEqual([
        'police_identity',
        'hrss_insurance',
        'medical_insurance',
      ]);
      expect(at(p, 'checks.deadline', 'SH-10')).toEqual({
        amount: 3,
        unit: 'working_days',
        from: 'application_received',
      });
      expect(at(p, 'checks.reasonGivenOnFailure', 'SH-10')).toBe(true);
    },
  ],
  [
    'SH-11',
    'made and issued within 30 days of passing the checks',
    (p) => {
      expect(at(p, 'production.deadline', 'SH-11')).toEqual({
        amount: 30,
        unit: 'days',
        from: 'checks_passed',
      });
      expect(at(p, 'reissue.deadline', 'SH-11')).toEqual({
        amount: 30,
        unit: 'days',
        from: 'checks_passed',
      });
    },
  ],
  [
    'SH-12',
    'the social function is opened separately: outlets, online, phone',
    (p) => {
      expect(at(p, 'activation.socialFunction', 'SH-12')).toBe('separate_activation');
      expect(at(p, 'places.socialActivation', 'SH-12')).toEqual([
        'community_outlet',
        'bank_outlet',
        'online',
        'phone',
      ]);
      const issued = card({ socialEnabledAt: null });
      const e = refusal(() => activate(issued, p, 'social', T0, 'service_window'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'SH-12']);
    },
  ],
  [
    'SH-14',
    'the financial function is opened with a bank of the applicant’s choice',
    (p) => {
      expect(at(p, 'application.bankChosenByApplicant', 'SH-14')).toBe(true);
      expect(at(p, 'activation.financialNeedsBankActivation', 'SH-14')).toBe(true);
      expect(at(p, 'places.financialActivation', 'SH-14')).toEqual(['bank_outlet']);
      const issued = card({ financialActivatedAt: null });
      const e = refusal(() => activate(issued, p, 'financial', T0, 'community_outlet'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'SH-14']);
    },
  ],
  [
    'SH-17',
    'the holder bears the risk of late reporting',
    (p) => {
      expect(at(p, 'loss.holderLiableUntilReported', 'SH-17')).toBe(true);
    },
  ],
  [
    'SH-18',
    'temporary loss lasts 5 days, then restores; social function frozen at once',
    (p) => {
      expect(at(p, 'loss.temporary.allowed', 'SH-18')).toBe(true);
      expect(at(p, 'loss.temporary.termDays', 'SH-18')).toBe(5);
      expect(at(p, 'loss.temporary.autoRestore', 'SH-18')).toBe(true);
      expect(at(p, 'places.temporaryLoss', 'SH-18')).toEqual(['phone']);
      expect(at(p, 'places.formalLoss', 'SH-18')).toEqual(['online', 'community_outlet']);
      expect(at(p, 'loss.effect', 'SH-18')).toBe('social_function_stops');
      // 通过网上服务平台或者持有效身份证件到社区受理网点办理正式挂失: not at the centre's window,
      // nor at a bank (which takes the bank account's loss, SH-20).
      for (const place of ['service_window', 'bank_outlet'] as const) {
        const e = refusal(() =>
          reportLoss(card(), p, { kind: 'formal', term: 'default' }, T0, place),
        );
        expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'SH-18']);
      }
      // 临时挂失的有效期为 5 日: an open-ended temporary loss is refused by these words.
      const long = refusal(() =>
        reportLoss(card(), p, { kind: 'temporary', term: 'long' }, T0, 'phone'),
      );
      expect([long.code, long.citation?.rule]).toEqual(['LOSS_TERM_NOT_ALLOWED', 'SH-18']);
    },
  ],
  [
    'SH-19',
    'un-report restores at once; replacement after formal loss',
    (p) => {
      expect(at(p, 'places.unreport', 'SH-19')).toEqual(['online', 'community_outlet']);
      expect(at(p, 'places.replacement', 'SH-19')).toEqual([
        'online',
        'community_outlet',
        'bank_outlet',
      ]);
      const lost = card({ loss: { kind: 'formal', since: T0 } });
      const e = refusal(() => unreport(lost, p, {}, T0, 'bank_outlet'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'SH-19']);
      expect(at(p, 'loss.unreport.requiresCard', 'SH-19')).toBe(false);
      expect(at(p, 'replacement.requiresFormalLoss', 'SH-19')).toBe(true);
    },
  ],
  [
    'SH-20',
    'bank loss is separate, under the bank’s rules',
    (p) => {
      expect(at(p, 'loss.bankLinked', 'SH-20')).toBe(false);
    },
  ],
  [
    'SH-21',
    'change for damaged or unusable cards',
    (p) => {
      expect(at(p, 'change.reasons', 'SH-21')).toEqual(expect.arrayContaining(['damaged']));
      expect(at(p, 'places.change', 'SH-21')).toEqual([
        'online',
        'community_outlet',
        'bank_outlet',
      ]);
    },
  ],
  [
    'SH-22',
    'name, SSN, photo or bank change → apply afresh; children 7+ switch to a photo card',
    (p) => {
      expect(at(p, 'reissue.reasons', 'SH-22')).toEqual([
        'name_changed',
        'ssn_changed',
        'photo_changed',
        'bank_changed',
      ]);
      expect(at(p, 'infoChange.keyFields', 'SH-22')).toEqual(['name', 'ssn', 'photo', 'bank']);
      expect(at(p, 'infoChange.keyChangeLeadsTo', 'SH-22')).toBe('reissue');
      expect(at(p, 'photo.photoCardRequiredFromAge', 'SH-22')).toBe(7);
      expect(at(p, 'photo.optionalBelowAge', 'SH-22')).toBe(7);
      expect(at(p, 'change.reasons', 'SH-22')).toContain('child_photo_required');
      expect(at(p, 'reissue.deadline', 'SH-22')).toMatchObject({ from: 'checks_passed' });
      expect(at(p, 'places.reissue', 'SH-22')).toEqual([
        'community_outlet',
        'bank_outlet',
        'online',
      ]);
    },
  ],
  [
    'SH-23',
    '15 days for replacement and change; instant at capable outlets; old card dead for good',
    (p) => {
      const fifteen = { amount: 15, unit: 'days', from: 'replacement_info_received' };
      expect(at(p, 'replacement.deadline', 'SH-23')).toEqual(fifteen);
      expect(at(p, 'change.deadline', 'SH-23')).toEqual(fifteen);
      expect(at(p, 'production.instant', 'SH-23')).toEqual({
        offered: 'designated_outlets',
        kinds: ['replacement', 'change'],
        deadline: null,
      });
      expect(at(p, 'replacement.oldCardInvalid', 'SH-23')).toBe('on_issue_of_new_card');
      expect(at(p, 'change.oldCardInvalid', 'SH-23')).toBe('on_issue_of_new_card');
      expect(at(p, 'reissue.oldCardInvalid', 'SH-23')).toBe('on_issue_of_new_card');
      expect(at(p, 'application.kinds', 'SH-23')).toEqual([
        'first',
        'replacement',
        'change',
        'reissue',
      ]);
      expect(sourceAt(p, 'loss.unreport.cutoff').default).toBe(true);
      expect(at(p, 'loss.unreport.cutoff', 'SH-23')).toBe('replacement_applied');
    },
  ],
  [
    'SH-24',
    'application, replacement and change are free',
    (p) => {
      for (const item of ['first', 'replacement', 'change', 'reissue']) {
        expect(at(p, `fees.${item}`, 'SH-24')).toBe('free');
      }
    },
  ],
  [
    'SH-29',
    'people from abroad insured in Shanghai apply by analogy',
    (p) => {
      expect(at(p, 'eligibility.groups', 'SH-29')).toContain('overseas_insured');
    },
  ],
  [
    'SH-30',
    'older cards without the basic functions stop on 2020-12-31',
    (p) => {
      expect(at(p, 'card.legacyCardsStopOn', 'SH-30')).toBe('2020-12-31');
    },
  ],
  [
    'SH-31',
    'the e-card follows national rules',
    (p) => {
      expect(at(p, 'card.forms', 'SH-31')).toEqual(['physical', 'electronic']);
      expect(at(p, 'ecard.offered', 'SH-31')).toBe(true);
      expect(at(p, 'ecard.rules', 'SH-31')).toBe('national');
    },
  ],
  [
    'SH-32',
    'in force from 2019-12-01 (text as amended 2025-01-08)',
    (p) => {
      expect(at(p, 'effectiveFrom', 'SH-32')).toBe('2019-12-01');
      expect(p.regulation.amendments).toEqual([
        { date: '2025-01-08', documentNumber: '上海市人民政府令第15号' },
      ]);
    },
  ],
]);
