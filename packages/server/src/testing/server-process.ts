/**
 * A real server process for tests that must kill one: the platform on a PGlite data directory,
 * or on a database of its own on the PostgreSQL server named by DATABASE_URL. Seeded in-process
 * with a small demo installation first (the demo accounts, two people per jurisdiction).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../config.js';
import { DEMO_PASSWORD, seedDemo } from '../demo/seed.js';
import { otpForStep, timeStepOf } from '../modules/auth/otp.js';
import { openPlatform } from '../platform.js';
import { TEST_ADMIN_PASSWORD, TEST_ADMIN_TOTP_SECRET, TEST_MASTER_KEY } from './harness.js';
import { postgresServerUrl } from './postgres-server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const MAIN = path.join(ROOT, 'packages/server/src/main.ts');

export interface Installation {
  env: Record<string, string>;
  /** A client on the installation's database, for checking what was committed. */
  query<T extends pg.QueryResultRow>(text: string, params?: unknown[]): Promise<T[]>;
  dispose(): Promise<void>;
}

export interface ServerProcess {
  url: string;
  process: ChildProcess;
  /** Resolves when the process has exited (by itself, or killed). */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A fresh installation, seeded, with nothing running on it yet. */
export async function newInstallation(): Promise<Installation> {
  const base: Record<string, string> = {
    SSCARD_CLOCK: 'manual',
    SSCARD_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SSCARD_ADMIN_TOTP_SECRET: TEST_ADMIN_TOTP_SECRET,
    SSCARD_MASTER_KEY: TEST_MASTER_KEY,
    LOG_LEVEL: 'warn',
  };
  let env: Record<string, string>;
  let dispose: () => Promise<void>;
  let query: Installation['query'];
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `sscard_crash_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const dbUrl = new URL(url);
    dbUrl.pathname = `/${name}`;
    env = { ...base, DATABASE_URL: dbUrl.toString() };
    const pool = new pg.Pool({ connectionString: dbUrl.toString(), max: 2 });
    query = async (text, params) => (await pool.query(text, params)).rows;
    dispose = async () => {
      await pool.end();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'sscard-crash-'));
    env = { ...base, SSCARD_DATA_DIR: dir };
    // PGlite serves one process: committed state is read in-process between server runs.
    query = async (text, params) => {
      const { PGlite } = await import('@electric-sql/pglite');
      const db = new PGlite(dir);
      try {
        return (await db.query(text, params)).rows as never[];
      } finally {
        await db.close();
      }
    };
    dispose = async () => rmSync(dir, { recursive: true, force: true });
  }
  const platform = await openPlatform({ config: loadConfig({ ...process.env, ...env }) });
  try {
    await seedDemo(platform, 2);
  } finally {
    await platform.close();
  }
  return { env, query, dispose };
}

/** Starts the server on the installation and waits until /readyz answers. */
export async function startServer(
  inst: Installation,
  extra: Record<string, string> = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const { DATABASE_URL: _d, SSCARD_DATA_DIR: _s, ...parent } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: { ...parent, ...inst.env, ...extra, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += String(d)));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = `http://127.0.0.1:${port}`;
  // Generous: under a full parallel suite on two cores, tsx compiling the server takes a while.
  const deadline = Date.now() + 180_000;
  let last = 'not listening';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited at start: ${stderr.slice(-2000)}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
      last = `/readyz ${res.status} ${(await res.text()).slice(0, 500)}`;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline)
      throw new Error(`server did not start (${last}): ${stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    process: child,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null) child.kill(signal);
      await exited;
    },
  };
}

export type Backend = 'pglite' | 'postgres';

/**
 * Where a crash test runs: with DATABASE_URL only on that PostgreSQL server; else on PGlite and,
 * when the local PostgreSQL server answers, on it too.
 */
export async function crashBackends(
  file: string,
): Promise<{ backends: Backend[]; pgUrl?: string }> {
  const pgUrl = await postgresServerUrl();
  if (!pgUrl) console.warn(`${file}: no PostgreSQL server reachable; PGlite only`);
  const backends: Backend[] = process.env.DATABASE_URL
    ? ['postgres']
    : ['pglite', ...(pgUrl ? (['postgres'] as const) : [])];
  return { backends, ...(pgUrl ? { pgUrl } : {}) };
}

/** A fresh installation on the backend (`newInstallation` with DATABASE_URL set or not). */
export async function installationOn(backend: Backend, pgUrl?: string): Promise<Installation> {
  if (backend === 'postgres' && !pgUrl) throw new Error('installationOn: no PostgreSQL server');
  const saved = process.env.DATABASE_URL;
  if (backend === 'postgres') process.env.DATABASE_URL = pgUrl;
  else delete process.env.DATABASE_URL;
  try {
    return await newInstallation();
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

/** One request to a server process: GET, or POST of a JSON body; the answer parsed if JSON. */
export async function callServer(url: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text };
}

/**
 * A demo administrator's session, who must have a second factor: enrolled at the first login
 * (the secret is kept in `secret`), a code of the manual clock's instant `at` afterwards.
 */
export async function loginWithOtp(
  url: string,
  username: string,
  at: Date,
  secret: { value?: string },
): Promise<string> {
  const first = await callServer(url, '/api/v1/auth/login', undefined, {
    username,
    password: DEMO_PASSWORD,
    ...(secret.value ? { otp: await otpForStep(secret.value, timeStepOf(at)) } : {}),
  });
  let res = first;
  if (first.status === 401 && first.json.code === 'OTP_ENROLMENT_REQUIRED') {
    secret.value = first.json.otpSecret as string;
    res = await callServer(url, '/api/v1/auth/login/enrol', undefined, {
      enrolmentTicket: first.json.enrolmentTicket,
      otp: await otpForStep(secret.value, timeStepOf(at)),
    });
  }
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`);
  return res.json.token as string;
}
