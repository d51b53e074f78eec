/**
 * Versioned migrations: `migrations/NNNN_name.sql`, applied in order, each in its own
 * transaction, recorded with a checksum in `schema_migrations`. An applied file that has since
 * been edited stops start-up: migrations are history, add a new one instead. An advisory lock
 * keeps two API nodes starting together from migrating at once.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_KEY = 7_351_220_001; // arbitrary, stable: "sscard migrations"

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

export interface MigrationReport {
  applied: string[];
  current: number;
}

export async function migrate(
  db: Database,
  migrations = listMigrations(),
): Promise<MigrationReport> {
  await sql`create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`.execute(db);

  const applied: string[] = [];
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
    const done = await trx.selectFrom('schema_migrations').selectAll().execute();
    const byVersion = new Map(done.map((m) => [m.version, m]));
    for (const m of migrations) {
      const previous = byVersion.get(m.version);
      if (previous) {
        if (previous.checksum !== m.checksum) {
          throw new Error(
            `migration ${m.version}_${m.name} was edited after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      await sql.raw(m.sql).execute(trx);
      await trx
        .insertInto('schema_migrations')
        .values({ version: m.version, name: m.name, checksum: m.checksum, applied_at: new Date() })
        .execute();
      applied.push(`${String(m.version).padStart(4, '0')}_${m.name}`);
    }
  });
  const current = migrations.at(-1)?.version ?? 0;
  return { applied, current };
}
