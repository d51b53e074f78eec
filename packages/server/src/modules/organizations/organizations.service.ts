/**
 * Registering organisations. Each belongs to a jurisdiction; a branch belongs to a bank, a
 * community outlet to a centre. Staff may register organisations only inside their own scope.
 */
import {
  ALLOWED_PARENTS,
  DomainError,
  SUSPENSION_CITATION,
  isSuspendable,
  levelAllowed,
  organizationInScope,
  type DataScope,
  type OrganizationKind,
  type OrganizationLevel,
} from '@sscard/domain';
import type { ActContext } from '../../context.js';
import { isUniqueViolation, type Deps } from '../../deps.js';
import { uuidv7 } from '../../crypto/tokens.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import {
  OrganizationsRepository,
  type OrganizationFilter,
  type OrganizationRow,
} from './organizations.repository.js';

export interface NewOrganization {
  kind: OrganizationKind;
  level?: OrganizationLevel | null | undefined;
  code: string;
  name: string;
  jurisdiction: string;
  parentId?: string | null | undefined;
  canInstantIssue?: boolean | undefined;
}

export function toScoped(o: OrganizationRow) {
  return { id: o.id, bankId: o.bank_id, jurisdiction: o.jurisdiction };
}

export class OrganizationsService {
  readonly repo: OrganizationsRepository;

  constructor(private readonly deps: Deps) {
    this.repo = new OrganizationsRepository(deps.db);
  }

  list(scope: DataScope, filter: OrganizationFilter) {
    return this.repo.list(scope, {
      ...filter,
      jurisdiction: filter.jurisdiction
        ? this.deps.jurisdictions.resolve(filter.jurisdiction).code
        : undefined,
    });
  }

  /** An organisation the actor may see; out-of-scope ones are reported as not found. */
  async get(scope: DataScope, id: string): Promise<OrganizationRow> {
    const org = await this.repo.findById(id);
    if (!org || !organizationInScope(scope, toScoped(org))) {
      throw new DomainError('NOT_FOUND', { resource: 'organization' });
    }
    return org;
  }

  async create(input: NewOrganization, ctx: ActContext): Promise<OrganizationRow> {
    const scope = ctx.actor?.scope ?? { kind: 'all' };
    const jurisdiction = this.deps.jurisdictions.resolve(input.jurisdiction).code;
    const level = input.level ?? null;
    if (!levelAllowed(input.kind, level)) {
      throw new DomainError('VALIDATION', {
        summary: `level "${String(level)}" does not fit kind ${input.kind}`,
      });
    }
    const parent = input.parentId ? await this.get(scope, input.parentId) : null;
    const allowedParents = ALLOWED_PARENTS[input.kind];
    if (!allowedParents.includes(parent ? parent.kind : null)) {
      const expected = allowedParents.map((k) => k ?? 'none').join(' | ');
      throw new DomainError('ORGANIZATION_PARENT_INVALID', { kind: input.kind, expected });
    }
    const id = uuidv7();
    const bankId =
      input.kind === 'bank' ? id : input.kind === 'branch' ? parent!.id : (parent?.bank_id ?? null);
    const candidate = { id, bankId, jurisdiction };
    if (!organizationInScope(scope, candidate))
      throw new DomainError('OUT_OF_SCOPE', { resource: 'organization' });

    const now = this.deps.clock.now();
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const row = await this.repo.insert(trx, {
          id,
          kind: input.kind,
          level,
          code: input.code,
          name: input.name,
          jurisdiction,
          parentId: parent?.id ?? null,
          bankId,
          canInstantIssue: input.canInstantIssue ?? false,
          now,
        });
        await this.deps.audit.append(
          trx,
          ctx,
          {
            action: 'organization.create',
            targetType: 'organization',
            targetId: id,
            jurisdiction,
            details: { kind: input.kind },
          },
          now,
        );
        return row;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DomainError('ORGANIZATION_CODE_TAKEN');
      throw e;
    }
  }

  /**
   * Suspends an organisation's access during a network or data security incident (FZ-42): a
   * bank with all its branches, or one branch or community outlet. Every open session of their
   * staff ends at once (tokens may be compromised); until restored, their logins and requests
   * are refused citing the article. Only a centre, inside its jurisdiction.
   */
  async suspend(id: string, reason: string, ctx: ActContext): Promise<OrganizationRow> {
    const org = await this.get(this.centreScope(ctx), id);
    if (!isSuspendable(org.kind))
      throw new DomainError('ORGANIZATION_NOT_SUSPENDABLE', { kind: org.kind });
    if (org.status === 'suspended') throw new DomainError('ORGANIZATION_ALREADY_SUSPENDED');
    const now = this.deps.clock.now();
    ctx.reason = reason;
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('organizations')
        .set({ status: 'suspended', suspended_at: now, suspension_reason: reason })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const covered = await trx
        .selectFrom('organizations')
        .select('id')
        .where((eb) =>
          org.kind === 'bank'
            ? eb.or([eb('id', '=', id), eb('bank_id', '=', id)])
            : eb('id', '=', id),
        )
        .execute();
      const ended = await new SessionsRepository(this.deps.db).endAllForOrganizations(
        trx,
        covered.map((o) => o.id),
        now,
        'organization_suspended',
      );
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'organization.suspend',
          targetType: 'organization',
          targetId: id,
          jurisdiction: org.jurisdiction,
          details: {
            kind: org.kind,
            organizations: covered.length,
            sessionsEnded: ended,
            rule: SUSPENSION_CITATION.rule,
          },
        },
        now,
      );
      return row;
    });
  }

  /** Restores a suspended organisation's access; its staff log in again. */
  async restore(id: string, reason: string, ctx: ActContext): Promise<OrganizationRow> {
    const org = await this.get(this.centreScope(ctx), id);
    if (org.status !== 'suspended') throw new DomainError('ORGANIZATION_NOT_SUSPENDED');
    const now = this.deps.clock.now();
    ctx.reason = reason;
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('organizations')
        .set({ status: 'active', suspended_at: null, suspension_reason: null })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'organization.restore',
          targetType: 'organization',
          targetId: id,
          jurisdiction: org.jurisdiction,
          details: {
            kind: org.kind,
            suspendedSince: org.suspended_at?.toISOString() ?? null,
            rule: SUSPENSION_CITATION.rule,
          },
        },
        now,
      );
      return row;
    });
  }

  /** Suspension is the centre's act: a centre's jurisdiction, or the platform itself. */
  private centreScope(ctx: ActContext): DataScope {
    const actor = ctx.actor;
    if (!actor) return { kind: 'all' };
    if (
      actor.scope.kind === 'jurisdiction' ||
      (actor.staffId === null && actor.scope.kind === 'all')
    )
      return actor.scope;
    throw new DomainError('FORBIDDEN', { role: actor.role, action: 'organization.suspend' });
  }
}
