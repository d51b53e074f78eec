import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { APPLICATION_KINDS, CHANGE_REASONS } from '../rules/vocabulary.js';
import { loadAllPacks, loadPack } from '../rules/testing/test-support.js';
import { computeFee, type FeeRequest } from './compute.js';
import { validateFeeSchedule, type FeeSchedule } from './schedule.js';

const ZS = loadPack('ZS');
const SG = loadPack('SG');
const SH = loadPack('SH');
const HN = loadPack('HN');
const FZ = loadPack('FZ');

const schedule: FeeSchedule = {
  ZS: { replacement: 2000, change: 2000 },
  SG: { replacement: 2000, change: 2000 },
  HN: { replacement: 2500, change: 2500, reissue: 2500 },
  FZ: { replacement: 1500, change: 1500 },
};
const today = '2024-05-20';

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('first card', () => {
  it.each([
    ['ZS', 'ZS-10'],
    ['SG', 'SG-17'],
    ['SH', 'SH-24'],
    ['HN', 'HN-24'],
    ['FZ', 'FZ-3'],
  ])('%s: the first card is free (%s)', (code, rule) => {
    const fee = computeFee({ pack: loadPack(code), kind: 'first', today, schedule });
    expect(fee).toMatchObject({ amountFen: 0, basis: 'free', item: 'first', citation: { rule } });
    expect(fee.citation.quote).toBeTruthy();
  });

  it('isFirstCard makes any card kind the free first card', () => {
    expect(
      computeFee({
        pack: HN,
        kind: 'change',
        reason: 'voluntary',
        isFirstCard: true,
        today,
        schedule,
      }),
    ).toMatchObject({ amountFen: 0, item: 'first', citation: { rule: 'HN-24' } });
  });
});

describe('SH-24: everything is free in Shanghai', () => {
  it.each(['replacement', 'change', 'reissue'] as const)('%s', (kind) => {
    const fee = computeFee({
      pack: SH,
      kind,
      reason: 'name_changed',
      today,
      schedule: { SH: { [kind]: 9900 } },
    });
    expect(fee).toMatchObject({ amountFen: 0, basis: 'free', citation: { rule: 'SH-24' } });
    expect(fee.configuration).toBeUndefined();
  });

  it('has no temporary card to charge for', () => {
    expect(errorCode(() => computeFee({ pack: SH, kind: 'temporary', today }))).toBe(
      'FEE_KIND_NOT_OFFERED',
    );
  });
});

describe('SG-17 and SG-19: Shaoguan', () => {
  const change = (reason: FeeRequest['reason'], cardIssuedOn: string, on = today) =>
    computeFee({ pack: SG, kind: 'change', reason, cardIssuedOn, today: on, schedule });

  it('SG-17: a defective card is changed free within two years of issue', () => {
    const fee = change('damaged', '2023-01-10');
    expect(fee).toMatchObject({
      amountFen: 0,
      basis: 'free',
      citation: { rule: 'SG-17' },
      exemption: {
        kind: 'warranty',
        citation: { rule: 'SG-17', quote: '质保期内换卡免缴纳卡工本费' },
      },
    });
    expect(fee.configuration).toBeUndefined();
  });

  it('SG-17: the warranty ends two years after the card was issued', () => {
    expect(change('damaged', '2022-05-20').amountFen).toBe(0);
    expect(change('damaged', '2022-05-19')).toMatchObject({ amountFen: 2000, basis: 'configured' });
    expect(change('damaged', '2022-05-19').exemption).toBeUndefined();
  });

  it('SG-17: voluntary changes and man-made damage are outside the warranty', () => {
    expect(change('voluntary', '2024-01-01').amountFen).toBe(2000);
    expect(change('damaged_by_holder', '2024-01-01').amountFen).toBe(2000);
    expect(change('appearance_changed', '2024-01-01').amountFen).toBe(2000);
  });

  it('SG-17: the provincial rate is configuration, citing the delegating article', () => {
    const fee = computeFee({ pack: SG, kind: 'replacement', today, schedule });
    expect(fee).toMatchObject({
      amountFen: 2000,
      basis: 'configured',
      citation: {
        rule: 'SG-17',
        quote: '补卡或换卡时，按照省价格主管部门核定的收费标准缴纳卡工本费',
      },
      configuration: { key: 'SG.replacement', source: 'schedule' },
    });
  });

  it('SG-17: the warranty covers changes only, not a lost card', () => {
    const fee = computeFee({
      pack: SG,
      kind: 'replacement',
      cardIssuedOn: '2024-01-01',
      today,
      schedule,
    });
    expect(fee.amountFen).toBe(2000);
  });

  it('SG-17: the issue date is needed to judge the warranty', () => {
    expect(
      errorCode(() => computeFee({ pack: SG, kind: 'change', reason: 'damaged', today })),
    ).toBe('FEE_INPUT_MISSING');
  });

  it('SG-19: a temporary card is free; a lost or damaged one costs 20 yuan', () => {
    expect(computeFee({ pack: SG, kind: 'temporary', today })).toMatchObject({
      amountFen: 0,
      basis: 'free',
      citation: { rule: 'SG-19' },
    });
    expect(
      computeFee({ pack: SG, kind: 'temporary', temporaryCardLostOrDamaged: true, today }),
    ).toMatchObject({
      amountFen: 2000,
      basis: 'fixed',
      item: 'temporaryLostOrDamaged',
      citation: {
        rule: 'SG-19',
        quote: '遗失或损坏按照省价格主管部门核定的收费标准，收取卡工本费 20 元/张',
      },
    });
  });
});

