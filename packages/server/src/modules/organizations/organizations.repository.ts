/** Organisations: the card centre, banks and branches, outlets, vendors and units. */
import type { DataScope, OrganizationKind, OrganizationLevel } from '@sscard/domain';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { DB, OrganizationsTable } from '../../db/schema.js';
import { orgScopePredicate } from './scope.js';
import type { Selectable } from 'kysely';
import { countOf } from '../../db/paging.js';

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
    const [items, count] = await Promise.all([
      q
        .selectAll('o')
        .orderBy('o.created_at')
        .orderBy('o.id')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      countOf(q),
    ]);
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
        created_at: o.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
