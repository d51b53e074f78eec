/**
 * Registering organisations. Each belongs to a jurisdiction; a branch belongs to a bank, a
 * community outlet to a centre. Staff may register organisations only inside their own scope.
 */
import {
  ALLOWED_PARENTS,
  DomainError,
  SUSPENSION_CITATION,
  isSuspendable,
  jurisdictionCovers,
  levelAllowed,
  type DataScope,
  type OrganizationKind,
  type OrganizationLevel,
  type ServicePointKind,
} from '@sscard/domain';
import type { Applied } from '../../acts/act-step.js';
import type { Target } from '../../acts/access.js';
import type { ActContext } from '../../context.js';
import { isUniqueViolation, type Deps } from '../../deps.js';
import { uuidv7 } from '../../crypto/tokens.js';
import type { Trx } from '../../db/transact.js';
import { presentOrganization } from './organizations.presenter.js';
import type {
  OrganizationFilter,
  OrganizationRow,
  OrganizationsRepository,
} from './organizations.repository.js';

export interface NewOrganization {
  kind: OrganizationKind;
  level?: OrganizationLevel | null | undefined;
  code: string;
  name: string;
  jurisdiction: string;
  parentId?: string | null | undefined;
  canInstantIssue?: boolean | undefined;
  /** A service point's kind (hospital, pharmacy, …): required for one, refused for others. */
  servicePointKind?: ServicePointKind | null | undefined;
}

export function toScoped(o: OrganizationRow) {
  return { id: o.id, bankId: o.bank_id, jurisdiction: o.jurisdiction };
}

/** What access needs to know about an organisation (acts/access.ts). */
export function organizationTarget(o: {
  id: string;
  bank_id: string | null;
  jurisdiction: string;
}): Target {
  return {
    type: 'organization',
    id: o.id,
    jurisdiction: o.jurisdiction,
    bankId: o.bank_id,
    organization: { id: o.id, bankId: o.bank_id, jurisdiction: o.jurisdiction },
  };
}

export class OrganizationsService {
  readonly repo: OrganizationsRepository;

  constructor(private readonly deps: Deps) {
    this.repo = deps.repos.organizations;
  }

  list(scope: DataScope, filter: OrganizationFilter) {
    return this.repo.list(scope, {
      ...filter,
      jurisdiction: filter.jurisdiction
        ? this.deps.jurisdictions.resolve(filter.jurisdiction).code
        : undefined,
    });
  }

  /** A jurisdiction's active branches, for its staff (and the installation's). */
  async branchesOf(code: string, ctx: ActContext) {
    const j = this.deps.jurisdictions.resolveResource(code);
    const actor = ctx.actor!;
    const mine =
      actor.scope.kind === 'all' ||
      (actor.jurisdiction !== null && jurisdictionCovers(actor.jurisdiction, j.code));
    if (!mine) throw new DomainError('NOT_FOUND', { resource: 'jurisdiction' });
    return this.repo.activeBranches(j.code);
  }

  /** An organisation the actor may see; out-of-scope ones are reported as not found. */
  async get(ctx: ActContext, id: string): Promise<OrganizationRow> {
    const org = await this.repo.findById(id);
    if (!org) throw new DomainError('NOT_FOUND', { resource: 'organization' });
    const now = this.deps.clock.now();
    await this.deps.access.require(
      this.deps.db,
      ctx.actor,
      'organization.read',
      organizationTarget(org),
      now,
    );
    return org;
  }

