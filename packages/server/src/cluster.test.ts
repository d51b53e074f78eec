/**
 * SSCARD_WORKERS (cluster.ts) on a real server process: two workers share the port and both
 * answer, a killed worker is replaced, SIGTERM stops them all; and the embedded database refuses
 * more than one worker. The cluster half needs PostgreSQL (DATABASE_URL, as in `.ci/run`) and is
 * skipped without it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterRole, workerCount } from './cluster.js';
import { newInstallation, startServer, type Installation } from './testing/server-process.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The pids of a process's children (cluster workers are the primary's children). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out.sort();
}

/** Which worker answers /healthz on a new connection each time. */
function workerOf(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/healthz`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.headers['x-sscard-worker'] ?? '')));
    });
    req.on('error', reject);
    req.end();
  });
}

async function workersAnswering(url: string, tries = 12): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < tries; i++) seen.add(await workerOf(url));
  return seen;
}

async function until<T>(what: () => T | Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const v = await what();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting (last: ${String(v)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('SSCARD_WORKERS', () => {
  it('reads a number or auto, and refuses the embedded database with more than one', () => {
    expect(workerCount({})).toBe(1);
    expect(workerCount({ SSCARD_WORKERS: '3' })).toBe(3);
    expect(workerCount({ SSCARD_WORKERS: 'auto' })).toBeGreaterThanOrEqual(1);
    expect(() => workerCount({ SSCARD_WORKERS: 'two' })).toThrow(/SSCARD_WORKERS/);
    expect(clusterRole(undefined, { SSCARD_WORKERS: '1' })).toEqual({ kind: 'single' });
    expect(clusterRole('postgres://x/y', { SSCARD_WORKERS: '2' })).toEqual({
      kind: 'primary',
      workers: 2,
    });
    expect(() => clusterRole(undefined, { SSCARD_WORKERS: '2' })).toThrow(/PGlite/);
  });

  it('a server on the embedded database with two workers stops at start, saying why', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sscard-cluster-'));
    try {
      const { DATABASE_URL: _d, ...parent } = process.env;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'packages/server/src/main.ts')],
        {
          cwd: ROOT,
          env: { ...parent, SSCARD_WORKERS: '2', SSCARD_DATA_DIR: dir, LOG_LEVEL: 'warn' },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      expect(code).toBe(1);
      expect(stderr).toMatch(/SSCARD_WORKERS=2 needs a PostgreSQL server \(DATABASE_URL\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.skipIf(!process.env.DATABASE_URL)('on PostgreSQL', () => {
    let inst: Installation | undefined;
    afterAll(async () => {
      await inst?.dispose();
    });

    it('two workers answer on one port; a dead one is replaced; SIGTERM stops all', async () => {
      inst = await newInstallation();
      const server = await startServer(inst, { SSCARD_WORKERS: '2' });
      try {
        const primary = server.process.pid!;
        const workers = await until(
          () => childrenOf(primary),
          (p) => p.length === 2,
        );
        expect(
          await until(
            () => workersAnswering(server.url),
            (s) => s.size === 2,
          ),
        ).toEqual(new Set(['1', '2']));

        process.kill(workers[0]!, 'SIGKILL');
        const after = await until(
          () => childrenOf(primary),
          (p) => p.length === 2 && !p.includes(workers[0]!),
        );
        expect(after).toContain(workers[1]);
        expect(
          await until(
            () => workersAnswering(server.url),
            (s) => s.size === 2,
          ),
        ).toEqual(new Set(['1', '2']));

        server.process.kill('SIGTERM');
        expect(await server.exited).toBe(0);
        for (const pid of after) expect(() => process.kill(pid, 0)).toThrow();
      } finally {
        await server.kill();
      }
    }, 120_000);
  });
});
