#!/usr/bin/env node
/**
 * `npm run bench:startup`: how long the compiled server (`node dist/server.js`, what `npm start`
 * runs) takes from being spawned to answering 200 on /readyz, on an already-migrated database:
 * the embedded one (PGlite data directory) and a PostgreSQL server (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres; its own database, dropped afterwards; skipped
 * when unreachable). Several runs each (BENCH_RUNS, default 5), median reported, beside a
 * baseline measured the same way in the same run: `node -e` starting a bare http server that
 * answers 200, so the ratio shows what sscard adds to starting node itself. The server's own
 * `ready in N ms` log line (from process start to listening, migrations counted apart) is shown
 * too. A report, not a test: it exits 0 whatever the figures. See docs/OPERATIONS.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MASTER_KEY = Buffer.alloc(32, 9).toString('base64');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function status(url) {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

function cleanEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (k.startsWith('SSCARD_') || k === 'DATABASE_URL' || k === 'PORT') delete env[k];
  return env;
}

/** Spawns, polls every 5 ms until 200, returns elapsed ms and the server's own `readyMs` line. */
async function timeToReady(args, env, readyPath) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited at start: ${err.slice(-1500)}`);
    if ((await status(`http://127.0.0.1:${port}${readyPath}`)) === 200) break;
    if (performance.now() - started > 120_000) throw new Error(`no answer: ${err.slice(-1500)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - started;
  child.kill('SIGTERM');
  const code = await exited;
  let server;
  for (const line of out.split('\n')) {
    try {
      const j = JSON.parse(line);
      if (typeof j.readyMs === 'number') server = j;
    } catch {
      /* not a log line */
    }
  }
  return {
    ms,
    readyMs: server?.readyMs,
    migrationsMs: server?.migrationsMs,
    openMs: server?.openMs,
    exitCode: code,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function series(name, args, env, readyPath) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await timeToReady(args, env, readyPath));
  const row = {
    name,
    medianMs: median(runs.map((r) => r.ms)),
    minMs: Math.min(...runs.map((r) => r.ms)),
    maxMs: Math.max(...runs.map((r) => r.ms)),
    serverReadyMs: runs[0].readyMs === undefined ? undefined : median(runs.map((r) => r.readyMs)),
    migrationsMs:
      runs[0].migrationsMs === undefined ? undefined : median(runs.map((r) => r.migrationsMs)),
    openMs: runs[0].openMs === undefined ? undefined : median(runs.map((r) => r.openMs)),
    exitCodes: [...new Set(runs.map((r) => r.exitCode))].join(','),
  };
  console.log(
    `  ${name}: median ${row.medianMs.toFixed(0)} ms (min ${row.minMs.toFixed(0)}, max ${row.maxMs.toFixed(0)})` +
      (row.serverReadyMs !== undefined
        ? `; server says ready in ${row.serverReadyMs} ms (opening the platform ${row.openMs} ms, of which migrations ${row.migrationsMs} ms)`
        : '') +
      `; exit codes after SIGTERM: ${row.exitCodes}`,
  );
  return row;
}

const SERVER = ['--enable-source-maps', 'dist/server.js'];
const BARE = [
  '-e',
  "require('http').createServer((q,s)=>s.end('ok')).listen(+process.env.PORT,process.env.HOST)",
];

async function main() {
  const build = spawnSync(process.execPath, ['scripts/build.mjs', 'server', '--if-stale'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('building the server failed');
  const base = {
    ...cleanEnv(),
    SSCARD_MASTER_KEY: MASTER_KEY,
    SSCARD_ADMIN_PASSWORD: 'Bench-Startup-2026!',
    SSCARD_LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
  };
  console.log(`startup to /readyz 200, ${RUNS} runs each, node ${process.version}`);
  const rows = [];
  rows.push(await series('baseline (node -e, bare http server)', BARE, cleanEnv(), '/'));

  const dir = mkdtempSync(path.join(tmpdir(), 'sscard-bench-startup-'));
  try {
    const env = { ...base, SSCARD_DATA_DIR: dir };
    await timeToReady(SERVER, env, '/readyz'); // migrates: not counted
    rows.push(await series('sscard on PGlite (migrated data directory)', SERVER, env, '/readyz'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  let pg;
  try {
    pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.end();
  } catch (e) {
    console.log(`  PostgreSQL: skipped (${e.message})`);
    pg = undefined;
  }
  if (pg) {
    const name = `sscard_bench_startup_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(PG_URL);
      url.pathname = `/${name}`;
      const env = { ...base, DATABASE_URL: url.toString() };
      await timeToReady(SERVER, env, '/readyz'); // migrates: not counted
      rows.push(await series('sscard on PostgreSQL (migrated database)', SERVER, env, '/readyz'));
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }

  const baseline = rows[0].medianMs;
  console.log('\n  what                                          median ms   × baseline');
  for (const r of rows)
    console.log(
      `  ${r.name.padEnd(46)}${r.medianMs.toFixed(0).padStart(9)}   ${(r.medianMs / baseline).toFixed(1).padStart(6)}×`,
    );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