describe('HN-24: Hainan', () => {
  it('charges the bank rate from configuration', () => {
    expect(computeFee({ pack: HN, kind: 'replacement', today, schedule })).toMatchObject({
      amountFen: 2500,
      basis: 'configured',
      citation: { rule: 'HN-24' },
      configuration: { key: 'HN.replacement', source: 'schedule' },
    });
    expect(
      computeFee({ pack: HN, kind: 'reissue', reason: 'name_changed', today, schedule }).amountFen,
    ).toBe(2500);
  });

  it('charges nothing, flagged, where the installation has not configured the amount', () => {
    expect(computeFee({ pack: HN, kind: 'change', reason: 'voluntary', today })).toMatchObject({
      amountFen: 0,
      basis: 'configured',
      configuration: { key: 'HN.change', source: 'unconfigured' },
    });
  });

  it.each(['expired', 'upgrade'] as const)('a %s change or reissue is free', (reason) => {
    for (const kind of ['change', 'reissue'] as const) {
      expect(computeFee({ pack: HN, kind, reason, today, schedule })).toMatchObject({
        amountFen: 0,
        basis: 'free',
        exemption: { kind: 'free_reason', citation: { rule: 'HN-24' } },
      });
    }
  });

  it.each(['tekun', 'dibao'] as const)(
    'hardship (%s) waives the fee for any replacement or change',
    (hardship) => {
      for (const kind of ['replacement', 'change', 'reissue'] as const) {
        const fee = computeFee({
          pack: HN,
          kind,
          reason: 'voluntary',
          person: { hardship },
          today,
          schedule,
        });
        expect(fee).toMatchObject({
          amountFen: 0,
          exemption: {
            kind: 'hardship',
            citation: { rule: 'HN-24', quote: '特困人员、低保对象等特殊困难人员免收工本费' },
          },
        });
      }
      const none = computeFee({
        pack: HN,
        kind: 'replacement',
        person: { hardship: 'none' },
        today,
        schedule,
      });
      expect(none.amountFen).toBe(2500);
    },
  );

  it('hardship is a Hainan rule only', () => {
    const fee = computeFee({
      pack: ZS,
      kind: 'replacement',
      person: { hardship: 'dibao' },
      today,
      schedule,
    });
    expect(fee.amountFen).toBe(2000);
  });
});

