import { expect } from 'vitest';
import { checkSubmission } from '../../lifecycle/application.js';
import { freeze, issue, suspend } from '../../lifecycle/card-acts.js';
import { cancel } from '../../lifecycle/card-end.js';
import { checkInfoChange } from '../../lifecycle/info-change.js';
import { unlockPin } from '../../lifecycle/pin.js';
import { delayNoticeDue, undeliverableDecision } from '../../lifecycle/sweeps.js';
import { usability } from '../../lifecycle/usability.js';
import { describeArticles } from '../testing/article-harness.js';
import {
  adult,
  apply,
  card,
  counterApplication,
  noCards,
  refusal,
  stock,
  T0,
  TODAY,
} from '../testing/lifecycle-fixtures.js';
import { at, loadPack, sourceAt } from '../testing/test-support.js';

const fz = (over: Parameters<typeof card>[0] = {}) => card({ jurisdiction: 'FZ', ...over });
const deathCancel = (relation: string) => ({
  reason: 'death',
  openApplications: 0,
  attestations: { holderReminded: true },
  evidence: { relativeIdSeen: true, deathCertificate: 'No. 1', applicantRelation: relation },
});

describeArticles(loadPack('FZ'), [
  [
    'FZ-doc',
    'issued on 2021-09-06',
    (p) => {
      expect(at(p, 'effectiveFrom', 'FZ-doc')).toBe('2021-09-06');
    },
  ],
  [
    'FZ-annex1',
    'the form records the guardian of a child',
    (p) => {
      expect(at(p, 'agents.guardianRecorded', 'FZ-annex1')).toBe(true);
    },
  ],
  [
    'FZ-3',
    'insured people and anyone who asks; the first card is free',
    (p) => {
      expect(at(p, 'eligibility.groups', 'FZ-3')).toEqual(['locally_insured', 'voluntary']);
      expect(at(p, 'fees.first', 'FZ-3')).toBe('free');
    },
  ],
  [
    'FZ-6',
    'a replacement fee exists; banks may not pay it as an inducement',
    (p) => {
      expect(at(p, 'fees.replacement', 'FZ-6')).toBe('configured');
      expect(at(p, 'fees.change', 'FZ-6')).toBe('configured');
    },
  ],
  [
    'FZ-7',
    'a non-tax receipt is issued',
    (p) => {
      expect(at(p, 'fees.receipt', 'FZ-7')).toBe('non_tax_receipt');
    },
  ],
  [
    'FZ-9',
    'one outlet per district open on non-working days',
    (p) => {
      expect(at(p, 'service.nonWorkingDayOutletPerDistrict', 'FZ-9')).toBe(true);
      expect(at(p, 'places.issue', 'FZ-9')).toEqual(['bank_outlet']);
    },
  ],
  [
    'FZ-12',
    'equipment filed; changes reported within 7 working days',
    (p) => {
      expect(at(p, 'devices.registration', 'FZ-12')).toEqual({
        required: true,
        changeReportWithin: { amount: 7, unit: 'working_days' },
      });
    },
  ],
  [
    'FZ-15',
    'individuals or units at bank outlets, or online',
    (p) => {
      expect(at(p, 'application.proxies', 'FZ-15')).toEqual(['unit', 'agent']);
      expect(at(p, 'places.first', 'FZ-15')).toEqual(['bank_outlet', 'online', 'app']);
      const e = refusal(() =>
        checkSubmission(
          p,
          adult,
          noCards,
          { ...counterApplication, place: 'service_window' },
          TODAY,
        ),
      );
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'FZ-15']);
    },
  ],
  [
    'FZ-16',
    'instant at the counter, else 15 working days with consent; card elsewhere in Fujian stopped',
    (p) => {
      expect(at(p, 'production.deadline', 'FZ-16')).toEqual({
        amount: 15,
        unit: 'working_days',
        from: 'acceptance',
      });
      expect(at(p, 'production.nonInstantNeedsConsent', 'FZ-16')).toBe(true);
      expect(at(p, 'replacement.deadline', 'FZ-16')).toEqual({
        amount: 15,
        unit: 'working_days',
        from: 'acceptance',
      });
      expect(at(p, 'change.deadline', 'FZ-16')).toEqual({
        amount: 15,
        unit: 'working_days',
        from: 'acceptance',
      });
      expect(at(p, 'photo.optionalBelowAge', 'FZ-16')).toBe(2);
      expect(at(p, 'card.onePerPersonScope', 'FZ-16')).toBe('province');
      expect(at(p, 'card.otherCardInProvince', 'FZ-16')).toEqual({
        stopWithConsent: true,
        medicalTransferFirst: true,
      });
      expect(at(p, 'checks.required', 'FZ-16')).toEqual([
        'documents_on_site',
        'bank_account_opening',
      ]);
      expect(at(p, 'checks.reasonGivenOnFailure', 'FZ-16')).toBe(true);
      expect(at(p, 'application.proxies', 'FZ-16')).toContain('agent');
    },
  ],
  [
    'FZ-17',
    'online: rejection with reasons within 2 working days; card within 15 working days',
    (p) => {
      expect(at(p, 'checks.onlineRejectionDeadline', 'FZ-17')).toEqual({
        amount: 2,
        unit: 'working_days',
        from: 'application_received',
      });
      expect(at(p, 'production.deadline', 'FZ-17')).toMatchObject({ amount: 15 });
      expect(at(p, 'photo.optionalBelowAge', 'FZ-17')).toBe(2);
      expect(at(p, 'application.bankChosenByApplicant', 'FZ-17')).toBe(true);
    },
  ],
  [
    'FZ-18',
    'unit batches: card within 15 working days; bank chosen with consent',
    (p) => {
      expect(at(p, 'production.deadline', 'FZ-18')).toMatchObject({
        amount: 15,
        unit: 'working_days',
      });
      expect(at(p, 'application.bankChosenByApplicant', 'FZ-18')).toBe(true);
    },
  ],
  [
    'FZ-20',
    'a card the vendor could not make is made again',
    (p) => {
      expect(at(p, 'production.failedCards', 'FZ-20')).toBe('reproduce');
    },
  ],
  [
    'FZ-21',
    'instant production takes at most 20 minutes, also for replacements',
    (p) => {
      expect(at(p, 'production.instant', 'FZ-21')).toEqual({
        offered: 'every_counter',
        kinds: ['first', 'replacement', 'change'],
        deadline: { amount: 20, unit: 'minutes', from: 'acceptance' },
      });
    },
  ],
  [
    'FZ-23',
    'counter or courier delivery; delays are announced',
    (p) => {
      expect(at(p, 'pickup.methods', 'FZ-23')).toEqual(['self', 'unit', 'courier', 'home_visit']);
      expect(at(p, 'production.delayNotice', 'FZ-23')).toBe(true);
      expect(at(p, 'places.issue', 'FZ-23')).toEqual(['bank_outlet']);
      const e = refusal(() => issue(stock(), p, { to: 'holder' }, T0, 'service_window'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'FZ-23']);
      // 因特殊情况需延期发放的，应及时通知申领人: a late card is flagged until the notice is recorded.
      const late = { dueAt: T0, issuedAt: null, noticeGivenAt: null };
      const later = new Date(T0.getTime() + 1);
      expect(delayNoticeDue(late, p, T0)).toBeNull();
      expect(delayNoticeDue(late, p, later)).toMatchObject({ citation: { rule: 'FZ-23' } });
      expect(delayNoticeDue({ ...late, noticeGivenAt: T0 }, p, later)).toBeNull();
      expect(delayNoticeDue(late, loadPack('SH'), later)).toBeNull();
    },
  ],
  [
    'FZ-24',
    '"立等可取" at the counter; home visits leave a photo record',
    (p) => {
      expect(at(p, 'production.instant', 'FZ-24')).toMatchObject({ offered: 'every_counter' });
      expect(at(p, 'pickup.homeVisitPhotoRecord', 'FZ-24')).toBe(true);
      expect(at(p, 'pickup.methods', 'FZ-24')).toContain('home_visit');
    },
  ],
  [
    'FZ-25',
    'unit batch pickup against a signed roster',
    (p) => {
      expect(at(p, 'pickup.unitRosterSignature', 'FZ-25')).toBe(true);
      expect(at(p, 'pickup.methods', 'FZ-25')).toContain('unit');
    },
  ],
  [
    'FZ-26',
    'the applicant pays the courier',
    (p) => {
      expect(at(p, 'fees.courierFeePaidBy', 'FZ-26')).toBe('applicant');
    },
  ],
  [
    'FZ-27',
    'sleeping cards over 6 months cancelled and destroyed; daily and monthly ledgers',
    (p) => {
      expect(at(p, 'unclaimed.after', 'FZ-27')).toEqual({
        amount: 6,
        unit: 'months',
        from: 'ready_for_pickup',
      });
      expect(at(p, 'unclaimed.action', 'FZ-27')).toBe('cancel_and_destroy');
      expect(at(p, 'unclaimed.undeliverable', 'FZ-27')).toHaveLength(4);
      expect(at(p, 'ledgers.unissuedInventory', 'FZ-27')).toBe(true);
      expect(at(p, 'ledgers.branchDaily', 'FZ-27')).toEqual({
        fields: [
          'name',
          'ssn',
          'card_number',
          'bank_account_number',
          'produced_at',
          'planned_handover_at',
        ],
      });
      expect(at(p, 'ledgers.bankMonthly', 'FZ-27')).toMatchObject({
        due: 'working_day_before_month_end',
      });
      expect(at(p, 'destruction.cards', 'FZ-27')).toContain('unclaimed');
      // 因工作调动、死亡、出国（境）定居、制卡失败的废卡等未发放到本人手中的: cancelled with the
      // reason, recovered and destroyed.
      expect(at(p, 'unclaimed.undeliverableAction', 'FZ-27')).toBe('cancel_and_destroy');
      for (const [facts, reason] of [
        [{ jobTransfer: true }, 'job_transfer'],
        [{ diedOn: TODAY }, 'death'],
        [{ settledAbroad: true }, 'emigration'],
        [{ productionFailed: true }, 'production_failure'],
      ] as const) {
        expect(undeliverableDecision(stock({ status: 'in_production' }), facts, p)).toEqual({
          reason,
          action: 'cancel_and_destroy',
          ends: true,
          destroy: true,
          citation: expect.objectContaining({ rule: 'FZ-27' }),
        });
      }
      expect(undeliverableDecision(stock(), {}, p)).toBeNull();
      const dead = refusal(() =>
        issue(stock(), p, { to: 'holder', holderDiedOn: TODAY }, T0, 'bank_outlet'),
      );
      expect([dead.code, dead.citation?.rule]).toEqual(['HOLDER_DECEASED', 'FZ-27']);
    },
  ],
  [
    'FZ-28',
    'the bureau may freeze a misused card',
    (p) => {
      expect(at(p, 'suspension.forMisuse', 'FZ-28')).toBe(true);
      // 有权冻结违规使用的社会保障卡: the card, every function; the bureau's act.
      expect(at(p, 'effects.freeze', 'FZ-28')).toEqual(['social', 'one_card', 'financial']);
      expect(at(p, 'places.freeze', 'FZ-28')).toEqual(['service_window']);
      const frozen = apply(fz(), freeze(fz(), p, T0, 'service_window'));
      expect(usability(frozen, p, T0)).toMatchObject({
        social: false,
        oneCard: false,
        financial: false,
      });
      const e = refusal(() => freeze(fz(), p, T0, 'bank_outlet'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'FZ-28']);
    },
  ],
  [
    'FZ-29',
    'changes, activation, loss, un-reporting, stopping and cancelling at the bank branch',
    (p) => {
      expect(at(p, 'places.suspension', 'FZ-29')).toEqual(['bank_outlet']);
      expect(at(p, 'places.cancellation', 'FZ-29')).toEqual(['bank_outlet']);
      const stop = refusal(() => suspend(fz(), p, T0, 'service_window'));
      expect([stop.code, stop.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'FZ-29']);
      expect(suspend(fz(), p, T0, 'bank_outlet').suspendedAt).toEqual(T0);
      const end = refusal(() =>
        cancel(fz(), p, { ...deathCancel('relative'), place: 'service_window' }),
      );
      expect([end.code, end.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'FZ-29']);
    },
  ],
  [
    'FZ-30',
    'key information, photo at 2+, non-key contact data; e-card failures fixed as data',
    (p) => {
      expect(at(p, 'infoChange.keyFields', 'FZ-30')).toEqual(['name', 'id_number']);
      expect(at(p, 'infoChange.proofRequired', 'FZ-30')).toBe(true);
      expect(at(p, 'infoChange.nonKeyFields', 'FZ-30')).toEqual(['phone', 'address', 'postcode']);
      expect(at(p, 'places.nonKeyInfoChange', 'FZ-30')).toEqual(['bank_outlet']);
      expect(at(p, 'places.keyInfoChange', 'FZ-30')).toEqual(['bank_outlet']);
      for (const fields of [['phone'], ['name']] as const) {
        const e = refusal(() => checkInfoChange(p, fields, 'service_window'));
        expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'FZ-30']);
      }
      expect(checkInfoChange(p, ['id_number'], 'bank_outlet')).toEqual({
        key: true,
        leadsTo: 'change',
      });
      expect(at(p, 'photo.photoCardRequiredFromAge', 'FZ-30')).toBe(2);
      expect(at(p, 'card.forms', 'FZ-30')).toEqual(['physical', 'electronic']);
      expect(at(p, 'ecard.offered', 'FZ-30')).toBe(true);
      expect(at(p, 'ecard.issueFailureAsInfoChange', 'FZ-30')).toBe(true);
      expect(at(p, 'pin.changeAfterPickup', 'FZ-30')).toBe('optional');
    },
  ],
  [
    'FZ-31',
    'the branch enables the social function before handing over; account opened too',
    (p) => {
      expect(at(p, 'activation.socialFunction', 'FZ-31')).toBe('before_handover');
      expect(at(p, 'places.socialActivation', 'FZ-31')).toEqual(['bank_outlet']);
      expect(at(p, 'places.financialActivation', 'FZ-31')).toEqual(['bank_outlet']);
      expect(at(p, 'activation.financialNeedsBankActivation', 'FZ-31')).toBe(false);
    },
  ],
  [
    'FZ-32',
    'initial PIN 888888, six wrong attempts lock, reset at any branch or in the app',
    (p) => {
      expect(at(p, 'pin.socialEnabled', 'FZ-32')).toBe(true);
      expect(at(p, 'pin.initial', 'FZ-32')).toBe('888888');
      expect(at(p, 'pin.lockoutAttempts', 'FZ-32')).toBe(6);
      expect(at(p, 'places.pinChange', 'FZ-32')).toEqual([
        'bank_outlet',
        'pharmacy',
        'self_service',
        'app',
      ]);
      expect(at(p, 'places.pinReset', 'FZ-32')).toEqual(['bank_outlet', 'app']);
      expect(at(p, 'places.pinUnlock', 'FZ-32')).toEqual(['bank_outlet', 'app']);
      const e = refusal(() => unlockPin(fz({ pinLockedAt: T0 }), p, 'service_window'));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'FZ-32']);
      expect(at(p, 'pin.verifiedOnlyAt', 'FZ-32')).toEqual(['pharmacy']);
      expect(at(p, 'pin.changeAfterPickup', 'FZ-32')).toBe('optional');
    },
  ],
  [
    'FZ-33',
    'one kind of loss (12333 or branch); old card dead from acceptance; free defect change in a month',
    (p) => {
      expect(at(p, 'loss.temporary.allowed', 'FZ-33')).toBe(false);
      expect(sourceAt(p, 'loss.temporary.allowed').default).toBe(true);
      expect(at(p, 'places.formalLoss', 'FZ-33')).toEqual(['phone', 'bank_outlet']);
      expect(at(p, 'places.replacement', 'FZ-33')).toEqual(['bank_outlet']);
      expect(at(p, 'places.change', 'FZ-33')).toEqual(['bank_outlet']);
      expect(at(p, 'loss.effect', 'FZ-33')).toBe('social_function_stops');
      expect(at(p, 'loss.holderLiableUntilReported', 'FZ-33')).toBe(true);
      expect(at(p, 'replacement.requiresFormalLoss', 'FZ-33')).toBe(true);
      expect(at(p, 'replacement.oldCardInvalid', 'FZ-33')).toBe('on_acceptance');
      expect(at(p, 'change.oldCardInvalid', 'FZ-33')).toBe('on_acceptance');
      expect(at(p, 'change.reasons', 'FZ-33')).toEqual(
        expect.arrayContaining([
          'damaged',
          'name_changed',
          'photo_changed',
          'child_photo_required',
        ]),
      );
      expect(at(p, 'infoChange.keyChangeLeadsTo', 'FZ-33')).toBe('change');
      expect(at(p, 'application.kinds', 'FZ-33')).toEqual(['first', 'replacement', 'change']);
      expect(at(p, 'fees.qualityDefectGrace', 'FZ-33')).toEqual({
        months: 1,
        reasons: ['damaged'],
      });
      expect(at(p, 'service.hotline', 'FZ-33')).toBe('12333');
    },
  ],
  [
    'FZ-34',
    'un-report with card and ID restores everything; not once a replacement is applied for',
    (p) => {
      expect(at(p, 'loss.unreport.cutoff', 'FZ-34')).toBe('replacement_applied');
      expect(at(p, 'places.unreport', 'FZ-34')).toEqual(['bank_outlet']);
      expect(at(p, 'loss.unreport.requiresCard', 'FZ-34')).toBe(true);
      expect(at(p, 'loss.bankLinked', 'FZ-34')).toBe(false);
    },
  ],
  [
    'FZ-35',
    'cancel or stop; death needs a relative’s ID and the death certificate',
    (p) => {
      expect(at(p, 'cancellation.grounds', 'FZ-35')).toEqual([
        'emigration',
        'nationality_change',
        'death',
        'insurance_terminated',
        'job_transfer',
        'left_job',
      ]);
      expect(at(p, 'cancellation.preconditions', 'FZ-35')).toEqual(['holder_reminded']);
      expect(at(p, 'cancellation.deathApplicants', 'FZ-35')).toEqual(['relative']);
      expect(at(p, 'cancellation.deathDocuments', 'FZ-35')).toEqual([
        'relative_id',
        'death_certificate',
      ]);
      expect(at(p, 'cancellation.cardRecovered', 'FZ-35')).toBe(true);
      expect(at(p, 'suspension.onRequest', 'FZ-35')).toBe(true);
      expect(at(p, 'effects.suspension', 'FZ-35')).toEqual(['social', 'one_card', 'financial']);
      // 死亡的需其亲属提供亲属身份证原件和死亡证明原件: a relative asks (a household member is one).
      for (const relation of ['relative', 'household_member'])
        expect(cancel(fz(), p, { ...deathCancel(relation), place: 'bank_outlet' }).ground).toBe(
          'death',
        );
      for (const relation of ['agent', 'holder', '子女']) {
        const e = refusal(() =>
          cancel(fz(), p, { ...deathCancel(relation), place: 'bank_outlet' }),
        );
        expect([e.code, e.citation?.rule]).toEqual(['CANCEL_APPLICANT_NOT_ALLOWED', 'FZ-35']);
      }
    },
  ],
  [
    'FZ-36',
    'recovered, dormant and waste cards are destroyed',
    (p) => {
      expect(at(p, 'destruction.cards', 'FZ-36')).toEqual([
        'cancelled',
        'waste',
        'returned_old',
        'unclaimed',
      ]);
    },
  ],
  [
    'FZ-37',
    'three permission levels; branch requests, bank approves, centre files; 3 working days',
    (p) => {
      expect(at(p, 'staff.levels', 'FZ-37')).toEqual(['centre', 'bank_head_office', 'branch']);
      expect(at(p, 'staff.grantFlow', 'FZ-37')).toEqual([
        'branch_requests',
        'bank_approves',
        'filed_with_centre',
      ]);
      expect(at(p, 'staff.changeDeadline', 'FZ-37')).toEqual({
        amount: 3,
        unit: 'working_days',
        from: 'request',
      });
    },
  ],
  [
    'FZ-41',
    'a change of security officer is notified within 3 working days',
    (p) => {
      expect(at(p, 'staff.securityOfficerChangeNotice', 'FZ-41')).toEqual({
        amount: 3,
        unit: 'working_days',
        from: 'record_changed',
      });
    },
  ],
  [
    'FZ-46',
    'referrals answered within the term (not named: a flagged platform default of 5 working days)',
    (p) => {
      expect(at(p, 'service.referralAnswerWithin', 'FZ-46')).toEqual({
        amount: 5,
        unit: 'working_days',
      });
      expect(sourceAt(p, 'service.referralAnswerWithin')).toMatchObject({
        rule: 'DEFAULT',
        default: true,
      });
    },
  ],
  [
    'FZ-50',
    'banks waive listed fees, and the card fee of a first application incl. 换发',
    (p) => {
      expect(at(p, 'fees.freeReasons', 'FZ-50')).toEqual(['upgrade']);
      expect(at(p, 'fees.bankServiceWaivers', 'FZ-50')).toEqual(
        expect.arrayContaining(['annual_fee', 'loss_report_fee', 'pin_maintenance_fee']),
      );
      expect(at(p, 'change.reasons', 'FZ-50')).toContain('upgrade');
    },
  ],
  [
    'FZ-51',
    'agents for under-14s and the infirm, for non-financial business only',
    (p) => {
      expect(at(p, 'agents.minors', 'FZ-51')).toEqual({
        belowAge: 14,
        mandatory: false,
        scope: 'non_financial',
      });
      expect(at(p, 'agents.unableToAttend', 'FZ-51')).toMatchObject({
        scope: 'non_financial',
        proofRequired: true,
      });
      expect(at(p, 'agents.agentShowsOwnId', 'FZ-51')).toBe(true);
    },
  ],
  [
    'FZ-54',
    'the start date is blank: the issue date is a flagged default',
    (p) => {
      expect(at(p, 'effectiveFrom', 'FZ-54')).toBe('2021-09-06');
      expect(sourceAt(p, 'effectiveFrom')).toMatchObject({ rule: 'DEFAULT', default: true });
      expect(p.regulation.trial).toBe(true);
    },
  ],
]);
