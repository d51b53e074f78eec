import { describe, expect, it } from 'vitest';
import { COUNTRIES, countryByAlpha2, countryByAlpha3, countryByNumeric } from './countries.js';
import { ID_DOCUMENT_TYPES, idDocumentLabel, isIdDocumentType } from './document-types.js';
import { ETHNICITIES, ethnicityByCode } from './ethnicities.js';
import { PROVINCES, isProvinceCode } from './provinces.js';

describe('ISO 3166-1 table', () => {
  it('has the 249 entries, each code unique and well formed', () => {
    expect(COUNTRIES).toHaveLength(249);
    for (const key of ['alpha2', 'alpha3', 'numeric'] as const) {
      expect(new Set(COUNTRIES.map((c) => c[key])).size).toBe(249);
    }
    for (const c of COUNTRIES) {
      expect(c.alpha2).toMatch(/^[A-Z]{2}$/);
      expect(c.alpha3).toMatch(/^[A-Z]{3}$/);
      expect(c.numeric).toMatch(/^\d{3}$/);
      expect(c.name.zh).not.toBe('');
      expect(c.name.en).not.toBe('');
    }
  });

  it('agrees with a sample of the standard', () => {
    const sample: [string, string, string, string][] = [
      ['CN', 'CHN', '156', '中国'],
      ['HK', 'HKG', '344', '中国香港'],
      ['MO', 'MAC', '446', '中国澳门'],
      ['TW', 'TWN', '158', '中国台湾'],
      ['US', 'USA', '840', '美国'],
      ['GB', 'GBR', '826', '英国'],
      ['DE', 'DEU', '276', '德国'],
      ['JP', 'JPN', '392', '日本'],
      ['KR', 'KOR', '410', '韩国'],
      ['KP', 'PRK', '408', '朝鲜'],
      ['RU', 'RUS', '643', '俄罗斯'],
      ['AF', 'AFG', '004', '阿富汗'],
      ['SS', 'SSD', '728', '南苏丹'],
      ['AX', 'ALA', '248', '奥兰群岛'],
    ];
    for (const [a2, a3, num, zh] of sample) {
      const c = countryByAlpha3(a3);
      expect(c).toMatchObject({ alpha2: a2, alpha3: a3, numeric: num });
      expect(c?.name.zh).toBe(zh);
      expect(countryByAlpha2(a2)).toBe(c);
      expect(countryByNumeric(num)).toBe(c);
    }
    expect(countryByAlpha3('XKX')).toBeUndefined(); // Kosovo: user-assigned, not ISO
    expect(countryByAlpha3('chn')).toBeUndefined(); // exact codes only
    expect(countryByNumeric('4')).toBeUndefined();
  });
});

describe('ethnic groups (GB/T 3304)', () => {
  it('has the 56 groups 01–56 plus 97 and 98', () => {
    expect(ETHNICITIES).toHaveLength(58);
    const codes = ETHNICITIES.map((e) => e.code);
    expect(codes.slice(0, 56)).toEqual(
      Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, '0')),
    );
    expect(codes.slice(56)).toEqual(['97', '98']);
    expect(ethnicityByCode('01')?.name).toEqual({ zh: '汉族', en: 'Han' });
    expect(ethnicityByCode('10')?.name.zh).toBe('朝鲜族');
    expect(ethnicityByCode('56')?.name.zh).toBe('基诺族');
    expect(ethnicityByCode('98')?.name.zh).toBe('外国血统中国籍人士');
    expect(ethnicityByCode('1')).toBeUndefined();
    expect(ethnicityByCode('57')).toBeUndefined();
  });
});

describe('provinces and document types', () => {
  it('lists the 31 provincial divisions 11–65', () => {
    expect(Object.keys(PROVINCES)).toHaveLength(31);
    expect(isProvinceCode('11')).toBe(true);
    expect(isProvinceCode('65')).toBe(true);
    for (const code of ['10', '16', '20', '71', '81', '82', '83', '91'])
      expect(isProvinceCode(code)).toBe(false);
  });

  it('lists the seven document types with labels', () => {
    expect(ID_DOCUMENT_TYPES.map((t) => t.id)).toEqual([
      'resident_id',
      'household_register',
      'hmt_residence_permit',
      'foreign_permanent_residence',
      'passport',
      'hk_macau_travel_permit',
      'tw_travel_permit',
    ]);
    expect(idDocumentLabel('tw_travel_permit').zh).toBe('台湾居民来往大陆通行证');
    expect(isIdDocumentType('passport')).toBe(true);
    expect(isIdDocumentType('toString')).toBe(false);
  });
});
