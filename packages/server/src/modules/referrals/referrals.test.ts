/**
 * Hotline referrals (FZ-46) over HTTP: the centre records, assigns and reports back; the assigned
 * bank's staff answer; others do not see it; the daily job escalates the overdue ones once a day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { STAFF_PASSWORD, buildWorld, type World } from '../../testing/fixtures.js';
import { systemContext } from '../../context.js';

let t: TestPlatform;
let w: World;

const sh = (s: string) => new Date(`${s}:00+08:00`);
const post = (url: string, token: string, payload: unknown = {}) =>
  t.api({ method: 'POST', url, token, payload: payload as Record<string, unknown> });
const get = (url: string, token: string) => t.api({ method: 'GET', url, token });

const ACCOUNTS = {
  centre: 'fz.centre',
  auditor: 'fz.auditor',
  bankA: 'fz.banka',
  branchA: 'fz.brancha',
  bankB: 'fz.bankb',
  branchB: 'fz.branchb',
  vendor: 'fz.vendor',
} as const;
/** Moves the clock and signs the accounts in again (sessions lapse over days). */
async function at(instant: string) {
  await t.setClock(sh(instant));
  for (const [k, u] of Object.entries(ACCOUNTS))
    w.tokens[k as keyof typeof ACCOUNTS] = await t.login(u, STAFF_PASSWORD);
}

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t, 'FZ', '350100');
  await at('2026-05-06T09:00');
}, 300_000);
afterAll(() => t.close());

