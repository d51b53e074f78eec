/**
 * Kysely dialect for PGlite, the embedded PostgreSQL (WASM) we run when no server is configured.
 * PGlite is one connection, so this driver hands it out under a mutex: a transaction holds it
 * until commit or rollback, and other queries wait their turn. SQL and types are PostgreSQL's,
 * so the same queries run here and on a server.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { turnIfDue } from '../event-loop.js';

/**
 * Set while an act's transaction runs (acts/act-step.ts). A query that does not go through that
 * transaction would wait for the one connection the transaction holds, forever: it fails at once
 * instead, naming the mistake (pass the transaction down).
 */
export const inTransaction = new AsyncLocalStorage<true>();

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  /** Holders plus waiters (for /metrics: PoolStats). */
  queued = 0;

  lock(): Promise<() => void> {
    let release!: () => void;
    this.queued += 1;
    const next = new Promise<void>((resolve) => (release = resolve));
    const done = () => {
      this.queued -= 1;
      release();
    };
    const acquired = this.tail.then(() => done);
    this.tail = this.tail.then(() => next);
    return acquired;
  }
}

// PGlite answers a query without going back to the event loop (the WASM call is synchronous and
// its promise settles as a microtask): a roster import froze the whole server for its full
// length (6.8 s at 10,000 rows). Each query and each wait for the connection takes a turn when
// one is due (event-loop.ts); requests that arrive meanwhile queue for the connection.
class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    await turnIfDue();
    // Without parameters use the simple protocol, which (like node-postgres) accepts a script
    // of several statements, as migrations are; the last statement's result is returned.
    const result =
      query.parameters.length === 0
        ? ((await this.pg.exec(query.sql)).at(-1) ?? { rows: [] as R[], affectedRows: 0 })
        : await this.pg.query<R>(query.sql, query.parameters as unknown[]);
    const affected = result.affectedRows;
    const isWrite = /^\s*(insert|update|delete|merge)/i.test(query.sql);
    return {
      rows: result.rows as R[],
      ...(isWrite && affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite driver does not stream; use executeQuery');
  }
}

class PGliteDriver implements Driver {
  readonly mutex = new Mutex();
  private readonly connection: PGliteConnection;
  private release: (() => void) | undefined;

  constructor(private readonly pg: PGlite) {
    this.connection = new PGliteConnection(pg);
  }

  async init(): Promise<void> {
    await this.pg.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (inTransaction.getStore())
      throw new Error(
        'a query outside the transaction, inside an act: it would wait forever for the one embedded connection; pass the transaction (trx) down',
      );
    await turnIfDue(); // before queuing: a request that arrived meanwhile goes first
    this.release = await this.mutex.lock();
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await conn.executeQuery(CompiledQuery.raw(`start transaction${isolation}`));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    await this.pg.close();
  }
}

export class PGliteDialect implements Dialect {
  private readonly drivers: PGliteDriver[] = [];

  constructor(private readonly pg: PGlite) {}

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    const driver = new PGliteDriver(this.pg);
    this.drivers.push(driver);
    return driver;
  }

  /** Whether the one connection is in use, and how many wait for it (for /metrics). */
  usage(): { busy: boolean; waiting: number } {
    const queued = this.drivers.reduce((n, d) => n + d.mutex.queued, 0);
    return { busy: queued > 0, waiting: Math.max(0, queued - 1) };
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}
