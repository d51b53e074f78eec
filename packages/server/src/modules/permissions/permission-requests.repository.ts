/** FZ-37 permission requests: the register of what branches asked for and what was decided. */
import type { DataScope } from '@sscard/domain';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Database } from '../../db/database.js';
import type { OrganizationsTable, PermissionRequestsTable } from '../../db/schema.js';
import type { Trx } from '../../db/transact.js';
import { orgScopePredicate } from '../organizations/scope.js';

export type PermissionRequestRow = Selectable<PermissionRequestsTable>;
export type RequestStatus = PermissionRequestRow['status'];

/** A request with the organisation that made it (whose bank or centre decides it). */
export interface RequestWithOrganization {
  request: PermissionRequestRow;
  organization: Selectable<OrganizationsTable>;
}

/** The register shows at most this many requests, newest first. */
const REGISTER_LIMIT = 500;

export class PermissionRequestsRepository {
  constructor(private readonly db: Database) {}

  async insert(trx: Trx, row: Insertable<PermissionRequestsTable>): Promise<PermissionRequestRow> {
    return trx
      .insertInto('permission_requests')
      .values(row)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** A request and its organisation; the request locked inside an act. */
  async findWithOrganization(
    id: string,
    db: Database | Trx = this.db,
    lock = false,
  ): Promise<RequestWithOrganization | undefined> {
    let q = db.selectFrom('permission_requests').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    const request = await q.executeTakeFirst();
    if (!request) return undefined;
    const organization = await db
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', request.organization_id)
      .executeTakeFirst();
    return organization && { request, organization };
  }

  /** The kind of organisation that made a request (it never changes), or undefined. */
  async organizationKindOf(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('permission_requests as r')
      .innerJoin('organizations as o', 'o.id', 'r.organization_id')
      .select('o.kind')
      .where('r.id', '=', id)
      .executeTakeFirst();
    return row?.kind;
  }

  async update(
    trx: Trx,
    id: string,
    set: Updateable<PermissionRequestsTable>,
  ): Promise<PermissionRequestRow> {
    return trx
      .updateTable('permission_requests')
      .set(set)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The register in a scope: a branch its own, a bank its branches', a centre its jurisdiction's. */
  list(scope: DataScope, status?: RequestStatus): Promise<PermissionRequestRow[]> {
    let q = this.db
      .selectFrom('permission_requests as r')
      .innerJoin('organizations as o', 'o.id', 'r.organization_id')
      .selectAll('r')
      .where(orgScopePredicate(scope, 'o'));
    if (status) q = q.where('r.status', '=', status);
    return q.orderBy('r.requested_at', 'desc').limit(REGISTER_LIMIT).execute();
  }
}
