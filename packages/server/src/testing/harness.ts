/**
 * A real platform for a test file: real database (PGlite from the migrated template, or a fresh
 * schema on the PostgreSQL server named by DATABASE_URL), manual clock, fixed keys, logs kept in
 * memory so tests can read them. `api` sends HTTP requests through Fastify's injector.
 */
import { readFileSync } from 'node:fs';
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

export const TEST_ADMIN_PASSWORD = 'Admin-Test-2026!';
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
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
  login(username: string, password: string): Promise<string>;
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
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({
    SSCARD_CLOCK: 'manual',
    SSCARD_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SSCARD_MASTER_KEY: TEST_MASTER_KEY,
    SSCARD_DATA_DIR: '/nonexistent-test-data-dir',
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

  return {
    platform,
    app,
    config,
    logs: () => lines.join(''),
    api,
    async login(username, password) {
      const res = await api({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password },
      });
      if (res.statusCode !== 200)
        throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      return res.json<{ token: string }>().token;
    },
    setClock: (instant) => platform.deps.clock.set(instant),
    async close() {
      const unaudited = lines.filter((l) => l.includes('state change without audit record'));
      if (unaudited.length)
        throw new Error(`state changes without an audit record:\n${unaudited.join('')}`);
      await app.close();
      await platform.close();
      await cleanup();
    },
  };
}
