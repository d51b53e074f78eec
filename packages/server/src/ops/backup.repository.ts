/**
 * What backup and restore read from the database (ops/backup.ts): the manifest's facts (schema
 * version, audit chain heads, counts and id digests of cards, persons and applications), whether
 * a restore target is empty, and, on a server, a read-only snapshot that pg_dump then dumps, so
 * the manifest describes exactly what is in the dump. Nothing personal is read: ids only.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';

/** The tables whose every row a restore must bring back, with their key column. */
export const COUNTED_TABLES = {
  cards: 'card_no',
  persons: 'id',
  applications: 'id',
} as const;
export type CountedTable = keyof typeof COUNTED_TABLES;

export interface AuditHead {
  shard: number;
  seq: number;
  /** hex */
  hash: string;
}

export interface DatabaseFacts {
  /** The newest applied migration. */
  schemaVersion: number;
  /** The schema the installation lives in (`public` unless the connection sets another). */
  schema: string;
  serverVersion: string;
  auditHeads: AuditHead[];
  /** sha256 over every shard's `shard:seq:hash`, in shard order: the chain head in one value. */
  auditHeadHash: string;
  counts: Record<CountedTable, number>;
  /** sha256 over each table's keys in key order, one a line: the same set of rows, or not. */
  idDigests: Record<CountedTable, string>;
}

const ID_BATCH = 10_000;

export class BackupRepository {
  constructor(private readonly db: Database) {}

  /** Reads the facts a manifest records (in whatever transaction `db` is). */
  async facts(db: Kysely<DB> = this.db): Promise<DatabaseFacts> {
    const version = await sql<{
      v: number | null;
      schema: string;
      server: string;
    }>`select (select max(version) from schema_migrations)::int as v,
              current_schema() as schema,
              current_setting('server_version') as server`.execute(db);
    const heads = await db
      .selectFrom('audit_heads')
      .select(['shard', 'seq', 'hash'])
      .orderBy('shard')
      .execute();
    const auditHeads = heads.map((h) => ({
      shard: Number(h.shard),
      seq: Number(h.seq),
      hash: Buffer.from(h.hash).toString('hex'),
    }));
    const headHash = createHash('sha256');
    for (const h of auditHeads) headHash.update(`${h.shard}:${h.seq}:${h.hash}\n`);
    const counts = {} as Record<CountedTable, number>;
    const idDigests = {} as Record<CountedTable, string>;
    for (const table of Object.keys(COUNTED_TABLES) as CountedTable[]) {
      const digest = await this.idDigest(db, table);
      counts[table] = digest.count;
      idDigests[table] = digest.sha256;
    }
    const row = version.rows[0]!;
    return {
      schemaVersion: Number(row.v ?? 0),
      schema: row.schema,
      serverVersion: row.server,
      auditHeads,
      auditHeadHash: headHash.digest('hex'),
      counts,
      idDigests,
    };
  }

  /**
   * Walks a table's keys in key order (keyset pages over its primary key: an index-only scan),
   * hashing them; the order is by bytes (`collate "C"`), the same on every server.
   */
  private async idDigest(
    db: Kysely<DB>,
    table: CountedTable,
  ): Promise<{ count: number; sha256: string }> {
    const column = COUNTED_TABLES[table];
    const hash = createHash('sha256');
    let count = 0;
    let after: string | null = null;
    for (;;) {
      // uuid keys compare as their bytes, which is their text's order: the primary key's index
      // serves; text keys are ordered by bytes too, whatever the server's collation.
      const key = column === 'id' ? sql.ref(column) : sql`${sql.ref(column)} collate "C"`;
      const from =
        after === null
          ? sql`true`
          : sql`${key} > ${column === 'id' ? sql`${after}::uuid` : sql`${after}`}`;
      const page: { k: string }[] = (
        await sql<{ k: string }>`select ${sql.ref(column)}::text as k from ${sql.table(table)}
           where ${from} order by ${key} limit ${ID_BATCH}`.execute(db)
      ).rows;
      for (const r of page) hash.update(`${r.k}\n`);
      count += page.length;
      if (page.length < ID_BATCH) break;
      after = page.at(-1)!.k;
    }
    return { count, sha256: hash.digest('hex') };
  }

  /**
   * Runs `fn` inside a read-only repeatable-read transaction whose snapshot is exported: `fn`
   * gets the snapshot's name (for `pg_dump --snapshot`) and the facts as of that snapshot, and
   * the snapshot stays alive until `fn` returns. PostgreSQL servers only.
   */
  async inExportedSnapshot<T>(
    fn: (snapshot: string, facts: DatabaseFacts) => Promise<T>,
  ): Promise<T> {
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await sql`set transaction read only`.execute(trx);
        const snap = await sql<{ s: string }>`select pg_export_snapshot() as s`.execute(trx);
        const facts = await this.facts(trx);
        return fn(snap.rows[0]!.s, facts);
      });
  }

  /** The server's major version (pg_dump must be at least as new). */
  async serverMajorVersion(): Promise<number> {
    const r = await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(
      this.db,
    );
    return Math.floor(Number(r.rows[0]!.v) / 10_000);
  }

  /** PGlite: writes every dirty page to the data files, so a copy of them needs no replay. */
  async checkpoint(): Promise<void> {
    await sql`checkpoint`.execute(this.db);
  }

  /**
   * The relations (tables, views, sequences) in schemas other than the system's: an empty
   * database has none. Listed by name, the first few.
   */
  async userRelations(limit = 5): Promise<{ count: number; names: string[] }> {
    const rows = await sql<{ name: string; total: number }>`
      select n.nspname || '.' || c.relname as name, count(*) over ()::int as total
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
         and n.nspname not in ('pg_catalog', 'information_schema')
         and n.nspname not like 'pg\\_%'
       order by 1 limit ${limit}`.execute(this.db);
    return { count: Number(rows.rows[0]?.total ?? 0), names: rows.rows.map((r) => r.name) };
  }
}
