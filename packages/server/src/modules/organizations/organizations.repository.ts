/** Organisations: the card centre, banks and branches, outlets, vendors and units. */
import type { DataScope, OrganizationKind, OrganizationLevel } from '@sscard/domain';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { DB, OrganizationsTable } from '../../db/schema.js';
import { orgScopePredicate } from './scope.js';
import type { Selectable } from 'kysely';
import { pageOf } from '../../db/paging.js';

export type OrganizationRow = Selectable<OrganizationsTable>;

export interface OrganizationFilter {
  kind?: OrganizationKind | undefined;
  jurisdiction?: string | undefined;
  parentId?: string | undefined;
  limit: number;
  offset: number;
}

export class OrganizationsRepository {
  constructor(private readonly db: Database) {}

  findById(
    id: string,
    db: Database | Transaction<DB> = this.db,
  ): Promise<OrganizationRow | undefined> {
    return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(
    scope: DataScope,
    f: OrganizationFilter,
  ): Promise<{ items: OrganizationRow[]; total: number }> {
    let q = this.db.selectFrom('organizations as o').where(orgScopePredicate(scope, 'o'));
    if (f.kind) q = q.where('o.kind', '=', f.kind);
    if (f.jurisdiction) q = q.where('o.jurisdiction', '=', f.jurisdiction);
    if (f.parentId) q = q.where('o.parent_id', '=', f.parentId);
    const { items, total: count } = await pageOf(
      q,
      (p) => p.selectAll('o').orderBy('o.created_at').orderBy('o.id'),
      f,
    );
    return { items, total: count };
  }

  async insert(
    trx: Transaction<DB>,
    o: {
      id: string;
      kind: OrganizationKind;
      level: OrganizationLevel | null;
      code: string;
      name: string;
      jurisdiction: string;
      parentId: string | null;
      bankId: string | null;
      canInstantIssue: boolean;
      servicePointKind?: OrganizationRow['service_point_kind'];
      now: Date;
    },
  ): Promise<OrganizationRow> {
    return trx
      .insertInto('organizations')
      .values({
        id: o.id,
        kind: o.kind,
        level: o.level,
        code: o.code,
        name: o.name,
        jurisdiction: o.jurisdiction,
        parent_id: o.parentId,
        bank_id: o.bankId,
        can_instant_issue: o.canInstantIssue,
        service_point_kind: o.servicePointKind ?? null,
        created_at: o.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Active branches of a jurisdiction, with their bank's name. */
  async activeBranches(jurisdiction: string) {
    const rows = await this.db
      .selectFrom('organizations as o')
      .innerJoin('organizations as b', 'b.id', 'o.bank_id')
      .select([
        'o.id',
        'o.code',
        'o.name',
        'o.bank_id',
        'b.name as bank_name',
        'o.can_instant_issue',
      ])
      .where('o.kind', '=', 'branch')
      .where('o.status', '=', 'active')
      .where('b.status', '=', 'active')
      .where('o.jurisdiction', '=', jurisdiction)
      .orderBy('b.name')
      .orderBy('o.name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      bankId: r.bank_id!,
      bankName: r.bank_name,
      canInstantIssue: r.can_instant_issue,
    }));
  }

  /** A bank with all its branches, or the organisation alone (FZ-42 suspension). */
  async coveredBy(trx: Transaction<DB>, org: OrganizationRow): Promise<string[]> {
    const rows = await trx
      .selectFrom('organizations')
      .select('id')
      .where((eb) =>
        org.kind === 'bank'
          ? eb.or([eb('id', '=', org.id), eb('bank_id', '=', org.id)])
          : eb('id', '=', org.id),
      )
      .execute();
    return rows.map((r) => r.id);
  }

  async setSuspension(
    trx: Transaction<DB>,
    id: string,
    suspension: { at: Date; reason: string } | null,
  ): Promise<OrganizationRow> {
    return trx
      .updateTable('organizations')
      .set(
        suspension
          ? {
              status: 'suspended',
              suspended_at: suspension.at,
              suspension_reason: suspension.reason,
            }
          : { status: 'active', suspended_at: null, suspension_reason: null },
      )
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  findForUpdate(id: string, trx: Transaction<DB>): Promise<OrganizationRow | undefined> {
    return trx
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }
}
