/**
 * Access by relationship, on the server side: reads the facts the domain's policy table asks for
 * (standing, presence) and lets `decideAccess` decide. Every act and every read of a person, a
 * card or an application asks here, so the answer to "may this actor do this to that" is given
 * in one place (`packages/domain/src/access/policy.ts`).
 */
import {
  decideAccess,
  decideWithoutFacts,
  needsFacts,
  type AccessAct,
  type AccessDecision,
  type AccessFacts,
  type AccessTarget,
  type Relation,
} from '@sscard/domain';
import type { Actor } from '../context.js';
import type { Database } from '../db/database.js';
import type { Trx } from '../db/transact.js';
import type { PersonsRepository } from '../modules/persons/persons.repository.js';
import type { PresenceRepository } from '../modules/persons/presence.repository.js';

/** What an act is about: the access target, its id for the audit record, and its person. */
export interface Target extends AccessTarget {
  id: string | null;
  /** The person whose standing or presence counts (the holder of a card, the applicant). */
  personId?: string | null | undefined;
}

type Executor = Database | Trx;

export class Access {
  constructor(
    private readonly persons: PersonsRepository,
    private readonly presence: PresenceRepository,
  ) {}

  private async facts(
    db: Executor,
    actor: Actor,
    act: AccessAct,
    target: Target,
    now: Date,
  ): Promise<AccessFacts | null> {
    if (!target.personId || !needsFacts(act)) return null;
    // A holder online has no organisation: neither standing nor presence, only `holder`.
    if (actor.holder) return { standing: false, present: false };
    const [standing, present] = await Promise.all([
      this.persons.standing(target.personId, actor.scope, db),
      actor.organizationId
        ? this.presence.isPresent(actor.organizationId, target.personId, now, db)
        : false,
    ]);
    return { standing, present };
  }

  /**
   * The domain's decision. The facts are read only when they could change it: a card read by its
   * own bank, branch or centre needs no query beyond the card (`decideWithoutFacts`).
   */
  private async decide(
    db: Executor,
    actor: Actor,
    act: AccessAct,
    target: Target,
    now: Date,
  ): Promise<AccessDecision> {
    return (
      decideWithoutFacts(actor, act, target) ??
      decideAccess(actor, act, target, await this.facts(db, actor, act, target, now))
    );
  }

  /** Throws NOT_FOUND (may not know it exists), FORBIDDEN or NOT_RESPONSIBLE; else the relation. */
  async require(
    db: Executor,
    actor: Actor | null,
    act: AccessAct,
    target: Target,
    now: Date,
  ): Promise<Relation | 'platform' | 'none'> {
    const decision = actor
      ? await this.decide(db, actor, act, target, now)
      : decideAccess(ANONYMOUS, act, target, null);
    if (!decision.allowed) throw decision.error;
    return decision.via;
  }

  async can(
    db: Executor,
    actor: Actor,
    act: AccessAct,
    target: Target,
    now: Date,
  ): Promise<boolean> {
    return (await this.decide(db, actor, act, target, now)).allowed;
  }
}

const ANONYMOUS = {
  staffId: null,
  username: 'anonymous',
  role: '',
  organizationId: null,
  organizationKind: null,
  bankId: null,
  jurisdiction: null,
  scope: { kind: 'organization', organizationId: '' },
} as const;
