import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
});
afterAll(() => t.close());

describe('health, readiness and documentation', () => {
  it('answers /healthz and /readyz with the database kind', async () => {
    expect((await t.api({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.api({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().database).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
  });

  it('serves OpenAPI 3.1 at /docs and /openapi.json', async () => {
    const doc = (await t.api({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/persons');
    // Every route is documented, and every JSON body comes with an example.
    const withoutExample: string[] = [];
    for (const [path, operations] of Object.entries<
      Record<
        string,
        {
          summary?: string;
          requestBody?: {
            content?: Record<string, { example?: unknown; examples?: Record<string, unknown> }>;
          };
        }
      >
    >(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        expect(op.summary, `${method} ${path} has a summary`).toBeTruthy();
        const json = op.requestBody?.content?.['application/json'];
        if (json && json.example === undefined && !Object.keys(json.examples ?? {}).length)
          withoutExample.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(withoutExample).toEqual([]);
    const ui = await t.api({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });
});

describe('problem+json in both languages', () => {
  it('answers unknown routes with a problem in Chinese by default', async () => {
    const res = await t.api({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({
      code: 'ROUTE_NOT_FOUND',
      status: 404,
      type: '/api/v1/problems/ROUTE_NOT_FOUND',
      title: '接口不存在',
    });
  });

  it('switches to English by Accept-Language', async () => {
    const res = await t.api({
      method: 'GET',
      url: '/api/v1/auth/me',
      lang: 'en-GB,en;q=0.9,zh;q=0.5',
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'AUTH_REQUIRED', title: 'Authentication required' });
    const zh = await t.api({ method: 'GET', url: '/api/v1/auth/me', lang: 'zh-CN' });
    expect(zh.json().title).toBe('请先登录');
  });

  it('lists field errors for a bad body, without coercing types', async () => {
    const res = await t.api({
      method: 'POST',
      url: '/api/v1/organizations',
      token: w.tokens.centre,
      payload: { kind: 'bank', code: 'X', name: 42, jurisdiction: 'SH', extra: true },
      lang: 'en',
    });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('VALIDATION');
    const pointers = body.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/body/name', '/body/code', '/body/extra']));
  });

  it('refuses malformed JSON with a problem, not a crash', async () => {
    const res = await t.api({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('BAD_REQUEST');
  });

  it('describes each problem type at its type URI', async () => {
    const res = await t.api({
      method: 'GET',
      url: '/api/v1/problems/ID_NUMBER_CHECKSUM',
      lang: 'en',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().code).toBe('ID_NUMBER_CHECKSUM');
  });
});

describe('the manual clock', () => {
  it('lets anyone signed in read it, and only the installation administrator set it', async () => {
    const read = await t.api({
      method: 'GET',
      url: '/api/v1/system/clock',
      token: w.tokens.branchA,
    });
    expect(read.json()).toEqual({ now: '2026-05-06T09:00:00.000+08:00', mode: 'manual' });
    const centre = await t.api({
      method: 'PUT',
      url: '/api/v1/system/clock',
      token: w.tokens.centre,
      payload: { now: '2026-05-07T09:00:00+08:00' },
    });
    expect(centre.statusCode).toBe(403);
    const set = await t.api({
      method: 'PUT',
      url: '/api/v1/system/clock',
      token: w.tokens.admin,
      payload: { now: '2026-05-07T09:00:00+08:00' },
    });
    expect(set.statusCode).toBe(200);
    expect(t.platform.deps.clock.now().toISOString()).toBe('2026-05-07T01:00:00.000Z');
    await t.setClock(new Date('2026-05-06T01:00:00Z'));
  });

  it('is not for branch operators', async () => {
    const res = await t.api({
      method: 'PUT',
      url: '/api/v1/system/clock',
      token: w.tokens.branchA,
      payload: { now: '2026-05-07T09:00:00+08:00' },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('the system clock', () => {
  it('answers 404 on the clock route when not in manual mode', async () => {
    const sys = await createTestPlatform({ SSCARD_CLOCK: 'system' });
    try {
      const token = await sys.login('admin', 'Admin-Test-2026!');
      const res = await sys.api({ method: 'GET', url: '/api/v1/system/clock', token });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('CLOCK_NOT_MANUAL');
    } finally {
      await sys.close();
    }
  });
});
