/**
 * The data-directory lock: a record names a process incarnation (pid, start time, boot id and a
 * token), a stale one is taken over atomically, a live one is refused, and the real server comes
 * back after `kill -9`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  LOCK_FILE_NAME,
  lockDataDir,
  ownRecord,
  processStartTime,
  readBootId,
  type LockRecord,
} from './data-dir-lock.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');
const onLinux = process.platform === 'linux';

const dirs: string[] = [];
const children: ChildProcess[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sscard-lock-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

const lockFile = (dir: string) => path.join(dir, LOCK_FILE_NAME);
const readLock = (dir: string): LockRecord => JSON.parse(readFileSync(lockFile(dir), 'utf8'));
const writeLock = (dir: string, record: Partial<LockRecord>) =>
  writeFileSync(lockFile(dir), JSON.stringify({ ...ownRecord(), ...record }) + '\n');
const token = () => randomBytes(16).toString('hex');

/** A pid that was a process a moment ago and is gone now. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

/** A live process that is not us. */
async function sleeper(): Promise<ChildProcess & { pid: number }> {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  await once(child, 'spawn');
  return child as ChildProcess & { pid: number };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('the lock record', () => {
  it('names this process: pid, start time, boot id and a new token each time', () => {
    const a = ownRecord();
    const b = ownRecord();
    expect(a.pid).toBe(process.pid);
    expect(a.token).toMatch(/^[0-9a-f]{32}$/);
    expect(a.token).not.toBe(b.token);
    if (onLinux) {
      expect(a.startTime).toBeGreaterThan(0);
      expect(a.bootId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('takes a free directory, writes the record and removes it on release', () => {
    const dir = tempDir();
    const unlock = lockDataDir(dir);
    const r = readLock(dir);
    expect(r).toMatchObject({ pid: process.pid, startTime: processStartTime(process.pid) });
    expect(r.token).toMatch(/^[0-9a-f]{32}$/);
    unlock();
    unlock();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a second holding by this same process', () => {
    const dir = tempDir();
    const unlock = lockDataDir(dir);
    expect(refusal(() => lockDataDir(dir))).toMatch(
      new RegExp(`in use by process ${process.pid}.*held by this process`),
    );
    unlock();
    lockDataDir(dir)();
  });

  it('release removes the file only while it still holds our token', () => {
    const dir = tempDir();
    const unlock = lockDataDir(dir);
    const other = token();
    writeLock(dir, { pid: deadPid(), token: other });
    unlock();
    expect(readLock(dir).token).toBe(other);
  });
});

describe('stale records are taken over', () => {
  it('our own pid with another token: an earlier incarnation (a restarted container is pid 1 again)', () => {
    const dir = tempDir();
    const stale = token();
    writeLock(dir, { pid: process.pid, token: stale });
    const unlock = lockDataDir(dir);
    const r = readLock(dir);
    expect(r.pid).toBe(process.pid);
    expect(r.token).not.toBe(stale);
    unlock();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a dead pid', () => {
    const dir = tempDir();
    writeLock(dir, { pid: deadPid(), token: token() });
    const unlock = lockDataDir(dir);
    expect(readLock(dir).pid).toBe(process.pid);
    unlock();
  });

  it.runIf(onLinux)('a live pid that started at another time (the pid was reused)', async () => {
    const other = await sleeper();
    const dir = tempDir();
    writeLock(dir, {
      pid: other.pid,
      token: token(),
      startTime: processStartTime(other.pid)! - 1000,
    });
    const unlock = lockDataDir(dir);
    expect(readLock(dir).pid).toBe(process.pid);
    unlock();
  });

  it.runIf(onLinux)('a live pid recorded before the machine last started', async () => {
    const other = await sleeper();
    const dir = tempDir();
    writeLock(dir, {
      pid: other.pid,
      token: token(),
      startTime: processStartTime(other.pid),
      bootId: '00000000-0000-4000-8000-000000000000',
    });
    lockDataDir(dir)();
  });

  it('an older version’s bare pid of a dead process, an empty file and garbage', () => {
    for (const content of [String(deadPid()), '', '{"pid":', String(process.pid)]) {
      const dir = tempDir();
      writeFileSync(lockFile(dir), content);
      const unlock = lockDataDir(dir);
      expect(readLock(dir).pid).toBe(process.pid);
      unlock();
    }
  });

  it('a takeover claim left by a process that died while claiming does not block', () => {
    const dir = tempDir();
    const stale = token();
    const deadClaimant = token();
    writeLock(dir, { pid: deadPid(), token: stale });
    writeFileSync(
      path.join(dir, `${LOCK_FILE_NAME}.takeover-${stale}`),
      JSON.stringify({ ...ownRecord(), pid: deadPid(), token: deadClaimant }),
    );
    writeFileSync(
      path.join(dir, `${LOCK_FILE_NAME}.${deadClaimant}.tmp`),
      JSON.stringify({ ...ownRecord(), pid: deadPid(), token: deadClaimant }),
    );
    const unlock = lockDataDir(dir);
    expect(readLock(dir).pid).toBe(process.pid);
    // The dead claimant's claim and temporary file are swept away.
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
    unlock();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('live holders are refused', () => {
  it.runIf(onLinux)('another running process, at its real start time', async () => {
    const other = await sleeper();
    const dir = tempDir();
    const record = {
      pid: other.pid,
      token: token(),
      startTime: processStartTime(other.pid),
      bootId: readBootId(),
    };
    writeLock(dir, record);
    const message = refusal(() => lockDataDir(dir));
    expect(message).toContain(`the data directory ${dir} is in use by process ${other.pid}`);
    expect(message).toContain(`process ${other.pid} is running`);
    expect(message).toContain('stop it first');
    expect(readLock(dir)).toMatchObject(record);
  });

  it.runIf(onLinux)('an older version’s bare pid of a running process', async () => {
    const other = await sleeper();
    const dir = tempDir();
    writeFileSync(lockFile(dir), String(other.pid));
    expect(refusal(() => lockDataDir(dir))).toContain(`in use by process ${other.pid}`);
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(String(other.pid));
  });

  it.runIf(onLinux)(
    'a stale record that a live process is taking over: wait, then refuse',
    async () => {
      const other = await sleeper();
      const dir = tempDir();
      const stale = token();
      writeLock(dir, { pid: deadPid(), token: stale });
      writeFileSync(
        path.join(dir, `${LOCK_FILE_NAME}.takeover-${stale}`),
        JSON.stringify({
          ...ownRecord(),
          pid: other.pid,
          startTime: processStartTime(other.pid),
          token: token(),
        }),
      );
      expect(refusal(() => lockDataDir(dir))).toContain('is being taken over by another process');
      expect(readLock(dir).token).toBe(stale);
    },
  );
});

/** A process that waits for `go`, then tries the lock, says `won` or `refused …`, holds 1.5 s. */
const RACER = `
import { existsSync } from 'node:fs';
const [moduleUrl, dir, go] = process.argv.slice(2);
const { lockDataDir } = await import(moduleUrl);
console.log('ready');
while (!existsSync(go)) {}
try {
  const unlock = lockDataDir(dir);
  console.log('won');
  setTimeout(() => { unlock(); process.exit(0); }, 1500);
} catch (e) {
  console.log('refused ' + e.message);
}
`;

function racer(script: string, dir: string, go: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, pathToFileURL(path.join(here, 'data-dir-lock.ts')).href, dir, go],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  const said = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(out);
        if (m) resolve(m[0]);
      };
      child.stdout.on('data', check);
      child.once('exit', (code) => {
        check();
        reject(new Error(`racer exited (${code}) before saying ${pattern}: ${out} ${err}`));
      });
      check();
    });
  return { child, said };
}

describe('two processes racing to take over one stale record', () => {
  it('exactly one wins, and the other is refused naming it', async () => {
    const work = tempDir();
    const script = path.join(work, 'racer.mjs');
    writeFileSync(script, RACER);
    for (let round = 0; round < 3; round++) {
      const dir = tempDir();
      const go = path.join(work, `go-${round}`);
      writeLock(dir, { pid: deadPid(), token: token() });
      const racers = [racer(script, dir, go), racer(script, dir, go)];
      await Promise.all(racers.map((r) => r.said(/^ready$/m)));
      writeFileSync(go, '');
      const results = await Promise.all(racers.map((r) => r.said(/^(won|refused .*)$/m)));
      expect(
        results.filter((r) => r === 'won'),
        results.join(' / '),
      ).toHaveLength(1);
      const winner = racers[results.indexOf('won')]!.child.pid!;
      const loser = results.find((r) => r !== 'won')!;
      expect(loser).toMatch(
        new RegExp(`in use by process ${winner}|being taken over by another process`),
      );
      await Promise.all(racers.map((r) => once(r.child, 'exit')));
      expect(readdirSync(dir)).toEqual([]);
    }
  }, 60_000);
});

describe('a takeover overtaken by another process', () => {
  it('leaves the lock to the process that replaced the stale record first', async () => {
    const work = tempDir();
    const script = path.join(work, 'racer.mjs');
    const go = path.join(work, 'go');
    writeFileSync(script, RACER);
    writeFileSync(go, '');
    const dir = tempDir();
    writeLock(dir, { pid: deadPid(), token: token() });
    let other: ReturnType<typeof racer> | undefined;
    const message = refusal(() =>
      lockDataDir(dir, {
        // We have judged the record stale; before we claim it, another process takes it over.
        afterJudgedStale: () => {
          other = racer(script, dir, go);
          const deadline = Date.now() + 30_000;
          while (readLock(dir).pid !== other.child.pid) {
            if (Date.now() > deadline) throw new Error('the other process did not take over');
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
          }
        },
      }),
    );
    expect(other).toBeDefined();
    expect(await other!.said(/^(won|refused .*)$/m)).toBe('won');
    expect(message).toContain(`in use by process ${other!.child.pid}`);
    expect(readLock(dir).pid).toBe(other!.child.pid);
    await once(other!.child, 'exit');
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  server.close();
  await once(server, 'close');
  return port;
}

/** `npm start`: the real server, on the embedded database in `dataDir`. */
function startServer(dataDir: string, port: number) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...env,
      SSCARD_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      SSCARD_ADMIN_PASSWORD: 'Lock-Test-2026!x',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  return { child, output: () => output };
}

async function waitReady(
  server: ReturnType<typeof startServer>,
  port: number,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null)
      throw new Error(`the server stopped (${server.child.exitCode}): ${server.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server was not ready in ${timeoutMs} ms: ${server.output()}`);
}

describe('the real server after kill -9', () => {
  it('starts again on the same data directory, even if the recorded pid is now another live process', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const first = startServer(dataDir, port);
    await waitReady(first, port);
    const before = readLock(dataDir);
    expect(before.pid).toBe(first.child.pid);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    expect(readLock(dataDir).token).toBe(before.token);

    // As after a container restart, the pid in the file now belongs to a live process (this test
    // runner) that started at another time.
    if (onLinux) writeLock(dataDir, { ...before, pid: process.pid });

    const second = startServer(dataDir, port);
    await waitReady(second, port);
    const after = readLock(dataDir);
    expect(after.pid).toBe(second.child.pid);
    expect(after.token).not.toBe(before.token);

    // A third process on the same directory is refused while the second runs.
    const third = startServer(dataDir, await freePort());
    const [code] = await once(third.child, 'exit');
    expect(code).not.toBe(0);
    expect(third.output()).toContain(`in use by process ${second.child.pid}`);

    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
    expect(readdirSync(dataDir)).not.toContain(LOCK_FILE_NAME);
  }, 240_000);
});
