/**
 * Staff permissions the FZ-37 way: a branch asks for an account, a change of its acts, or a
 * lock; the bank's administrators (the centre, for its own outlets) approve and the request is
 * filed with the centre, which sees the whole register. Requests not settled within the pack's
 * deadline (FZ-37: 3 working days) are flagged, and so are those settled late.
 *
 * An approved grant creates the account without a password: the answer carries its one-time
 * activation ticket (shown once, never saved for a retry), with which the holder sets their own.
 * Separation of duties (GB/T 22239-2019 8.1.4.2): a grant holding a separated permission
 * (`person.read_full`, `audit.read`) is approved only by an administrator that holds it itself.
 */
import {
  DomainError,
  USERNAME_PATTERN,
  citationOf,
  dueAfter,
  separatedNotHeld,
  ROLE_PERMISSIONS,
  type Citation,
  type Permission,
  type Role,
} from '@sscard/domain';
import type { ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import { uuidv7 } from '../../crypto/tokens.js';
import type { Trx } from '../../db/transact.js';
import type { AuditEntry } from '../audit/audit.repository.js';
import { organizationTarget } from '../organizations/organizations.service.js';
import type { Activation } from '../staff/staff.presenter.js';
import { ACTIVATION_SECRETS } from '../staff/staff.presenter.js';
import { separationRefusal, usernameTaken, type StaffService } from '../staff/staff.service.js';
import type {
  PermissionRequestRow,
  PermissionRequestsRepository,
  RequestStatus,
  RequestWithOrganization,
} from './permission-requests.repository.js';
import { presentDecision, presentRequest } from './permissions.presenter.js';

export type { PermissionRequestRow } from './permission-requests.repository.js';

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

export interface Decision {
  request: PermissionRequestRow;
  /** An approved grant's new account: the ticket its holder sets a password with. */
  activation: Activation | null;
}

export class PermissionsService {
  private readonly repo: PermissionRequestsRepository;

  constructor(
    private readonly deps: Deps,
    private readonly staff: StaffService,
  ) {
    this.repo = deps.repos.permissionRequests;
  }

  async request(input: NewPermissionRequest, ctx: ActContext): Promise<PermissionRequestRow> {
    const actor = ctx.actor!;
    const { repos, rules, clock, calendar } = this.deps;
    const home = actor.organizationId
      ? await repos.organizations.findById(actor.organizationId)
      : undefined;
    const role = home ? ROLE_OF_KIND[home.kind] : undefined;
    if (!home || !role)
      throw new DomainError('FORBIDDEN', { role: actor.role, action: 'staff.request' });
    if (input.kind === 'grant') {
      if (!input.account || !new RegExp(USERNAME_PATTERN).test(input.account.username)) {
        throw new DomainError('VALIDATION', {
          summary: 'a grant names the new account: account.username and account.displayName',
        });
      }
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
    const { pack } = rules.resolve(home.jurisdiction, clock.now());
    const deadline = pack.staff.changeDeadline.value ?? {
      amount: 3,
      unit: 'working_days' as const,
    };
    const workingDays = await calendar.calendar();
    return this.deps.acts.run(ctx, {
      name: 'permission.request',
      resource: 'staff',
      load: async (trx) => {
        const org = await repos.organizations.findById(home.id, trx);
        if (!org) return undefined;
        if (input.kind === 'grant') return { org };
        // A change or a lock is about an account of the requesting organisation itself.
        const target = input.staffId ? await repos.staff.findById(input.staffId, trx) : undefined;
        return target && target.organization_id === org.id ? { org } : undefined;
      },
      target: ({ org }) => ({ ...organizationTarget(org), type: 'permission_request', id: null }),
      apply: async ({ trx, now, loaded: { org } }) => {
        const row = await this.repo.insert(trx, {
          id: uuidv7(),
          kind: input.kind,
          organization_id: org.id,
          staff_id: input.staffId ?? null,
          account: input.account ? JSON.stringify(input.account) : null,
          permissions: input.permissions ? JSON.stringify(input.permissions) : null,
          reason: input.reason,
          status: 'requested',
          requested_by: actor.staffId!,
          requested_at: now,
          due_at: dueAfter(now, deadline, workingDays).due,
        });
        return {
          result: row,
          audited: { targetType: 'permission_request', targetId: row.id },
          details: { kind: input.kind },
        };
      },
      present: (row, _trx, now) => presentRequest(row, now),
      status: 201,
    });
  }

  /** The register: a branch its own, a bank its branches', a centre everything in its jurisdiction. */
  list(ctx: ActContext, status?: RequestStatus): Promise<PermissionRequestRow[]> {
    return this.repo.list(ctx.actor!.scope, status);
  }

  /**
   * Approves a request: the account is created (with an activation ticket, not a password), its
   * acts changed, or it is locked; the request is filed with the centre.
   */
  async approve(id: string, ctx: ActContext): Promise<Decision> {
    try {
      return await this.decide(id, ctx, 'approve', async ({ trx, now, request, role }) => {
        const { staff: accounts, sessions } = this.deps.repos;
        const permissions = request.permissions as Permission[] | null;
        if (request.kind === 'grant') {
          const missing = ctx.actor ? separatedNotHeld(ctx.actor, role, permissions) : [];
          if (missing.length) throw separationRefusal(role, missing);
          const account = request.account as { username: string; displayName: string };
          const { staff, activation } = await this.staff.openAccount(trx, {
            username: account.username,
            displayName: account.displayName,
            role,
            organizationId: request.organization_id,
            passwordHash: null,
            permissions,
            createdBy: ctx.actor?.staffId ?? null,
            now,
          });
          return {
            set: { created_staff_id: staff.id },
            ...(activation ? { activation } : {}),
            more: [
              {
                action: 'staff.create',
                targetType: 'staff',
                targetId: staff.id,
                details: { role, restricted: Boolean(permissions), activation: true },
              },
            ],
          };
        }
        if (request.kind === 'change') {
          await accounts.update(trx, request.staff_id!, {
            permissions: JSON.stringify(permissions),
          });
          await sessions.endAllForStaff(trx, request.staff_id!, now, 'permissions_changed');
        } else {
          await accounts.update(trx, request.staff_id!, { status: 'disabled' });
          await sessions.endAllForStaff(trx, request.staff_id!, now, 'account_locked');
        }
        return {};
      });
    } catch (e) {
      throw usernameTaken(e);
    }
  }

  async reject(id: string, reason: string, ctx: ActContext): Promise<PermissionRequestRow> {
    return (await this.decide(id, ctx, 'reject', async () => ({}), reason)).request;
  }

  /** FZ-37: the deadline the request runs against, for the answer. */
  citation(jurisdiction: string): Citation {
    return citationOf(
      this.deps.rules.resolve(jurisdiction, this.deps.clock.now()).pack.staff.changeDeadline.source,
    );
  }

  /**
   * One decision on one request, through the act step. A branch's request is decided by its
   * bank, an outlet's by the centre (two rows of the access table); the organisation that made
   * a request never changes, so which applies is known before the act.
   */
  private async decide(
    id: string,
    ctx: ActContext,
    decision: 'approve' | 'reject',
    effect: (s: { trx: Trx; now: Date; request: PermissionRequestRow; role: Role }) => Promise<{
      set?: { created_staff_id?: string };
      activation?: Activation;
      more?: AuditEntry[];
    }>,
    reason: string | null = null,
  ): Promise<Decision> {
    const outlet = (await this.repo.organizationKindOf(id)) === 'community_outlet';
    return this.deps.acts.run<RequestWithOrganization, Decision>(ctx, {
      name: `permission.${decision}${outlet ? '_outlet' : ''}`,
      action: `permission.${decision}`,
      resource: 'permission request',
      load: (trx) => this.repo.findWithOrganization(id, trx, true),
      target: ({ request, organization }) => ({
        ...organizationTarget(organization),
        type: 'permission request',
        id: request.id,
      }),
      apply: async ({ trx, now, loaded: { request, organization } }) => {
        if (request.status !== 'requested')
          throw new DomainError('CARD_STATE', {
            status: request.status,
            statusEn: request.status,
            act: '审批',
            actEn: 'decided',
          });
        const role = ROLE_OF_KIND[organization.kind]!;
        const done = await effect({ trx, now, request, role });
        const row = await this.repo.update(trx, id, {
          status: decision === 'approve' ? 'approved' : 'rejected',
          decided_by: ctx.actor?.staffId ?? null,
          decided_at: now,
          decision_reason: reason,
          filed_at: decision === 'approve' ? now : null,
          ...done.set,
        });
        return {
          result: { request: row, activation: done.activation ?? null },
          details: { kind: request.kind, late: now > request.due_at },
          ...(done.more ? { more: done.more } : {}),
        };
      },
      present: (d, _trx, now) =>
        decision === 'approve' ? presentDecision(d, now) : presentRequest(d.request, now),
      secrets: ACTIVATION_SECRETS,
    });
  }
}
