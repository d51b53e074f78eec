import { expect } from 'vitest';
import { checkSubmission } from '../../lifecycle/application.js';
import { activate, issue } from '../../lifecycle/card-acts.js';
import { cancel } from '../../lifecycle/card-end.js';
import { undeliverableDecision } from '../../lifecycle/sweeps.js';
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
import { at, loadPack } from '../testing/test-support.js';

const settled = { relatedBusinessSettled: true };

describeArticles(loadPack('ZS'), [
  [
    'ZS-3',
    'physical and electronic cards',
    (p) => {
      expect(at(p, 'card.forms', 'ZS-3')).toEqual(['physical', 'electronic']);
      expect(at(p, 'ecard.offered', 'ZS-3')).toBe(true);
    },
  ],
  [
    'ZS-5',
    'the service agency and the banks hand cards over; the banks activate them',
    (p) => {
      expect(at(p, 'places.issue', 'ZS-5')).toEqual(['service_window', 'bank_outlet']);
      expect(at(p, 'places.socialActivation', 'ZS-5')).toEqual(['bank_outlet']);
      expect(at(p, 'places.financialActivation', 'ZS-5')).toEqual(['bank_outlet']);
      const e = refusal(() =>
        issue(stock({ jurisdiction: 'ZS' }), p, { to: 'holder' }, T0, 'community_outlet'),
      );
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'ZS-5']);
      const issued = card({ socialEnabledAt: null, financialActivatedAt: null });
      expect(
        refusal(() => activate(issued, p, 'financial', T0, 'service_window')).citation?.rule,
      ).toBe('ZS-5');
      expect(activate(issued, p, 'social', T0, 'bank_outlet').socialEnabledAt).toEqual(T0);
    },
  ],
  [
    'ZS-8',
    'people entitled to local services; one card each, city-wide',
    (p) => {
      expect(at(p, 'eligibility.groups', 'ZS-8')).toEqual(['public_service_rights']);
      expect(at(p, 'card.onePerPerson', 'ZS-8')).toBe(true);
      expect(at(p, 'card.onePerPersonScope', 'ZS-8')).toBe('jurisdiction');
    },
  ],
  [
    'ZS-9',
    'apply at bank outlets or online',
    (p) => {
      expect(at(p, 'application.proxies', 'ZS-9')).toEqual([]);
      expect(at(p, 'places.first', 'ZS-9')).toEqual(['bank_outlet', 'online']);
      const at_ = (place: 'bank_outlet' | 'online' | 'service_window' | 'community_outlet') =>
        checkSubmission(p, adult, noCards, { ...counterApplication, place }, TODAY);
      expect(() => at_('bank_outlet')).not.toThrow();
      expect(() => at_('online')).not.toThrow();
      for (const place of ['service_window', 'community_outlet'] as const) {
        const e = refusal(() => at_(place));
        expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'ZS-9']);
      }
    },
  ],
  [
    'ZS-10',
    'first card free; replacement for loss or damage charged as prescribed',
    (p) => {
      expect(at(p, 'fees.first', 'ZS-10')).toBe('free');
      expect(at(p, 'fees.replacement', 'ZS-10')).toBe('configured');
      expect(at(p, 'fees.change', 'ZS-10')).toBe('configured');
    },
  ],
  [
    'ZS-11',
    'the social function is activated promptly after applying',
    (p) => {
      expect(at(p, 'activation.socialFunction', 'ZS-11')).toBe('separate_activation');
    },
  ],
  [
    'ZS-12',
    'temporary (96225) and formal loss; social function stops; no un-report while replacing',
    (p) => {
      expect(at(p, 'loss.temporary.allowed', 'ZS-12')).toBe(true);
      expect(at(p, 'places.temporaryLoss', 'ZS-12')).toEqual(['phone', 'bank_outlet', 'online']);
      expect(at(p, 'places.formalLoss', 'ZS-12')).toEqual(['bank_outlet', 'online']);
      expect(at(p, 'loss.effect', 'ZS-12')).toBe('social_function_stops');
      expect(at(p, 'loss.holderLiableUntilReported', 'ZS-12')).toBe(true);
      expect(at(p, 'loss.unreport.cutoff', 'ZS-12')).toBe('replacement_applied');
      expect(at(p, 'replacement.requiresFormalLoss', 'ZS-12')).toBe(true);
      expect(at(p, 'service.hotline', 'ZS-12')).toBe('96225');
    },
  ],
  [
    'ZS-13',
    'un-report with ID before a replacement is applied for',
    (p) => {
      expect(at(p, 'loss.unreport.cutoff', 'ZS-13')).toBe('replacement_applied');
      expect(at(p, 'places.unreport', 'ZS-13')).toEqual(['bank_outlet', 'online']);
      expect(at(p, 'loss.unreport.requiresCard', 'ZS-13')).toBe(false);
    },
  ],
  [
    'ZS-14',
    'replacement and change: loss, damage, card-face data, bank change',
    (p) => {
      expect(at(p, 'application.kinds', 'ZS-14')).toEqual(['first', 'replacement', 'change']);
      expect(at(p, 'change.reasons', 'ZS-14')).toEqual(
        expect.arrayContaining([
          'damaged',
          'name_changed',
          'ssn_changed',
          'photo_changed',
          'bank_changed',
        ]),
      );
      expect(at(p, 'infoChange.keyFields', 'ZS-14')).toEqual(['ssn', 'name', 'photo']);
      expect(at(p, 'infoChange.keyChangeLeadsTo', 'ZS-14')).toBe('change');
      for (const path of ['places.replacement', 'places.change', 'places.keyInfoChange'])
        expect(at(p, path, 'ZS-14')).toEqual(['bank_outlet', 'online']);
      const old = card({ jurisdiction: 'ZS' });
      const e = refusal(() =>
        checkSubmission(
          p,
          adult,
          { ...noCards, live: old },
          {
            ...counterApplication,
            kind: 'change',
            reason: 'damaged',
            oldCard: old,
            place: 'service_window',
          },
          TODAY,
        ),
      );
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'ZS-14']);
    },
  ],
  [
    'ZS-15',
    'cancel on death or loss of entitlement; automatic after one year',
    (p) => {
      expect(at(p, 'cancellation.grounds', 'ZS-15')).toEqual(['death', 'no_longer_entitled']);
      expect(at(p, 'cancellation.preconditions', 'ZS-15')).toEqual(['related_business_settled']);
      expect(at(p, 'cancellation.deathApplicants', 'ZS-15')).toEqual(['agent']);
      expect(at(p, 'places.cancellation', 'ZS-15')).toEqual(['bank_outlet', 'online']);
      const death = {
        reason: 'death',
        openApplications: 0,
        attestations: settled,
        evidence: { applicantIdSeen: true, deathCertificate: 'No. 1', applicantRelation: 'agent' },
      };
      const e = refusal(() => cancel(card(), p, { ...death, place: 'service_window' }));
      expect([e.code, e.citation?.rule]).toEqual(['PLACE_NOT_ALLOWED', 'ZS-15']);
      expect(cancel(card(), p, { ...death, place: 'online' }).ground).toBe('death');
      // The holder or their agent asks (持卡人或其代理人); a dead holder cannot ask for themselves.
      const holder = { ...death, evidence: { ...death.evidence, applicantRelation: 'holder' } };
      expect(refusal(() => cancel(card(), p, holder)).citation?.rule).toBe('ZS-15');
      expect(at(p, 'cancellation.automaticAfter', 'ZS-15')).toEqual({
        amount: 1,
        unit: 'years',
        from: 'cancellation_ground',
      });
    },
  ],
  [
    'ZS-16',
    'the holder keeps card and PIN safe',
    (p) => {
      expect(at(p, 'pin.socialEnabled', 'ZS-16')).toBe(true);
    },
  ],
  [
    'ZS-17',
    'unissued stock cancelled after 6 months; inventory ledger',
    (p) => {
      expect(at(p, 'unclaimed.after', 'ZS-17')).toEqual({
        amount: 6,
        unit: 'months',
        from: 'production_complete',
      });
      expect(at(p, 'unclaimed.action', 'ZS-17')).toBe('cancel');
      expect(at(p, 'unclaimed.undeliverable', 'ZS-17')).toEqual([
        'job_transfer',
        'death',
        'emigration',
        'production_failure',
      ]);
      expect(at(p, 'ledgers.unissuedInventory', 'ZS-17')).toBe(true);
      expect(at(p, 'unclaimed.undeliverableAction', 'ZS-17')).toBe('cancel');
      expect(at(p, 'production.failedCards', 'ZS-17')).toBe('undeliverable');
      // ZS-17(二): the applicant died, moved for work, settled abroad, or production failed.
      for (const facts of [
        { diedOn: TODAY },
        { jobTransfer: true },
        { settledAbroad: true },
        { productionFailed: true },
      ]) {
        expect(undeliverableDecision(stock(), facts, p)).toMatchObject({
          action: 'cancel',
          ends: true,
          destroy: false,
          citation: { rule: 'ZS-17' },
        });
      }
      expect(undeliverableDecision(card(), { diedOn: TODAY }, p)).toBeNull();
      const e = refusal(() =>
        issue(stock(), p, { to: 'holder', holderDiedOn: TODAY }, T0, 'bank_outlet'),
      );
      expect([e.code, e.citation?.rule]).toEqual(['HOLDER_DECEASED', 'ZS-17']);
    },
  ],
  [
    'ZS-18',
    'banks register read/write and issuing terminals',
    (p) => {
      expect(at(p, 'devices.registration', 'ZS-18')).toEqual({
        required: true,
        changeReportWithin: null,
      });
    },
  ],
  [
    'ZS-20',
    'in force from 2024-06-10',
    (p) => {
      expect(at(p, 'effectiveFrom', 'ZS-20')).toBe('2024-06-10');
      expect(p.effectiveUntil).toBeUndefined();
    },
  ],
]);
