/**
 * The schema as the catalogue describes it, for the Citus plan (db/distribution.ts): the tables
 * of the current schema with their columns, every unique key (primary keys, unique constraints
 * and unique indexes) and every foreign key. Read by `sscard db citus-plan` and its test.
 */
import { sql } from 'kysely';
import type { Database } from './database.js';
import type { ForeignKeyInfo } from './distribution.js';

export interface Catalogue {
  tables: Map<string, string[]>;
  /** Primary keys, unique constraints and unique indexes (expression columns as `(expr)`). */
  uniques: { table: string; name: string; columns: string[] }[];
  foreignKeys: ForeignKeyInfo[];
}

export async function readCatalogue(db: Database): Promise<Catalogue> {
  const cols = await sql<{ t: string; c: string }>`
    select c.relname::text as t, a.attname::text as c
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where n.nspname = current_schema() and c.relkind in ('r', 'p')
     order by c.relname, a.attnum`.execute(db);
  const tables = new Map<string, string[]>();
  for (const r of cols.rows) tables.set(r.t, [...(tables.get(r.t) ?? []), r.c]);
  const idx = await sql<{ t: string; name: string; cols: string[] }>`
    select c.relname::text as t, ic.relname::text as name,
           array(select coalesce(a.attname::text, '(expr)')
                   from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
                   left join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
                  order by k.ord) as cols
      from pg_index i join pg_class c on c.oid = i.indrelid
      join pg_class ic on ic.oid = i.indexrelid
      join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and i.indisunique`.execute(db);
  const fks = await sql<{ t: string; cols: string[]; rt: string; rcols: string[] }>`
    select c.relname::text as t, r.relname::text as rt,
           array(select a.attname::text from unnest(con.conkey) with ordinality k(n, o)
                   join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.o) as cols,
           array(select a.attname::text from unnest(con.confkey) with ordinality k(n, o)
                   join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.o) as rcols
      from pg_constraint con join pg_class c on c.oid = con.conrelid
      join pg_class r on r.oid = con.confrelid
      join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and con.contype = 'f'`.execute(db);
  return {
    tables,
    uniques: idx.rows.map((r) => ({ table: r.t, name: r.name, columns: r.cols })),
    foreignKeys: fks.rows.map((r) => ({
      table: r.t,
      columns: r.cols,
      references: r.rt,
      referencedColumns: r.rcols,
    })),
  };
}
