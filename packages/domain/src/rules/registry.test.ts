import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { addDays } from '../time/local-date.js';
import { parsePack } from './parse.js';
import { buildRegistry, packStatus, RulePackRegistry } from './registry.js';
import { loadAllPacks, packFileNames, packText } from './testing/test-support.js';

const registry = new RulePackRegistry(loadAllPacks());

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('version in force at the time of the act', () => {
  it('loads the five built-in packs, by short or division code', () => {
    expect(registry.codes()).toEqual(expect.arrayContaining(['FZ', 'HN', 'SG', 'SH', 'ZS']));
    expect(registry.latest('sh').code).toBe('SH');
    expect(registry.latest('310000').code).toBe('SH');
    expect(registry.latest('310115').code).toBe('SH'); // Pudong, a district
    expect(registry.latest('460100').code).toBe('HN'); // Haikou, a city of a province-wide pack
    expect(registry.latest(' 440200 ').code).toBe('SG');
    expect(code(() => registry.latest('999999'))).toBe('JURISDICTION_UNKNOWN');
    expect(code(() => registry.latest('XX'))).toBe('JURISDICTION_UNKNOWN');
  });

  it('SG-29: in force on 2020-01-01', () => {
    const r = registry.resolve('SG', '2020-01-01');
    expect(r.status).toBe('in_force');
    expect(r.warnings).toEqual([]);
  });

  it('SG-29: expired on 2024-01-01, still usable but flagged', () => {
    const r = registry.resolve('SG', '2024-01-01');
    expect(r.status).toBe('expired');
    expect(r.pack.version).toBe('2018.1');
    expect(registry.packFor('SG', '2024-01-01')).toBe(r.pack);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({
      code: 'PACK_EXPIRED',
      jurisdiction: 'SG',
      citation: { rule: 'SG-29', quote: '本办法自印发之日起施行，有效期为五年' },
    });
    expect(r.warnings[0]?.message.zh).toContain('2023-01-31');
  });

  it('SG-29: the last day in force is 2023-01-31, in Shanghai time', () => {
    expect(registry.resolve('SG', '2023-01-31').status).toBe('in_force');
    expect(registry.resolve('SG', '2023-02-01').status).toBe('expired');
    expect(registry.resolve('SG', new Date('2023-01-31T15:59:59Z')).status).toBe('in_force');
    expect(registry.resolve('SG', new Date('2023-01-31T16:00:00Z')).status).toBe('expired');
  });

  it('FZ-54: the blank start date defaults to the issue date, with a warning', () => {
    const r = registry.resolve('FZ', '2021-09-06');
    expect(r.status).toBe('in_force');
    expect(r.warnings.map((w) => w.code)).toEqual(['EFFECTIVE_FROM_DEFAULT', 'TRIAL_REGULATION']);
    expect(r.warnings[0]?.citation).toMatchObject({ rule: 'DEFAULT', default: true });
    expect(registry.resolve('FZ', '2021-09-05').status).toBe('not_yet_in_force');
    expect(code(() => registry.packFor('FZ', '2021-09-05'))).toBe('RULE_PACK_NOT_IN_FORCE');
  });

  it('ZS-20 and HN-47: not in force before their start dates', () => {
    expect(registry.resolve('ZS', '2024-06-09').status).toBe('not_yet_in_force');
    expect(registry.resolve('ZS', '2024-06-10').status).toBe('in_force');
    expect(registry.resolve('HN', '2021-12-31').warnings[0]?.code).toBe('PACK_NOT_YET_IN_FORCE');
    expect(packStatus(registry.latest('HN'), '2022-01-01')).toBe('in_force');
  });

  it('tells an installation which packs are lapsed or defaulted', () => {
    const codes = registry
      .warnings('2026-01-01')
      .filter((w) => ['FZ', 'HN', 'SG', 'SH', 'ZS'].includes(w.jurisdiction))
      .map((w) => `${w.jurisdiction} ${w.code}`);
    expect(codes).toEqual(['FZ EFFECTIVE_FROM_DEFAULT', 'FZ TRIAL_REGULATION', 'SG PACK_EXPIRED']);
  });

  it('refuses a date that is not a date', () => {
    expect(code(() => registry.resolve('SH', '2024-02-30'))).toBe('VALIDATION');
  });
});

describe('several versions per jurisdiction (SH-32: the 2025-01-08 amendment boundary)', () => {
  const text = packText('sh.yaml');
  const original = parsePack(text.replace("version: '2025.1'", "version: '2019.1'"));
  const amended = parsePack(
    text.replace(
      /effectiveFrom:\n {2}value: '2019-12-01'/,
      "effectiveFrom:\n  value: '2025-01-08'",
    ),
  );
  const sh = new RulePackRegistry([amended, original]);

  it('resolves acts before the amendment to the original and after it to the amended text', () => {
    expect(sh.versions('SH').map((v) => v.version)).toEqual(['2019.1', '2025.1']);
    expect(sh.packFor('SH', '2024-12-31').version).toBe('2019.1');
    expect(sh.packFor('SH', '2025-01-07').version).toBe('2019.1');
    expect(sh.packFor('SH', '2025-01-08').version).toBe('2025.1');
    expect(sh.packFor('SH', new Date('2025-01-07T16:00:00Z')).version).toBe('2025.1');
    expect(sh.latest('SH').version).toBe('2025.1');
  });

  it('always picks the latest version in force on the day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), (offset) => {
        const day = addDays('2019-12-01', offset);
        const expected = day < '2025-01-08' ? '2019.1' : '2025.1';
        expect(sh.resolve('SH', day)).toMatchObject({
          status: 'in_force',
          pack: { version: expected },
        });
      }),
    );
  });

  it('refuses duplicate versions and code clashes', () => {
    expect(code(() => sh.add(original))).toBe('RULE_PACK_DUPLICATE');
    const clash = parsePack(text.replace("divisionCode: '310000'", "divisionCode: '440200'"));
    expect(code(() => new RulePackRegistry([registry.latest('SG'), clash]))).toBe(
      'RULE_PACK_CONFLICT',
    );
  });
});

describe('building a registry from files', () => {
  it('loads good files and reports bad ones', () => {
    const files = packFileNames().map((name) => ({ name, text: packText(name) }));
    files.push({ name: 'broken.yaml', text: 'code: [' });
    const { registry: built, problems } = buildRegistry(files);
    expect(built.codes()).toHaveLength(files.length - 1);
    expect(problems.map((p) => [p.file, p.error.code])).toEqual([
      ['broken.yaml', 'RULE_PACK_SYNTAX'],
    ]);
  });
});
