/**
 * The notifications outbox (docs/NOTIFICATIONS.md): each trigger writes its message in the act's
 * transaction, the daily reminders on the injected clock, delivery through the notify adapter
 * with retries and backoff, never twice, and the webhook's signature.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError } from '@sscard/domain';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotifySimulator } from '../../adapters/notify/notify-simulator.js';
import { NotifyWebhook } from '../../adapters/notify/notify-webhook.js';
import { systemContext } from '../../context.js';
import { STAFF_PASSWORD, buildWorld, type World } from '../../testing/fixtures.js';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { holderToken } from '../../testing/holders.js';
import { registerPerson } from '../../testing/people.js';
import { renderMessage } from './templates.js';

let t: TestPlatform;
let hn: World;
let sh: World;
const PHONE = '13800138000';

beforeAll(async () => {
  t = await createTestPlatform();
  hn = await buildWorld(t, 'HN', '460000');
  sh = await buildWorld(t, 'SH', '310000');
}, 240_000);
afterAll(() => t.close());

// Each test starts with nothing left to deliver, and signed in (tests move the clock by days).
beforeEach(async () => {
  await t.platform.services.queue.drain();
  // A second factor's code is used once: a fresh time step for each sign-in round.
  await t.setClock(new Date(t.platform.deps.clock.now().getTime() + 31_000));
  for (const [w, p] of [
    [hn, 'hn'],
    [sh, 'sh'],
  ] as const) {
    w.tokens.branchA = await t.login(`${p}.brancha`, STAFF_PASSWORD);
    w.tokens.centre = await t.login(`${p}.centre`, STAFF_PASSWORD);
  }
});

const post = (url: string, token: string, payload: object = {}) =>
  t.api({ method: 'POST', url, token, payload: payload as Record<string, unknown> });
const ok = async (url: string, token: string, payload: object = {}) => {
  const res = await post(url, token, payload);
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.json<Record<string, unknown>>();
};
const now = () => t.platform.deps.clock.now();
const DAY = 86_400_000;
const simulator = () => t.platform.services.notify as NotifySimulator;
const queue = () => t.platform.services.queue;
const notifications = (personId: string) =>
  t.platform.deps.db
    .selectFrom('notifications' as never)
    .selectAll()
    .where('person_id' as never, '=', personId as never)
    .orderBy('created_at' as never)
    .execute() as Promise<
    {
      id: string;
      kind: string;
      status: string;
      attempts: number;
      payload: Record<string, unknown>;
      dedupe_key: string;
      last_error: string | null;
    }[]
  >;
const sentTo = (text: string) =>
  simulator()
    .outbox(PHONE)
    .filter((m) => m.text.includes(text));

/** A batch application in HN passed its checks: `produce` then `stock` move its card. */
async function approved(w: World, county: string) {
  const person = await registerPerson(t, w.tokens.branchA, { county });
  const app = await ok('/api/v1/applications', w.tokens.branchA, {
    personId: person.id,
    kind: 'first',
    production: 'batch',
  });
  let a = app;
  for (const c of (a.checks as { agency: string; result: string }[]) ?? [])
    if (c.result === 'pending')
      a = await ok(`/api/v1/applications/${app.id as string}/checks`, w.tokens.centre, {
        agency: c.agency,
        result: 'pass',
      });
  return { personId: person.id, appId: app.id as string };
}

/** A card in stock at branch A (ready for pickup). */
async function stocked(w: World, county: string) {
  const { personId, appId } = await approved(w, county);
  const current = await t.api({
    method: 'GET',
    url: `/api/v1/applications/${appId}`,
    token: w.tokens.branchA,
  });
  let a = current.json<Record<string, unknown>>();
  if (a.status === 'approved')
    a = await ok(`/api/v1/applications/${appId}/produce`, w.tokens.branchA);
  if (a.status !== 'in_stock')
    a = await ok(`/api/v1/applications/${appId}/stock`, w.tokens.branchA);
  expect(a.status).toBe('in_stock');
  return { personId, appId, cardNo: a.cardNo as string };
}

