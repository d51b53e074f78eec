import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeJpeg } from '@sscard/domain/testing';
import { TEST_START, createTestPlatform, type TestPlatform } from '../testing/harness.js';
import { STAFF_PASSWORD, buildWorld, type World } from '../testing/fixtures.js';

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform({
    SSCARD_RATE_LOGIN_ACCOUNT: '3/60',
    SSCARD_RATE_LOGIN_ADDRESS: '20/60',
    SSCARD_RATE_LOOKUP_ACCOUNT: '3/60',
    SSCARD_PHOTO_MAX_DECODED_BYTES: '100000',
  });
  w = await buildWorld(t);
});
afterAll(() => t.close());

const login = (username: string, password: string, remoteAddress?: string) =>
  t.api({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    ...(remoteAddress ? { remoteAddress } : {}),
  });

describe('security headers', () => {
  it('sends a closed content security policy and no-store on the API', async () => {
    const res = await t.api({ method: 'GET', url: '/api/v1/auth/me', token: w.tokens.branchA });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    const problem = await t.api({ method: 'GET', url: '/api/v1/auth/me' });
    expect(problem.statusCode).toBe(401);
    expect(problem.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('lets Swagger UI load its own scripts and styles at /docs', async () => {
    const page = await t.api({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toContain("default-src 'none'");
    // Swagger UI's page has no inline script that the policy would block.
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/);
    const bundle = await t.api({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-security-policy']).toContain("script-src 'self'");
    const spec = await t.api({ method: 'GET', url: '/docs/json' });
    expect(spec.statusCode).toBe(200);
  });
});

describe('throttles', () => {
  it('limits logins per account: 429 with Retry-After, even with the right password', async () => {
    // The fixture's login at this instant was the first of three.
    for (let i = 0; i < 2; i++)
      expect((await login('sh.auditor', 'Wrong-Pass-2026')).json().code).toBe('LOGIN_FAILED');
    const limited = await login('sh.auditor', STAFF_PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(limited.json().detail).toContain('60');
    // Another account from the same address is not affected.
    expect((await login('sh.vendor', STAFF_PASSWORD)).statusCode).toBe(200);
    // Twenty seconds later the window has forty to go.
    await t.setClock(new Date(TEST_START.getTime() + 20_000));
    expect((await login('sh.auditor', STAFF_PASSWORD)).headers['retry-after']).toBe('40');
    await t.setClock(new Date(TEST_START.getTime() + 61_000));
    expect((await login('sh.auditor', STAFF_PASSWORD)).statusCode).toBe(200);
    await t.setClock(TEST_START);
  });

  it('limits logins per address across accounts', async () => {
    const from = '203.0.113.9';
    for (let i = 0; i < 20; i++)
      expect((await login(`nobody${i}`, 'Whatever-2026!', from)).statusCode).toBe(401);
    const limited = await login('sh.community', STAFF_PASSWORD, from);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('sh.community', STAFF_PASSWORD, '203.0.113.10')).statusCode).toBe(200);
  });

  it('limits person look-ups per account, searches and reads together', async () => {
    const search = (token: string) =>
      t.api({
        method: 'POST',
        url: '/api/v1/persons/search',
        token,
        payload: { phone: '13800138000' },
      });
    expect((await search(w.tokens.branchB)).statusCode).toBe(200);
    expect((await search(w.tokens.branchB)).statusCode).toBe(200);
    const read = await t.api({
      method: 'GET',
      url: '/api/v1/persons/00000000-0000-7000-8000-000000000000',
      token: w.tokens.branchB,
    });
    expect(read.statusCode).toBe(404);
    const limited = await search(w.tokens.branchB);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await search(w.tokens.branchA)).statusCode).toBe(200);
  });
});

describe('upload bounds', () => {
  it('refuses a photo whose decoded size is over the configured limit', async () => {
    const person = await t.api({
      method: 'POST',
      url: '/api/v1/persons',
      token: w.tokens.branchA,
      payload: { idType: 'resident_id', idNumber: '11010519491231002X', name: '张三' },
    });
    expect(person.statusCode).toBe(201);
    const res = await t.api({
      method: 'PUT',
      url: `/api/v1/persons/${person.json().id}/photo`,
      token: w.tokens.branchA,
      headers: { 'content-type': 'image/jpeg' },
      payload: fakeJpeg(358, 441, 4000),
      lang: 'en',
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PHOTO_DECODED_TOO_LARGE');
    expect(res.json().detail).toContain('358×441×3');
  });

  it('keeps the global body limit', async () => {
    const res = await t.api({
      method: 'POST',
      url: '/api/v1/persons/search',
      token: w.tokens.centre,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ phone: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
  });
});
