/**
 * The processes of a benchmark: sscard (the built dist/server.js, as `npm start` runs it), the
 * bare floor, the load generator (bench/lib/load.mjs, a process of its own) and pgbench.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  BENCH_JURISDICTION,
  best,
  cpuAccount,
  freePort,
  percentile,
  ROOT,
  sampleRss,
  settings,
  sleep,
  waitForQuiet,
} from './common.mjs';
import { BENCH_ENV, dbUrl, STAFF_PASSWORD, STAFF_USERNAME } from './generate.mjs';

/** `npm run build`'s server half, when its sources changed. */
export function buildServer() {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', 'server', '--if-stale'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('building the server failed');
}

function cleanEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (k.startsWith('SSCARD_') || k === 'DATABASE_URL') delete env[k];
  return env;
}

function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitUntil(child, stderr, check, what) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${what} exited at start: ${stderr().slice(-2000)}`);
    try {
      if (await check()) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${what} did not start: ${stderr().slice(-2000)}`);
    await sleep(200);
  }
}

function spawnServer(args, env, what, ready) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err = (err + d).slice(-20_000)));
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    exited,
    stderr: () => err,
    ready: () => waitUntil(child, () => err, ready, what),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** sscard on the bench database with `workers` processes; resolves once every worker answers. */
export async function startSscard(db, workers, extraEnv = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sscard-bench-run-'));
  const env = {
    ...cleanEnv(),
    ...BENCH_ENV,
    DATABASE_URL: db.url,
    SSCARD_DATA_DIR: dataDir,
    SSCARD_WORKERS: String(workers),
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    ...extraEnv,
  };
  const s = spawnServer(['--enable-source-maps', 'dist/server.js'], env, 'sscard', async () => {
    if (workers === 1) return (await get(`${url}/readyz`)).status === 200;
    // node's cluster hands each new connection to the next worker: ask until all have answered.
    const seen = new Set();
    for (let i = 0; i < workers * 4; i++) {
      const r = await get(`${url}/readyz`);
      if (r.status === 200) seen.add(r.headers['x-sscard-worker']);
    }
    return seen.size === workers;
  });
  await s.ready();
  const stop = s.stop;
  return {
    ...s,
    url,
    pid: s.child.pid,
    async stop() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startBare(db, token) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...cleanEnv(),
    DATABASE_URL: db.url,
    BARE_TOKEN: token,
    BARE_POOL: String(settings.barePool),
    PORT: String(port),
    NODE_ENV: 'production',
  };
  const s = spawnServer(['bench/bare-floor.mjs'], env, 'bare floor', async () => {
    return (await get(`${url}/healthz`)).status === 200;
  });
  await s.ready();
  return { ...s, url, pid: s.child.pid };
}

/** A counter operator's session on a running sscard (the demo's FZ-BANK1-BR1 operator). */
export async function staffLogin(url) {
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: STAFF_USERNAME, password: STAFF_PASSWORD }),
  });
  if (!r.ok) throw new Error(`login as ${STAFF_USERNAME} answered ${r.status}: ${await r.text()}`);
  return (await r.json()).token;
}

/**
 * Runs the load generator against a server (its warm-up, then the measured run), sampling the
 * server's memory throughout and the CPU time of everything during the measured run.
 */
export async function measure(server, spec, database) {
  await waitForQuiet();
  const rss = sampleRss(server.pid);
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'bench/lib/load.mjs'),
      JSON.stringify({
        url: server.url,
        division: BENCH_JURISDICTION,
        connections: settings.connections,
        warmup: settings.warmup,
        duration: settings.duration,
        ...spec,
      }),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  let account = null;
  child.stdout.on('data', (d) => {
    out += d;
    if (!account && out.includes('"phase":"measure"'))
      account = cpuAccount({ serverPid: server.pid, database });
  });
  const code = await new Promise((r) => child.once('exit', r));
  const memory = rss.stop();
  const cpu = account?.stop() ?? null;
  if (code !== 0) throw new Error(`the load generator failed (exit ${code})`);
  const result = JSON.parse(out.trim().split('\n').at(-1));
  return {
    ...result,
    peakRssBytes: memory.peakRssBytes,
    processes: memory.processes,
    ...perRequest(cpu, result.requests),
  };
}

