/**
 * The background queue (docs/QUEUE.md) on the test database (PGlite, or a PostgreSQL schema with
 * DATABASE_URL): enqueue inside the act's transaction, retries with backoff on the injected
 * clock, lease takeover, dedupe, two runners on one database, a graceful stop, and the routes.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../context.js';
import { STAFF_PASSWORD, buildWorld, type World } from '../testing/fixtures.js';
import { createTestPlatform, type TestPlatform } from '../testing/harness.js';
import { DbQueue } from './queue-runner.js';
import type { QueueJobSpec } from './queue.js';

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
});
afterAll(() => t.close());

/** A queue of its own on the platform's database, with handlers of the test. */
function newQueue(node: string, options: ConstructorParameters<typeof DbQueue>[2] = {}) {
  const deps = t.platform.deps;
  return new DbQueue(deps, () => deps, { node, graphile: false, ...options });
}

/** Enqueues through an act, as a module would, in its transaction. */
async function enqueue(
  q: DbQueue,
  spec: QueueJobSpec,
  createdBy = 'system:test',
  fail = false,
): Promise<string> {
  const { acts } = t.platform.deps;
  let id = '';
  await acts
    .run(systemContext('test'), {
      name: 'job.run',
      resource: 'installation',
      load: async () => true,
      target: () => ({ type: 'installation', id: null, jurisdiction: null }),
      apply: async ({ trx }) => {
        id = await q.enqueue(trx, spec, createdBy);
        if (fail) throw new Error('the act fails after enqueueing');
        return { result: id };
      },
    })
    .catch((e: unknown) => {
      if (!fail) throw e;
    });
  return id;
}

const now = () => t.platform.deps.clock.now();
const later = (ms: number) => t.setClock(new Date(now().getTime() + ms));

