/**
 * `decideWithoutFacts` lets the server skip reading the facts (standing, presence) when they
 * cannot change the decision. Checked here against `decideAccess` with every combination of
 * facts, for every act, over arbitrary actors and targets: whenever it answers, the answer is the
 * one the facts would have given, to the relation and the refusal's parameters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORGANIZATION_KINDS } from '../organisations/kinds.js';
import { PERMISSIONS, ROLES, type DataScope } from '../organisations/roles.js';
import { decideAccess, decideWithoutFacts, type AccessDecision } from './decide.js';
import { ACT_POLICIES, type AccessAct } from './policy.js';
import type { AccessFacts, AccessTarget } from './relations.js';

const ACTS = Object.keys(ACT_POLICIES) as AccessAct[];
const FACTS: AccessFacts[] = [
  { standing: false, present: false },
  { standing: true, present: false },
  { standing: false, present: true },
  { standing: true, present: true },
];

const orgId = fc.constantFrom('O1', 'O2', 'O3');
const bankId = fc.constantFrom('B1', 'B2');
const division = fc.constantFrom('310000', '310101', '460100', '350100');
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

const scope: fc.Arbitrary<DataScope> = fc.oneof(
  fc.constant({ kind: 'all' } as const),
  fc.record({
    kind: fc.constant('jurisdiction' as const),
    prefix: fc.constantFrom('31', '3101', '46'),
  }),
  fc.record({ kind: fc.constant('bank' as const), bankId }),
  fc.record({ kind: fc.constant('organization' as const), organizationId: orgId }),
);

const actor = fc.record({
  staffId: nullable(fc.constantFrom('S1', 'S2')),
  username: fc.constantFrom('system:job', 'someone', 'anonymous'),
  role: fc.constantFrom(...ROLES),
  permissions: fc.option(fc.subarray([...PERMISSIONS]), { nil: undefined }),
  organizationId: nullable(orgId),
  organizationKind: nullable(fc.constantFrom(...ORGANIZATION_KINDS)),
  bankId: nullable(bankId),
  jurisdiction: nullable(division),
  scope,
});

const target: fc.Arbitrary<AccessTarget> = fc.record(
  {
    type: fc.constantFrom('card', 'application', 'person', 'organization', 'staff'),
    jurisdiction: nullable(division),
    bankId: nullable(bankId),
    branchId: nullable(orgId),
    acceptedBy: nullable(orgId),
    organization: fc.record({ id: orgId, bankId: nullable(bankId), jurisdiction: division }),
    staffId: nullable(fc.constantFrom('S1', 'S2')),
    servedAnywhere: fc.boolean(),
  },
  { requiredKeys: ['type', 'jurisdiction'] },
);

const outcome = (d: AccessDecision) =>
  d.allowed
    ? { allowed: true, via: d.via }
    : { allowed: false, code: d.error.code, params: d.error.params, citation: d.error.citation };

describe('decideWithoutFacts', () => {
  it('answers only where the facts cannot change the decision, and then as decideAccess would', () => {
    let answered = 0;
    let deferred = 0;
    fc.assert(
      fc.property(actor, fc.constantFrom(...ACTS), target, (a, act, t) => {
        const early = decideWithoutFacts(a, act, t);
        if (early === null) {
          deferred += 1;
          return;
        }
        answered += early.allowed ? 1 : 0;
        for (const facts of FACTS)
          expect(outcome(early)).toEqual(outcome(decideAccess(a, act, t, facts)));
      }),
      { numRuns: 20_000 },
    );
    // Not vacuous: it allows early often, and defers to the facts often.
    expect(answered).toBeGreaterThan(1000);
    expect(deferred).toBeGreaterThan(1000);
  });

  it('spares the facts for a card read by its own bank, branch or centre', () => {
    const branch = {
      staffId: 'S1',
      username: 'br',
      role: 'branch_operator',
      organizationId: 'O1',
      organizationKind: 'branch' as const,
      bankId: 'B1',
      jurisdiction: '310000',
      scope: { kind: 'organization', organizationId: 'O1' } as const,
    };
    const card = { type: 'card', jurisdiction: '310000', bankId: 'B1', branchId: 'O1' };
    expect(decideWithoutFacts(branch, 'card.read', card)).toEqual({ allowed: true, via: 'bank' });
    // Another bank's card: only the facts (standing, the holder in front of it) can decide.
    expect(
      decideWithoutFacts(branch, 'card.read', { ...card, bankId: 'B2', branchId: 'O2' }),
    ).toBeNull();
  });
});
