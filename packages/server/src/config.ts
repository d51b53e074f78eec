/**
 * Configuration from the environment, read once at start-up. Every knob has a default that
 * works for `npm start` on a laptop; production overrides them. Nothing here is secret except
 * the keys, which are never logged.
 */
import path from 'node:path';
import { workerCount } from './cluster.js';
import { HOLDER_DEFAULTS, type HolderSettings } from '@sscard/domain';

export type ClockMode = 'system' | 'manual';

/** At most `max` requests per `windowSeconds`, counted per key (an account or an address). */
export interface RateLimit {
  max: number;
  windowSeconds: number;
}

/** Named limits that routes opt into with `config: { throttle: '<name>' }`. */
export const THROTTLES = ['login', 'lookup', 'pin'] as const;
export type Throttle = (typeof THROTTLES)[number];

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
  /**
   * Base32 TOTP secret of `admin`. When set it is the administrator's second factor (applied at
   * start if the stored one differs); when absent, `admin` enrols at its first login.
   */
  adminTotpSecret: string | undefined;
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
  otp: {
    /** Shown by authenticator apps next to the code. */
    issuer: string;
    /** How long an enrolment ticket (secret shown, not yet confirmed) stays valid. */
    enrolmentMinutes: number;
  };
  staff: {
    /** Accounts not used for this many days are disabled by the inactivity sweep. */
    inactiveDays: number;
    /** How long a new account's activation ticket stays valid. */
    activationHours: number;
  };
  /** How long a counter may act for a holder it found by their full document number. */
  presenceMinutes: number;
  terminals: {
    /** A new terminal's checks per second (per node) unless its registration says otherwise. */
    defaultRatePerSecond: number;
    /** Client certificates: the fingerprint header of a mutual-TLS proxy is trusted. */
    trustProxy: boolean;
  };
  /** How long a saved Idempotency-Key answer is kept before the daily job prunes it. */
  idempotencyHours: number;
  ecard: {
    /** How long an e-card's QR code is accepted after it is made (SSCARD_QR_TTL_SECONDS). */
    qrTtlSeconds: number;
  };
  /** Holders online: codes, throttles, sessions, family service (docs/PORTAL.md). */
  holders: HolderSettings;
  /** Text messages: the built-in simulator, or a webhook when `SSCARD_NOTIFY_WEBHOOK` is set. */
  notify: { webhook: string | null; secret: string };
  /** Per account and per address, for each named throttle. */
  rateLimits: Record<Throttle, { account: RateLimit; address: RateLimit }>;
  /** Several API nodes on one database (docs/NODES.md). */
  nodes: {
    /** This node's name, sent as `X-Sscard-Node` on every answer (SSCARD_NODE_NAME). */
    name: string | null;
    /**
     * How many server processes share the load: SSCARD_NODES (machines or containers, default
     * 1) times SSCARD_WORKERS (processes on each). A terminal's checks-per-second limit is shared
     * out among them, since each process counts in its own memory.
     */
    count: number;
    /** How often the daily-job scheduler checks what is due (SSCARD_SCHEDULER_TICK_SECONDS). */
    schedulerTickSeconds: number;
  };
  /** Number of independent audit hash chains; more chains, less write contention. */
  auditShards: number;
  auditRetention: {
    /** Records older than this many days may be pruned (after export); never under 183. */
    days: number;
    /** Whether the daily job prunes (SSCARD_AUDIT_PRUNE=1); `sscard audit prune` always can. */
    prune: boolean;
    /** Where pruned records are archived (JSON Lines with a manifest) before they are deleted. */
    archiveDir: string;
  };
  photo: {
    maxBytes: number;
    /** Largest decoded size (width × height × channels × bytes per sample). */
    maxDecodedBytes: number;
  };
  bodyLimitBytes: number;
  /** Extra rule packs (a sixth city, a newer version) besides the built-in five. */
  packsDir: string | undefined;
}

/** Six months: the shortest audit retention the platform accepts (MLPS 2.0 level 3). */
export const MIN_AUDIT_RETENTION_DAYS = 183;