describe('triggers write in the act’s transaction', () => {
  it('an application rejected: its reason, delivered once', async () => {
    const person = await registerPerson(t, sh.tokens.branchA, { county: '310101' });
    const app = await ok('/api/v1/applications', sh.tokens.branchA, {
      personId: person.id,
      kind: 'first',
    });
    const checks = (app.checks as { agency: string; result: string }[]).filter(
      (c) => c.result === 'pending',
    );
    expect(checks.length).toBeGreaterThan(0);
    await ok(`/api/v1/applications/${app.id as string}/checks`, sh.tokens.centre, {
      agency: checks[0]!.agency,
      result: 'fail',
      reason: '未参加本市医疗保险',
    });
    const [n] = await notifications(person.id);
    expect(n).toMatchObject({
      kind: 'application_rejected',
      status: 'queued',
      payload: { reason: '未参加本市医疗保险' },
    });
    // Only what the template needs: no name, number or phone in the payload.
    expect(JSON.stringify(n!.payload)).not.toContain(PHONE);
    const before = sentTo('未参加本市医疗保险').length;
    await queue().drain();
    expect(sentTo('未参加本市医疗保险').length).toBe(before + 1);
    expect((await notifications(person.id))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    // Another delivery job for the same message sends nothing.
    await t.platform.deps.acts.run(systemContext('test'), {
      name: 'job.run',
      resource: 'installation',
      load: async () => true,
      target: () => ({ type: 'installation', id: null, jurisdiction: null }),
      apply: async ({ trx }) => ({
        result: await queue().enqueue(
          trx,
          { kind: 'notify.deliver', payload: { notificationId: n!.id }, jurisdiction: null },
          'system:test',
        ),
      }),
    });
    await queue().drain();
    expect(sentTo('未参加本市医疗保险').length).toBe(before + 1);
  });

  it('a card in stock at its branch: ready for pickup there, with the branch’s name', async () => {
    const c = await stocked(hn, '460105');
    const all = await notifications(c.personId);
    expect(all.map((n) => n.kind)).toEqual(['card_ready']);
    expect(all[0]!.payload).toMatchObject({ cardTail: c.cardNo.slice(-4), branchId: hn.branchA });
    await queue().drain();
    const sent = simulator().outbox(PHONE)[0]!;
    expect(sent.text).toContain(`尾号${c.cardNo.slice(-4)}`);
    expect(sent.text).toContain('HN BANKA-1 测试机构');
    expect(sent.purpose).toBe('notice.card_ready');
    expect(sent.messageId).toBe(all[0]!.id);
  });

  it('an e-card issued, then suspended with its card', async () => {
    const c = await stocked(hn, '460105');
    await ok(`/api/v1/cards/${c.cardNo}/issue`, hn.tokens.branchA, { to: 'holder' });
    const token = await holderToken(t, c.personId);
    await ok('/api/v1/ecards', token, { cardNo: c.cardNo });
    expect((await notifications(c.personId)).map((n) => n.kind)).toEqual([
      'card_ready',
      'ecard_issued',
    ]);
    // HN-42: the centre freezes a card lent to another; the e-card stops with it.
    await ok(`/api/v1/cards/${c.cardNo}/freeze`, hn.tokens.centre, { reason: '出借社会保障卡' });
    expect((await notifications(c.personId)).map((n) => n.kind)).toEqual([
      'card_ready',
      'ecard_issued',
      'ecard_suspended',
    ]);
    await queue().drain();
    expect((await notifications(c.personId)).every((n) => n.status === 'sent')).toBe(true);
  });

  it('an act that rolls back writes no message', async () => {
    const { personId, appId } = await approved(hn, '460105');
    const before = await notifications(personId);
    // Produce then refuse inside one act: the trigger's rows go with the transaction.
    await expect(
      t.platform.deps.acts.run(systemContext('test'), {
        name: 'job.run',
        resource: 'installation',
        load: async () => true,
        target: () => ({ type: 'installation', id: null, jurisdiction: null }),
        apply: async ({ trx }) => {
          await t.platform.deps.repos.notifications.write(trx, {
            personId,
            jurisdiction: '460000',
            kind: 'card_ready',
            payload: {},
            dedupeKey: `rollback:${appId}`,
            at: now(),
          });
          throw new DomainError('NOT_FOUND', { resource: 'x' });
        },
      }),
    ).rejects.toThrow();
    expect(await notifications(personId)).toEqual(before);
  });
});

describe('delivery', () => {
  it('a failed delivery is retried with backoff; the last failure leaves it dead', async () => {
    const c = await stocked(hn, '460105');
    const real = simulator().send.bind(simulator());
    let failures = 2;
    const send = vi.spyOn(simulator(), 'send').mockImplementation(async (m) => {
      if (failures-- > 0) throw new DomainError('NOTIFY_UNAVAILABLE');
      return real(m);
    });
    await queue().drain();
    let [n] = await notifications(c.personId);
    expect(n).toMatchObject({ status: 'failed', attempts: 1, last_error: 'NOTIFY_UNAVAILABLE' });
    // The queue's backoff: 10 s, then 20 s.
    await t.setClock(new Date(now().getTime() + 9_000));
    await queue().drain();
    expect((await notifications(c.personId))[0]!.attempts).toBe(1);
    await t.setClock(new Date(now().getTime() + 1_000));
    await queue().drain();
    expect((await notifications(c.personId))[0]).toMatchObject({ status: 'failed', attempts: 2 });
    await t.setClock(new Date(now().getTime() + 20_000));
    await queue().drain();
    [n] = await notifications(c.personId);
    expect(n).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(send).toHaveBeenCalledTimes(3);
    send.mockRestore();

    const d = await stocked(hn, '460105');
    const down = vi
      .spyOn(simulator(), 'send')
      .mockRejectedValue(new DomainError('NOTIFY_UNAVAILABLE'));
    for (let i = 0; i < 8; i++) {
      await queue().drain();
      await t.setClock(new Date(now().getTime() + 3_600_000));
    }
    expect(down).toHaveBeenCalledTimes(6);
    expect((await notifications(d.personId))[0]).toMatchObject({ status: 'dead', attempts: 6 });
    down.mockRestore();
  });

  it('a message being delivered by a node that died is sent again with the same id only after its lease', async () => {
    const c = await stocked(hn, '460105');
    const [n] = await notifications(c.personId);
    const repo = t.platform.deps.repos.notifications;
    // A node claimed it and died (maybe after the gateway took it).
    expect(await repo.claim(n!.id, now(), new Date(now().getTime() - 600_000))).toBeDefined();
    const send = vi.spyOn(simulator(), 'send');
    await queue().drain();
    expect(send).not.toHaveBeenCalled();
    // Its delivery job waits with backoff meanwhile.
    await t.setClock(new Date(now().getTime() + 11 * 60_000));
    await queue().drain();
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]![0].messageId).toBe(n!.id);
    expect((await notifications(c.personId))[0]).toMatchObject({ status: 'sent' });
    // Sent: never claimed again.
    expect(await repo.claim(n!.id, now(), now())).toBeUndefined();
    send.mockRestore();
  });
});