  async create(input: NewOrganization, ctx: ActContext): Promise<OrganizationRow> {
    const jurisdiction = this.deps.jurisdictions.resolve(input.jurisdiction).code;
    const level = input.level ?? null;
    const servicePointKind = input.servicePointKind ?? null;
    if ((input.kind === 'service_point') !== (servicePointKind !== null))
      throw new DomainError('SERVICE_POINT_KIND_REQUIRED');
    if (!levelAllowed(input.kind, level)) {
      throw new DomainError('VALIDATION', {
        summary: `level "${String(level)}" does not fit kind ${input.kind}`,
      });
    }
    const id = uuidv7();
    try {
      return await this.deps.acts.run(ctx, {
        name: 'organization.create',
        resource: 'organization',
        load: async (trx, now) => {
          if (!input.parentId) return { parent: null };
          const parent = await this.repo.findById(input.parentId, trx);
          // A parent the actor may not see is refused as if it did not exist.
          if (
            !parent ||
            !(await this.deps.access.can(
              trx,
              ctx.actor!,
              'organization.read',
              organizationTarget(parent),
              now,
            ))
          )
            return undefined;
          return { parent };
        },
        // The new organisation, as it will be: it must lie in the actor's scope.
        target: ({ parent }) => {
          const bankId =
            input.kind === 'bank'
              ? id
              : input.kind === 'branch'
                ? parent!.id
                : (parent?.bank_id ?? null);
          return organizationTarget({ id, bank_id: bankId, jurisdiction });
        },
        apply: async ({ trx, now, loaded: { parent }, target }) => {
          const allowedParents = ALLOWED_PARENTS[input.kind];
          if (!allowedParents.includes(parent ? parent.kind : null)) {
            const expected = allowedParents.map((k) => k ?? 'none').join(' | ');
            throw new DomainError('ORGANIZATION_PARENT_INVALID', { kind: input.kind, expected });
          }
          const row = await this.repo.insert(trx, {
            id,
            kind: input.kind,
            level,
            code: input.code,
            name: input.name,
            jurisdiction,
            parentId: parent?.id ?? null,
            bankId: target.bankId ?? null,
            canInstantIssue: input.canInstantIssue ?? false,
            servicePointKind,
            now,
          });
          return { result: row, details: { kind: input.kind } };
        },
        present: presentOrganization,
        status: 201,
      });
    } catch (e) {
      if (isUniqueViolation(e, 'organizations_code_key'))
        throw new DomainError('ORGANIZATION_CODE_TAKEN');
      throw e;
    }
  }

  /**
   * Suspends an organisation's access during a network or data security incident (FZ-42): a
   * bank with all its branches, or one branch or community outlet. Every open session of their
   * staff ends at once (tokens may be compromised); until restored, their logins and requests
   * are refused citing the article. Only a centre, inside its jurisdiction.
   */
  suspend(id: string, reason: string, ctx: ActContext): Promise<OrganizationRow> {
    ctx.reason = reason;
    return this.orgAct(id, ctx, 'organization.suspend', async (trx, now, org) => {
      if (!isSuspendable(org.kind))
        throw new DomainError('ORGANIZATION_NOT_SUSPENDABLE', { kind: org.kind });
      if (org.status === 'suspended') throw new DomainError('ORGANIZATION_ALREADY_SUSPENDED');
      const row = await this.repo.setSuspension(trx, id, { at: now, reason });
      const covered = await this.repo.coveredBy(trx, org);
      const ended = await this.deps.repos.sessions.endAllForOrganizations(
        trx,
        covered,
        now,
        'organization_suspended',
      );
      return {
        result: row,
        details: {
          kind: org.kind,
          organizations: covered.length,
          sessionsEnded: ended,
          rule: SUSPENSION_CITATION.rule,
        },
      };
    });
  }

  /** Restores a suspended organisation's access; its staff log in again. */
  restore(id: string, reason: string, ctx: ActContext): Promise<OrganizationRow> {
    ctx.reason = reason;
    return this.orgAct(id, ctx, 'organization.restore', async (trx, _now, org) => {
      if (org.status !== 'suspended') throw new DomainError('ORGANIZATION_NOT_SUSPENDED');
      const row = await this.repo.setSuspension(trx, id, null);
      return {
        result: row,
        details: {
          kind: org.kind,
          suspendedSince: org.suspended_at?.toISOString() ?? null,
          rule: SUSPENSION_CITATION.rule,
        },
      };
    });
  }

  private orgAct(
    id: string,
    ctx: ActContext,
    name: 'organization.suspend' | 'organization.restore',
    fn: (trx: Trx, now: Date, org: OrganizationRow) => Promise<Applied<OrganizationRow>>,
  ): Promise<OrganizationRow> {
    return this.deps.acts.run(ctx, {
      name,
      resource: 'organization',
      load: (trx) => this.repo.findForUpdate(id, trx),
      target: (o: OrganizationRow) => organizationTarget(o),
      apply: ({ trx, now, loaded }) => fn(trx, now, loaded),
      present: presentOrganization,
    });
  }
}