function auditRetentionDays(env: NodeJS.ProcessEnv): number {
  const days = int('SSCARD_AUDIT_RETENTION_DAYS', 365, env);
  if (days < MIN_AUDIT_RETENTION_DAYS)
    throw new Error(
      `SSCARD_AUDIT_RETENTION_DAYS is ${days}: audit records must be kept at least six months (${MIN_AUDIT_RETENTION_DAYS} days); refusing to start`,
    );
  return days;
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** `10/300`: at most 10 requests in 300 seconds. */
function rate(name: string, fallback: RateLimit, env: NodeJS.ProcessEnv): RateLimit {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  if (!m || Number(m[1]) <= 0 || Number(m[2]) <= 0)
    throw new Error(`${name} must be "max/seconds" (e.g. 10/300), got "${raw}"`);
  return { max: Number(m[1]), windowSeconds: Number(m[2]) };
}

const BASE32 = /^[A-Z2-7]+=*$/;

/** RFC 4226 asks for at least 128 bits; authenticator apps take base32. */
function totpSecret(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const secret = raw.replace(/\s+/g, '').toUpperCase();
  const bits = secret.replace(/=+$/, '').length * 5;
  if (!BASE32.test(secret) || bits < 128)
    throw new Error(
      'SSCARD_ADMIN_TOTP_SECRET must be base32 of at least 128 bits (26+ characters)',
    );
  return secret;
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
    adminTotpSecret: totpSecret(env.SSCARD_ADMIN_TOTP_SECRET),
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
    otp: {
      issuer: env.SSCARD_OTP_ISSUER || 'sscard',
      enrolmentMinutes: int('SSCARD_OTP_ENROLMENT_MINUTES', 10, env),
    },
    staff: {
      inactiveDays: int('SSCARD_STAFF_INACTIVE_DAYS', 90, env),
      activationHours: int('SSCARD_STAFF_ACTIVATION_HOURS', 72, env),
    },
    presenceMinutes: int('SSCARD_PRESENCE_MINUTES', 30, env),
    terminals: {
      defaultRatePerSecond: int('SSCARD_TERMINAL_RATE_DEFAULT', 50, env),
      trustProxy: env.SSCARD_TRUST_PROXY === '1',
    },
    idempotencyHours: int('SSCARD_IDEMPOTENCY_HOURS', 24, env),
    ecard: { qrTtlSeconds: Math.min(int('SSCARD_QR_TTL_SECONDS', 60, env), 3600) },
    holders: {
      codeTtlSeconds: int('SSCARD_HOLDER_CODE_TTL_SECONDS', HOLDER_DEFAULTS.codeTtlSeconds, env),
      maxCodeAttempts: int('SSCARD_HOLDER_CODE_ATTEMPTS', HOLDER_DEFAULTS.maxCodeAttempts, env),
      maxCodesPerWindow: int(
        'SSCARD_HOLDER_CODES_PER_WINDOW',
        HOLDER_DEFAULTS.maxCodesPerWindow,
        env,
      ),
      maxCodesPerIpPerWindow: int(
        'SSCARD_HOLDER_CODES_PER_ADDRESS',
        HOLDER_DEFAULTS.maxCodesPerIpPerWindow,
        env,
      ),
      windowMinutes: int('SSCARD_HOLDER_WINDOW_MINUTES', HOLDER_DEFAULTS.windowMinutes, env),
      sessionIdleMinutes: int(
        'SSCARD_HOLDER_SESSION_IDLE_MINUTES',
        HOLDER_DEFAULTS.sessionIdleMinutes,
        env,
      ),
      sessionMaxHours: int('SSCARD_HOLDER_SESSION_HOURS', HOLDER_DEFAULTS.sessionMaxHours, env),
      maxWards: int('SSCARD_HOLDER_MAX_WARDS', HOLDER_DEFAULTS.maxWards, env),
      childAge: int('SSCARD_HOLDER_CHILD_AGE', HOLDER_DEFAULTS.childAge, env),
    },
    notify: {
      webhook: env.SSCARD_NOTIFY_WEBHOOK || null,
      secret: env.SSCARD_NOTIFY_WEBHOOK_SECRET ?? '',
    },
    rateLimits: {
      login: {
        account: rate('SSCARD_RATE_LOGIN_ACCOUNT', { max: 10, windowSeconds: 300 }, env),
        address: rate('SSCARD_RATE_LOGIN_ADDRESS', { max: 100, windowSeconds: 300 }, env),
      },
      lookup: {
        account: rate('SSCARD_RATE_LOOKUP_ACCOUNT', { max: 120, windowSeconds: 60 }, env),
        address: rate('SSCARD_RATE_LOOKUP_ADDRESS', { max: 600, windowSeconds: 60 }, env),
      },
      pin: {
        account: rate('SSCARD_RATE_PIN_ACCOUNT', { max: 30, windowSeconds: 300 }, env),
        address: rate('SSCARD_RATE_PIN_ADDRESS', { max: 150, windowSeconds: 300 }, env),
      },
    },
    nodes: {
      name: env.SSCARD_NODE_NAME?.trim() || null,
      count: int('SSCARD_NODES', 1, env) * workerCount(env),
      schedulerTickSeconds: Math.max(1, int('SSCARD_SCHEDULER_TICK_SECONDS', 60, env)),
    },
    auditShards: int('SSCARD_AUDIT_SHARDS', 8, env),
    auditRetention: {
      days: auditRetentionDays(env),
      prune: env.SSCARD_AUDIT_PRUNE === '1',
      archiveDir: path.resolve(
        env.SSCARD_AUDIT_ARCHIVE_DIR ??
          path.join(path.resolve(env.SSCARD_DATA_DIR ?? 'data'), 'audit-archive'),
      ),
    },
    photo: {
      maxBytes: int('SSCARD_PHOTO_MAX_BYTES', 100 * 1024, env),
      maxDecodedBytes: int('SSCARD_PHOTO_MAX_DECODED_BYTES', 16 * 1024 * 1024, env),
    },
    bodyLimitBytes: int('SSCARD_BODY_LIMIT_BYTES', 1024 * 1024, env),
    packsDir: env.SSCARD_PACKS_DIR ? path.resolve(env.SSCARD_PACKS_DIR) : undefined,
  };
}
