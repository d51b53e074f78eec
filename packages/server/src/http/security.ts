/**
 * Security headers and request throttling, registered before any route.
 *
 * Headers (@fastify/helmet): the API answers JSON only, so its content security policy allows
 * nothing at all (`default-src 'none'`, no framing). Swagger UI at /docs gets a policy that lets
 * it load its own scripts and styles (it has no inline scripts; it sets inline styles). API
 * answers are `Cache-Control: no-store`: they carry personal data.
 *
 * Throttles (@fastify/rate-limit): a route opts in with one line, `config: { throttle: 'pin' }`.
 * Each throttle counts per account and per address, with limits from the configuration
 * (`SSCARD_RATE_<THROTTLE>_<ACCOUNT|ADDRESS>=max/seconds`). The account is the session's staff
 * member, or for login the username (for the enrolment step, the ticket). Counters live in the
 * database (`rate_limits`, keys stored as HMACs), so every API node shares them and the manual
 * clock moves their windows. Over the limit: 429 `RATE_LIMITED` with `Retry-After`.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { DomainError } from '@sscard/domain';
import type { FastifyRequest, onRouteHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import { sql } from 'kysely';
import { THROTTLES, type RateLimit, type Throttle } from '../config.js';
import type { Deps } from '../deps.js';
import type { App } from './app-types.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A named request limit for this route (`login`, `lookup`, `pin`), counted per account and
     * per address; see http/security.ts.
     */
    throttle?: Throttle;
  }
}

/** Nothing for an API that answers JSON: no scripts, no styles, no frames. */
const API_CSP = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/** Swagger UI: its own files only, plus the inline styles it sets and data: icons. */
const DOCS_CSP = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
};

const DOCS_PREFIX = '/docs';

export async function registerSecurity(app: App, deps: Deps): Promise<void> {
  // Runs before helmet's own onRoute hook, so the documentation routes carry their own policy.
  const docsPolicy: onRouteHookHandler = (route) => {
    if (route.url === DOCS_PREFIX || route.url.startsWith(`${DOCS_PREFIX}/`)) {
      (route as { helmet?: unknown }).helmet = {
        contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP },
      };
    }
  };
  app.addHook('onRoute', docsPolicy);

  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    // Served behind TLS in production; HSTS from the API is harmless over plain HTTP.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
  });

  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
  });

  await app.register(rateLimit, { global: false, store: databaseStore(deps) });
  const checks = new Map<Throttle, Check[]>();
  for (const name of THROTTLES) {
    const limits = deps.config.rateLimits[name];
    checks.set(name, [
      check(app, name, 'account', limits.account, accountKey),
      check(app, name, 'address', limits.address, (req) => req.ip),
    ]);
  }

  app.addHook('onRoute', (route) => {
    const name = route.config?.throttle;
    if (name === undefined) return;
    const list = checks.get(name);
    if (!list) throw new Error(`route ${route.url} names an unknown throttle "${String(name)}"`);
    const hook: preHandlerAsyncHookHandler = async (req, reply) => {
      for (const c of list) {
        const result = await c.run(req);
        if (!result.isAllowed && result.isExceeded) {
          const retryAfter = Math.max(1, result.ttlInSeconds);
          req.log.warn({ throttle: name, per: c.dimension }, 'rate limit exceeded');
          reply.header('retry-after', String(retryAfter));
          throw new DomainError('RATE_LIMITED', { retryAfter });
        }
      }
    };
    const existing = route.preHandler;
    route.preHandler = [
      ...(Array.isArray(existing) ? existing : existing ? [existing] : []),
      hook,
    ] as typeof route.preHandler;
  });
}

interface Check {
  dimension: 'account' | 'address';
  run: ReturnType<App['createRateLimit']>;
}

function check(
  app: App,
  name: Throttle,
  dimension: Check['dimension'],
  limit: RateLimit,
  key: (req: FastifyRequest) => string,
): Check {
  return {
    dimension,
    run: app.createRateLimit({
      max: limit.max,
      timeWindow: limit.windowSeconds * 1000,
      keyGenerator: (req) => `${name}\u0000${dimension}\u0000${key(req)}`,
    }),
  };
}

/** Who is asking: the session's account, or before login the account named in the body. */
function accountKey(req: FastifyRequest): string {
  const staffId = req.ctx?.actor?.staffId;
  if (staffId) return `staff:${staffId}`;
  const body = req.body as { username?: unknown; enrolmentTicket?: unknown } | null | undefined;
  if (typeof body?.username === 'string') return `user:${body.username.toLowerCase()}`;
  if (typeof body?.enrolmentTicket === 'string') return `ticket:${body.enrolmentTicket}`;
  return 'anonymous';
}

/** Sweep expired counters now and then rather than on every request. */
const PRUNE_EVERY = 500;

/**
 * A fixed-window counter store for @fastify/rate-limit in the platform's database, read on the
 * platform clock. One upsert per check; a window that has passed (or that lies in the future
 * because a manual clock was moved back) starts again.
 */
function databaseStore(deps: Deps): FastifyRateLimitStoreCtor {
  let calls = 0;
  class DatabaseStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow = 60_000,
    ): void {
      const now = deps.clock.now();
      const expired = new Date(now.getTime() - timeWindow);
      const keyHash = deps.keyring.blindIndex('rate-limit', key);
      sql<{ hits: number; window_start: Date }>`
        insert into rate_limits (key_hash, window_start, hits) values (${keyHash}, ${now}, 1)
        on conflict (key_hash) do update set
          hits = case
            when rate_limits.window_start <= ${expired} or rate_limits.window_start > ${now} then 1
            else rate_limits.hits + 1 end,
          window_start = case
            when rate_limits.window_start <= ${expired} or rate_limits.window_start > ${now}
              then ${now}
            else rate_limits.window_start end
        returning hits, window_start`
        .execute(deps.db)
        .then(async (result) => {
          const row = result.rows[0]!;
          const ttl = row.window_start.getTime() + timeWindow - now.getTime();
          if (++calls % PRUNE_EVERY === 0) {
            const old = new Date(now.getTime() - 24 * 60 * 60_000);
            await deps.db.deleteFrom('rate_limits').where('window_start', '<', old).execute();
          }
          callback(null, { current: Number(row.hits), ttl: Math.max(0, ttl) });
        })
        .catch((e: Error) => callback(e));
    }

    child(): DatabaseStore {
      return this;
    }
  }
  return DatabaseStore as unknown as FastifyRateLimitStoreCtor;
}
