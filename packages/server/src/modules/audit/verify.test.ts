/**
 * Walking the chains while the trail is written: records appended, or a prune committed, after
 * the walk has read the heads are not breaks (a false `audit.chain_broken` alert takes every
 * node out of service, /readyz); a record written past a head behind the application's back
 * still is one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../context.js';
import { uuidv7 } from '../../crypto/tokens.js';
import type { Database } from '../../db/database.js';
import { TEST_START } from '../../testing/harness.js';
import { auditedAct, pruningPlatform } from '../../testing/audit.js';
import { hashRecord } from './chain.js';
import { pruneAudit } from './retention.js';
import { verifyAuditChain } from './verify.js';

const DAY = 24 * 60 * 60 * 1000;
let t: Awaited<ReturnType<typeof pruningPlatform>>;

beforeAll(async () => {
  t = await pruningPlatform();
});
afterAll(() => t.close());

/**
 * `db`, except that `meanwhile` runs once, right after the first read from `table` whose answer
 * `when` accepts, and before the query after it: a write that lands between the two.
 */
function writtenMeanwhile(
  db: Database,
  table: 'audit_heads' | 'audit_log',
  when: (rows: unknown[]) => boolean,
  meanwhile: () => Promise<unknown>,
): Database {
  let pending: (() => Promise<unknown>) | undefined = meanwhile;
  const watch = (builder: object): object =>
    new Proxy(builder, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const out: unknown = value.apply(target, args);
          if (out instanceof Promise && String(prop).startsWith('execute'))
            return out.then(async (answer: unknown) => {
              const run = pending;
              if (run && when(Array.isArray(answer) ? answer : [answer])) {
                pending = undefined;
                await run();
              }
              return answer;
            });
          return out !== null && typeof out === 'object' ? watch(out) : out;
        };
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (prop === 'selectFrom')
        return (from: string) => {
          const builder = target.selectFrom(from as typeof table);
          return from === table ? watch(builder) : builder;
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const act = (code: string) => auditedAct(t, code);

describe('verifying the audit chains while they are written', () => {
  it('finds no break where records were appended after the heads were read', async () => {
    const { db } = t.platform.deps;
    let appended = 0;
    const report = await verifyAuditChain(
      writtenMeanwhile(
        db,
        'audit_heads',
        () => true,
        async () => {
          for (let i = 0; i < 12; i++) await act(`MEANWHILE-${i}`);
          appended = 12;
        },
      ),
      { batchSize: 3 },
    );
    expect(appended).toBe(12);
    expect(report.breaks).toEqual([]);
    // The records written meanwhile are the next walk's, and it finds them intact.
    const next = await verifyAuditChain(db);
    expect(next.breaks).toEqual([]);
    expect(next.records).toBeGreaterThan(report.records);
  });

  it('finds no break where a prune committed in the middle of a shard’s walk', async () => {
    const { db } = t.platform.deps;
    await t.setClock(new Date(TEST_START.getTime() + 200 * DAY));
    let prunedMeanwhile = 0;
    const report = await verifyAuditChain(
      // After the first batch of the first shard: that shard's next records are gone, and every
      // other shard's anchor has moved since the heads were read.
      writtenMeanwhile(
        db,
        'audit_log',
        (rows) => rows.length === 3,
        async () => {
          const prune = await pruneAudit(t.platform.deps, systemContext('test'), { batchSize: 2 });
          prunedMeanwhile = prune.records;
        },
      ),
      { batchSize: 3 },
    );
    expect(prunedMeanwhile).toBeGreaterThan(10);
    expect(report.breaks).toEqual([]);
    // Records the walk checked before the prune took them count as checked, not as pruned.
    expect(report.pruned).toBeGreaterThan(0);
    expect(report.pruned).toBeLessThanOrEqual(prunedMeanwhile);
    const after = await verifyAuditChain(db);
    expect(after.breaks).toEqual([]);
    expect(after.pruned).toBe(prunedMeanwhile);
  });

  it('still finds a record written past a head behind the application’s back', async () => {
    const { db } = t.platform.deps;
    const head = await db
      .selectFrom('audit_heads')
      .selectAll()
      .whereRef('seq', '>', 'base_seq')
      .orderBy('shard')
      .executeTakeFirstOrThrow();
    const last = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('shard', '=', head.shard)
      .where('seq', '=', head.seq)
      .executeTakeFirstOrThrow();
    const forged = { ...last, id: uuidv7(), seq: head.seq + 1, prev_hash: last.hash };
    forged.hash = hashRecord(forged);
    await db
      .insertInto('audit_log')
      .values({
        ...forged,
        details: forged.details === null ? null : JSON.stringify(forged.details),
      })
      .execute();
    const report = await verifyAuditChain(db);
    expect(report.breaks).toEqual([{ shard: head.shard, seq: head.seq + 1, problem: 'altered' }]);
  });
});
