/**
 * Fault injection on a real server process (PGlite data directory, or its own database on the
 * PostgreSQL server when DATABASE_URL is set):
 *
 * - the process dies between an act's commit and its answer (failpoint `after-commit:…`): the
 *   client's retry with the same Idempotency-Key gets the committed answer, and the act happened
 *   once;
 * - kill -9 in the middle of a burst of acts, several times over: afterwards no act is without
 *   its audit record and no audit record is without its act, and the hash chains verify.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { residentId } from '../testing/people.js';
import { newInstallation, startServer, type Installation } from '../testing/server-process.js';

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

function register(url: string, token: string, idNumber: string, key?: string) {
  return fetch(`${url}/api/v1/persons`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify({ idType: 'resident_id', idNumber, name: '故障测试' }),
  });
}

describe('a crash between commit and answer', () => {
  it('the retried key answers the committed result, and the act happened once', async () => {
    const idNumber = residentId('1970-07-07');
    const key = 'crash-after-commit-0001';
    const crashing = await startServer(inst, {
      SSCARD_FAILPOINTS: 'after-commit:person.create',
    });
    const token = await login(crashing.url);
    // The process kills itself after the commit: the client sees the connection drop.
    await expect(register(crashing.url, token, idNumber, key)).rejects.toThrow();
    await crashing.exited;

    const server = await startServer(inst);
    try {
      const retry = await register(server.url, token, idNumber, key);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      const person = (await retry.json()) as { id: string };
      const again = await register(server.url, token, idNumber, key);
      expect(((await again.json()) as { id: string }).id).toBe(person.id);
    } finally {
      await server.kill('SIGTERM');
    }
    const records = await inst.query<{ n: string }>(
      `select count(*) as n from audit_log where action = 'person.create' and outcome = 'success' and target_id in (select id::text from persons)`,
    );
    const persons = await inst.query<{ n: string }>(`select count(*) as n from persons`);
    expect(Number(records[0]!.n)).toBe(Number(persons[0]!.n));
  }, 240_000);
});

describe('kill -9 during a burst of acts', () => {
  it('leaves no act without its audit record and no record without its act, every time', async () => {
    const CYCLES = Number(process.env.SSCARD_CRASH_CYCLES ?? 3);
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const server = await startServer(inst);
      const token = await login(server.url);
      const burst = Array.from({ length: 40 }, () =>
        register(server.url, token, residentId('1975-05-05')).catch(() => null),
      );
      await new Promise((r) => setTimeout(r, randomInt(50, 600)));
      await server.kill('SIGKILL');
      await Promise.all(burst);
    }
    const orphanActs = await inst.query(
      `select p.id from persons p where not exists (
         select 1 from audit_log a where a.action = 'person.create' and a.outcome = 'success'
           and a.target_id = p.id::text)`,
    );
    const orphanRecords = await inst.query(
      `select a.target_id from audit_log a where a.action = 'person.create' and a.outcome = 'success'
         and not exists (select 1 from persons p where p.id::text = a.target_id)`,
    );
    expect(orphanActs).toEqual([]);
    expect(orphanRecords).toEqual([]);
    const server = await startServer(inst);
    try {
      // The chains still verify after every kill (sscard audit verify, through the daily job).
      const admin = await fetch(`${server.url}/readyz`);
      expect(admin.ok).toBe(true);
    } finally {
      await server.kill('SIGTERM');
    }
    const { openPlatform } = await import('../platform.js');
    const { loadConfig } = await import('../config.js');
    const { verifyAuditChain } = await import('../modules/audit/audit.repository.js');
    const platform = await openPlatform({ config: loadConfig({ ...process.env, ...inst.env }) });
    try {
      const report = await verifyAuditChain(platform.deps.db, {});
      expect(report.firstBreak).toBeNull();
    } finally {
      await platform.close();
    }
  }, 600_000);
});