describe('FZ: Fuzhou', () => {
  const change = (reason: FeeRequest['reason'], pickedUp: string, on: string) =>
    computeFee({
      pack: FZ,
      kind: 'change',
      reason,
      cardIssuedOn: '2022-03-01',
      cardPickedUpOn: pickedUp,
      today: on,
      schedule,
    });

  it('FZ-33: a defective card is changed free within one month of pickup', () => {
    expect(change('damaged', '2022-03-10', '2022-04-10')).toMatchObject({
      amountFen: 0,
      exemption: { kind: 'quality_defect_grace', citation: { rule: 'FZ-33' } },
    });
    expect(change('damaged', '2022-03-10', '2022-04-11')).toMatchObject({
      amountFen: 1500,
      basis: 'configured',
    });
    expect(change('damaged_by_holder', '2022-03-10', '2022-03-11').amountFen).toBe(1500);
  });

  it('FZ-33: without a pickup date the issue date counts', () => {
    const fee = computeFee({
      pack: FZ,
      kind: 'change',
      reason: 'damaged',
      cardIssuedOn: '2022-03-31',
      today: '2022-04-30',
      schedule,
    });
    expect(fee.amountFen).toBe(0);
  });

  it('FZ-50: exchanging an older card (换发) is free', () => {
    expect(
      computeFee({ pack: FZ, kind: 'change', reason: 'upgrade', today, schedule }),
    ).toMatchObject({
      amountFen: 0,
      exemption: { kind: 'free_reason', citation: { rule: 'FZ-50' } },
    });
  });

  it('FZ-6: a replacement is charged at the configured amount', () => {
    expect(computeFee({ pack: FZ, kind: 'replacement', today, schedule })).toMatchObject({
      amountFen: 1500,
      citation: { rule: 'FZ-6' },
    });
  });
});

describe('ZS-10: Zhoushan', () => {
  it('charges replacement and change for loss or damage as prescribed', () => {
    expect(computeFee({ pack: ZS, kind: 'replacement', today, schedule })).toMatchObject({
      amountFen: 2000,
      citation: { rule: 'ZS-10', quote: '因遗失、损坏等原因需补换卡的应按规定收取工本费' },
    });
    expect(
      computeFee({
        pack: ZS,
        kind: 'change',
        reason: 'damaged',
        cardIssuedOn: '2024-05-01',
        today,
        schedule,
      }).amountFen,
    ).toBe(2000);
  });

  it('refuses kinds the jurisdiction does not offer', () => {
    expect(errorCode(() => computeFee({ pack: ZS, kind: 'reissue', today }))).toBe(
      'FEE_KIND_NOT_OFFERED',
    );
  });
});

describe('amounts', () => {
  it('are whole, non-negative fen for any request', () => {
    const packs = loadAllPacks();
    const day = fc
      .integer({ min: 0, max: 4000 })
      .map((n) => new Date(Date.UTC(2015, 0, 1 + n)).toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.constantFrom(...packs),
        fc.constantFrom(...APPLICATION_KINDS),
        fc.constantFrom(...CHANGE_REASONS),
        day,
        day,
        fc.constantFrom('none', 'tekun', 'dibao'),
        fc.boolean(),
        fc.nat({ max: 100_000 }),
        (pack, kind, reason, issued, on, hardship, lostTemporary, amount) => {
          const sched: FeeSchedule = {
            [pack.code]: { replacement: amount, change: amount, reissue: amount },
          };
          let fee;
          try {
            fee = computeFee({
              pack,
              kind,
              reason,
              cardIssuedOn: issued,
              today: on,
              person: { hardship },
              temporaryCardLostOrDamaged: lostTemporary,
              schedule: sched,
            });
          } catch (error) {
            expect((error as DomainError).code).toBe('FEE_KIND_NOT_OFFERED');
            expect(pack.application.kinds.value).not.toContain(kind);
            return;
          }
          expect(Number.isSafeInteger(fee.amountFen)).toBe(true);
          expect(fee.amountFen).toBeGreaterThanOrEqual(0);
          if (fee.basis === 'free') expect(fee.amountFen).toBe(0);
          if (fee.basis === 'configured') expect(fee.amountFen).toBe(amount);
          expect(fee.citation.rule).toMatch(new RegExp(`^(${pack.code}-|DEFAULT$)`));
          expect(fee.citation).not.toHaveProperty('see');
        },
      ),
    );
  });

  it('a fee schedule holds whole fen only', () => {
    expect(validateFeeSchedule({ HN: { replacement: 2000 } })).toEqual({
      HN: { replacement: 2000 },
    });
    const bad = (input: unknown) => {
      try {
        validateFeeSchedule(input);
      } catch (error) {
        return (error as DomainError).params['path'];
      }
      return 'ok';
    };
    expect(bad({ HN: { replacement: 20.5 } })).toBe('HN.replacement');
    expect(bad({ HN: { replacement: -1 } })).toBe('HN.replacement');
    expect(bad({ HN: { replacement: '2000' } })).toBe('HN.replacement');
    expect(bad({ HN: { annual: 100 } })).toBe('HN.annual');
    expect(bad({ hn: {} })).toBe('hn');
    expect(bad([])).toBe('(root)');
  });
});
