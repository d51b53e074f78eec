import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { checkName, checkPhone, checkPostcode } from './fields.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : 'not a DomainError';
  }
  return undefined;
}

describe('person fields', () => {
  it('accepts Chinese names, minority names with ·, and Latin names for foreigners', () => {
    expect(checkName('张三', false)).toBe('han');
    expect(checkName('阿依古丽·买买提', false)).toBe('han');
    expect(checkName('𠮷田', false)).toBe('han'); // extension B character
    expect(checkName('SMITH JOHN', true)).toBe('latin');
    expect(checkName("O'NEIL-BROWN ANNE", true)).toBe('latin');
  });

  it('refuses bad names with a reason instead of fixing them', () => {
    expect(code(() => checkName('阿依古丽•买买提', false))).toBe('PERSON_NAME_DOT');
    expect(code(() => checkName(' 张三', false))).toBe('PERSON_NAME_INVALID');
    expect(code(() => checkName('张3', false))).toBe('PERSON_NAME_INVALID');
    expect(code(() => checkName('SMITH JOHN', false))).toBe('PERSON_NAME_INVALID');
    expect(code(() => checkName('', true))).toBe('PERSON_NAME_INVALID');
  });

  it('checks phones and postcodes', () => {
    expect(code(() => checkPhone('13800138000'))).toBeUndefined();
    expect(code(() => checkPhone('0571-88886666'))).toBeUndefined();
    expect(code(() => checkPhone('12800138000'))).toBe('PHONE_INVALID');
    expect(code(() => checkPhone('138 0013 8000'))).toBe('PHONE_INVALID');
    expect(code(() => checkPostcode('316000'))).toBeUndefined();
    expect(code(() => checkPostcode('31600'))).toBe('POSTCODE_INVALID');
  });
});
