/**
 * Two API nodes on one PostgreSQL, behind a round-robin proxy, behave as one installation
 * (issue 15, docs/NODES.md): sessions, rate limits, idempotency keys, the manual clock, daily
 * jobs and caches. The same topology as compose.yaml (two nodes, a proxy, PostgreSQL), with
 * plain processes. Needs a PostgreSQL server (DATABASE_URL, or the local one on 127.0.0.1:5432);
 * skipped, and said so, without one: the embedded database serves one process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoTerminalKey } from './demo/seed.js';
import { otpForStep, timeStepOf } from './modules/auth/otp.js';
import { fzCard, loginFzBranch } from './modules/verification/over-http.js';
import { residentId } from './testing/people.js';
import { postgresServerUrl } from './testing/postgres-server.js';
import { startRoundRobinProxy, type Proxy } from './testing/round-robin-proxy.js';
import {
  installationOn,
  startServer,
  type Installation,
  type ServerProcess,
} from './testing/server-process.js';
import { TEST_ADMIN_PASSWORD, TEST_ADMIN_TOTP_SECRET } from './testing/harness.js';

const pgUrl = await postgresServerUrl();
if (!pgUrl) console.warn('nodes.test.ts: no PostgreSQL server reachable; two-node test skipped');

const T0 = new Date('2026-05-06T02:00:00Z'); // 10:00 in Shanghai, a Wednesday
const NODE_ENV = {
  SSCARD_NODES: '2',
  SSCARD_SCHEDULER_TICK_SECONDS: '1',
  SSCARD_RATE_LOGIN_ACCOUNT: '3/300',
};

let inst: Installation;
let a: ServerProcess;
let b: ServerProcess;
let proxy: Proxy;

async function call(
  base: string,
  path: string,
  opts: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(base + path, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(opts.token
        ? {
            authorization: opts.token.startsWith('sst_')
              ? `Terminal ${opts.token}`
              : `Bearer ${opts.token}`,
          }
        : {}),
      ...opts.headers,
    },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, headers: res.headers };
}

async function login(base: string, username: string, password = DEMO_PASSWORD, otp?: string) {
  const res = await call(base, '/api/v1/auth/login', {
    body: { username, password, ...(otp ? { otp } : {}) },
  });
  if (res.status !== 200)
    throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.token as string;
}

let adminSteps = 0;
/** The installation administrator, with a second-factor code not used before. */
async function loginAdmin(base: string, at: Date): Promise<string> {
  const otp = await otpForStep(TEST_ADMIN_TOTP_SECRET, timeStepOf(at) + adminSteps++);
  return login(base, 'admin', TEST_ADMIN_PASSWORD, otp);
}

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!pgUrl)('two API nodes on one PostgreSQL behind a proxy', () => {
  beforeAll(async () => {
    inst = await installationOn('postgres', pgUrl);
    await inst.query(
      `insert into system_settings (key, value, updated_at) values ('clock.manual', $1, now())
       on conflict (key) do update set value = excluded.value`,
      [JSON.stringify({ now: T0.toISOString() })],
    );
    await inst.query('update terminals set rate_limit_per_second = 4');
    [a, b] = await Promise.all([
      startServer(inst, { ...NODE_ENV, SSCARD_NODE_NAME: 'a' }),
      startServer(inst, { ...NODE_ENV, SSCARD_NODE_NAME: 'b' }),
    ]);
    proxy = await startRoundRobinProxy([a.url, b.url]);
  }, 300_000);

  afterAll(async () => {
    await proxy?.close();
    await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
    await inst?.dispose();
  }, 60_000);

  it('the proxy reaches both nodes, each naming itself', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 4; i++)
      names.add((await call(proxy.url, '/readyz')).headers.get('x-sscard-node') ?? '');
    expect([...names].sort()).toEqual(['a', 'b']);
  });

  it('a terminal’s checks per second are shared out among the nodes (SSCARD_NODES)', async () => {
    // 4 a second for the installation: 2 on each node; the manual clock stands still, so no
    // bucket refills during the test. Without the share, 8 would pass.
    const key = demoTerminalKey('FZ', 'pharmacy');
    const cardNo = await fzCard(a.url, await loginFzBranch(a.url));
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await call(proxy.url, '/api/v1/verify/card', {
        token: key,
        body: { cardNo },
      });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s !== 429)).toHaveLength(4);
  });

  it('sessions: a token made on one node works on the other; signing out on one ends it on both', async () => {
    const token = await login(a.url, 'sh.bank1.br1');
    expect((await call(b.url, '/api/v1/auth/me', { token })).status).toBe(200);
    expect((await call(a.url, '/api/v1/auth/me', { token })).status).toBe(200);
    expect((await call(b.url, '/api/v1/auth/logout', { token, body: {} })).status).toBeLessThan(
      300,
    );
    expect((await call(a.url, '/api/v1/auth/me', { token })).status).toBe(401);
  });

  it('rate limits count across nodes: the fourth login attempt in the window is refused on either', async () => {
    const attempt = (base: string) =>
      call(base, '/api/v1/auth/login', {
        body: { username: 'zs.bank1.br2', password: 'wrong-password-1' },
      });
    expect((await attempt(a.url)).status).toBe(401);
    expect((await attempt(b.url)).status).toBe(401);
    expect((await attempt(a.url)).status).toBe(401);
    expect((await attempt(b.url)).status).toBe(429);
    expect((await attempt(a.url)).status).toBe(429);
  });

  it('idempotency keys: the same key sent to both nodes at once is one act, one answer', async () => {
    const token = await login(proxy.url, 'sh.bank1.br1');
    const body = { idType: 'resident_id', idNumber: residentId('1975-03-04'), name: '双节点' };
    const headers = { 'idempotency-key': 'two-nodes-person-0001' };
    const [x, y] = await Promise.all([
      call(a.url, '/api/v1/persons', { token, body, headers }),
      call(b.url, '/api/v1/persons', { token, body, headers }),
    ]);
    expect([x.status, y.status]).toEqual([201, 201]);
    expect(x.json.id).toBe(y.json.id);
    expect(
      [x.headers.get('idempotent-replayed'), y.headers.get('idempotent-replayed')].sort(),
    ).toEqual(['true', null].sort());
    const records = await inst.query<{ n: string }>(
      `select count(*) as n from audit_log where action = 'person.create' and target_id = $1`,
      [x.json.id],
    );
    expect(Number(records[0]!.n)).toBe(1);
  });

  it('the manual clock set through one node is every node’s clock, and daily jobs run once a day across both', async () => {
    const token = await loginAdmin(a.url, T0);
    const next = '2026-05-07T10:00:00+08:00';
    const set = await call(a.url, '/api/v1/system/clock', {
      method: 'PUT',
      token,
      body: { now: next },
    });
    expect(set.status).toBe(200);
    // A day on, the administrator's session has lapsed: anyone signed in may read the clock.
    const reader = await login(b.url, 'sh.bank1.br2');
    for (const base of [b.url, a.url, proxy.url]) {
      const read = await call(base, '/api/v1/system/clock', { token: reader });
      expect(read.json.now).toBe(set.json.now);
    }
    // Both nodes tick every second; each job's day is claimed by one of them.
    const jobs = await inst.query<{ job: string }>(
      `select distinct job from job_runs where trigger = 'schedule' and day = '2026-05-06'`,
    );
    expect(jobs.length).toBeGreaterThan(0);
    await until(
      () =>
        inst.query<{ n: string }>(
          `select count(distinct job) as n from job_runs where trigger = 'schedule' and day = '2026-05-07'`,
        ),
      (rows) => Number(rows[0]!.n) >= jobs.length,
    );
    await new Promise((r) => setTimeout(r, 3000)); // several more ticks on both nodes
    const runs = await inst.query<{ job: string; day: string; n: string }>(
      `select job, day::text as day, count(*) as n from job_runs where trigger = 'schedule'
       group by job, day`,
    );
    expect(runs.filter((r) => Number(r.n) !== 1)).toEqual([]);
    expect(runs.filter((r) => r.day === '2026-05-07').length).toBe(jobs.length);
  }, 120_000);

  it('caches: a calendar change committed through one node is seen by the other at once', async () => {
    const token = await loginAdmin(a.url, new Date('2026-05-07T02:00:00Z'));
    const day = (base: string) =>
      call(base, '/api/v1/calendar/days?from=2026-06-13&to=2026-06-13', { token }).then(
        (r) => (r.json.items as { working: boolean }[])[0]!.working,
      );
    expect(await day(b.url)).toBe(false); // a Saturday; node b now holds the table in memory
    const put = await call(a.url, '/api/v1/calendar/overrides', {
      method: 'PUT',
      token,
      body: {
        overrides: [{ date: '2026-06-13', kind: 'workday', note: '双节点测试调休' }],
        completeYears: [],
      },
    });
    expect(put.status).toBe(200);
    // Without the change bus node b would keep its copy for a minute.
    const started = Date.now();
    await until(
      () => day(b.url),
      (working) => working,
      5_000,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
