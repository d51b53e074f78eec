/**
 * Reading the trail in bulk: the reader's scope as SQL, and records in (shard, seq) order a page
 * at a time (keyset paging), so an export or an archive of any size is streamed, not loaded.
 */
import type { DataScope } from '@sscard/domain';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../db/database.js';
import { orgScopePredicate } from '../organizations/scope.js';
import type { AuditRow } from './archive.js';

/**
 * The records a reader may see: those of their jurisdiction, and those by staff of an
 * organisation in their scope. Installation-level readers see everything.
 */
export function auditScopePredicate(scope: DataScope, alias = 'a'): RawBuilder<SqlBool> {
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  const jurisdiction =
    scope.kind === 'jurisdiction'
      ? sql<SqlBool>`${sql.ref(`${alias}.jurisdiction`)} like ${`${scope.prefix}%`}`
      : sql<SqlBool>`false`;
  return sql<SqlBool>`(${jurisdiction} or exists (select 1 from organizations as scope_org where scope_org.id = ${sql.ref(`${alias}.actor_org_id`)} and ${orgScopePredicate(scope, 'scope_org')}))`;
}

export interface PeriodFilter {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  scope: DataScope;
}

/** Records of a period within a scope, ordered by shard and seq. */
export async function* periodRows(
  db: Database,
  filter: PeriodFilter,
  pageSize = 1000,
): AsyncGenerator<AuditRow> {
  let after: [number, number] = [-1, 0];
  for (;;) {
    const rows = await db
      .selectFrom('audit_log as a')
      .selectAll('a')
      .where('a.at', '>=', filter.from)
      .where('a.at', '<', filter.to)
      .where(auditScopePredicate(filter.scope))
      .where(sql<SqlBool>`(a.shard, a.seq) > (${after[0]}, ${after[1]})`)
      .orderBy('a.shard')
      .orderBy('a.seq')
      .limit(pageSize)
      .execute();
    yield* rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = [last.shard, Number(last.seq)];
  }
}

/** Up to `limit` records of one shard from `fromSeq` to `toSeq`, in order. */
export function shardPage(
  db: Database,
  shard: number,
  fromSeq: number,
  toSeq: number,
  limit: number,
): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('shard', '=', shard)
    .where('seq', '>=', fromSeq)
    .where('seq', '<=', toSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** Records `fromSeq`..`toSeq` of each given shard range, in order. */
export async function* rangeRows(
  db: Database,
  ranges: { shard: number; fromSeq: number; toSeq: number }[],
  pageSize = 1000,
): AsyncGenerator<AuditRow> {
  for (const r of [...ranges].sort((a, b) => a.shard - b.shard)) {
    let next = r.fromSeq;
    while (next <= r.toSeq) {
      const rows = await shardPage(db, r.shard, next, r.toSeq, pageSize);
      yield* rows;
      if (rows.length < pageSize) break;
      next = Number(rows[rows.length - 1]!.seq) + 1;
    }
  }
}
