/**
 * Graceful shutdown on a real server process (ops/shutdown.ts; PGlite data directory, or its own
 * database on the PostgreSQL server when DATABASE_URL is set):
 *
 * - an act in flight when SIGTERM arrives finishes and is answered; /readyz answers 503 at once;
 *   new requests are refused cleanly; the process exits 0;
 * - under a steady load of state-changing acts with Idempotency-Keys, SIGTERM in the middle:
 *   every act answered 2xx is in the database with its audit record and its saved idempotency
 *   answer, no act is half applied, the audit chains verify, nothing answered 5xx but the clean
 *   503 refusal, and the process exits 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { DEMO_PASSWORD } from './demo/seed.js';
import { verifyAuditChain } from './modules/audit/verify.js';
import { openPlatform } from './platform.js';
import { residentId } from './testing/people.js';
import { newInstallation, startServer, type Installation } from './testing/server-process.js';

let inst: Installation;

beforeAll(async () => {
  inst = await newInstallation();
}, 180_000);
afterAll(async () => {
  await inst?.dispose();
});

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'sh.bank1.br1', password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

interface Outcome {
  key: string;
  sentAt: number;
  status?: number;
  code?: string;
  personId?: string;
  error?: string;
}

/** Registers a new person with an Idempotency-Key; never throws. */
async function register(url: string, token: string, key: string): Promise<Outcome> {
  const sentAt = performance.now();
  try {
    const res = await fetch(`${url}/api/v1/persons`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'idempotency-key': key,
      },
      body: JSON.stringify({
        idType: 'resident_id',
        idNumber: residentId('1980-08-08'),
        name: '停机测试',
      }),
    });
    const text = await res.text();
    let body: { id?: string; code?: string } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      /* not JSON */
    }
    return {
      key,
      sentAt,
      status: res.status,
      ...(body.code ? { code: body.code } : {}),
      ...(res.status < 300 && body.id ? { personId: body.id } : {}),
    };
  } catch (e) {
    return { key, sentAt, error: String((e as Error).cause ?? (e as Error).message) };
  }
}

/** What the database holds for these keys, once the server has stopped. */
async function committed(keys: string[]) {
  const idem = await inst.query<{ key: string; status_code: number | null; response: unknown }>(
    `select key, status_code, response from idempotency_keys where key = any($1)`,
    [keys],
  );
  const audited = await inst.query<{ target_id: string }>(
    `select target_id from audit_log where action = 'person.create' and outcome = 'success'`,
  );
  const persons = await inst.query<{ id: string }>(`select id::text as id from persons`);
  return {
    idem: new Map(idem.map((r) => [r.key, r])),
    audited: new Set(audited.map((r) => r.target_id)),
    persons: new Set(persons.map((r) => r.id)),
  };
}

async function chainsVerify(): Promise<void> {
  const platform = await openPlatform({ config: loadConfig({ ...process.env, ...inst.env }) });
  try {
    expect((await verifyAuditChain(platform.deps.db, {})).firstBreak).toBeNull();
  } finally {
    await platform.close();
  }
}

describe('SIGTERM with an act in flight', () => {
  it('finishes the act, is unready at once, refuses new work cleanly, exits 0', async () => {
    const server = await startServer(inst, {
      SSCARD_FAILPOINTS: 'slow:person.create',
      SSCARD_FAILPOINT_SLOW_MS: '2000',
      SSCARD_SHUTDOWN_DELAY_SECONDS: '1',
    });
    try {
      const token = await login(server.url);
      const key = 'shutdown-in-flight-0001';
      const inFlight = register(server.url, token, key);
      await new Promise((r) => setTimeout(r, 400));
      server.process.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      // Unready at once (the load balancer stops sending), still answering during the delay.
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { status: string }).status).toBe('stopping');
      expect(ready.headers.get('connection')).toBe('close');
      // After the delay: new work is refused (503 SHUTTING_DOWN or no connection), never a 5xx bug.
      await new Promise((r) => setTimeout(r, 1200));
      const late = await register(server.url, token, 'shutdown-late-0001');
      if (late.status !== undefined) {
        expect(late.status).toBe(503);
      } else {
        expect(late.error).toMatch(/ECONNREFUSED|ECONNRESET|other side closed|SocketError/);
      }
      const answered = await inFlight;
      expect(answered.status).toBe(201);
      expect(await server.exited).toBe(0);

      const db = await committed([key, 'shutdown-late-0001']);
      expect(db.persons.has(answered.personId!)).toBe(true);
      expect(db.audited.has(answered.personId!)).toBe(true);
      expect(db.idem.get(key)?.status_code).toBe(201);
      expect(db.idem.has('shutdown-late-0001')).toBe(false);
    } finally {
      await server.kill();
    }
  }, 180_000);
});

describe('SIGTERM under a steady load of acts', () => {
  it('loses no answered act, half applies none, answers no 500, exits 0', async () => {
    const server = await startServer(inst);
    const token = await login(server.url);
    const outcomes: Outcome[] = [];
    let exited = false;
    void server.exited.then(() => (exited = true));
    let n = 0;
    const client = async (c: number) => {
      // Keeps sending until the process is gone and a few more have failed.
      let afterExit = 0;
      while (afterExit < 3) {
        outcomes.push(await register(server.url, token, `shutdown-load-${c}-${n++}`));
        if (exited) afterExit += 1;
      }
    };
    const clients = Promise.all([0, 1, 2, 3].map(client));
    await new Promise((r) => setTimeout(r, 1500));
    const sigtermAt = performance.now();
    server.process.kill('SIGTERM');
    const code = await server.exited;
    await clients;
    expect(code).toBe(0);

    const ok = outcomes.filter((o) => o.status !== undefined && o.status < 300);
    const refused = outcomes.filter((o) => o.status !== undefined && o.status >= 300);
    const failed = outcomes.filter((o) => o.error !== undefined);
    expect(ok.length).toBeGreaterThan(5);
    expect(ok.some((o) => o.sentAt < sigtermAt)).toBe(true);
    // Never a 500: the only refusal is the clean 503 of a node that is stopping.
    for (const r of refused)
      expect({ status: r.status, code: r.code }).toMatchObject({ status: 503 });
    // After the stop, nothing answers any more: the clients ended on connection errors.
    expect(failed.length).toBeGreaterThan(0);

    const db = await committed(outcomes.map((o) => o.key));
    // Every act that answered 2xx: its person, its audit record, its saved answer.
    for (const o of ok) {
      expect(o.status).toBe(201);
      expect(db.persons.has(o.personId!)).toBe(true);
      expect(db.audited.has(o.personId!)).toBe(true);
      expect(db.idem.get(o.key)?.status_code).toBe(201);
      expect((db.idem.get(o.key)?.response as { id?: string } | null)?.id).toBe(o.personId);
    }
    // A refused request left nothing behind.
    for (const r of refused) expect(db.idem.has(r.key)).toBe(false);
    // A request cut off (no answer) either committed whole or left nothing.
    for (const f of failed) {
      const row = db.idem.get(f.key);
      if (row) {
        expect(row.status_code).toBe(201);
        const id = (row.response as { id: string }).id;
        expect(db.persons.has(id) && db.audited.has(id)).toBe(true);
      }
    }
    // No act half applied, anywhere: no person without its record, no record without its person,
    // no claimed key without its answer.
    expect([...db.persons].filter((id) => !db.audited.has(id))).toEqual([]);
    expect([...db.audited].filter((id) => !db.persons.has(id))).toEqual([]);
    expect([...db.idem.values()].filter((r) => r.status_code === null)).toEqual([]);
    await chainsVerify();
  }, 240_000);
});
