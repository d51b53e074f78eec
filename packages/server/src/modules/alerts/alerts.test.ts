/**
 * A record altered behind the application's back (the guard trigger switched off, as a tamperer
 * with the table owner's rights would): the next day's verification raises a critical alert,
 * logged as an error, listed in /readyz and to auditors, who acknowledge it. Found again the
 * day after, it counts an occurrence and stays acknowledged.
 */
import { sql } from 'kysely';
import { systemContext } from '../../context.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, STAFF_PASSWORD } from '../../testing/fixtures.js';

let t: TestPlatform;

const HOUR = 60 * 60 * 1000;
/** 02:30 in Shanghai on 2026-05-07 and 2026-05-08. */
const NEXT_DAY = new Date('2026-05-06T18:30:00Z');
const DAY_AFTER = new Date('2026-05-07T18:30:00Z');

beforeAll(async () => {
  t = await createTestPlatform();
  await buildWorld(t);
});
afterAll(() => t.close());

type ReadyAlert = { id: string; kind: string; severity: string; occurrences: number };
const readyAlerts = async (): Promise<ReadyAlert[]> =>
  (await t.api({ method: 'GET', url: '/readyz' })).json().details.alerts;

describe('a broken audit chain', () => {
  let victim: { shard: number; seq: number };

  it('is clean at first: no alert, today’s verification passes', async () => {
    const runs = await t.platform.services.jobs.tick();
    expect(runs.find((r) => r.job === 'audit.verify')!.result).toMatchObject({ intact: true });
    expect(await readyAlerts()).toEqual([]);
  });

  it('raises a critical alert at the next day’s verification', async () => {
    const { db } = t.platform.deps;
    victim = await db
      .selectFrom('audit_log')
      .select(['shard', 'seq'])
      .where('action', '=', 'staff.create')
      .orderBy('at')
      .limit(1)
      .executeTakeFirstOrThrow();
    await expect(sql`update audit_log set reason = 'x'`.execute(db)).rejects.toThrow(/append-only/);
    await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(db);
    await sql`update audit_log set reason = 'covered up' where shard = ${victim.shard} and seq = ${victim.seq}`.execute(
      db,
    );
    await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(db);

    await t.setClock(NEXT_DAY);
    const runs = await t.platform.services.jobs.tick();
    const verify = runs.find((r) => r.job === 'audit.verify')!;
    expect(verify.status).toBe('succeeded');
    expect(verify.result).toMatchObject({
      intact: false,
      firstBreak: `shard ${victim.shard}, record ${victim.seq}: altered`,
    });

    const alerts = await readyAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'audit.chain_broken', severity: 'critical' });
    // /readyz is public: no details there.
    expect(alerts[0]).not.toHaveProperty('details');
    expect(t.logs()).toMatch(
      new RegExp(
        `"level":50[^\\n]*ALERT audit chain broken: shard ${victim.shard}, record ${victim.seq}: altered`,
      ),
    );
    // The verification is itself on the record, as failed.
    const record = await db
      .selectFrom('audit_log')
      .select(['outcome'])
      .where('action', '=', 'audit.verify')
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow();
    expect(record.outcome).toBe('error');
  });

  it('is listed to auditors with its details, and acknowledged by them', async () => {
    // The clock moved on a day: sessions have expired.
    const auditor = await t.login('sh.auditor', STAFF_PASSWORD);
    const list = await t.api({ method: 'GET', url: '/api/v1/alerts', token: auditor });
    expect(list.statusCode).toBe(200);
    const [alert] = list.json().items;
    expect(alert).toMatchObject({
      kind: 'audit.chain_broken',
      severity: 'critical',
      occurrences: 1,
      details: { shard: victim.shard, seq: victim.seq, problem: 'altered' },
      acknowledgedAt: null,
    });
    expect(alert.raisedAt).toBe('2026-05-07T02:30:00.000+08:00');

    const branch = await t.login('sh.brancha', STAFF_PASSWORD);
    const refused = await t.api({ method: 'GET', url: '/api/v1/alerts', token: branch });
    expect(refused.statusCode).toBe(403);

    const ack = await t.api({
      method: 'POST',
      url: `/api/v1/alerts/${alert.id}/acknowledge`,
      token: auditor,
      headers: { 'x-sscard-reason': encodeURIComponent('已上报信息安全负责人') },
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().acknowledgedAt).toBe('2026-05-07T02:30:00.000+08:00');
    expect(await readyAlerts()).toEqual([]);
    const audited = await t.platform.deps.db
      .selectFrom('audit_log')
      .select(['actor_username', 'reason'])
      .where('action', '=', 'alert.acknowledge')
      .executeTakeFirstOrThrow();
    expect(audited).toEqual({ actor_username: 'sh.auditor', reason: '已上报信息安全负责人' });

    const open = await t.api({ method: 'GET', url: '/api/v1/alerts', token: auditor });
    expect(open.json().total).toBe(0);
    const all = await t.api({ method: 'GET', url: '/api/v1/alerts?status=all', token: auditor });
    expect(all.json().total).toBe(1);
    const none = await t.api({
      method: 'POST',
      url: '/api/v1/alerts/01900000-0000-7000-8000-000000000009/acknowledge',
      token: auditor,
    });
    expect(none.statusCode).toBe(404);
  });

  it('counts the same break found again, without opening it again', async () => {
    await t.setClock(DAY_AFTER);
    await t.platform.services.jobs.tick();
    expect(await readyAlerts()).toEqual([]);
    const { items } = await t.platform.services.alerts.list(
      { status: 'all', limit: 10, offset: 0 },
      systemContext('test'),
    );
    expect(items).toHaveLength(1);
    expect(items[0]!.occurrences).toBe(2);
    expect(items[0]!.last_seen_at).toEqual(DAY_AFTER);
    expect(t.logs()).toContain('ALERT (acknowledged) audit chain broken');
  });

  it('raises a new alert for a new break', async () => {
    const { db } = t.platform.deps;
    await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(db);
    await sql`delete from audit_log where action = 'alert.acknowledge'`.execute(db);
    await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(db);
    await t.setClock(new Date(DAY_AFTER.getTime() + 24 * HOUR));
    await t.platform.services.jobs.tick();
    const alerts = await readyAlerts();
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    expect(alerts.every((a) => a.kind === 'audit.chain_broken')).toBe(true);
  });
});
