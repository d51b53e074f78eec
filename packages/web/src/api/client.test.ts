/**
 * The typed client sends an Idempotency-Key on every state-changing request: a fresh one per
 * call, the action's own when it gives one, none on reads; the session's token and language
 * go along.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientState, createApiClient, headersFor } from './client';

afterEach(() => vi.unstubAllGlobals());

function recording() {
  const seen: Request[] = [];
  vi.stubGlobal('fetch', async (r: Request) => {
    seen.push(r);
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return seen;
}

describe('the API client', () => {
  it('puts a key on every act and none on reads', async () => {
    const seen = recording();
    clientState.token = 'token-1';
    const api = createApiClient('http://localhost');
    const path = { params: { path: { cardNo: '310000000000001' } } };
    await api.POST('/api/v1/cards/{cardNo}/loss', { ...path, body: { kind: 'temporary' } });
    await api.POST('/api/v1/cards/{cardNo}/loss', { ...path, body: { kind: 'temporary' } });
    await api.POST('/api/v1/cards/{cardNo}/suspend', path);
    await api.PUT('/api/v1/system/clock', { body: { now: '2026-05-01T09:00:00+08:00' } });
    await api.GET('/api/v1/cards/{cardNo}', path);
    const keys = seen.map((r) => r.headers.get('idempotency-key'));
    expect(keys.slice(0, 4).every((k) => /^[0-9a-f]{32}$/.test(k ?? ''))).toBe(true);
    expect(new Set(keys.slice(0, 4)).size).toBe(4);
    expect(keys[4]).toBeNull();
    expect(seen[0]!.headers.get('authorization')).toBe('Bearer token-1');
    expect(seen[0]!.headers.get('accept-language')).toBe('zh-CN');
    clientState.token = null;
  });

  it('sends the action’s own key and a stated reason', async () => {
    const seen = recording();
    const api = createApiClient('http://localhost');
    await api.POST('/api/v1/cards/{cardNo}/freeze', {
      params: { path: { cardNo: '310000000000001' } },
      body: { reason: '出借社会保障卡' },
      headers: headersFor({ idempotencyKey: 'action-0001', reason: '核对 证件' }),
    });
    expect(seen[0]!.headers.get('idempotency-key')).toBe('action-0001');
    expect(seen[0]!.headers.get('x-sscard-reason')).toBe(encodeURIComponent('核对 证件'));
  });
});
