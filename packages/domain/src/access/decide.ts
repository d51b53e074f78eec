/**
 * The access decision for one act on one target: allowed, refused as if the target did not
 * exist (the actor may not know it exists), or refused naming who may do it. Refuse before you
 * reveal: services ask this before any rule that could tell something about the target.
 */
import { DomainError } from '../errors/domain-error.js';
import { actorCan, type Permission, type Role } from '../organisations/roles.js';
import { ACT_POLICIES, type AccessAct, type ActPolicy } from './policy.js';
import {
  FACT_RELATIONS,
  holds,
  isPlatformActor,
  type AccessActor,
  type AccessFacts,
  type AccessTarget,
  type Relation,
} from './relations.js';
import { RELATION_LABELS } from './labels.js';

export type AccessDecision =
  { allowed: true; via: Relation | 'platform' | 'none' } | { allowed: false; error: DomainError };

export interface DecisionActor extends AccessActor {
  permissions?: readonly Permission[] | undefined;
}

function permitted(actor: DecisionActor, policy: ActPolicy): boolean {
  if (policy.permission === 'public') return true;
  if (policy.permission === 'authenticated') return actor.staffId !== null || actor.role !== '';
  return actorCan({ role: actor.role as Role, permissions: actor.permissions }, policy.permission);
}

/** Whether deciding `act` (and the read that decides visibility) needs the database facts. */
export function needsFacts(act: AccessAct): boolean {
  const policy: ActPolicy = ACT_POLICIES[act];
  const sees: ActPolicy | undefined = policy.sees ? ACT_POLICIES[policy.sees] : undefined;
  return [...policy.who, ...(sees?.who ?? [])].some((r) => FACT_RELATIONS.includes(r));
}

function firstHeld(
  actor: AccessActor,
  who: readonly Relation[],
  target: AccessTarget,
  facts: AccessFacts | null,
): Relation | undefined {
  return who.find((r) => holds(actor, r, target, facts));
}

/** FORBIDDEN when the actor's role (with its FZ-37 grants) lacks the act's permission. */
export function refuseRole(actor: DecisionActor, act: AccessAct): DomainError | null {
  if (isPlatformActor(actor)) return null;
  const policy: ActPolicy = ACT_POLICIES[act];
  return permitted(actor, policy)
    ? null
    : new DomainError('FORBIDDEN', { role: actor.role, action: act });
}

export function decideAccess(
  actor: DecisionActor,
  act: AccessAct,
  target: AccessTarget,
  facts: AccessFacts | null,
): AccessDecision {
  if (isPlatformActor(actor)) return { allowed: true, via: 'platform' };
  const policy: ActPolicy = ACT_POLICIES[act];
  const sees: ActPolicy | undefined = policy.sees ? ACT_POLICIES[policy.sees] : undefined;
  // The role comes first: it does not depend on the target, so refusing it reveals nothing.
  const roleRefusal = refuseRole(actor, act);
  if (roleRefusal) return { allowed: false, error: roleRefusal };
  const visible = !sees || firstHeld(actor, sees.who, target, facts) !== undefined;
  if (policy.who.length === 0) return { allowed: true, via: 'none' };
  const via = firstHeld(actor, policy.who, target, facts);
  if (via) return { allowed: true, via };
  if (!visible)
    return { allowed: false, error: new DomainError('NOT_FOUND', { resource: target.type }) };
  const who = policy.who.map((r) => RELATION_LABELS[r]);
  return {
    allowed: false,
    error: new DomainError('NOT_RESPONSIBLE', {
      act,
      resource: target.type,
      who: who.map((l) => l.zh).join('、'),
      whoEn: who.map((l) => l.en).join(', '),
    }),
  };
}

/**
 * The decision when the database facts cannot change it, else null (read the facts and ask
 * `decideAccess`). Facts only ever add relations (`standing`, `present`); every other relation
 * reads the actor and the target alone. So a refusal of the role, the platform, an act with no
 * relations, and an allowance by a relation listed before any fact relation are the same whatever
 * the facts say (the first relation held is still the same one). A refusal by relationship is
 * not: the facts may allow it, or turn NOT_FOUND into NOT_RESPONSIBLE.
 */
export function decideWithoutFacts(
  actor: DecisionActor,
  act: AccessAct,
  target: AccessTarget,
): AccessDecision | null {
  const decision = decideAccess(actor, act, target, null);
  if (!decision.allowed) return refuseRole(actor, act) ? decision : null;
  if (decision.via === 'platform' || decision.via === 'none') return decision;
  const policy: ActPolicy = ACT_POLICIES[act];
  const before = policy.who.slice(0, policy.who.indexOf(decision.via));
  return before.some((r) => FACT_RELATIONS.includes(r)) ? null : decision;
}

/** Throws the refusal, if any. */
export function requireAccess(
  actor: DecisionActor,
  act: AccessAct,
  target: AccessTarget,
  facts: AccessFacts | null,
): Relation | 'platform' | 'none' {
  const decision = decideAccess(actor, act, target, facts);
  if (!decision.allowed) throw decision.error;
  return decision.via;
}
