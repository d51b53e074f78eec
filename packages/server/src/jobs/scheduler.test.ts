/**
 * The scheduler on the manual clock: a job runs once a Shanghai day from its time on, whichever
 * node ticks first; a claim left behind by a dead node is taken over; a failing job is recorded
 * and alerted; administrators list jobs and run one on demand (audited).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestPlatform,
  TEST_ADMIN_PASSWORD,
  TEST_START,
  type TestPlatform,
} from '../testing/harness.js';
import { buildWorld, STAFF_PASSWORD, type World } from '../testing/fixtures.js';
import { systemContext } from '../context.js';
import { JOBS } from './jobs.js';
import { Scheduler, type JobDefinition } from './scheduler.js';

let t: TestPlatform;
let w: World;
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** 00:00 in Shanghai on the day after TEST_START (2026-05-07). */
const NEXT_MIDNIGHT = new Date('2026-05-06T16:00:00Z');

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
});
afterAll(() => t.close());

const jobs = () => t.platform.services.jobs;
const names = (runs: { job: string }[]) => runs.map((r) => r.job).sort();

describe('daily runs', () => {
  it('runs each scheduled job once a day, from its time on', async () => {
    // 09:00 on the first day: audit.verify (02:00), the account sweep (03:00), housekeeping
    // (03:30) and the card sweep (05:00) are due; pruning is off.
    const first = await jobs().tick();
    expect(names(first)).toEqual([
      'audit.verify',
      'cards.sweep',
      'denyList.build',
      'housekeeping.prune',
      'staff.sweep_inactive',
    ]);
    expect(first.every((r) => r.status === 'succeeded' && r.trigger === 'schedule')).toBe(true);
    expect(first.find((r) => r.job === 'audit.verify')!.result).toMatchObject({ intact: true });
    expect(first[0]!.day).toBe('2026-05-06');
    expect(await jobs().tick()).toEqual([]);

    await t.setClock(new Date(NEXT_MIDNIGHT.getTime() + 1 * HOUR)); // 01:00: nothing due yet
    expect(await jobs().tick()).toEqual([]);
    await t.setClock(new Date(NEXT_MIDNIGHT.getTime() + 2.5 * HOUR)); // 02:30
    expect(names(await jobs().tick())).toEqual(['audit.verify']);
    await t.setClock(new Date(NEXT_MIDNIGHT.getTime() + 3.5 * HOUR)); // 03:30
    expect(names(await jobs().tick())).toEqual(['housekeeping.prune', 'staff.sweep_inactive']);
    expect(await jobs().tick()).toEqual([]);
    await t.setClock(new Date(NEXT_MIDNIGHT.getTime() + 5.5 * HOUR)); // 05:30
    expect(names(await jobs().tick())).toEqual(['cards.sweep']);
    await t.setClock(new Date(NEXT_MIDNIGHT.getTime() + 6 * HOUR)); // 06:00
    expect(names(await jobs().tick())).toEqual(['denyList.build']);

    const verified = await t.platform.deps.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'audit.verify')
      .execute();
    expect(verified).toHaveLength(2);
  });

  it('runs a job once a day across nodes that tick together', async () => {
    await t.setClock(new Date(NEXT_MIDNIGHT.getTime() + DAY + 9 * HOUR)); // day 3, 09:00
    const { deps } = t.platform;
    const services = t.platform.services;
    const nodes = [1, 2, 3].map(() => new Scheduler(deps, () => services, JOBS));
    const runs = (await Promise.all(nodes.map((n) => n.tick()))).flat();
    expect(names(runs)).toEqual([
      'audit.verify',
      'cards.sweep',
      'denyList.build',
      'housekeeping.prune',
      'staff.sweep_inactive',
    ]);
    const rows = await deps.db
      .selectFrom('job_runs')
      .select(['job'])
      .where('day', '=', '2026-05-08')
      .execute();
    expect(rows).toHaveLength(5);
  });

  it('takes over a claim that a dead node left running past the time limit', async () => {
    await t.setClock(new Date(NEXT_MIDNIGHT.getTime() + 2 * DAY + 2 * HOUR + 10 * 60_000)); // day 4, 02:10
    const { db } = t.platform.deps;
    await db
      .insertInto('job_runs')
      .values({
        id: '01900000-0000-7000-8000-000000000001',
        job: 'audit.verify',
        day: '2026-05-09',
        trigger: 'schedule',
        requested_by: 'scheduler',
        status: 'running',
        started_at: new Date(NEXT_MIDNIGHT.getTime() + 2 * DAY + 2 * HOUR + 5 * 60_000),
        finished_at: null,
        result: null,
        error: null,
      })
      .execute();
    // Five minutes old: the other node may still be at it.
    expect(names(await jobs().tick())).not.toContain('audit.verify');
    await t.setClock(new Date(NEXT_MIDNIGHT.getTime() + 2 * DAY + 5 * HOUR)); // 05:00
    const runs = await jobs().tick();
    expect(runs.find((r) => r.job === 'audit.verify')).toMatchObject({
      id: '01900000-0000-7000-8000-000000000001',
      status: 'succeeded',
      attempts: 2,
    });
    expect(t.logs()).toContain('taken over');
  });

  it('records a failing job, logs it and raises an alert', async () => {
    const failing: JobDefinition = {
      name: 'test.failing',
      description: 'always fails',
      at: '00:00',
      run: async () => {
        throw new Error('the bank was unreachable');
      },
    };
    const node = new Scheduler(t.platform.deps, () => t.platform.services, [failing]);
    const [run] = await node.tick();
    expect(run).toMatchObject({
      job: 'test.failing',
      status: 'failed',
      error: 'the bank was unreachable',
    });
    expect(run!.finished_at).not.toBeNull();
    const alerts = await t.platform.services.alerts.open();
    expect(alerts.find((a) => a.kind === 'job.failed')).toMatchObject({
      severity: 'warning',
      key: 'test.failing:2026-05-09',
    });
    expect(t.logs()).toMatch(/"level":50[^\n]*job failed/);
    // The same job on the same day again (on demand) counts another occurrence, no new alert.
    const again = await node.run('test.failing', systemContext('test'));
    expect(again.status).toBe('failed');
    const after = await t.platform.services.alerts.list(
      { status: 'all', limit: 50, offset: 0 },
      systemContext('test'),
    );
    const failed = after.items.filter((a) => a.kind === 'job.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.occurrences).toBe(2);
  });

  it('ticks on its own once started, until stopped', async () => {
    let runs = 0;
    const counting: JobDefinition = {
      name: 'test.counting',
      description: 'counts',
      at: '00:00',
      run: async () => ({ runs: ++runs }),
    };
    const node = new Scheduler(t.platform.deps, () => t.platform.services, [counting]);
    node.start(10);
    for (let i = 0; i < 200 && runs === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await node.stop();
    // Once a day, however often it ticks.
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toBe(1);
  });

  it('refuses a job defined twice or at a time that is not HH:MM', () => {
    const job: JobDefinition = { name: 'x', description: '', at: '25:00', run: async () => ({}) };
    expect(() => new Scheduler(t.platform.deps, () => t.platform.services, [job])).toThrow(/HH:MM/);
    const ok = { ...job, at: '01:00' };
    expect(() => new Scheduler(t.platform.deps, () => t.platform.services, [ok, ok])).toThrow(
      /twice/,
    );
  });
});

describe('jobs over HTTP', () => {
  // The clock has moved days on: log in again.
  beforeAll(async () => {
    w.tokens.admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    w.tokens.centre = await t.login('sh.centre', STAFF_PASSWORD);
    w.tokens.branchA = await t.login('sh.brancha', STAFF_PASSWORD);
  });

  it('lists the jobs with their last runs (the installation’s, not a city centre’s)', async () => {
    const centre = await t.api({ method: 'GET', url: '/api/v1/jobs', token: w.tokens.centre });
    expect(centre.statusCode).toBe(403);
    const res = await t.api({ method: 'GET', url: '/api/v1/jobs', token: w.tokens.admin });
    expect(res.statusCode).toBe(200);
    const list =
      res.json<
        { name: string; scheduled: boolean; lastRuns: { status: string; startedAt: string }[] }[]
      >();
    expect(list.map((j) => j.name)).toEqual([
      'audit.verify',
      'staff.sweep_inactive',
      'audit.prune',
      'cards.sweep',
      'housekeeping.prune',
      'denyList.build',
      'notifications.pickup_reminder',
      'notifications.loss_lapse',
      'referrals.escalate',
    ]);
    expect(list.find((j) => j.name === 'audit.prune')!.scheduled).toBe(false);
    const verify = list.find((j) => j.name === 'audit.verify')!;
    expect(verify.lastRuns[0]).toMatchObject({ status: 'succeeded' });
    expect(verify.lastRuns[0]!.startedAt).toMatch(/\+08:00$/);
  });

  it('runs a job on demand, audited in the name of who asked', async () => {
    const res = await t.api({
      method: 'POST',
      url: '/api/v1/jobs/audit.verify/run',
      token: w.tokens.admin,
    });
    expect(res.statusCode).toBe(200);
    const run = res.json();
    expect(run).toMatchObject({
      job: 'audit.verify',
      trigger: 'manual',
      status: 'succeeded',
      requestedBy: 'admin',
    });
    expect(run.result).toMatchObject({ intact: true });
    const record = await t.platform.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'job.run')
      .where('target_id', '=', 'audit.verify')
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({ actor_username: 'admin', target_id: 'audit.verify' });
  });

  it('answers 404 for an unknown job and 403 to a branch operator', async () => {
    const missing = await t.api({
      method: 'POST',
      url: '/api/v1/jobs/no.such.job/run',
      token: w.tokens.admin,
    });
    expect(missing.statusCode).toBe(404);
    const refused = await t.api({
      method: 'POST',
      url: '/api/v1/jobs/audit.verify/run',
      token: w.tokens.branchA,
    });
    expect(refused.statusCode).toBe(403);
    expect(
      (await t.api({ method: 'GET', url: '/api/v1/jobs', token: w.tokens.branchA })).statusCode,
    ).toBe(403);
  });

  it('leaves the day unclaimed after a run on demand: the scheduled run still happens', async () => {
    await t.setClock(new Date(TEST_START.getTime() + 10 * DAY));
    const node = new Scheduler(t.platform.deps, () => t.platform.services, JOBS);
    await node.run('audit.verify', systemContext('test'));
    expect(names(await node.tick())).toContain('audit.verify');
  });
});
