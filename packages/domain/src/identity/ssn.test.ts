import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { addDays } from '../time/local-date.js';
import { COUNTRIES } from './countries.js';
import { mod11_2CheckChar, verifyMod11_2 } from './mod11-2.js';
import { parseIdDocument } from './parse.js';
import { assignSsn, parseSsn, SSN_SEQUENCE_MAX } from './ssn.js';

const TODAY = '2026-05-10';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return undefined;
};

describe('assignSsn, the platform rule for people without an 18-digit number', () => {
  it('builds 9 | 00 | numeric nationality | birth date | parity sequence | check', () => {
    const ssn = assignSsn({
      nationality: 'USA',
      birthDate: '1985-03-02',
      sex: 'male',
      sequence: 1,
    });
    expect(ssn.slice(0, 17)).toBe('90084019850302001');
    expect(ssn[17]).toBe(mod11_2CheckChar(ssn.slice(0, 17)));
    expect(
      assignSsn({ nationality: 'USA', birthDate: '1985-03-02', sex: 'female', sequence: 1 }).slice(
        14,
        17,
      ),
    ).toBe('002');
    expect(
      assignSsn({ nationality: 'HKG', birthDate: '1990-01-01', sex: 'male', sequence: 2 }).slice(
        0,
        17,
      ),
    ).toBe('90034419900101003');
    expect(
      assignSsn({
        nationality: 'MAC',
        birthDate: '1990-01-01',
        sex: 'female',
        sequence: 499,
      }).slice(3, 17),
    ).toBe('44619900101998');
    expect(
      assignSsn({ nationality: 'TWN', birthDate: '1990-01-01', sex: 'male', sequence: 499 }).slice(
        3,
        17,
      ),
    ).toBe('15819900101997');
  });

  it('refuses unknown nationalities, bad dates and sequences out of 1..499', () => {
    const base = { nationality: 'USA', birthDate: '1985-03-02', sex: 'male' as const, sequence: 1 };
    expect(codeOf(() => assignSsn({ ...base, nationality: 'usa' }))).toBe(
      'SSN_NATIONALITY_UNKNOWN',
    );
    expect(codeOf(() => assignSsn({ ...base, nationality: 'XXA' }))).toBe(
      'SSN_NATIONALITY_UNKNOWN',
    );
    expect(codeOf(() => assignSsn({ ...base, birthDate: '1985-02-29' }))).toBe(
      'SSN_BIRTH_DATE_INVALID',
    );
    expect(codeOf(() => assignSsn({ ...base, birthDate: '1899-12-31' }))).toBe(
      'SSN_BIRTH_DATE_INVALID',
    );
    for (const sequence of [0, 500, 1.5, -1, Number.NaN]) {
      expect(codeOf(() => assignSsn({ ...base, sequence }))).toBe('SSN_SEQUENCE_OUT_OF_RANGE');
    }
  });

  const input = fc.record({
    nationality: fc.constantFrom(...COUNTRIES.map((c) => c.alpha3)),
    birthDate: fc.integer({ min: 0, max: 46_128 }).map((d) => addDays('1900-01-01', d)),
    sex: fc.constantFrom('male' as const, 'female' as const),
    sequence: fc.integer({ min: 1, max: SSN_SEQUENCE_MAX }),
  });

  it('always passes its own validation, starts with 900 and never with 1–8', () => {
    fc.assert(
      fc.property(input, (i) => {
        const ssn = assignSsn(i);
        expect(ssn).toMatch(/^900\d{14}[\dX]$/);
        expect(verifyMod11_2(ssn)).toBe(true);
        expect(parseSsn(ssn, TODAY)).toEqual({
          ssn,
          origin: 'platform_assigned',
          birthDate: i.birthDate,
          sex: i.sex,
          nationality: i.nationality,
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('can never be taken for a real citizen, permit or PR number', () => {
    fc.assert(
      fc.property(input, (i) => {
        const ssn = assignSsn(i);
        for (const type of [
          'resident_id',
          'hmt_residence_permit',
          'foreign_permanent_residence',
        ] as const) {
          expect(() => parseIdDocument(type, ssn, TODAY)).toThrow(DomainError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('maps each sequence to one code of the right parity', () => {
    const codes = new Set<string>();
    for (const sex of ['male', 'female'] as const) {
      for (let sequence = 1; sequence <= SSN_SEQUENCE_MAX; sequence++) {
        const code = assignSsn({
          nationality: 'DEU',
          birthDate: '2000-01-01',
          sex,
          sequence,
        }).slice(14, 17);
        expect(Number(code) % 2).toBe(sex === 'male' ? 1 : 0);
        codes.add(code);
      }
    }
    expect(codes.size).toBe(2 * SSN_SEQUENCE_MAX);
  });
});

describe('parseSsn', () => {
  it('reads citizen, HMT permit and PR numbers as their own origin', () => {
    expect(parseSsn('11010519491231002x', TODAY)).toEqual({
      ssn: '11010519491231002X',
      origin: 'citizen',
      birthDate: '1949-12-31',
      sex: 'female',
      regionCode: '110105',
    });
    const hk = '81000019900101001' + mod11_2CheckChar('81000019900101001');
    expect(parseSsn(hk, TODAY)).toMatchObject({
      origin: 'hmt_residence_permit',
      regionCode: '810000',
    });
    const pr = '93184019800615123' + mod11_2CheckChar('93184019800615123');
    expect(parseSsn(pr, TODAY)).toMatchObject({
      origin: 'foreign_permanent_residence',
      nationality: 'USA',
      regionCode: '31',
    });
  });

  it('refuses malformed and mistyped numbers', () => {
    expect(codeOf(() => parseSsn('110105491231002', TODAY))).toBe('ID_NUMBER_FORMAT');
    expect(codeOf(() => parseSsn('110105194912310021', TODAY))).toBe('ID_NUMBER_CHECKSUM');
    const body = '90099919850302001';
    expect(codeOf(() => parseSsn(body + mod11_2CheckChar(body), TODAY))).toBe(
      'ID_NUMBER_NATIONALITY',
    );
    const future = '90084020300302001';
    expect(codeOf(() => parseSsn(future + mod11_2CheckChar(future), TODAY))).toBe(
      'ID_NUMBER_BIRTH_FUTURE',
    );
  });
});
