import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../time/local-date.js';
import { mod11_2CheckChar, verifyMod11_2 } from './mod11-2.js';
import { parseIdDocument } from './parse.js';
import { PROVINCES } from './provinces.js';

const TODAY = '2026-05-10';

/** A random 17-digit citizen body: real province, real birth date 1900–today, any sequence. */
const body17 = fc
  .record({
    province: fc.constantFrom(...Object.keys(PROVINCES)),
    rest: fc.integer({ min: 0, max: 9999 }),
    day: fc.integer({ min: 0, max: 46_128 }), // days from 1900-01-01 to 2026-04-18
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(
    ({ province, rest, day, sequence }) =>
      province +
      String(rest).padStart(4, '0') +
      addDays('1900-01-01', day).replaceAll('-', '') +
      String(sequence).padStart(3, '0'),
  );

describe('ISO 7064 MOD 11-2', () => {
  it('matches known numbers', () => {
    expect(mod11_2CheckChar('11010519491231002')).toBe('X');
    expect(verifyMod11_2('11010519491231002X')).toBe(true);
    expect(verifyMod11_2('11010519491231002x')).toBe(false); // normalising is the parser's job
    expect(() => mod11_2CheckChar('1101051949123100')).toThrow();
  });

  it('appending the check character always gives a valid number', () => {
    fc.assert(
      fc.property(body17, (body) => {
        const id = body + mod11_2CheckChar(body);
        expect(verifyMod11_2(id)).toBe(true);
        expect(parseIdDocument('resident_id', id, TODAY).number).toBe(id);
      }),
      { numRuns: 2000 },
    );
  });

  it('detects every single-character substitution', () => {
    fc.assert(
      fc.property(
        body17,
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 10 }),
        (body, position, delta) => {
          const id = body + mod11_2CheckChar(body);
          const chars = '0123456789X';
          const old = chars.indexOf(id[position]!);
          // Body positions take digits only; the check position may also become X.
          const alphabet = position === 17 ? 11 : 10;
          if (position < 17 && delta >= 10) return;
          const replacement = chars[(old + delta) % alphabet]!;
          const changed = id.slice(0, position) + replacement + id.slice(position + 1);
          expect(changed).not.toBe(id);
          expect(verifyMod11_2(changed)).toBe(false);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('detects every transposition of two adjacent different characters', () => {
    fc.assert(
      fc.property(body17, fc.integer({ min: 0, max: 16 }), (body, i) => {
        const id = body + mod11_2CheckChar(body);
        if (id[i] === id[i + 1]) return;
        const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2);
        expect(verifyMod11_2(swapped)).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('detects them exhaustively on one number, every position and digit', () => {
    const id = '11010519491231002X';
    for (let p = 0; p < 18; p++) {
      for (const c of '0123456789X') {
        if (c === id[p] || (p < 17 && c === 'X')) continue;
        expect(verifyMod11_2(id.slice(0, p) + c + id.slice(p + 1))).toBe(false);
      }
    }
  });
});
