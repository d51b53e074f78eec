/**
 * Figures for the centre console's dashboard, counted in the database within the reader's data
 * scope: a centre (or its auditor) its jurisdiction, a bank its cards and applications, a branch
 * or outlet its own. Days are Shanghai calendar days.
 */
import type { DataScope } from '@sscard/domain';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../db/database.js';

/** The rows of `cards` or `applications` (alias `t`) a scope covers. */
function businessScope(scope: DataScope, alias: string): RawBuilder<SqlBool> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  switch (scope.kind) {
    case 'all':
      return sql<SqlBool>`true`;
    case 'jurisdiction':
      return sql<SqlBool>`${col('jurisdiction')} like ${`${scope.prefix}%`}`;
    case 'bank':
      return sql<SqlBool>`${col('bank_id')} = ${scope.bankId}`;
    case 'organization':
      return sql<SqlBool>`${col('branch_id')} = ${scope.organizationId}`;
  }
}

const DAY = sql<string>`to_char((a.submitted_at at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD')`;

export class StatsRepository {
  constructor(private readonly db: Database) {}

  async applicationsByDay(scope: DataScope, from: Date, to: Date) {
    const rows = await this.db
      .selectFrom('applications as a')
      .select([DAY.as('day'), 'a.channel', (eb) => eb.fn.countAll<string>().as('count')])
      .where(businessScope(scope, 'a'))
      .where('a.submitted_at', '>=', from)
      .where('a.submitted_at', '<', to)
      .groupBy([DAY, 'a.channel'])
      .orderBy('day')
      .execute();
    return rows.map((r) => ({ day: r.day, channel: r.channel, count: Number(r.count) }));
  }

  async cardsByStatus(scope: DataScope) {
    const rows = await this.db
      .selectFrom('cards as c')
      .select(['c.status', (eb) => eb.fn.countAll<string>().as('count')])
      .where(businessScope(scope, 'c'))
      .groupBy('c.status')
      .orderBy('c.status')
      .execute();
    return rows.map((r) => ({ status: r.status, count: Number(r.count) }));
  }

  /** Open applications whose due date has passed, and those due before `soon`. */
  async applicationsDue(scope: DataScope, now: Date, soon: Date) {
    const row = await this.db
      .selectFrom('applications as a')
      .select([
        sql<string>`count(*) filter (where a.due_at < ${now})`.as('overdue'),
        sql<string>`count(*) filter (where a.due_at >= ${now} and a.due_at <= ${soon})`.as(
          'due_soon',
        ),
      ])
      .where(businessScope(scope, 'a'))
      .where('a.status', 'in', ['submitted', 'checking', 'approved', 'in_production'])
      .where('a.due_at', 'is not', null)
      .executeTakeFirstOrThrow();
    return { dueSoon: Number(row.due_soon), overdue: Number(row.overdue) };
  }

  /** Loss reports (card.loss acts that succeeded) per day and kind, on cards in scope. */
  async lossesByDay(scope: DataScope, from: Date, to: Date) {
    const day = sql<string>`to_char((l.at at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD')`;
    const kind = sql<string>`coalesce(l.details->>'kind', 'unknown')`;
    const rows = await this.db
      .selectFrom('audit_log as l')
      .innerJoin('cards as c', 'c.card_no', 'l.target_id')
      .select([day.as('day'), kind.as('kind'), (eb) => eb.fn.countAll<string>().as('count')])
      .where('l.action', '=', 'card.loss')
      .where('l.outcome', '=', 'success')
      .where('l.at', '>=', from)
      .where('l.at', '<', to)
      .where(businessScope(scope, 'c'))
      .groupBy([day, kind])
      .orderBy('day')
      .execute();
    return rows.map((r) => ({ day: r.day, kind: r.kind, count: Number(r.count) }));
  }
}
