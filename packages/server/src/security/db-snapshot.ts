/**
 * A fingerprint of the database's contents, to show that a refused request changed nothing:
 * per table, the row count and an MD5 over every row's text (in a stable order). Every base
 * table of the current schema is included unless ignored, so a table added later is covered
 * without anyone remembering to list it. Ignore a whole table (`audit_log`) or one column
 * (`staff.failed_logins`).
 */
import { sql, type Kysely } from 'kysely';

export type Fingerprint = Record<string, string>;

interface Column {
  table_name: string;
  column_name: string;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function fingerprinter(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  ignore: readonly string[],
): Promise<() => Promise<Fingerprint>> {
  const ignored = new Set(ignore);
  const { rows } = await sql<Column>`
    select c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(db);
  const tables = new Map<string, string[]>();
  for (const r of rows) {
    if (ignored.has(r.table_name) || ignored.has(`${r.table_name}.${r.column_name}`)) continue;
    tables.set(r.table_name, [...(tables.get(r.table_name) ?? []), r.column_name]);
  }
  if (tables.size === 0) throw new Error('no tables to fingerprint');
  const parts = [...tables].map(
    ([table, columns]) =>
      `select '${table.replaceAll("'", "''")}' as t, count(*)::text || ':' || ` +
      `coalesce(md5(string_agg(r, ',' order by r)), '') as h ` +
      `from (select md5(row(${columns.map(quote).join(', ')})::text) as r from ${quote(table)}) x`,
  );
  const query = sql.raw<{ t: string; h: string }>(parts.join('\nunion all\n'));
  return async () => {
    const result = await query.execute(db);
    return Object.fromEntries(result.rows.map((r) => [r.t, r.h]));
  };
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}
