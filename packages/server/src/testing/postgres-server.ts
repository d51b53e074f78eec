/**
 * A PostgreSQL server for the tests that need one beyond the embedded database (several server
 * processes on one database): DATABASE_URL, else the local server on 127.0.0.1:5432 if it
 * answers, else none (the caller skips and says so).
 */
import pg from 'pg';

const LOCAL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export async function postgresServerUrl(): Promise<string | undefined> {
  return process.env.DATABASE_URL ?? ((await reachable(LOCAL)) ? LOCAL : undefined);
}
