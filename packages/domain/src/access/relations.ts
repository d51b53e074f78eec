/**
 * Relationships between a member of staff and what an act is about. Who may do an act depends on
 * the role (the permission it holds, `organisations/roles.ts`) AND on one of these: the card's
 * bank, the organisation that took the application, the holder standing at the counter with their
 * document, the centre of the jurisdiction. Pure: the server supplies the facts it read.
 */
import { jurisdictionCovers } from '../organisations/roles.js';
import type { DataScope } from '../organisations/roles.js';
import type { OrganizationKind } from '../organisations/kinds.js';

export const RELATIONS = [
  /** The installation itself: its administrator (scope `all`), or the platform's own jobs. */
  'installation',
  /** A centre (or its auditor) whose jurisdiction covers the target's. */
  'jurisdiction',
  /** The target's bank (card or application): its administrators and any of its branches. */
  'bank',
  /** The target's branch: where the card is made, stocked and handed over. */
  'branch',
  /** The organisation that took the application (a branch or a community outlet). */
  'accepting',
  /** The person was registered by an organisation in the actor's data scope. */
  'standing',
  /**
   * A counter of the target's jurisdiction serving the holder in front of it: it found them by
   * their full document number a moment ago (a presence, see `persons.find`). FZ-32: 任意一家营业网点.
   */
  'present',
  /** Any counter (bank branch or community outlet) of the target's jurisdiction. */
  'counter',
  /**
   * A card service window of the target's jurisdiction (社保卡综合服务窗口, SG-6; 市县一卡通机构,
   * HN-7): the centre's own counter, which does the centre's business there (HN-27 cancels).
   */
  'window',
  /** A card vendor of the target's jurisdiction. */
  'vendor',
  /** The target organisation (or the organisation of the target account) is in the actor's scope. */
  'org_scope',
  /** The actor's own account or session. */
  'self',
  /**
   * A holder signed in online (modules/holders): the target's person is the holder, or a family
   * member the holder acts for (亲情服务). Never a member of staff.
   */
  'holder',
] as const;
export type Relation = (typeof RELATIONS)[number];

/** The acting member of staff, as far as access needs to know. */
export interface AccessActor {
  staffId: string | null;
  username: string;
  role: string;
  organizationId: string | null;
  organizationKind: OrganizationKind | null;
  bankId: string | null;
  jurisdiction: string | null;
  scope: DataScope;
  /** A holder signed in online: who they are and the family members they act for. */
  holder?: { personId: string; wards: readonly string[] } | undefined;
}

/** What an act is about, as far as access needs to know. */
export interface AccessTarget {
  /** `card`, `application`, `person`, `organization`, `staff`, … (for the refusal's message). */
  type: string;
  /** Division code of the target's jurisdiction; null for installation-wide things. */
  jurisdiction: string | null;
  bankId?: string | null | undefined;
  branchId?: string | null | undefined;
  acceptedBy?: string | null | undefined;
  /** The organisation the target is or belongs to (organisations, staff, requests). */
  organization?: { id: string; bankId: string | null; jurisdiction: string } | undefined;
  /** The account the target is or belongs to (own account acts). */
  staffId?: string | null | undefined;
  /**
   * A person (not a card): the holder in front of a counter may be served there whatever
   * jurisdiction first registered them; their cards and applications stay with their own.
   */
  servedAnywhere?: boolean | undefined;
  /** The person the target is or belongs to (the holder of a card, the applicant). */
  personId?: string | null | undefined;
}

/** Facts that need the database: read by the server only when a policy asks for them. */
export interface AccessFacts {
  standing: boolean;
  present: boolean;
}

const COUNTER_KINDS: readonly (OrganizationKind | null)[] = [
  'branch',
  'community_outlet',
  'service_window',
];

/** The platform acting on its own behalf (start-up, daily jobs, the CLI): not a member of staff. */
export function isPlatformActor(actor: AccessActor): boolean {
  return actor.staffId === null && actor.username.startsWith('system:');
}

export function isCounter(actor: AccessActor): boolean {
  return COUNTER_KINDS.includes(actor.organizationKind);
}

function sameJurisdiction(actor: AccessActor, target: AccessTarget): boolean {
  return (
    actor.jurisdiction !== null &&
    target.jurisdiction !== null &&
    jurisdictionCovers(actor.jurisdiction, target.jurisdiction)
  );
}

function inScope(scope: DataScope, org: NonNullable<AccessTarget['organization']>): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'jurisdiction':
      return org.jurisdiction.startsWith(scope.prefix);
    case 'bank':
      return org.bankId === scope.bankId;
    case 'organization':
      return org.id === scope.organizationId;
  }
}

/** Whether the actor holds one relation to the target; `facts` only where the relation needs them. */
export function holds(
  actor: AccessActor,
  relation: Relation,
  target: AccessTarget,
  facts: AccessFacts | null,
): boolean {
  switch (relation) {
    case 'installation':
      return actor.scope.kind === 'all';
    case 'jurisdiction':
      return (
        actor.scope.kind === 'jurisdiction' &&
        target.jurisdiction !== null &&
        target.jurisdiction.startsWith(actor.scope.prefix)
      );
    case 'bank':
      return actor.bankId !== null && !!target.bankId && actor.bankId === target.bankId;
    case 'branch':
      return actor.organizationId !== null && actor.organizationId === target.branchId;
    case 'accepting':
      return actor.organizationId !== null && actor.organizationId === target.acceptedBy;
    case 'standing':
      return facts?.standing ?? false;
    case 'present':
      return (
        isCounter(actor) &&
        (target.servedAnywhere === true || sameJurisdiction(actor, target)) &&
        (facts?.present ?? false)
      );
    case 'counter':
      return isCounter(actor) && sameJurisdiction(actor, target);
    case 'window':
      return actor.organizationKind === 'service_window' && sameJurisdiction(actor, target);
    case 'vendor':
      return actor.organizationKind === 'vendor' && sameJurisdiction(actor, target);
    case 'org_scope':
      return !!target.organization && inScope(actor.scope, target.organization);
    case 'self':
      return actor.staffId !== null && actor.staffId === target.staffId;
    case 'holder':
      return (
        !!actor.holder &&
        !!target.personId &&
        (actor.holder.personId === target.personId || actor.holder.wards.includes(target.personId))
      );
  }
}

/** Relations that need facts from the database. */
export const FACT_RELATIONS: readonly Relation[] = ['standing', 'present'];
