import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { renderError } from '../errors/render.js';
import { mod11_2CheckChar } from './mod11-2.js';
import { parseIdDocument } from './parse.js';
import type { IdDocumentType } from './document-types.js';

const TODAY = '2026-05-10';
const withCheck = (body17: string): string => body17 + mod11_2CheckChar(body17);

/** The DomainError thrown by `f`, or a failure if none was. */
function errorOf(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

const codeOf = (type: IdDocumentType, raw: string, today = TODAY): string =>
  errorOf(() => parseIdDocument(type, raw, today)).code;

describe('resident ID numbers (GB 11643-1999)', () => {
  it('reads the published example 11010519491231002X', () => {
    expect(parseIdDocument('resident_id', '11010519491231002X', TODAY)).toEqual({
      type: 'resident_id',
      number: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      regionCode: '110105',
      ssn: '11010519491231002X',
    });
  });

  it('reads sex from the parity of the 17th digit', () => {
    const man = withCheck('44030419850702123');
    expect(parseIdDocument('resident_id', man, TODAY)).toMatchObject({
      sex: 'male',
      birthDate: '1985-07-02',
      regionCode: '440304',
    });
    expect(parseIdDocument('resident_id', withCheck('44030419850702120'), TODAY).sex).toBe(
      'female',
    );
  });

  it('normalises a lower-case check character x, and nothing else', () => {
    const parsed = parseIdDocument('resident_id', '11010519491231002x', TODAY);
    expect(parsed.number).toBe('11010519491231002X');
    expect(parsed.ssn).toBe('11010519491231002X');
  });

  it('refuses white space rather than trimming it', () => {
    for (const raw of [
      ' 11010519491231002X',
      '11010519491231002X\n',
      '110105 19491231002X',
      '11010519491231002X\u3000',
    ]) {
      expect(codeOf('resident_id', raw)).toBe('ID_NUMBER_WHITESPACE');
    }
  });

  it('refuses malformed numbers with ID_NUMBER_FORMAT', () => {
    for (const raw of [
      '',
      '1101051949123100',
      '11010519491231002XX',
      '1101051949123100AX',
      'X1010519491231002X',
      '１１010519491231002X',
      '11010519491231002Y',
    ]) {
      expect(codeOf('resident_id', raw)).toBe('ID_NUMBER_FORMAT');
    }
    const e = errorOf(() => parseIdDocument('resident_id', '123', TODAY));
    expect(e.params).toMatchObject({ length: 3, documentZh: '居民身份证' });
  });

  it('checks the province against GB/T 2260 (11–65), not the county', () => {
    expect(codeOf('resident_id', withCheck('00010519491231002'))).toBe('ID_NUMBER_REGION');
    expect(codeOf('resident_id', withCheck('71010519491231002'))).toBe('ID_NUMBER_REGION');
    expect(codeOf('resident_id', withCheck('99010519491231002'))).toBe('ID_NUMBER_REGION');
    expect(
      errorOf(() => parseIdDocument('resident_id', withCheck('16010519491231002'), TODAY)).params
        .code,
    ).toBe('16');
    // A county code that no longer exists (e.g. a district merged away) is still a valid number.
    expect(parseIdDocument('resident_id', withCheck('11010319800101001'), TODAY).regionCode).toBe(
      '110103',
    );
  });

  it('refuses birth dates that do not exist or are before 1900', () => {
    expect(codeOf('resident_id', withCheck('11010519491331002'))).toBe('ID_NUMBER_BIRTH_DATE');
    expect(codeOf('resident_id', withCheck('11010519490431002'))).toBe('ID_NUMBER_BIRTH_DATE');
    expect(codeOf('resident_id', withCheck('11010518991231002'))).toBe('ID_NUMBER_BIRTH_DATE');
    expect(parseIdDocument('resident_id', withCheck('11010519000101002'), TODAY).birthDate).toBe(
      '1900-01-01',
    );
    expect(
      errorOf(() => parseIdDocument('resident_id', withCheck('11010519491300002'), TODAY)).params,
    ).toEqual({ from: 7, to: 14 });
  });

  it('accepts 29 February only in leap years', () => {
    expect(parseIdDocument('resident_id', withCheck('11010520000229001'), TODAY).birthDate).toBe(
      '2000-02-29',
    );
    expect(parseIdDocument('resident_id', withCheck('11010520240229001'), TODAY).birthDate).toBe(
      '2024-02-29',
    );
    expect(codeOf('resident_id', withCheck('11010519000229001'))).toBe('ID_NUMBER_BIRTH_DATE'); // 1900: not leap
    expect(codeOf('resident_id', withCheck('11010520230229001'))).toBe('ID_NUMBER_BIRTH_DATE');
  });

  it('refuses a birth date after today, and accepts today', () => {
    const born = withCheck('11010520260511001');
    expect(codeOf('resident_id', born, '2026-05-10')).toBe('ID_NUMBER_BIRTH_FUTURE');
    expect(errorOf(() => parseIdDocument('resident_id', born, '2026-05-10')).params).toEqual({
      today: '2026-05-10',
    });
    expect(parseIdDocument('resident_id', born, '2026-05-11').birthDate).toBe('2026-05-11');
  });

  it('refuses a wrong check character and says which one is expected', () => {
    const e = errorOf(() => parseIdDocument('resident_id', '110105194912310021', TODAY));
    expect(e.code).toBe('ID_NUMBER_CHECKSUM');
    expect(e.params).toEqual({ expected: 'X' });
  });

  it('parses a household register number exactly like a resident ID', () => {
    expect(parseIdDocument('household_register', '11010519491231002X', TODAY)).toMatchObject({
      type: 'household_register',
      ssn: '11010519491231002X',
      birthDate: '1949-12-31',
    });
  });
});

describe('15-digit legacy numbers', () => {
  it('upgrades to 18 digits by inserting 19 and computing the check character', () => {
    expect(parseIdDocument('resident_id', '110105491231002', TODAY)).toEqual({
      type: 'resident_id',
      number: '11010519491231002X',
      upgradedFrom15: true,
      birthDate: '1949-12-31',
      sex: 'female',
      regionCode: '110105',
      ssn: '11010519491231002X',
    });
    expect(parseIdDocument('household_register', '440304850702123', TODAY)).toMatchObject({
      number: withCheck('44030419850702123'),
      sex: 'male',
      upgradedFrom15: true,
    });
  });

  it('checks the date and province of legacy numbers', () => {
    expect(codeOf('resident_id', '110105490229002')).toBe('ID_NUMBER_BIRTH_DATE'); // 1949 not leap
    expect(parseIdDocument('resident_id', '110105480229002', TODAY).birthDate).toBe('1948-02-29');
    expect(errorOf(() => parseIdDocument('resident_id', '110105491331002', TODAY)).params).toEqual({
      from: 7,
      to: 12,
    });
    expect(codeOf('resident_id', '990105491231002')).toBe('ID_NUMBER_REGION');
    expect(codeOf('resident_id', '11010549123100A')).toBe('ID_NUMBER_FORMAT');
  });

  it('is only a citizen number: other types refuse 15 digits', () => {
    expect(codeOf('hmt_residence_permit', '810000900101001')).toBe('ID_NUMBER_FORMAT');
  });
});

describe('HK, Macao and Taiwan residence permits', () => {
  const hk = withCheck('81000019900101001');
  const mo = withCheck('82000020010315002');
  const tw = withCheck('83000019751130003');

  it('reads birth date, sex and the fixed address code', () => {
    expect(parseIdDocument('hmt_residence_permit', hk, TODAY)).toEqual({
      type: 'hmt_residence_permit',
      number: hk,
      birthDate: '1990-01-01',
      sex: 'male',
      regionCode: '810000',
      ssn: hk,
    });
    expect(parseIdDocument('hmt_residence_permit', mo, TODAY)).toMatchObject({
      sex: 'female',
      regionCode: '820000',
    });
    expect(parseIdDocument('hmt_residence_permit', tw, TODAY)).toMatchObject({
      sex: 'male',
      regionCode: '830000',
    });
  });

  it('refuses other prefixes, bad dates and bad check characters', () => {
    expect(codeOf('hmt_residence_permit', withCheck('81010019900101001'))).toBe('ID_NUMBER_REGION');
    expect(codeOf('hmt_residence_permit', withCheck('84000019900101001'))).toBe('ID_NUMBER_REGION');
    expect(codeOf('hmt_residence_permit', withCheck('81000019900230001'))).toBe(
      'ID_NUMBER_BIRTH_DATE',
    );
    expect(codeOf('hmt_residence_permit', hk.slice(0, 17) + (hk[17] === '0' ? '1' : '0'))).toBe(
      'ID_NUMBER_CHECKSUM',
    );
  });

  it('calls a permit typed as a resident ID a mismatch, and vice versa', () => {
    for (const permit of [hk, mo, tw]) {
      const e = errorOf(() => parseIdDocument('resident_id', permit, TODAY));
      expect(e.code).toBe('ID_DOCUMENT_MISMATCH');
      expect(e.params).toMatchObject({ type: 'resident_id', detected: 'hmt_residence_permit' });
    }
    expect(errorOf(() => parseIdDocument('household_register', hk, TODAY)).params.detected).toBe(
      'hmt_residence_permit',
    );
    const back = errorOf(() =>
      parseIdDocument('hmt_residence_permit', '11010519491231002X', TODAY),
    );
    expect(back.code).toBe('ID_DOCUMENT_MISMATCH');
    expect(back.params).toMatchObject({ type: 'hmt_residence_permit', detected: 'resident_id' });
  });

  it('does not call a broken 81… number a permit: that is a region error for a resident ID', () => {
    const broken = hk.slice(0, 17) + (hk[17] === '0' ? '1' : '0');
    expect(codeOf('resident_id', broken)).toBe('ID_NUMBER_REGION');
  });
});

describe('foreign permanent resident IDs', () => {
  // 9 | 31 Shanghai | 840 USA | 1980-06-15 | 123 (odd: male) | check
  const pr = withCheck('93184019800615123');

  it('reads the 2023 format', () => {
    expect(parseIdDocument('foreign_permanent_residence', pr, TODAY)).toEqual({
      type: 'foreign_permanent_residence',
      number: pr,
      birthDate: '1980-06-15',
      sex: 'male',
      regionCode: '31',
      nationality: 'USA',
      ssn: pr,
    });
    const woman = withCheck('91139219920229004'); // Beijing, Japan (392), 1992-02-29
    expect(parseIdDocument('foreign_permanent_residence', woman, TODAY)).toMatchObject({
      sex: 'female',
      nationality: 'JPN',
      birthDate: '1992-02-29',
    });
  });

  it('checks province, nationality, date and check character of the 2023 format', () => {
    expect(codeOf('foreign_permanent_residence', withCheck('90084019800615123'))).toBe(
      'ID_NUMBER_REGION',
    );
    expect(codeOf('foreign_permanent_residence', withCheck('93199919800615123'))).toBe(
      'ID_NUMBER_NATIONALITY',
    );
    expect(codeOf('foreign_permanent_residence', withCheck('93184019810229123'))).toBe(
      'ID_NUMBER_BIRTH_DATE',
    );
    expect(codeOf('foreign_permanent_residence', withCheck('93184020300615123'))).toBe(
      'ID_NUMBER_BIRTH_FUTURE',
    );
    expect(
      codeOf('foreign_permanent_residence', pr.slice(0, 17) + (pr[17] === '0' ? '1' : '0')),
    ).toBe('ID_NUMBER_CHECKSUM');
    expect(codeOf('foreign_permanent_residence', withCheck('83184019800615123'))).toBe(
      'ID_NUMBER_FORMAT',
    );
  });

  it('checks only the structure and nationality of the old 15-character format', () => {
    expect(parseIdDocument('foreign_permanent_residence', 'USA310080061512', TODAY)).toEqual({
      type: 'foreign_permanent_residence',
      number: 'USA310080061512',
      nationality: 'USA',
    });
    expect(codeOf('foreign_permanent_residence', 'usa310080061512')).toBe('ID_NUMBER_FORMAT');
    expect(codeOf('foreign_permanent_residence', 'US3310080061512')).toBe('ID_NUMBER_FORMAT');
    expect(codeOf('foreign_permanent_residence', 'USA31008006151A')).toBe('ID_NUMBER_FORMAT');
    const e = errorOf(() =>
      parseIdDocument('foreign_permanent_residence', 'ZZZ310080061512', TODAY),
    );
    expect(e.code).toBe('ID_NUMBER_NATIONALITY');
    expect(e.params).toEqual({ code: 'ZZZ' });
  });

  it('calls a PR ID typed as a resident ID a mismatch, and vice versa', () => {
    expect(errorOf(() => parseIdDocument('resident_id', pr, TODAY)).params.detected).toBe(
      'foreign_permanent_residence',
    );
    expect(
      errorOf(() => parseIdDocument('resident_id', 'USA310080061512', TODAY)).params.detected,
    ).toBe('foreign_permanent_residence');
    expect(
      errorOf(() => parseIdDocument('foreign_permanent_residence', '11010519491231002X', TODAY))
        .params.detected,
    ).toBe('resident_id');
    expect(
      errorOf(() => parseIdDocument('foreign_permanent_residence', '110105491231002', TODAY)).params
        .detected,
    ).toBe('resident_id');
  });
});

describe('passports and travel permits', () => {
  it('accepts passports of 5–20 capital letters or digits, and nothing is derived', () => {
    expect(parseIdDocument('passport', 'E12345678', TODAY)).toEqual({
      type: 'passport',
      number: 'E12345678',
    });
    expect(parseIdDocument('passport', 'AB123', TODAY).number).toBe('AB123');
    expect(parseIdDocument('passport', 'A'.repeat(20), TODAY).number).toHaveLength(20);
    for (const raw of ['AB12', 'A'.repeat(21), 'e12345678', 'E1234-5678', 'É12345678']) {
      expect(codeOf('passport', raw)).toBe('DOCUMENT_NUMBER_FORMAT');
    }
  });

  it('refuses a valid citizen, permit or PR number entered as a passport', () => {
    expect(
      errorOf(() => parseIdDocument('passport', '11010519491231002X', TODAY)).params.detected,
    ).toBe('resident_id');
    expect(
      errorOf(() => parseIdDocument('passport', withCheck('81000019900101001'), TODAY)).params
        .detected,
    ).toBe('hmt_residence_permit');
    // A 15-digit number proves nothing without a check character: passports may look like that.
    expect(parseIdDocument('passport', '110105491231002', TODAY).type).toBe('passport');
  });

  it('accepts HK/Macao permits: H or M, 8 digits, optionally 2 renewal digits', () => {
    expect(parseIdDocument('hk_macau_travel_permit', 'H12345678', TODAY)).toEqual({
      type: 'hk_macau_travel_permit',
      number: 'H12345678',
    });
    expect(parseIdDocument('hk_macau_travel_permit', 'M1234567801', TODAY).number).toBe(
      'M1234567801',
    );
    for (const raw of ['h12345678', 'K12345678', 'H1234567', 'H123456789', 'H123456780123']) {
      expect(codeOf('hk_macau_travel_permit', raw)).toBe('DOCUMENT_NUMBER_FORMAT');
    }
  });

  it('accepts Taiwan permits of 8 digits', () => {
    expect(parseIdDocument('tw_travel_permit', '01234567', TODAY)).toEqual({
      type: 'tw_travel_permit',
      number: '01234567',
    });
    for (const raw of ['1234567', '123456789', '1234567801', 'T1234567']) {
      expect(codeOf('tw_travel_permit', raw)).toBe('DOCUMENT_NUMBER_FORMAT');
    }
  });

  it('spots a HK/Macao permit entered under another type', () => {
    expect(
      errorOf(() => parseIdDocument('tw_travel_permit', 'H12345678', TODAY)).params.detected,
    ).toBe('hk_macau_travel_permit');
    expect(
      errorOf(() => parseIdDocument('resident_id', 'M1234567801', TODAY)).params.detected,
    ).toBe('hk_macau_travel_permit');
  });
});

describe('errors', () => {
  it('refuses an unknown document type', () => {
    expect(codeOf('id_card' as IdDocumentType, '11010519491231002X')).toBe(
      'ID_DOCUMENT_TYPE_UNKNOWN',
    );
  });

  it('never put the number into parameters or rendered messages', () => {
    const cases: [IdDocumentType, string][] = [
      ['resident_id', '110105194912310021'],
      ['resident_id', '11010519491331002X'],
      ['resident_id', '110105 19491231002X'],
      ['resident_id', withCheck('81000019900101001')],
      ['resident_id', '9901051949123100'],
      ['resident_id', '110105491331002'],
      ['hmt_residence_permit', withCheck('81000020300101001')],
      ['foreign_permanent_residence', withCheck('93199919800615123')],
      ['foreign_permanent_residence', 'ZZZ310080061512'],
      ['passport', '11010519491231002X'],
      ['passport', 'e12345678'],
      ['hk_macau_travel_permit', 'H123456789'],
      ['tw_travel_permit', '123456789'],
    ];
    for (const [type, raw] of cases) {
      const e = errorOf(() => parseIdDocument(type, raw, TODAY));
      const texts = [
        JSON.stringify(e.params),
        e.message,
        ...(['zh-CN', 'en'] as const).map((l) =>
          Object.values(renderError(e.code, e.params, l)).join(' '),
        ),
      ];
      for (const text of texts) {
        // No run of 7 or more characters of the number (the 6-digit HMT prefix is allowed).
        for (let i = 0; i + 7 <= raw.length; i++) expect(text).not.toContain(raw.slice(i, i + 7));
        expect(text).not.toMatch(/\{\w+\}/); // every placeholder was filled
      }
    }
  });
});