describe('enqueue', () => {
  it('a job enqueued in an act that rolls back does not exist', async () => {
    const q = newQueue('n1');
    q.register('test.rollback', async () => ({}));
    const id = await enqueue(
      q,
      { kind: 'test.rollback', payload: {}, jurisdiction: null },
      'x',
      true,
    );
    expect(id).not.toBe('');
    expect(await q.get(id)).toBeUndefined();
    const kept = await enqueue(q, { kind: 'test.rollback', payload: { a: 1 }, jurisdiction: null });
    expect(await q.get(kept)).toMatchObject({ status: 'queued', payload: { a: 1 }, attempts: 0 });
    await q.drain();
    expect(await q.get(kept)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('a second enqueue with the same dedupe key returns the first job', async () => {
    const q = newQueue('n1');
    let runs = 0;
    q.register('test.dedupe', async () => ({ runs: ++runs }));
    const spec = { kind: 'test.dedupe', payload: {}, jurisdiction: null, dedupeKey: 'once-only' };
    const a = await enqueue(q, spec);
    const b = await enqueue(q, spec);
    expect(b).toBe(a);
    await q.drain();
    expect(runs).toBe(1);
    expect(await enqueue(q, spec)).toBe(a);
    await q.drain();
    expect(runs).toBe(1);
  });
});

describe('retries', () => {
  it('a failed attempt is retried after an exponential backoff, then fails for good', async () => {
    const q = newQueue('n1', { backoffMs: 60_000 });
    const attempts: number[] = [];
    q.register('test.flaky', async (_job, env) => {
      attempts.push(env.attempt);
      throw new Error(`boom ${env.attempt}`);
    });
    const id = await enqueue(q, {
      kind: 'test.flaky',
      payload: {},
      jurisdiction: null,
      maxAttempts: 3,
    });
    await q.drain();
    expect(attempts).toEqual([1]);
    let job = await q.get(id);
    expect(job).toMatchObject({ status: 'queued', attempts: 1, error: 'boom 1' });
    // Not before its backoff (1 minute after the first attempt) …
    await later(59_000);
    await q.drain();
    expect(attempts).toEqual([1]);
    await later(1_000);
    await q.drain();
    expect(attempts).toEqual([1, 2]);
    // … then twice as long (2 minutes).
    await later(119_000);
    await q.drain();
    expect(attempts).toEqual([1, 2]);
    await later(1_000);
    await q.drain();
    expect(attempts).toEqual([1, 2, 3]);
    job = await q.get(id);
    expect(job).toMatchObject({ status: 'failed', attempts: 3, error: 'boom 3' });
    expect(job!.finishedAt).not.toBeNull();
    await later(3_600_000);
    await q.drain();
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('a job left running by a dead node is taken again after the lease', async () => {
    const dead = newQueue('dead-node', { leaseMs: 60_000 });
    const alive = newQueue('alive-node', { leaseMs: 60_000 });
    const ran: string[] = [];
    dead.register('test.lease', async () => ({}));
    alive.register('test.lease', async (_job, env) => {
      ran.push(`alive:${env.attempt}`);
      return { ok: true };
    });
    const id = await enqueue(dead, { kind: 'test.lease', payload: {}, jurisdiction: null });
    // The dead node claims it and dies before finishing (its claim is all that happened).
    const claimed = await t.platform.deps.repos.queue.claim(
      'dead-node',
      ['test.lease'],
      now(),
      new Date(now().getTime() - 60_000),
    );
    expect(claimed?.id).toBe(id);
    await alive.drain();
    expect(ran).toEqual([]);
    await later(61_000);
    await alive.drain();
    expect(ran).toEqual(['alive:2']);
    expect(await alive.get(id)).toMatchObject({ status: 'succeeded', result: { ok: true } });
    // The dead node, were it to wake up, cannot overwrite the job.
    expect(await t.platform.deps.repos.queue.succeed(id, 'dead-node', { late: true }, now())).toBe(
      false,
    );
  });
});

describe('several runners', () => {
  it('two runners on one database never run a job twice', async () => {
    const runs = new Map<string, number>();
    const handler = async (job: { id: string }) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 2));
      return {};
    };
    const a = newQueue('runner-a');
    const b = newQueue('runner-b');
    a.register('test.race', handler);
    b.register('test.race', handler);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++)
      ids.push(await enqueue(a, { kind: 'test.race', payload: { i }, jurisdiction: null }));
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    expect([...runs.keys()].sort()).toEqual([...ids].sort());
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    const locks = await t.platform.deps.repos.queue.list(
      { kind: 'test.race', jurisdiction: 'all' },
      { limit: 100, offset: 0 },
    );
    expect(locks.items.every((j) => j.status === 'succeeded' && j.attempts === 1)).toBe(true);
  });

  it('stop() aborts a running handler and waits for it; the job is handed back', async () => {
    const q = newQueue('stopper', { pollMs: 20 });
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let finished = false;
    q.register('test.slow', async (_job, env) => {
      started();
      await new Promise<void>((resolve) => env.signal.addEventListener('abort', () => resolve()));
      await new Promise((r) => setTimeout(r, 50));
      finished = true;
      throw new Error('stopped at a chunk boundary');
    });
    const id = await enqueue(q, { kind: 'test.slow', payload: {}, jurisdiction: null });
    await q.start();
    await running;
    await q.stop();
    expect(finished).toBe(true);
    // Handed back without counting the attempt: another node takes it.
    expect(await q.get(id)).toMatchObject({ status: 'queued', attempts: 0 });
    const other = newQueue('other');
    other.register('test.slow', async () => ({ done: true }));
    await other.drain();
    expect(await other.get(id)).toMatchObject({ status: 'succeeded' });
  });

  it('progress is recorded for the page to follow', async () => {
    const q = newQueue('progress');
    q.register('test.progress', async (_job, env) => {
      await env.progress(0, 3, 'starting');
      await env.progress(3, 3, 'done');
      return { rows: 3 };
    });
    const id = await enqueue(q, { kind: 'test.progress', payload: {}, jurisdiction: null });
    await q.drain();
    expect(await q.get(id)).toMatchObject({
      status: 'succeeded',
      progress: { done: 3, total: 3, message: 'done' },
      result: { rows: 3 },
    });
  });
});

describe.skipIf(!process.env.DATABASE_URL)('graphile-worker on a PostgreSQL server', () => {
  it('carries the job id; the queue_jobs row is the record', async () => {
    const schema = `gw_${Math.random().toString(36).slice(2, 10)}`;
    const q = newQueue('graphile-node', {
      graphile: true,
      graphileSchema: schema,
      sweepMs: 60_000,
      connectionString: process.env.DATABASE_URL!,
    });
    const seen: string[] = [];
    q.register('test.graphile', async (job) => {
      seen.push(job.id);
      return { via: 'graphile-worker' };
    });
    await q.start();
    try {
      const id = await enqueue(q, { kind: 'test.graphile', payload: {}, jurisdiction: null });
      for (let i = 0; i < 100 && seen.length === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(seen).toEqual([id]);
      for (let i = 0; i < 50; i++) {
        if ((await q.get(id))?.status === 'succeeded') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await q.get(id)).toMatchObject({
        status: 'succeeded',
        result: { via: 'graphile-worker' },
      });
    } finally {
      await q.stop();
      await sql`drop schema ${sql.id(schema)} cascade`.execute(t.platform.deps.db);
    }
  }, 60_000);
});

describe('routes', () => {
  it('who asked and the centre see a job; others are told it does not exist', async () => {
    // The clock moved hours above: sessions ended; sign in again.
    await later(60_000);
    for (const [k, name] of [
      ['branchA', 'sh.brancha'],
      ['branchB', 'sh.branchb'],
      ['bankA', 'sh.banka'],
      ['centre', 'sh.centre'],
    ] as const)
      w.tokens[k] = await t.login(name, STAFF_PASSWORD);
    w.tokens.admin = await t.login('admin', 'Admin-Test-2026!');
    const q = t.platform.services.queue;
    const me = await t.api({ method: 'GET', url: '/api/v1/auth/me', token: w.tokens.branchA });
    const branchStaff = me.json<{ id?: string; staffId?: string }>();
    const staffId = branchStaff.staffId ?? branchStaff.id;
    q.register('test.route', async () => {
      throw new Error('always');
    });
    const id = await enqueue(
      q as DbQueue,
      { kind: 'test.route', payload: {}, jurisdiction: w.jurisdiction, maxAttempts: 1 },
      `staff:${staffId}`,
    );
    const get = (token: string) => t.api({ method: 'GET', url: `/api/v1/queue/jobs/${id}`, token });
    expect((await get(w.tokens.branchA)).statusCode).toBe(200);
    expect((await get(w.tokens.centre)).statusCode).toBe(200);
    expect((await get(w.tokens.admin)).statusCode).toBe(200);
    expect((await get(w.tokens.branchB)).statusCode).toBe(404);
    expect((await get(w.tokens.bankA)).statusCode).toBe(404);

    const mine = await t.api({
      method: 'GET',
      url: '/api/v1/queue/jobs?kind=test.route',
      token: w.tokens.branchA,
    });
    expect(mine.json<{ total: number }>().total).toBe(1);
    const theirs = await t.api({
      method: 'GET',
      url: '/api/v1/queue/jobs?kind=test.route',
      token: w.tokens.branchB,
    });
    expect(theirs.json<{ total: number }>().total).toBe(0);

    await q.drain();
    expect((await get(w.tokens.centre)).json()).toMatchObject({
      status: 'failed',
      error: 'always',
    });
    // A branch may not retry; the centre may, once.
    const retry = (token: string) =>
      t.api({ method: 'POST', url: `/api/v1/queue/jobs/${id}/retry`, token });
    expect((await retry(w.tokens.branchA)).statusCode).toBe(403);
    const ok = await retry(w.tokens.centre);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'queued', attempts: 0 });
    expect((await retry(w.tokens.centre)).json()).toMatchObject({
      code: 'QUEUE_JOB_NOT_RETRIABLE',
    });
    const cancel = await t.api({
      method: 'POST',
      url: `/api/v1/queue/jobs/${id}/cancel`,
      token: w.tokens.centre,
    });
    expect(cancel.json()).toMatchObject({ status: 'cancelled' });
    await q.drain();
    expect((await get(w.tokens.centre)).json()).toMatchObject({ status: 'cancelled' });
    const audit = await t.platform.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['queue.retry', 'queue.cancel'])
      .where('outcome', '=', 'success')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['queue.cancel', 'queue.retry']);
  });
});