describe('referrals from 12333 / 12345 (FZ-46)', () => {
  it('is recorded, assigned, answered by the bank, reported back', async () => {
    const rec = await post('/api/v1/referrals', w.tokens.centre, {
      hotline: '12345',
      ticketNo: 'GD20260506001',
      kind: 'complaint',
      summary: '反映网点制卡超期未通知领卡',
      caller: { name: '张三', phone: '13800138000' },
    });
    expect(rec.statusCode).toBe(201);
    const r = rec.json();
    expect(r).toMatchObject({ status: 'recorded', dueOn: null, dueRule: 'DEFAULT' });
    expect(r.caller).toEqual({ name: '张三', phone: '13800138000', masked: false });
    // Sealed at rest.
    const raw = await t.platform.deps.db
      .selectFrom('referrals')
      .select('caller_enc')
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(raw.caller_enc).not.toContain('13800138000');
    const again = await post('/api/v1/referrals', w.tokens.centre, {
      hotline: '12345',
      ticketNo: 'GD20260506001',
      kind: 'enquiry',
      summary: '重复登记',
    });
    expect(again.json().code).toBe('REFERRAL_DUPLICATE');

    // Before assignment the bank does not see it.
    expect((await get(`/api/v1/referrals/${r.id}`, w.tokens.bankA)).statusCode).toBe(404);
    // Only the centre records and assigns.
    expect(
      (await post(`/api/v1/referrals/${r.id}/assign`, w.tokens.bankA, { organizationId: w.bankA }))
        .statusCode,
    ).toBe(403);
    const vendor = await post(`/api/v1/referrals/${r.id}/assign`, w.tokens.centre, {
      organizationId: w.vendorId,
    });
    expect(vendor.json().code).toBe('REFERRAL_ASSIGNEE_KIND');

    const assigned = await post(`/api/v1/referrals/${r.id}/assign`, w.tokens.centre, {
      organizationId: w.bankA,
    });
    expect(assigned.statusCode).toBe(200);
    // Five working days from Wednesday 6 May 2026 (9 May is a make-up working Saturday).
    expect(assigned.json()).toMatchObject({
      status: 'assigned',
      assignedTo: w.bankA,
      dueOn: '2026-05-12',
      overdue: false,
    });

    // The assigned bank and its branch see it; another bank does not; its answer is the bank's.
    expect((await get(`/api/v1/referrals/${r.id}`, w.tokens.bankA)).statusCode).toBe(200);
    expect((await get(`/api/v1/referrals/${r.id}`, w.tokens.bankB)).statusCode).toBe(404);
    expect((await get(`/api/v1/referrals/${r.id}`, w.tokens.branchB)).statusCode).toBe(404);
    expect(
      (await post(`/api/v1/referrals/${r.id}/answer`, w.tokens.bankB, { answer: '不是我行' }))
        .statusCode,
    ).toBe(404);
    expect((await get('/api/v1/referrals', w.tokens.bankB)).json().total).toBe(0);
    expect((await get('/api/v1/referrals', w.tokens.bankA)).json().total).toBe(1);
    // The centre may not answer for the bank, nor report before the answer.
    expect(
      (await post(`/api/v1/referrals/${r.id}/answer`, w.tokens.centre, { answer: '代答' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await post(`/api/v1/referrals/${r.id}/report`, w.tokens.centre, { report: '已反馈' })).json()
        .code,
    ).toBe('REFERRAL_STATE');

    await at('2026-05-11T15:00');
    const answered = await post(`/api/v1/referrals/${r.id}/answer`, w.tokens.bankA, {
      answer: '已核实，网点已电话通知领卡',
    });
    expect(answered.json()).toMatchObject({ status: 'answered', answeredLate: false });
    const reported = await post(`/api/v1/referrals/${r.id}/report`, w.tokens.centre, {
      report: '已反馈12345平台',
    });
    expect(reported.json()).toMatchObject({ status: 'reported', report: '已反馈12345平台' });
    // The auditor sees the caller masked.
    const auditor = await get(`/api/v1/referrals/${r.id}`, w.tokens.auditor);
    expect(auditor.json().caller).toEqual({ name: '张*', phone: '138****8000', masked: true });
    const actions = await t.platform.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', r.id)
      .where('outcome', '=', 'success')
      .orderBy('at')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'referral.record',
      'referral.assign',
      'referral.answer',
      'referral.report',
    ]);
  });

  it('escalates an overdue referral once a day, and marks a late answer', async () => {
    await at('2026-05-12T10:00');
    const rec = await post('/api/v1/referrals', w.tokens.centre, {
      hotline: '12333',
      ticketNo: 'R-0002',
      kind: 'enquiry',
      summary: '咨询补卡进度',
    });
    const id = rec.json().id as string;
    const assigned = await post(`/api/v1/referrals/${id}/assign`, w.tokens.centre, {
      organizationId: w.branchA,
    });
    // 12 May + 5 working days: 13, 14, 15, 18, 19 May.
    expect(assigned.json().dueOn).toBe('2026-05-19');
    const ctx = systemContext('test');
    await at('2026-05-19T18:00');
    expect(await t.platform.services.referrals.escalate(ctx)).toEqual({ escalated: 0 });
    await at('2026-05-20T09:30');
    const job = await t.platform.services.jobs.run('referrals.escalate', ctx);
    expect(job.result).toEqual({ escalated: 1 });
    expect(await t.platform.services.referrals.escalate(ctx)).toEqual({ escalated: 0 });
    const overdue = await get('/api/v1/referrals?overdue=true', w.tokens.centre);
    expect(overdue.json().items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect(overdue.json().items[0]).toMatchObject({ overdue: true, escalations: 1 });
    await at('2026-05-21T06:30');
    expect(await t.platform.services.referrals.escalate(ctx)).toEqual({ escalated: 1 });
    const alerts = await t.platform.deps.db
      .selectFrom('alerts')
      .select(['kind', 'occurrences'])
      .where('kind', '=', 'referral.overdue')
      .execute();
    expect(alerts).toEqual([{ kind: 'referral.overdue', occurrences: 2 }]);
    // The branch answers late; the bank of the branch may too, another branch may not.
    expect(
      (await post(`/api/v1/referrals/${id}/answer`, w.tokens.branchB, { answer: '非本网点' }))
        .statusCode,
    ).toBe(404);
    const late = await post(`/api/v1/referrals/${id}/answer`, w.tokens.branchA, {
      answer: '已答复来电人补卡进度',
    });
    expect(late.json()).toMatchObject({ status: 'answered', answeredLate: true, overdue: false });
    expect(await t.platform.services.referrals.escalate(ctx)).toEqual({ escalated: 0 });
  });
});
