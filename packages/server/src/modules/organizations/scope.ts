/**
 * Data scopes in SQL: the same rule as `organizationInScope` in the domain, as a predicate on an
 * `organizations` row, so lists are filtered in the database rather than after loading.
 */
import type { DataScope } from '@sscard/domain';
import { sql, type RawBuilder, type SqlBool } from 'kysely';

export function orgScopePredicate(scope: DataScope, alias: string): RawBuilder<SqlBool> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  switch (scope.kind) {
    case 'all':
      return sql<SqlBool>`true`;
    case 'jurisdiction':
      return sql<SqlBool>`${col('jurisdiction')} like ${`${scope.prefix}%`}`;
    case 'bank':
      return sql<SqlBool>`${col('bank_id')} = ${scope.bankId}`;
    case 'organization':
      return sql<SqlBool>`${col('id')} = ${scope.organizationId}`;
  }
}
