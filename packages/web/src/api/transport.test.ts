/**
 * Every state-changing request carries an Idempotency-Key, a fresh one per request unless the
 * caller's action chose one; a request that got no answer is sent again with the same key and
 * body; answers (refusals included) and reads are never retried here.
 */
import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_HEADER, send, withIdempotencyKey } from './transport';

const post = (body = '{"kind":"temporary"}', headers: Record<string, string> = {}) =>
  new Request('http://localhost/api/v1/cards/310000000000001/loss', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('idempotency keys', () => {
  it('gives every state-changing request a key, a new one each time', () => {
    const keys = ['POST', 'PUT', 'PATCH', 'DELETE'].map((method) =>
      withIdempotencyKey(
        new Request('http://localhost/api/v1/x', {
          method,
          ...(method === 'DELETE' ? {} : { body: '{}' }),
        }),
      ).headers.get(IDEMPOTENCY_HEADER),
    );
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps the key an action chose, and gives reads none', () => {
    expect(
      withIdempotencyKey(post('{}', { 'idempotency-key': 'action-0001' })).headers.get(
        IDEMPOTENCY_HEADER,
      ),
    ).toBe('action-0001');
    expect(
      withIdempotencyKey(new Request('http://localhost/api/v1/cards/1')).headers.has(
        IDEMPOTENCY_HEADER,
      ),
    ).toBe(false);
  });
});

describe('sending', () => {
  it('sends a request that got no answer again, with the same key and body', async () => {
    const seen: { key: string | null; body: string }[] = [];
    let calls = 0;
    const fetch = async (r: Request) => {
      seen.push({ key: r.headers.get(IDEMPOTENCY_HEADER), body: await r.text() });
      calls += 1;
      if (calls < 3) throw new TypeError('Failed to fetch');
      return new Response('{"cardNo":"310000000000001"}', { status: 200 });
    };
    const res = await send(withIdempotencyKey(post()), { fetch, delay: () => 0 });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.key)).size).toBe(1);
    expect(seen[0]!.key).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.every((s) => s.body === '{"kind":"temporary"}')).toBe(true);
  });

  it('gives up after the retries and reports the failure', async () => {
    let calls = 0;
    const fetch = async () => {
      calls += 1;
      throw new TypeError('Failed to fetch');
    };
    await expect(
      send(withIdempotencyKey(post()), { fetch, delay: () => 0, retries: 2 }),
    ).rejects.toThrow('Failed to fetch');
    expect(calls).toBe(3);
  });

  it('never repeats an answered request, a refusal included', async () => {
    let calls = 0;
    const fetch = async () => {
      calls += 1;
      return new Response('{"code":"PLACE_NOT_ALLOWED","status":422}', { status: 422 });
    };
    const res = await send(withIdempotencyKey(post()), { fetch, delay: () => 0 });
    expect(res.status).toBe(422);
    expect(calls).toBe(1);
  });

  it('leaves reads to the data cache: no retry, no key', async () => {
    let calls = 0;
    const fetch = async (r: Request) => {
      calls += 1;
      expect(r.headers.has(IDEMPOTENCY_HEADER)).toBe(false);
      throw new TypeError('Failed to fetch');
    };
    await expect(
      send(withIdempotencyKey(new Request('http://localhost/api/v1/cards/1')), { fetch }),
    ).rejects.toThrow();
    expect(calls).toBe(1);
  });
});

describe('the key of a user action', () => {
  it('is kept across attempts without an answer and renewed once answered', async () => {
    const { ActionKey } = await import('./transport');
    const action = new ActionKey();
    const first = action.for({ kind: 'temporary' });
    expect(action.for({ kind: 'temporary' })).toBe(first); // double click, or a retry
    action.answered();
    const second = action.for({ kind: 'temporary' });
    expect(second).not.toBe(first); // a new press after an answer is a new act
    expect(action.for({ kind: 'formal' })).not.toBe(second); // something else asked
  });
});
