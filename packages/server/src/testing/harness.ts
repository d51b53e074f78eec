/**
 * A real platform for a test file: real database (PGlite from the migrated template, or a fresh
 * schema on the PostgreSQL server named by DATABASE_URL), manual clock, fixed keys, logs kept in
 * memory so tests can read them. `api` sends HTTP requests through Fastify's injector.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import pg from 'pg';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import type { App } from '../http/app-types.js';
import { createLogger } from '../logger.js';
import { openPlatform, type Platform } from '../platform.js';
import { otpForStep, timeStepOf } from '../modules/auth/otp.js';

export const TEST_ADMIN_PASSWORD = 'Admin-Test-2026!';
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
/** The installation administrator's second factor in tests (SSCARD_ADMIN_TOTP_SECRET). */
export const TEST_ADMIN_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
/**
 * Throttles high enough that no ordinary test meets them, and an inactivity period longer than
 * any test moves the clock (card validity is ten years); the tests of those set their own.
 */
const GENEROUS_RATE = '100000/60';
const NEVER_INACTIVE_DAYS = '100000';
/** 2026-05-06 09:00 in Shanghai: a Wednesday, clear of holidays. */
export const TEST_START = new Date('2026-05-06T01:00:00Z');

export interface TestPlatform {
  platform: Platform;
  app: App;
  config: Config;
  /** Every log line written so far, as JSON text. */
  logs(): string;
  /** Sends a request; `token` becomes a bearer header, `lang` the Accept-Language. */
  api(options: InjectOptions & { token?: string; lang?: string }): Promise<LightMyRequestResponse>;
  /**
   * Logs in and returns the token. Accounts with a second factor get a code computed from the
   * secret the harness knows; an administrator without one is enrolled on the way through the
   * real enrolment route (its secret is then remembered), as a person would at first login.
   */
  login(username: string, password: string): Promise<string>;
  /** Second-factor secrets known to the test, by username (admin's is preset). */
  otpSecrets: Map<string, string>;
  /**
   * A code for the account that the server has not yet seen used, at the platform clock's
   * current time: the current step, else the next, else the previous. With the manual clock
   * standing still, an account can thus log in three times; then move the clock 30 s.
   */
  otp(username: string): Promise<string>;
  setClock(instant: Date): Promise<void>;
  close(): Promise<void>;
}

async function openTestDatabase(): Promise<{
  handle: DatabaseHandle;
  cleanup: () => Promise<void>;
  migrated: boolean;
}> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const handle = await openDatabase({ databaseUrl: url, searchPath: schema, poolSize: 5 });
    return {
      handle,
      migrated: false,
      cleanup: async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`drop schema ${schema} cascade`);
        await c.end();
      },
    };
  }
  const template = inject('pgliteTemplate');
  const handle = await openDatabase({
    ...(template ? { loadDataDir: new Blob([readFileSync(template)]) } : {}),
  });
  return { handle, migrated: Boolean(template), cleanup: async () => {} };
}

export async function createTestPlatform(env: Record<string, string> = {}): Promise<TestPlatform> {
  const lines: string[] = [];
  // Log lines stay in memory for the test and go to the suite's log directory, which is scanned
  // for personal data when the run ends (global-setup.ts).
  const logDir = inject('logDir');
  const logFile = logDir ? path.join(logDir, `${randomBytes(6).toString('hex')}.log`) : null;
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      if (logFile) appendFileSync(logFile, chunk);
      done();
    },
  });
  const config = loadConfig({
    SSCARD_CLOCK: 'manual',
    SSCARD_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SSCARD_MASTER_KEY: TEST_MASTER_KEY,
    SSCARD_DATA_DIR: '/nonexistent-test-data-dir',
    SSCARD_ADMIN_TOTP_SECRET: TEST_ADMIN_TOTP_SECRET,
    SSCARD_RATE_LOGIN_ACCOUNT: GENEROUS_RATE,
    SSCARD_RATE_LOGIN_ADDRESS: GENEROUS_RATE,
    SSCARD_RATE_LOOKUP_ACCOUNT: GENEROUS_RATE,
    SSCARD_RATE_LOOKUP_ADDRESS: GENEROUS_RATE,
    SSCARD_RATE_PIN_ACCOUNT: GENEROUS_RATE,
    SSCARD_RATE_PIN_ADDRESS: GENEROUS_RATE,
    SSCARD_STAFF_INACTIVE_DAYS: NEVER_INACTIVE_DAYS,
    LOG_LEVEL: 'info',
    ...env,
  });
  const { handle, cleanup, migrated } = await openTestDatabase();
  if (!migrated) await migrate(handle.db);
  const platform = await openPlatform({
    config,
    handle,
    skipMigrations: true,
    log: createLogger('info', sink),
  });
  if (platform.deps.clock.mode === 'manual') await platform.deps.clock.set(TEST_START);
  const app = await buildApp(platform.deps, platform.services);

  const api: TestPlatform['api'] = (options) => {
    const { token, lang, headers, ...rest } = options;
    return app.inject({
      ...rest,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(lang ? { 'accept-language': lang } : {}),
        ...headers,
      },
    });
  };

  const otpSecrets = new Map<string, string>();
  if (config.adminTotpSecret) otpSecrets.set('admin', config.adminTotpSecret);

  const otp: TestPlatform['otp'] = async (username) => {
    const name = username.toLowerCase();
    const secret = otpSecrets.get(name);
    if (!secret) throw new Error(`the test knows no second-factor secret for ${name}`);
    const { db, clock } = platform.deps;
    const staff = await db
      .selectFrom('staff')
      .select('id')
      .where('username', '=', name)
      .executeTakeFirstOrThrow();
    const used = await db
      .selectFrom('staff_otp_used')
      .select('time_step')
      .where('staff_id', '=', staff.id)
      .execute();
    const taken = new Set(used.map((u) => Number(u.time_step)));
    const now = timeStepOf(clock.now());
    for (const step of [now, now + 1, now - 1]) {
      if (!taken.has(step)) return otpForStep(secret, step);
    }
    throw new Error(`every code for ${name} at this instant is used: move the clock 30 s`);
  };

  return {
    platform,
    app,
    config,
    logs: () => lines.join(''),
    api,
    otpSecrets,
    otp,
    async login(username, password) {
      const name = username.toLowerCase();
      let res = await api({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password, ...(otpSecrets.has(name) ? { otp: await otp(name) } : {}) },
      });
      if (
        res.statusCode === 401 &&
        res.json<{ code: string }>().code === 'OTP_ENROLMENT_REQUIRED'
      ) {
        const enrolment = res.json<{ enrolmentTicket: string; otpSecret: string }>();
        otpSecrets.set(name, enrolment.otpSecret);
        res = await api({
          method: 'POST',
          url: '/api/v1/auth/login/enrol',
          payload: { enrolmentTicket: enrolment.enrolmentTicket, otp: await otp(name) },
        });
      }
      if (res.statusCode !== 200)
        throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      return res.json<{ token: string }>().token;
    },
    setClock: (instant) => platform.deps.clock.set(instant),
    async close() {
      const outside = lines.filter((l) => l.includes('state change outside the act step'));
      if (outside.length)
        throw new Error(`state changes outside the act step:\n${outside.join('')}`);
      await app.close();
      await platform.close();
      await cleanup();
    },
  };
}
