/**
 * Appending many records at once (`AuditRepository.appendAll`, used by the act step for an act
 * and its further records): the same chains, record for record and byte for byte, as appending
 * them one by one, in a handful of statements.
 */
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemContext, type ActContext } from '../../context.js';
import type * as tokens from '../../crypto/tokens.js';
import type { Trx } from '../../db/transact.js';
import { createTestPlatform, TEST_START, type TestPlatform } from '../../testing/harness.js';
import type { AuditEntry, AuditRepository } from './audit.repository.js';
import { GENESIS, hashRecord } from './chain.js';
import { verifyAuditChain } from './verify.js';

/** While `on`, record ids come from a counter, so two runs of the same appends compare equal. */
const ids = vi.hoisted(() => ({ on: false, next: 0 }));
vi.mock('../../crypto/tokens.js', async (importOriginal) => {
  const original = await importOriginal<typeof tokens>();
  return {
    ...original,
    uuidv7: (now?: number) => {
      if (!ids.on) return original.uuidv7(now);
      ids.next += 1;
      return `00000000-0000-7000-8000-${ids.next.toString(16).padStart(12, '0')}`;
    },
  };
});

const SHARDS = 64;
let t: TestPlatform;
let audit: AuditRepository;

beforeAll(async () => {
  t = await createTestPlatform({ SSCARD_AUDIT_SHARDS: String(SHARDS) });
  audit = t.platform.deps.audit;
});
afterAll(() => t.close());

class Rollback extends Error {}

function context(requestId: string): ActContext {
  return { ...systemContext('append-all-test'), requestId, ip: '127.0.0.1', reason: '测试' };
}

/** `n` entries over many shards (300 targets, so several records share a shard and a target). */
function entries(n: number, tag: string): AuditEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    action: `test.${tag}`,
    targetType: i % 7 === 0 ? null : 'thing',
    // Every 11th has no target: its shard comes from the context (the request).
    targetId: i % 11 === 0 ? null : `${tag}-${i % 300}`,
    jurisdiction: i % 2 ? '310000' : null,
    ...(i % 13 === 0 ? { outcome: 'refused' as const, code: 'SOME_CODE' } : {}),
    details: i % 5 === 0 ? null : { i, tag, even: i % 2 === 0, none: null, text: `第${i}条` },
  }));
}

async function rowsOf(requestId: string) {
  return t.platform.deps.db
    .selectFrom('audit_log')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('shard')
    .orderBy('seq')
    .execute();
}

async function heads() {
  const rows = await t.platform.deps.db.selectFrom('audit_heads').selectAll().execute();
  return new Map(rows.map((h) => [h.shard, { seq: h.seq, hash: h.hash.toString('hex') }]));
}

/** Runs `fn` in a transaction; returns what it wrote (records and heads) and rolls it back. */
async function dryRun(requestId: string, fn: (trx: Trx) => Promise<void>) {
  let seen: { rows: Awaited<ReturnType<typeof rowsOf>>; heads: Awaited<ReturnType<typeof heads>> };
  await expect(
    t.platform.deps.db.transaction().execute(async (trx) => {
      await fn(trx);
      const rows = await trx
        .selectFrom('audit_log')
        .selectAll()
        .where('request_id', '=', requestId)
        .orderBy('shard')
        .orderBy('seq')
        .execute();
      const h = await trx.selectFrom('audit_heads').selectAll().execute();
      seen = {
        rows,
        heads: new Map(h.map((x) => [x.shard, { seq: x.seq, hash: x.hash.toString('hex') }])),
      };
      throw new Rollback();
    }),
  ).rejects.toBeInstanceOf(Rollback);
  return seen!;
}

/** Counts the statements sent through a transaction. */
function counting(trx: Trx): { trx: Trx; count: () => number } {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      n += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { trx: trx.withPlugin(plugin), count: () => n };
}

/** The chain is intact and each head is its shard's last record. */
async function expectIntact() {
  const report = await verifyAuditChain(t.platform.deps.db);
  expect(report.breaks).toEqual([]);
  const last = await t.platform.deps.db
    .selectFrom('audit_log')
    .select(['shard', 'seq', 'hash'])
    .distinctOn('shard')
    .orderBy('shard')
    .orderBy('seq', 'desc')
    .execute();
  const now = await heads();
  for (const row of last) {
    expect(now.get(row.shard)).toEqual({ seq: row.seq, hash: row.hash.toString('hex') });
  }
}

