/**
 * Staff permissions the FZ-37 way: a branch asks for an account, a change of its acts, or a
 * lock; the bank's administrators (the centre, for its own outlets) approve and the request is
 * filed with the centre, which sees the whole register. Requests not settled within the pack's
 * deadline (FZ-37: 3 working days) are flagged, and so are those settled late.
 */
import {
  DomainError,
  USERNAME_PATTERN,
  citationOf,
  dueAfter,
  organizationInScope,
  ROLE_PERMISSIONS,
  type Citation,
  type Permission,
  type Role,
} from '@sscard/domain';
import type { Selectable } from 'kysely';
import type { ActContext } from '../../context.js';
import { isUniqueViolation, type Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import type { PermissionRequestsTable } from '../../db/schema.js';
import { uuidv7 } from '../../crypto/tokens.js';
import { hashPassword } from '../../crypto/password.js';
import { OrganizationsRepository } from '../organizations/organizations.repository.js';
import { toScoped } from '../organizations/organizations.service.js';
import { orgScopePredicate } from '../organizations/scope.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { generatePassword, type StaffService } from '../staff/staff.service.js';

export type PermissionRequestRow = Selectable<PermissionRequestsTable>;

/** The role a branch's or outlet's account holds. */
const ROLE_OF_KIND: Record<string, Role> = {
  branch: 'branch_operator',
  community_outlet: 'community_operator',
};

export interface NewPermissionRequest {
  kind: 'grant' | 'change' | 'lock';
  staffId?: string | undefined;
  account?: { username: string; displayName: string } | undefined;
  permissions?: Permission[] | undefined;
  reason: string;
}

export class PermissionsService {
  private readonly orgs: OrganizationsRepository;
  private readonly sessions: SessionsRepository;

  constructor(
    private readonly deps: Deps,
    private readonly staff: StaffService,
  ) {
    this.orgs = new OrganizationsRepository(deps.db);
    this.sessions = new SessionsRepository(deps.db);
  }

  async request(input: NewPermissionRequest, ctx: ActContext): Promise<PermissionRequestRow> {
    const actor = ctx.actor!;
    const org = actor.organizationId ? await this.orgs.findById(actor.organizationId) : undefined;
    if (!org || !ROLE_OF_KIND[org.kind])
      throw new DomainError('FORBIDDEN', { role: actor.role, action: 'staff.request' });
    const role = ROLE_OF_KIND[org.kind]!;
    if (input.kind === 'grant') {
      if (!input.account || !new RegExp(USERNAME_PATTERN).test(input.account.username)) {
        throw new DomainError('VALIDATION', {
          summary: 'a grant names the new account: account.username and account.displayName',
        });
      }
    } else {
      const target = input.staffId ? await this.staff.get(actor.scope, input.staffId) : undefined;
      if (!target || target.organization_id !== org.id)
        throw new DomainError('NOT_FOUND', { resource: 'staff' });
    }
    if (input.kind !== 'lock') {
      const allowed = ROLE_PERMISSIONS[role];
      const wrong = (input.permissions ?? []).filter((p) => !allowed.includes(p));
      if (!input.permissions?.length || wrong.length) {
        throw new DomainError('VALIDATION', {
          summary: `permissions must be a non-empty subset of ${role}'s: ${wrong.join(', ')}`,
        });
      }
    }
    const { pack } = this.deps.rules.resolve(org.jurisdiction, this.deps.clock.now());
    const deadline = pack.staff.changeDeadline.value ?? {
      amount: 3,
      unit: 'working_days' as const,
    };
    const calendar = await this.deps.calendar.calendar();
    return transact(this.deps, ctx, async (trx, now) => {
      const id = uuidv7();
      await trx
        .insertInto('permission_requests')
        .values({
          id,
          kind: input.kind,
          organization_id: org.id,
          staff_id: input.staffId ?? null,
          account: input.account ? JSON.stringify(input.account) : null,
          permissions: input.permissions ? JSON.stringify(input.permissions) : null,
          reason: input.reason,
          status: 'requested',
          requested_by: actor.staffId!,
          requested_at: now,
          due_at: dueAfter(now, deadline, calendar).due,
        })
        .execute();
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'permission.request',
          targetType: 'permission_request',
          targetId: id,
          jurisdiction: org.jurisdiction,
          details: { kind: input.kind },
        },
        now,
      );
      return (await trx
        .selectFrom('permission_requests')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst())!;
    });
  }

  /** The register: a branch its own, a bank its branches', a centre everything in its jurisdiction. */
  async list(ctx: ActContext, status?: string): Promise<PermissionRequestRow[]> {
    let q = this.deps.db
      .selectFrom('permission_requests as r')
      .innerJoin('organizations as o', 'o.id', 'r.organization_id')
      .selectAll('r')
      .where(orgScopePredicate(ctx.actor!.scope, 'o'));
    if (status) q = q.where('r.status', '=', status as PermissionRequestRow['status']);
    return q.orderBy('r.requested_at', 'desc').limit(500).execute();
  }

  async approve(
    id: string,
    ctx: ActContext,
  ): Promise<{ request: PermissionRequestRow; oneTimePassword?: string }> {
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    let created: string | undefined;
    const request = await this.decideOrTaken(
      id,
      ctx,
      'approved',
      null,
      async (trx, row, role, now) => {
        const permissions = row.permissions as Permission[] | null;
        if (row.kind === 'grant') {
          const account = row.account as { username: string; displayName: string };
          const staff = await this.staff.insertIn(
            trx,
            {
              username: account.username,
              displayName: account.displayName,
              role,
              organizationId: row.organization_id,
              passwordHash,
              permissions,
            },
            ctx,
            now,
          );
          created = staff.id;
          return { created_staff_id: staff.id };
        }
        if (row.kind === 'change') {
          await trx
            .updateTable('staff')
            .set({ permissions: JSON.stringify(permissions) })
            .where('id', '=', row.staff_id!)
            .execute();
          await this.sessions.endAllForStaff(trx, row.staff_id!, now, 'permissions_changed');
        } else {
          await trx
            .updateTable('staff')
            .set({ status: 'disabled' })
            .where('id', '=', row.staff_id!)
            .execute();
          await this.sessions.endAllForStaff(trx, row.staff_id!, now, 'account_locked');
        }
        return {};
      },
    );
    return { request, ...(created ? { oneTimePassword: password } : {}) };
  }

  private async decideOrTaken(
    ...args: Parameters<PermissionsService['decide']>
  ): Promise<PermissionRequestRow> {
    try {
      return await this.decide(...args);
    } catch (e) {
      if (isUniqueViolation(e, 'staff_username_key')) throw new DomainError('USERNAME_TAKEN');
      throw e;
    }
  }

  reject(id: string, reason: string, ctx: ActContext): Promise<PermissionRequestRow> {
    return this.decide(id, ctx, 'rejected', reason, async () => ({}));
  }

  /** FZ-37: the deadline the request runs against, for the answer. */
  citation(jurisdiction: string): Citation {
    return citationOf(
      this.deps.rules.resolve(jurisdiction, this.deps.clock.now()).pack.staff.changeDeadline.source,
    );
  }

  private async decide(
    id: string,
    ctx: ActContext,
    status: 'approved' | 'rejected',
    reason: string | null,
    apply: (
      trx: Parameters<Parameters<typeof transact>[2]>[0],
      row: PermissionRequestRow,
      role: Role,
      now: Date,
    ) => Promise<{ created_staff_id?: string }>,
  ): Promise<PermissionRequestRow> {
    const actor = ctx.actor!;
    return transact(this.deps, ctx, async (trx, now) => {
      const row = await trx
        .selectFrom('permission_requests')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      const org = row ? await this.orgs.findById(row.organization_id, trx) : undefined;
      if (!row || !org || !organizationInScope(actor.scope, toScoped(org)))
        throw new DomainError('NOT_FOUND', { resource: 'permission request' });
      // The branch's own bank decides for a branch; the centre decides for its outlets.
      if (
        org.kind === 'branch'
          ? actor.bankId !== org.bank_id && actor.scope.kind !== 'all'
          : actor.organizationKind !== 'centre' && actor.scope.kind !== 'all'
      ) {
        throw new DomainError('FORBIDDEN', { role: actor.role, action: 'staff.approve' });
      }
      if (row.status !== 'requested')
        throw new DomainError('CARD_STATE', {
          status: row.status,
          statusEn: row.status,
          act: '审批',
          actEn: 'decided',
        });
      const extra = await apply(trx, row, ROLE_OF_KIND[org.kind]!, now);
      await trx
        .updateTable('permission_requests')
        .set({
          status,
          decided_by: actor.staffId,
          decided_at: now,
          decision_reason: reason,
          filed_at: status === 'approved' ? now : null,
          ...extra,
        })
        .where('id', '=', id)
        .execute();
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: `permission.${status === 'approved' ? 'approve' : 'reject'}`,
          targetType: 'permission_request',
          targetId: id,
          jurisdiction: org.jurisdiction,
          details: { kind: row.kind, late: now > row.due_at },
        },
        now,
      );
      return (await trx
        .selectFrom('permission_requests')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst())!;
    });
  }
}
