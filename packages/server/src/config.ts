/**
 * Configuration from the environment, read once at start-up. Every knob has a default that
 * works for `npm start` on a laptop; production overrides them. Nothing here is secret except
 * the keys, which are never logged.
 */
import path from 'node:path';

export type ClockMode = 'system' | 'manual';

export interface Config {
  port: number;
  host: string;
  /** Embedded PGlite data directory; unused when `databaseUrl` is set. */
  dataDir: string;
  /** A real PostgreSQL server; when absent the embedded database is used. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  clockMode: ClockMode;
  /** Password for the installation administrator `admin`, used only on first start. */
  adminPassword: string | undefined;
  /** Base64 256-bit master key for personal data at rest; generated into dataDir if absent. */
  masterKey: string | undefined;
  logLevel: string;
  session: {
    idleMinutes: number;
    absoluteHours: number;
  };
  login: {
    maxFailures: number;
    lockMinutes: number;
  };
  /** Number of independent audit hash chains; more chains, less write contention. */
  auditShards: number;
  photo: {
    maxBytes: number;
  };
  bodyLimitBytes: number;
  /** Extra rule packs (a sixth city, a newer version) besides the built-in five. */
  packsDir: string | undefined;
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const clockMode = env.SSCARD_CLOCK ?? 'system';
  if (clockMode !== 'system' && clockMode !== 'manual') {
    throw new Error(`SSCARD_CLOCK must be "system" or "manual", got "${clockMode}"`);
  }
  return {
    port: int('PORT', 3000, env),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.SSCARD_DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: int('SSCARD_DB_POOL', 10, env),
    clockMode,
    adminPassword: env.SSCARD_ADMIN_PASSWORD || undefined,
    masterKey: env.SSCARD_MASTER_KEY || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    session: {
      idleMinutes: int('SSCARD_SESSION_IDLE_MINUTES', 30, env),
      absoluteHours: int('SSCARD_SESSION_ABSOLUTE_HOURS', 12, env),
    },
    login: {
      maxFailures: int('SSCARD_LOGIN_MAX_FAILURES', 5, env),
      lockMinutes: int('SSCARD_LOGIN_LOCK_MINUTES', 15, env),
    },
    auditShards: int('SSCARD_AUDIT_SHARDS', 8, env),
    photo: { maxBytes: int('SSCARD_PHOTO_MAX_BYTES', 100 * 1024, env) },
    bodyLimitBytes: int('SSCARD_BODY_LIMIT_BYTES', 1024 * 1024, env),
    packsDir: env.SSCARD_PACKS_DIR ? path.resolve(env.SSCARD_PACKS_DIR) : undefined,
  };
}
