import { expect } from 'vitest';
import { describeArticles } from '../testing/article-harness.js';
import { at, loadPack, sourceAt } from '../testing/test-support.js';

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
      expect(at(p, 'application.channels', 'HN-9')).toEqual([
        'counter',
        'online',
        'self_service',
        'unit',
        'agent',
      ]);
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
      expect(at(p, 'application.channels', 'HN-10')).toContain('agent');
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
      expect(at(p, 'pin.changeAt', 'HN-14')).toEqual([]);
      expect(at(p, 'pin.resetAt', 'HN-14')).toEqual([]);
      expect(at(p, 'ecard.separatePaymentPin', 'HN-14')).toBe(true);
    },
  ],
  [
    'HN-15',
    'social function enabled automatically at pickup; bank account activated at the bank',
    (p) => {
      expect(at(p, 'activation.socialFunction', 'HN-15')).toBe('at_pickup');
      expect(at(p, 'activation.financialNeedsBankActivation', 'HN-15')).toBe(true);
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
      expect(at(p, 'loss.temporary.channels', 'HN-17')).toEqual([
        'service_outlet',
        'phone',
        'online',
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
      expect(at(p, 'loss.formal.channels', 'HN-18')).toEqual(['bank_outlet', 'online']);
      expect(at(p, 'loss.bankLinked', 'HN-18')).toBe(true);
      expect(at(p, 'loss.effect', 'HN-18')).toBe('all_functions_stop');
    },
  ],
  [
    'HN-19',
    'un-report at the bank with card and ID; not after a replacement is applied for',
    (p) => {
      expect(at(p, 'loss.unreport.cutoff', 'HN-19')).toBe('replacement_applied');
      expect(at(p, 'loss.unreport.channels', 'HN-19')).toEqual(['bank_outlet']);
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
      expect(at(p, 'infoChange.nonKeyChannels', 'HN-23')).toEqual([
        'service_outlet',
        'online',
        'self_service',
      ]);
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
    'misuse suspends the card’s functions',
    (p) => {
      expect(at(p, 'suspension.forMisuse', 'HN-42')).toBe(true);
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
