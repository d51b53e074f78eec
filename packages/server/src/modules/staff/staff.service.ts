/**
 * Staff accounts. Each account has one role and, except the installation administrator, belongs
 * to one organisation of the kind that role fits. Accounts are created only inside the creator's
 * scope and only for roles the creator's role may grant. Disabling an account ends its sessions
 * in the same transaction.
 */
import { randomInt } from 'node:crypto';
import {
  DomainError,
  ROLE_MAY_CREATE,
  checkPasswordStrength,
  organizationInScope,
  roleFitsOrganization,
  type DataScope,
  type Role,
} from '@sscard/domain';
import type { Selectable } from 'kysely';
import type { ActContext } from '../../context.js';
import { isUniqueViolation, type Deps } from '../../deps.js';
import { hashPassword } from '../../crypto/password.js';
import { uuidv7 } from '../../crypto/tokens.js';
import type { StaffTable } from '../../db/schema.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { orgScopePredicate } from '../organizations/scope.js';
import { OrganizationsRepository } from '../organizations/organizations.repository.js';
import { toScoped } from '../organizations/organizations.service.js';

export type StaffRow = Selectable<StaffTable>;

export interface NewStaff {
  username: string;
  displayName: string;
  role: Role;
  organizationId: string | null;
  password: string;
}

export const INSTALLATION_ADMIN = 'admin';

export class StaffService {
  private readonly orgs: OrganizationsRepository;
  private readonly sessions: SessionsRepository;

  constructor(private readonly deps: Deps) {
    this.orgs = new OrganizationsRepository(deps.db);
    this.sessions = new SessionsRepository(deps.db);
  }

  async list(
    scope: DataScope,
    f: {
      organizationId?: string | undefined;
      role?: Role | undefined;
      limit: number;
      offset: number;
    },
  ) {
    let q = this.deps.db
      .selectFrom('staff as s')
      .leftJoin('organizations as o', 'o.id', 's.organization_id');
    if (scope.kind !== 'all') q = q.where(orgScopePredicate(scope, 'o'));
    if (f.organizationId) q = q.where('s.organization_id', '=', f.organizationId);
    if (f.role) q = q.where('s.role', '=', f.role);
    const [items, count] = await Promise.all([
      q
        .selectAll('s')
        .orderBy('s.created_at')
        .orderBy('s.id')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  async get(scope: DataScope, id: string): Promise<StaffRow> {
    const row = await this.deps.db
      .selectFrom('staff')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || !(await this.inScope(scope, row)))
      throw new DomainError('NOT_FOUND', { resource: 'staff' });
    return row;
  }

  async create(input: NewStaff, ctx: ActContext): Promise<StaffRow> {
    const actor = ctx.actor!;
    if (!ROLE_MAY_CREATE[actor.role].includes(input.role)) {
      throw new DomainError('FORBIDDEN', { role: actor.role, action: `create ${input.role}` });
    }
    const org = input.organizationId ? await this.orgs.findById(input.organizationId) : null;
    if (input.organizationId && (!org || !organizationInScope(actor.scope, toScoped(org)))) {
      throw new DomainError('NOT_FOUND', { resource: 'organization' });
    }
    if (!org && actor.scope.kind !== 'all')
      throw new DomainError('OUT_OF_SCOPE', { resource: 'staff' });
    if (!roleFitsOrganization(input.role, org?.kind ?? null)) {
      throw new DomainError('ROLE_NOT_ALLOWED_FOR_ORGANIZATION', {
        role: input.role,
        kind: org?.kind ?? 'none',
      });
    }
    checkPasswordStrength(input.password);
    return this.insert(input, ctx);
  }

  async disable(scope: DataScope, id: string, ctx: ActContext): Promise<StaffRow> {
    const target = await this.get(scope, id);
    if (target.id === ctx.actor?.staffId)
      throw new DomainError('FORBIDDEN', { role: ctx.actor.role, action: 'disable own account' });
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('staff')
        .set({ status: 'disabled' })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const ended = await this.sessions.endAllForStaff(trx, id, now, 'account_disabled');
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'staff.disable',
          targetType: 'staff',
          targetId: id,
          details: { sessionsEnded: ended },
        },
        now,
      );
      return row;
    });
  }

  /**
   * On first start, create the installation administrator `admin` with the configured password,
   * or a random one that the caller prints once. Does nothing if the account exists.
   */
  async ensureInstallationAdmin(
    ctx: ActContext,
    password?: string,
  ): Promise<{ created: boolean; password?: string }> {
    const exists = await this.deps.db
      .selectFrom('staff')
      .select('id')
      .where('username', '=', INSTALLATION_ADMIN)
      .executeTakeFirst();
    if (exists) return { created: false };
    const chosen = password ?? generatePassword();
    checkPasswordStrength(chosen);
    try {
      await this.insert(
        {
          username: INSTALLATION_ADMIN,
          displayName: '平台管理员',
          role: 'installation_admin',
          organizationId: null,
          password: chosen,
        },
        ctx,
      );
    } catch (e) {
      if (e instanceof DomainError && e.code === 'USERNAME_TAKEN') return { created: false }; // another node won the race
      throw e;
    }
    return { created: true, ...(password ? {} : { password: chosen }) };
  }

  private async insert(input: NewStaff, ctx: ActContext): Promise<StaffRow> {
    const now = this.deps.clock.now();
    const passwordHash = await hashPassword(input.password);
    const id = uuidv7();
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('staff')
          .values({
            id,
            username: input.username,
            display_name: input.displayName,
            organization_id: input.organizationId,
            role: input.role,
            password_hash: passwordHash,
            password_changed_at: now,
            created_at: now,
            created_by: ctx.actor?.staffId ?? null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.deps.audit.append(
          trx,
          ctx,
          {
            action: 'staff.create',
            targetType: 'staff',
            targetId: id,
            details: { role: input.role },
          },
          now,
        );
        return row;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DomainError('USERNAME_TAKEN');
      throw e;
    }
  }

  private async inScope(scope: DataScope, row: StaffRow): Promise<boolean> {
    if (scope.kind === 'all') return true;
    if (!row.organization_id) return false;
    const org = await this.orgs.findById(row.organization_id);
    return !!org && organizationInScope(scope, toScoped(org));
  }
}

/** 16 characters from four classes, for the one-time printed administrator password. */
export function generatePassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '-_.!@#%+='];
  const all = sets.join('');
  const pick = (s: string) => s[randomInt(s.length)]!;
  const chars = sets.map(pick);
  while (chars.length < 16) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