describe('appending many audit records at once', () => {
  it('leaves the very chains that appending them one by one leaves, in a few statements', async () => {
    const list = entries(1200, 'bulk');
    const at = new Date(TEST_START.getTime() + 1000);
    const before = await heads();

    ids.on = true;
    ids.next = 0;
    const oneByOne = await dryRun('req-bulk', async (trx) => {
      const ctx = context('req-bulk');
      for (const entry of list) await audit.append(trx, ctx, entry, at);
    });
    ids.next = 0;
    let statements = 0;
    const ctx = context('req-bulk');
    try {
      await t.platform.deps.db.transaction().execute(async (trx) => {
        const c = counting(trx);
        await audit.appendAll(c.trx, ctx, list, at);
        statements = c.count();
      });
    } finally {
      ids.on = false;
    }
    expect(ctx.audited).toBe(true);
    // Heads inserted, heads locked, the records (1,200 rows fit one statement), heads moved.
    expect(statements).toBe(4);

    const atOnce = await rowsOf('req-bulk');
    expect(atOnce).toHaveLength(1200);
    expect(atOnce).toEqual(oneByOne.rows);
    const after = await heads();
    for (const [shard, head] of oneByOne.heads) expect(after.get(shard)).toEqual(head);

    // Spread over many shards, several records on most; each shard's run follows its old head.
    const byShard = new Map<number, typeof atOnce>();
    for (const row of atOnce) byShard.set(row.shard, [...(byShard.get(row.shard) ?? []), row]);
    expect(byShard.size).toBeGreaterThan(SHARDS / 2);
    expect([...byShard.values()].some((rows) => rows.length > 10)).toBe(true);
    for (const [shard, rows] of byShard) {
      const old = before.get(shard) ?? { seq: 0, hash: GENESIS.toString('hex') };
      rows.forEach((row, k) => {
        expect(row.seq).toBe(old.seq + 1 + k);
        expect(row.prev_hash.toString('hex')).toBe(
          k === 0 ? old.hash : rows[k - 1]!.hash.toString('hex'),
        );
        expect(hashRecord(row).equals(row.hash)).toBe(true);
      });
      expect(after.get(shard)).toEqual({
        seq: rows.at(-1)!.seq,
        hash: rows.at(-1)!.hash.toString('hex'),
      });
    }
    // Within a shard the records keep the order they were given in (the ids count up).
    for (const rows of byShard.values()) {
      const order = rows.map((r) => r.id);
      expect(order).toEqual([...order].sort());
    }
    await expectIntact();
  });

  it('splits a large batch into statements under the parameter limit', async () => {
    const list = entries(3001, 'large');
    const ctx = context('req-large');
    let statements = 0;
    await t.platform.deps.db.transaction().execute(async (trx) => {
      const c = counting(trx);
      await audit.appendAll(c.trx, ctx, list, new Date(TEST_START.getTime() + 2000));
      statements = c.count();
    });
    // 20 columns a record, at most 1,500 records (30,000 parameters) a statement: three inserts.
    expect(statements).toBe(2 + 3 + 1);
    expect(await rowsOf('req-large')).toHaveLength(3001);
    await expectIntact();
  });

  it('interleaves with single appends, in one transaction and across transactions', async () => {
    const at = new Date(TEST_START.getTime() + 3000);
    const ctx = context('req-mixed');
    const a = entries(40, 'mixed');
    await t.platform.deps.db.transaction().execute(async (trx) => {
      await audit.appendAll(trx, ctx, a.slice(0, 15), at);
      await audit.append(trx, ctx, a[15]!, at);
      await audit.append(trx, ctx, a[16]!, at);
      await audit.appendAll(trx, ctx, a.slice(17, 30), at);
    });
    await t.platform.deps.db.transaction().execute(async (trx) => {
      await audit.append(trx, ctx, a[30]!, at);
    });
    await t.platform.deps.db.transaction().execute(async (trx) => {
      await audit.appendAll(trx, ctx, a.slice(31), at);
    });
    expect(await rowsOf('req-mixed')).toHaveLength(40);
    await expectIntact();
  });

  it('does not deadlock when acts append over the same shards at once', async () => {
    const at = new Date(TEST_START.getTime() + 4000);
    await Promise.all(
      Array.from({ length: 4 }, (_, k) =>
        t.platform.deps.db.transaction().execute(async (trx) => {
          const list = entries(200, 'race');
          // Each in another order, so the shards come up in another order in each.
          if (k % 2) list.reverse();
          await audit.appendAll(trx, context(`req-race-${k}`), list, at);
        }),
      ),
    );
    for (let k = 0; k < 4; k++) expect(await rowsOf(`req-race-${k}`)).toHaveLength(200);
    await expectIntact();
  });

  it('with one entry, does exactly what append does', async () => {
    const entry: AuditEntry = {
      action: 'test.single',
      targetType: 'thing',
      targetId: 'single-1',
      jurisdiction: '310000',
      details: { n: 1, ok: true },
    };
    const at = new Date(TEST_START.getTime() + 5000);
    ids.on = true;
    ids.next = 1000;
    let single: Awaited<ReturnType<typeof dryRun>>;
    let statements = 0;
    const ctx = context('req-single');
    try {
      single = await dryRun('req-single', (trx) =>
        audit.append(trx, context('req-single'), entry, at),
      );
      ids.next = 1000;
      await t.platform.deps.db.transaction().execute(async (trx) => {
        const c = counting(trx);
        await audit.appendAll(c.trx, ctx, [entry], at);
        statements = c.count();
      });
    } finally {
      ids.on = false;
    }
    expect(statements).toBe(4);
    expect(ctx.audited).toBe(true);
    const rows = await rowsOf('req-single');
    expect(rows).toHaveLength(1);
    expect(rows).toEqual(single!.rows);
    expect((await heads()).get(rows[0]!.shard)).toEqual(single!.heads.get(rows[0]!.shard));
    await expectIntact();
  });

  it('with no entries, writes nothing', async () => {
    const ctx = context('req-none');
    await t.platform.deps.db
      .transaction()
      .execute((trx) => audit.appendAll(trx, ctx, [], TEST_START));
    expect(ctx.audited).toBe(false);
    expect(await rowsOf('req-none')).toHaveLength(0);
  });
});