/** CPU microseconds per request of the server and of the database, and the others' load. */
function perRequest(cpu, requests) {
  if (!cpu) return { cpu: null, otherCpuPercent: null };
  const us = (s) => (requests > 0 ? (s * 1e6) / requests : null);
  return {
    cpu,
    serverCpuUsPerRequest: us(cpu.serverCpuSeconds),
    databaseCpuUsPerRequest: us(cpu.databaseCpuSeconds),
    otherCpuPercent: cpu.otherCpuPercent,
  };
}

function pgbenchBinary() {
  if (process.env.BENCH_PGBENCH) return process.env.BENCH_PGBENCH;
  const which = spawnSync('sh', ['-c', 'command -v pgbench']);
  if (which.status === 0) return String(which.stdout).trim();
  const fallback = '/usr/lib/postgresql/15/bin/pgbench';
  if (existsSync(fallback)) return fallback;
  throw new Error('pgbench not found (set BENCH_PGBENCH)');
}

/** `pgbench -S -M prepared` on a database of its own (`sscard_bench_pgbench`, initialised once). */
export async function runPgbench(log = console.log) {
  const bin = pgbenchBinary();
  const name = 'sscard_bench_pgbench';
  const url = dbUrl(name);
  const scale = settings.pgbenchScale;
  const admin = new pg.Client({ connectionString: settings.pgUrl });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name]))
    .rowCount;
  if (!exists) await admin.query(`create database ${name}`);
  await admin.end();
  let initialised = false;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query('select count(*)::int as n from pgbench_branches');
    initialised = r.rows[0].n === scale;
  } catch {
    /* no tables yet */
  }
  await c.end();
  if (!initialised || settings.fresh) {
    log(`pgbench: initialising ${name} at scale ${scale}`);
    const r = spawnSync(bin, ['-i', '-q', '-s', String(scale), url], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (r.status !== 0) throw new Error(`pgbench -i failed: ${r.stderr}`);
  }
  const args = ['-S', '-M', 'prepared', '-c', String(settings.connections), '-j', '2', '-n'];
  const run = (seconds, extra = []) =>
    new Promise((resolve, reject) => {
      const child = spawn(bin, [...args, '-T', String(seconds), ...extra, url], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.once('exit', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`pgbench failed: ${out}`)),
      );
    });
  const once = async () => {
    await waitForQuiet(log);
    if (settings.warmup > 0) await run(settings.warmup);
    const account = cpuAccount({ database: name });
    const dir = mkdtempSync(path.join(tmpdir(), 'sscard-pgbench-'));
    try {
      const out = await run(settings.duration, [
        '-l',
        '--sampling-rate=0.1',
        `--log-prefix=${path.join(dir, 'pgb')}`,
      ]);
      const cpu = account.stop();
      const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
      const transactions = Number(
        /number of transactions actually processed: (\d+)/.exec(out)?.[1],
      );
      const latencies = [];
      for (const file of readdirSync(dir)) {
        for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
          const f = line.split(' ');
          if (f.length >= 3) latencies.push(Number(f[2]) / 1000);
        }
      }
      latencies.sort((a, b) => a - b);
      return {
        command: `pgbench ${args.join(' ')} -T ${settings.duration} (scale ${scale})`,
        rps: tps,
        latencyMs: {
          p50: percentile(latencies, 50),
          p90: percentile(latencies, 90),
          p99: percentile(latencies, 99),
          samples: latencies.length,
        },
        transactions,
        peakRssBytes: null,
        ...perRequest(cpu, transactions),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const runs = [];
  for (let rep = 1; rep <= settings.repeat; rep++) runs.push(await once());
  return best(runs);
}
