import { describe, expect, it } from 'vitest';
import type { DomainError } from '../errors/domain-error.js';
import { decideAccess } from '../access/decide.js';
import { HOLDER_DEFAULTS, requireWardRoom, wardProof } from './rules.js';

const today = '2026-11-30';
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return null;
};

describe('family service (亲情服务)', () => {
  it('a child under 16 is added by the guardian on the record, at once', () => {
    expect(
      wardProof({
        relation: 'child',
        wardBirthDate: '2015-01-01',
        today,
        holderIsRecordedGuardian: true,
        settings: HOLDER_DEFAULTS,
      }),
    ).toBe('recorded_guardian');
  });

  it('a child under 16 with someone else as guardian is refused', () => {
    expect(
      code(() =>
        wardProof({
          relation: 'child',
          wardBirthDate: '2015-01-01',
          today,
          holderIsRecordedGuardian: false,
          settings: HOLDER_DEFAULTS,
        }),
      ),
    ).toBe('HOLDER_WARD_NOT_GUARDIAN');
  });

  it('an adult (a parent, or a child of 16) consents with a code, whoever is on the record', () => {
    for (const [relation, born] of [
      ['parent', '1950-03-03'],
      ['child', '2010-11-30'], // 16 today
    ] as const)
      expect(
        wardProof({
          relation,
          wardBirthDate: born,
          today,
          holderIsRecordedGuardian: true,
          settings: HOLDER_DEFAULTS,
        }),
      ).toBe('consent_code');
  });

  it('at most eight family members by default', () => {
    expect(code(() => requireWardRoom(7, HOLDER_DEFAULTS))).toBeNull();
    expect(code(() => requireWardRoom(8, HOLDER_DEFAULTS))).toBe('HOLDER_WARD_LIMIT');
  });
});

describe('the relation holder', () => {
  const holder = {
    staffId: null,
    username: 'holder:p1',
    role: 'holder',
    organizationId: null,
    organizationKind: null,
    bankId: null,
    jurisdiction: null,
    scope: { kind: 'organization', organizationId: '' },
    holder: { personId: 'p1', wards: ['p2'] },
  } as const;
  const card = (personId: string) => ({
    type: 'card',
    jurisdiction: '310000',
    bankId: 'b1',
    personId,
  });

  it('admits the holder’s own card and a family member’s, nobody else’s (as if missing)', () => {
    expect(decideAccess(holder, 'card.loss', card('p1'), null)).toMatchObject({
      allowed: true,
      via: 'holder',
    });
    expect(decideAccess(holder, 'card.loss', card('p2'), null)).toMatchObject({ allowed: true });
    const other = decideAccess(holder, 'card.loss', card('p3'), null);
    expect(other.allowed).toBe(false);
    if (!other.allowed) expect(other.error.code).toBe('NOT_FOUND');
  });

  it('never reaches acts outside the holder role (a PIN reset, a cancellation)', () => {
    for (const act of [
      'card.pin.reset',
      'card.cancel',
      'card.freeze',
      'person.record_death',
    ] as const) {
      const d = decideAccess(holder, act, card('p1'), null);
      expect(d.allowed, act).toBe(false);
    }
  });

  it('is never held by staff', () => {
    const staff = { ...holder, staffId: 's1', role: 'branch_operator', holder: undefined };
    const d = decideAccess(staff, 'card.loss', card('p1'), null);
    if (d.allowed) expect(d.via).not.toBe('holder');
  });
});
