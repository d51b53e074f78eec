import { expect } from 'vitest';
import { describeArticles } from '../testing/article-harness.js';
import { at, loadPack, sourceAt } from '../testing/test-support.js';

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
    'PINs are unlocked and reset at the service windows',
    (p) => {
      expect(at(p, 'pin.resetAt', 'SG-6')).toEqual(['service_outlet']);
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
      expect(at(p, 'application.channels', 'SG-10')).toEqual(['counter', 'agent']);
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
    },
  ],
  [
    'SG-13',
    'social function enabled at pickup; bank activation separate; no annual fees',
    (p) => {
      expect(at(p, 'activation.socialFunction', 'SG-13')).toBe('at_pickup');
      expect(at(p, 'activation.financialNeedsBankActivation', 'SG-13')).toBe(true);
      expect(at(p, 'fees.bankServiceWaivers', 'SG-13')).toContain('annual_fee');
    },
  ],
  [
    'SG-14',
    'temporary and formal loss, social and bank separately; all functions stop',
    (p) => {
      expect(at(p, 'loss.temporary.allowed', 'SG-14')).toBe(true);
      expect(at(p, 'loss.temporary.channels', 'SG-14')).toEqual([
        'online',
        'phone',
        'self_service',
        'bank_phone',
      ]);
      expect(at(p, 'loss.formal.channels', 'SG-14')).toEqual(['service_outlet', 'bank_outlet']);
      expect(at(p, 'loss.effect', 'SG-14')).toBe('all_functions_stop');
      expect(at(p, 'loss.bankLinked', 'SG-14')).toBe(false);
    },
  ],
  [
    'SG-15',
    'no un-report once formally lost and a replacement applied for',
    (p) => {
      expect(at(p, 'loss.unreport.cutoff', 'SG-15')).toBe('replacement_applied');
      expect(at(p, 'loss.unreport.channels', 'SG-15')).toEqual(['service_outlet', 'bank_outlet']);
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
    },
  ],
  [
    'SG-20',
    'social and bank PINs; change the social PIN at windows, terminals, clinics',
    (p) => {
      expect(at(p, 'pin.socialEnabled', 'SG-20')).toBe(true);
      expect(at(p, 'pin.changeAt', 'SG-20')).toEqual([
        'service_outlet',
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
      expect(at(p, 'pin.resetAt', 'SG-21')).toEqual(['service_outlet']);
    },
  ],
  [
    'SG-22',
    'a changed appearance calls for a change of card',
    (p) => {
      expect(at(p, 'change.reasons', 'SG-22')).toContain('appearance_changed');
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
