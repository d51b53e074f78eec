import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mod11_2CheckChar } from '../identity/mod11-2.js';
import { formatCardNumber, mod11_2Of, parseCardNumber } from './card-number.js';

describe('card numbers', () => {
  it('agrees with the citizen-number check character on 17 digits', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{17}$/),
        (body) => mod11_2Of(body) === mod11_2CheckChar(body),
      ),
    );
  });

  it('formats and parses, marking temporary cards by their serial', () => {
    const no = formatCardNumber('310000', 1);
    expect(no).toMatch(/^31000000000001[\dX]$/);
    expect(parseCardNumber(no)).toEqual({
      cardNo: no,
      divisionCode: '310000',
      serial: 1,
      temporary: false,
    });
    expect(parseCardNumber(formatCardNumber('440200', 7, true)).temporary).toBe(true);
  });

  it('catches every single-digit error and adjacent transposition', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 89_999_999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 1, max: 9 }),
        (serial, pos, delta) => {
          const no = formatCardNumber('460000', serial);
          const digit = (Number(no[pos]) + delta) % 10;
          const typo = no.slice(0, pos) + digit + no.slice(pos + 1);
          expect(() => parseCardNumber(typo)).toThrow();
          if (pos < 13 && no[pos] !== no[pos + 1]) {
            const swapped = no.slice(0, pos) + no[pos + 1] + no[pos] + no.slice(pos + 2);
            expect(() => parseCardNumber(swapped)).toThrow();
          }
        },
      ),
    );
  });
});