describe('daily reminders on the injected clock', () => {
  it('a card not picked up is reminded 7 days before the pack’s unclaimed limit (HN-12: 180 days)', async () => {
    const c = await stocked(hn, '460105');
    const ctx = systemContext('job:notifications.pickup_reminder');
    const service = t.platform.services.notifications;
    const start = now();
    await service.remindPickup(ctx);
    expect((await notifications(c.personId)).map((n) => n.kind)).toEqual(['card_ready']);
    await t.setClock(new Date(start.getTime() + 172 * DAY));
    await service.remindPickup(ctx);
    expect((await notifications(c.personId)).map((n) => n.kind)).toEqual(['card_ready']);
    await t.setClock(new Date(start.getTime() + 174 * DAY));
    await service.remindPickup(ctx);
    await service.remindPickup(ctx);
    const all = await notifications(c.personId);
    expect(all.map((n) => n.kind)).toEqual(['card_ready', 'pickup_reminder']);
    expect(all[1]!.payload).toMatchObject({ cardTail: c.cardNo.slice(-4) });
    expect(all[1]!.payload.until).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('where the pack sets no limit (SH), once 30 days after the card arrived', async () => {
    const c = await stocked(sh, '310101');
    const service = t.platform.services.notifications;
    const ctx = systemContext('job:notifications.pickup_reminder');
    const start = now();
    await t.setClock(new Date(start.getTime() + 29 * DAY));
    await service.remindPickup(ctx);
    expect((await notifications(c.personId)).map((n) => n.kind)).toEqual(['card_ready']);
    await t.setClock(new Date(start.getTime() + 30 * DAY + 1000));
    const run = await t.platform.services.jobs.run('notifications.pickup_reminder', ctx);
    expect(run.status).toBe('succeeded');
    const all = await notifications(c.personId);
    expect(all.map((n) => n.kind)).toEqual(['card_ready', 'pickup_reminder']);
    expect(all[1]!.payload.until).toBeUndefined();
  });

  it('a temporary loss about to lapse (HN-17: 15 days) is told the day before', async () => {
    const c = await stocked(hn, '460105');
    await ok(`/api/v1/cards/${c.cardNo}/issue`, hn.tokens.branchA, { to: 'holder' });
    // The clock moved: sign in again.
    await ok(`/api/v1/cards/${c.cardNo}/loss`, hn.tokens.branchA, { kind: 'temporary' });
    const service = t.platform.services.notifications;
    const ctx = systemContext('job:notifications.loss_lapse');
    const start = now();
    await t.setClock(new Date(start.getTime() + 13 * DAY));
    await service.remindLossLapse(ctx);
    expect((await notifications(c.personId)).map((n) => n.kind)).not.toContain('loss_lapse');
    await t.setClock(new Date(start.getTime() + 14.5 * DAY));
    await service.remindLossLapse(ctx);
    await service.remindLossLapse(ctx);
    const lapse = (await notifications(c.personId)).filter((n) => n.kind === 'loss_lapse');
    expect(lapse).toHaveLength(1);
    await queue().drain();
    expect(simulator().outbox(PHONE)[0]!.text).toContain('临时挂失将于');
  });
});

describe('the outbox route and templates', () => {
  it('the centre sees its jurisdiction’s messages, masked; a branch may not', async () => {
    const centre = await t.login('hn.centre', STAFF_PASSWORD);
    const res = await t.api({
      method: 'GET',
      url: '/api/v1/notifications?limit=200',
      token: centre,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: { jurisdiction: string; holder: string }[]; total: number }>();
    expect(body.total).toBeGreaterThan(0);
    expect(body.items.every((n) => n.jurisdiction === '460000')).toBe(true);
    expect(body.items.every((n) => n.holder.endsWith('*'))).toBe(true);
    expect(res.body).not.toContain(PHONE);
    const branch = await t.login('hn.brancha', STAFF_PASSWORD);
    const refused = await t.api({ method: 'GET', url: '/api/v1/notifications', token: branch });
    expect(refused.statusCode).toBe(403);
  });

  it('renders every kind in Chinese and English', () => {
    for (const kind of [
      'card_ready',
      'pickup_reminder',
      'loss_lapse',
      'application_rejected',
      'ecard_issued',
      'ecard_suspended',
    ] as const) {
      expect(renderMessage(kind, { cardTail: '1234' })).toMatch(/^【社保卡】/);
      expect(renderMessage(kind, { cardTail: '1234' }, 'en')).toMatch(/^\[Social security card\]/);
    }
  });
});

describe('the webhook', () => {
  it('signs the body with HMAC-SHA256 and carries the message id for the gateway to dedupe', async () => {
    const got: { body: string; headers: Record<string, string | string[] | undefined> }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        got.push({ body, headers: req.headers });
        res.statusCode = got.length === 1 ? 503 : 200;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
    const hook = new NotifyWebhook(url, 'the-secret');
    const message = { phone: PHONE, text: 'hello', purpose: 'notice.card_ready', messageId: 'm-1' };
    await expect(hook.send(message)).rejects.toMatchObject({ code: 'NOTIFY_UNAVAILABLE' });
    await hook.send(message);
    server.close();
    expect(got).toHaveLength(2);
    const { body, headers } = got[1]!;
    const expected = createHmac('sha256', 'the-secret').update(body).digest('hex');
    expect(headers['x-sscard-signature']).toBe(`sha256=${expected}`);
    expect(headers['idempotency-key']).toBe('m-1');
    expect(JSON.parse(body)).toMatchObject({ phone: PHONE, text: 'hello', messageId: 'm-1' });
    const forged = createHmac('sha256', 'another').update(body).digest('hex');
    expect(headers['x-sscard-signature']).not.toBe(`sha256=${forged}`);
  });
});
