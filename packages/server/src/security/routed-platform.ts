/**
 * Test support for the security suite: a test platform whose app reports every route it
 * registers (through `buildApp`'s `onRoute` option), so the suite sees the routes exactly as
 * Fastify has them — method, URL pattern, config and schemas — including the ones the OpenAPI
 * document hides. Requests go to that same app.
 *
 * The app logs to a sink of its own, so the suite can read each request's lines and tell a
 * known bug from a new one. Like the harness, closing fails if a state change went unaudited,
 * except for the requests the suite has declared a known bug (`tolerate`).
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import type { InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify';
import { buildApp } from '../app.js';
import type { App } from '../http/app-types.js';
import { createLogger } from '../logger.js';
import { createTestPlatform, type TestPlatform } from '../testing/harness.js';
import type { World } from '../testing/fixtures.js';
import type { Caller, Method, RouteKey } from './access-matrix.js';

export interface RegisteredRoute {
  method: Method;
  url: string;
  key: RouteKey;
  config: RouteOptions['config'];
  schema: RouteOptions['schema'];
}

export interface RoutedPlatform {
  t: TestPlatform;
  app: App;
  /** Every route, one per method (a route registered for several methods appears once each). */
  routes: RegisteredRoute[];
  /** Sends a request to the enumerated app; `token` becomes a bearer header. */
  call(options: InjectOptions & { token?: string | null }): Promise<LightMyRequestResponse>;
  /** A place in the logs (the app's and the platform's); `since` returns the lines after it. */
  mark(): { since(): string[] };
  /** The log lines of one request of the enumerated app. */
  requestLines(requestId: string): string[];
  /** Declares a request a known bug: its error lines do not fail `close`. */
  tolerate(requestId: string): void;
  isTolerated(line: string): boolean;
  close(): Promise<void>;
}

const UNAUDITED = 'state change outside the act step';

export async function openRoutedPlatform(
  env: Record<string, string> = {},
): Promise<RoutedPlatform> {
  const t = await createTestPlatform(env);
  const routes: RegisteredRoute[] = [];
  const lines: string[] = [];
  // Like the harness's: also into the suite's log directory, scanned for personal data at the end.
  const logDir = inject('logDir');
  const logFile = logDir ? path.join(logDir, `${randomBytes(6).toString('hex')}.log`) : null;
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      if (logFile) appendFileSync(logFile, chunk);
      done();
    },
  });
  let app: App;
  try {
    app = await buildApp(
      { ...t.platform.deps, log: createLogger('info', sink) },
      t.platform.services,
      {
        onRoute: (route) => {
          const methods = Array.isArray(route.method) ? route.method : [route.method];
          for (const m of methods) {
            const method = String(m).toUpperCase() as Method;
            routes.push({
              method,
              url: route.url,
              key: `${method} ${route.url}` as RouteKey,
              config: route.config,
              schema: route.schema,
            });
          }
        },
      },
    );
  } catch (e) {
    await t.close();
    throw e;
  }
  const tolerated = new Set<string>();
  const isTolerated = (line: string) => [...tolerated].some((id) => line.includes(`"${id}"`));
  return {
    t,
    app,
    routes,
    call: ({ token, headers, ...rest }) =>
      app.inject({
        ...rest,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      }),
    mark() {
      const own = lines.length;
      const platform = t.logs().length;
      return {
        since: () => [...lines.slice(own), ...t.logs().slice(platform).split('\n').filter(Boolean)],
      };
    },
    requestLines: (id) => lines.filter((l) => l.includes(`"reqId":"${id}"`)),
    tolerate: (id) => void tolerated.add(id),
    isTolerated,
    async close() {
      await app.close();
      await t.close();
      const unaudited = lines.filter((l) => l.includes(UNAUDITED) && !isTolerated(l));
      if (unaudited.length)
        throw new Error(`state changes without an audit record:\n${unaudited.join('\n')}`);
    },
  };
}

/** Route keys as the matrix declares them: HEAD routes that mirror a GET are left out. */
export function declaredKeys(routes: readonly RegisteredRoute[]): RouteKey[] {
  const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
  const keys = routes.filter((r) => !(r.method === 'HEAD' && gets.has(r.url))).map((r) => r.key);
  return [...new Set(keys)].sort();
}

/** The fixture world's session per caller of the access matrix (anonymous has none). */
export function tokensByCaller(w: World): Record<Caller, string | null> {
  return {
    anonymous: null,
    installation_admin: w.tokens.admin,
    centre_admin: w.tokens.centre,
    bank_admin: w.tokens.bankA,
    branch_operator: w.tokens.branchA,
    community_operator: w.tokens.community,
    vendor_operator: w.tokens.vendor,
    auditor: w.tokens.auditor,
    service_point_operator: w.tokens.pharmacy,
    holder: null, // a holder signs in per test (testing/holders.ts)
  };
}
