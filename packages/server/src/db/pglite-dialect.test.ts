import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './database.js';

describe('the embedded database gives the event loop a turn', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase({ dataDir: 'memory://' });
  });
  afterAll(() => handle.close());

  // PGlite settles a query as a microtask: without a turn now and then, a long run of queries
  // (a roster import) would hold back every timer and HTTP request until it ended.
  it('runs timers while a long run of queries and transactions goes on', async () => {
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    try {
      for (let i = 0; i < 400; i++) {
        await sql`select ${i}::int as n`.execute(handle.db);
        await handle.db.transaction().execute((trx) => sql`select 1`.execute(trx));
      }
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});
