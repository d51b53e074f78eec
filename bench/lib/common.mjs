/**
 * Shared by the benchmarks: settings from the environment, card numbers, free ports, the
 * resident memory of a process tree, percentiles, and the results file.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function num(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
}

/** The knobs (README "Benchmarks"). */
export const settings = {
  /** A PostgreSQL server where the bench may create and drop databases. */
  pgUrl:
    process.env.BENCH_PG_URL ||
    process.env.DATABASE_URL ||
    'postgres://postgres@127.0.0.1:5432/postgres',
  /** Measured seconds per run, and warm-up seconds before it. */
  duration: num('BENCH_DURATION', 10),
  warmup: num('BENCH_WARMUP', 20),
  connections: num('BENCH_CONNECTIONS', 16),
  /** sscard's worker counts to measure, e.g. "1,2". */
  workers: (process.env.BENCH_WORKERS || '1,2').split(',').map((s) => Number(s.trim())),
  /** Card counts for the verify benchmark, e.g. "10000,1000000". */
  sizes: (process.env.BENCH_SIZES || '10000,1000000').split(',').map((s) => Number(s.trim())),
  /** The staff benchmark's card count. */
  staffSize: num('BENCH_STAFF_CARDS', 1_000_000),
  /** Rebuild the bench databases even when a current one exists. */
  fresh: process.env.BENCH_FRESH === '1',
  pgbenchScale: num('BENCH_PGBENCH_SCALE', 10),
  /** The bare floor's pool; sscard's default SSCARD_DB_POOL is 10. */
  barePool: num('BENCH_BARE_POOL', 10),
  /** Rounds of runs; the best run of each target is reported (a shared machine is noisy). */
  repeat: num('BENCH_REPEAT', 1),
  /** How long to wait for other processes on the machine to quiet down before each run. */
  quietWait: num('BENCH_QUIET_WAIT', 60),
};

export const cores = () => os.cpus().length;

/** The Fuzhou centre of the demo seed: where the generated cards live. */
export const BENCH_JURISDICTION = '350100';

/** ISO 7064 MOD 11-2, as packages/domain/src/lifecycle/card-number.ts. */
export function mod11_2Of(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++)
    sum += Number(digits[i]) * (2 ** (digits.length - i) % 11);
  const value = (12 - (sum % 11)) % 11;
  return value === 10 ? 'X' : String(value);
}

export function cardNumber(serial, division = BENCH_JURISDICTION) {
  const body = division + String(serial).padStart(8, '0');
  return body + mod11_2Of(body);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** pid → ppid for every process now. */
function parents() {
  const map = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      map.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  return map;
}

function vmRssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The summed VmRSS (bytes) of a process and all its descendants. */
export function treeRss(root) {
  const byParent = new Map();
  for (const [pid, ppid] of parents()) {
    if (!byParent.has(ppid)) byParent.set(ppid, []);
    byParent.get(ppid).push(pid);
  }
  let kib = 0;
  let count = 0;
  const walk = (pid) => {
    kib += vmRssKiB(pid);
    count += 1;
    for (const c of byParent.get(pid) ?? []) walk(c);
  };
  walk(root);
  return { bytes: kib * 1024, processes: count };
}

/** Samples a process tree's RSS every 200 ms; `stop()` answers the peak. */
export function sampleRss(pid) {
  let peak = 0;
  let processes = 0;
  const take = () => {
    const r = treeRss(pid);
    if (r.bytes > peak) peak = r.bytes;
    processes = Math.max(processes, r.processes);
  };
  take();
  const timer = setInterval(take, 200);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakRssBytes: peak, processes };
    },
  };
}

/**
 * Where the CPU went while a benchmark measured, from /proc (utime + stime of every process,
 * sampled every second, so short-lived processes count too):
 * - `server`: the server under test and its descendants (a cluster's primary and workers);
 * - `database`: the PostgreSQL backends of the database under test (by name in their title);
 * - `bench`: this process's other descendants (the load generator, pgbench's client);
 * - `other`: everything else (other people's tests and builds on a shared machine), except
 *   PostgreSQL's own background processes, which count nowhere.
 * CPU time per request is steadier than requests/s when the machine is shared.
 */
