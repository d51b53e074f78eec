/**
 * Opens the database: embedded PGlite in a data directory (the default), or a real PostgreSQL
 * server through a connection pool when DATABASE_URL is set. Both return the same typed Kysely
 * handle and the same JavaScript types for the same SQL types (dates as 'YYYY-MM-DD' strings,
 * int8 as numbers, bytea as Buffers), so nothing above this file knows which one it runs on.
 */
import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;

/**
 * One statement by name, prepared once per connection on PostgreSQL (parse and plan once, then
 * only bind and execute): for the few hot reads (the terminals' card check). Same types as Kysely.
 */
export type PreparedQuery = <T = Record<string, unknown>>(
  name: string,
  text: string,
  values: unknown[],
) => Promise<T[]>;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  prepared: PreparedQuery;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball (tests start from a migrated one). */
  dumpDataDir?: () => Promise<Blob>;
  /**
   * The NOTIFY channel of this database's change bus (db/change-bus.ts); on a server it names
   * the schema too, so test files sharing one database do not hear each other.
   */
  changesChannel: string;
  /**
   * LISTENs on `changesChannel` on a connection of its own. `onGap` is called when that
   * connection was lost and made again: notifications may have been missed meanwhile.
   * Returns the unsubscribe.
   */
  listen(onNotify: (payload: string) => void, onGap: () => void): Promise<() => Promise<void>>;
}

const CHANGES_CHANNEL = 'sscard_changes';

/** How busy the connections are, for /metrics (ops/metrics.ts). */
export interface PoolStats {
  kind: 'pglite' | 'postgres';
  /** Connections the pool may open (PGlite: its one connection). */
  max: number;
  /** Connections open now. */
  total: number;
  /** Open connections not in use. */
  idle: number;
  /** Queries or transactions waiting for a connection. */
  waiting: number;
}

const poolStatsOf = new WeakMap<Database, () => PoolStats>();

/** The pool's use right now for a handle opened here; undefined for any other Kysely. */
export function poolStats(db: Database): PoolStats | undefined {
  return poolStatsOf.get(db)?.();
}

const OID = { INT8: 20, BYTEA: 17, DATE: 1082, NUMERIC: 1700 } as const;

const sharedParsers: Record<number, (value: string) => unknown> = {
  [OID.DATE]: (v) => v,
  [OID.INT8]: (v) => Number(v),
  [OID.NUMERIC]: (v) => v,
};

export interface OpenOptions {
  /** PostgreSQL connection string; absent means embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` or undefined keeps it in memory. */
  dataDir?: string | undefined;
  /** A PGlite data-directory dump to start from (tests start from a migrated template). */
  loadDataDir?: Blob | File | undefined;
  poolSize?: number;
  /** Schema to use on a PostgreSQL server (tests isolate themselves per file). */
  searchPath?: string | undefined;
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openPGlite(options);
}

async function openPGlite(options: OpenOptions): Promise<DatabaseHandle> {
  const dir = options.dataDir && options.dataDir !== 'memory://' ? options.dataDir : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  const unlock = dir ? lockDataDir(dir) : () => {};
  const pglite = new PGlite({
    ...(dir ? { dataDir: dir } : {}),
    parsers: {
      ...sharedParsers,
      // PGlite hands bytea back as Uint8Array; Buffer keeps parity with node-postgres.
      [pgliteTypes.BYTEA]: (v: string) => Buffer.from(v.startsWith('\\x') ? v.slice(2) : v, 'hex'),
    },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  try {
    await pglite.waitReady;
  } catch (e) {
    unlock();
    throw e;
  }
  const dialect = new PGliteDialect(pglite);
  const db = new Kysely<DB>({ dialect });
  poolStatsOf.set(db, () => {
    const { busy, waiting } = dialect.usage();
    return { kind: 'pglite', max: 1, total: 1, idle: busy ? 0 : 1, waiting };
  });
  return {
    db,
    kind: 'pglite',
    // One connection, shared under the dialect's lock: through Kysely, never around it.
    prepared: async <T>(_name: string, text: string, values: unknown[]) =>
      (await db.executeQuery<T>(CompiledQuery.raw(text, values))).rows as T[],
    close: async () => {
      await db.destroy();
      unlock();
    },
    dumpDataDir: () => pglite.dumpDataDir('none'),
    changesChannel: CHANGES_CHANNEL,
    // One process: PGlite delivers its own NOTIFYs after the commit.
    listen: async (onNotify) => pglite.listen(CHANGES_CHANNEL, onNotify),
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<DatabaseHandle> {
  const typeOverrides = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      sharedParsers[oid] ?? pg.types.getTypeParser(oid, format ?? 'text'),
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: typeOverrides as pg.CustomTypesConfig,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  // A dropped connection must not crash the process; the next query reports the failure.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const max = options.poolSize ?? 10;
  poolStatsOf.set(db, () => ({
    kind: 'postgres',
    max,
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  }));
  const prepared = async <T>(name: string, text: string, values: unknown[]) =>
    (await pool.query({ name, text, values })).rows as T[];
  const changesChannel = options.searchPath
    ? `${CHANGES_CHANNEL}_${options.searchPath.replace(/[^a-z0-9_]/gi, '_')}`.slice(0, 63)
    : CHANGES_CHANNEL;
  const listen = (onNotify: (payload: string) => void, onGap: () => void) =>
    listenOnServer(url, changesChannel, onNotify, onGap);
  return { db, kind: 'postgres', prepared, close: () => db.destroy(), changesChannel, listen };
}

/**
 * A LISTEN connection that comes back: when it drops it is made again after a second, and
 * `onGap` tells the listener it may have missed something (caches then drop everything).
 */
async function listenOnServer(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
  onGap: () => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (msg) => {
      if (msg.channel === channel) onNotify(msg.payload ?? '');
    });
    c.on('error', () => again());
    c.on('end', () => again());
    await c.connect();
    await c.query(`LISTEN "${channel}"`);
    client = c;
  };
  const again = () => {
    if (stopped || retry) return;
    client = undefined;
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(onGap, () => again());
    }, 1000);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}

/** For /readyz: can we run a query right now? */
export async function ping(db: Database): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