const TICKS = 100; // USER_HZ on Linux
const NEUTRAL =
  /^postgres: \S+: (checkpointer|background writer|walwriter|logical replication launcher|autovacuum launcher|archiver|stats)|bin\/postgres -D/;

function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      /* gone */
    }
  }
  return table;
}

function descendants(table, root) {
  const set = new Set(root ? [root] : []);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of table)
      if (!set.has(pid) && set.has(p.ppid)) {
        set.add(pid);
        grew = true;
      }
  }
  return set;
}

function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

export function cpuAccount({ serverPid = null, database = null } = {}) {
  const kind = new Map(); // pid → server | database | bench | other | neutral
  const first = new Map();
  const last = new Map();
  const started = Date.now();
  let initial = true;
  const classify = (pid, server, ours) => {
    if (server.has(pid)) return 'server';
    if (ours.has(pid)) return 'bench';
    const cmd = commandOf(pid);
    if (database && new RegExp(`\\b${database}\\b`).test(cmd)) return 'database';
    if (cmd.includes('sscard_bench')) return 'neutral'; // another bench database (setup)
    return NEUTRAL.test(cmd) ? 'neutral' : 'other';
  };
  const take = () => {
    const t = processTable();
    const server = descendants(t, serverPid);
    const ours = descendants(t, process.pid);
    for (const [pid, p] of t) {
      // a new backend shows the postmaster's title for a moment: look again while neutral
      if (!kind.has(pid) || kind.get(pid) === 'neutral') kind.set(pid, classify(pid, server, ours));
      // a process first seen after the start started during the run: all its time counts
      if (!first.has(pid)) first.set(pid, initial ? p.ticks : 0);
      last.set(pid, p.ticks);
    }
    initial = false;
  };
  take();
  const timer = setInterval(take, 1000);
  return {
    stop() {
      clearInterval(timer);
      take();
      const ticks = { server: 0, database: 0, bench: 0, other: 0, neutral: 0 };
      for (const [pid, k] of kind) ticks[k] += (last.get(pid) ?? 0) - (first.get(pid) ?? 0);
      const seconds = (Date.now() - started) / 1000;
      return {
        seconds,
        serverCpuSeconds: ticks.server / TICKS,
        databaseCpuSeconds: ticks.database / TICKS,
        benchCpuSeconds: ticks.bench / TICKS,
        /** The other processes' share of all the machine's cores, in percent. */
        otherCpuPercent: (100 * ticks.other) / (TICKS * seconds * cores()),
      };
    },
  };
}

/** Waits (up to BENCH_QUIET_WAIT seconds) until other processes use under 10% of the CPU. */
export async function waitForQuiet(log = console.log) {
  const deadline = Date.now() + settings.quietWait * 1000;
  let said = false;
  for (;;) {
    const s = cpuAccount();
    await sleep(2000);
    const busy = s.stop().otherCpuPercent;
    if (busy < 10) return busy;
    if (Date.now() > deadline) {
      log(`  (other processes still use ${busy.toFixed(0)}% of the CPU; measuring anyway)`);
      return busy;
    }
    if (!said) log(`  waiting for other processes to quiet down (${busy.toFixed(0)}% of the CPU)`);
    said = true;
  }
}

/** The best (most requests/s) of several runs; every run's requests/s kept beside it. */
export function best(runs) {
  const top = runs.reduce((a, b) => (b.rps > a.rps ? b : a));
  return { ...top, runs: runs.length, allRps: runs.map((r) => r.rps) };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export const mib = (bytes) => (bytes == null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
export const fixed = (n, d = 2) => (n == null || Number.isNaN(n) ? 'n/a' : n.toFixed(d));

export function writeResults(name, data) {
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `${name}-${stamp}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

/** A plain table for the terminal. */
export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r, ri) => {
      const line = r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
      return ri === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}
