/**
 * Liveness, readiness and metrics (docs/OPERATIONS.md), and the shutdown gate: from the moment
 * the node is told to stop (ops/shutdown.ts), every new request but these is answered 503
 * SHUTTING_DOWN with `Connection: close`, and every answer closes its connection.
 *
 * `/metrics` access: with `SSCARD_METRICS_TOKEN` set, only `Authorization: Bearer <token>`
 * (401 otherwise); without it, only a caller on this machine (a loopback socket address, and no
 * X-Forwarded-For/Forwarded header, which would mean a local proxy relaying someone else);
 * anyone else gets 404, as if there were no such route.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import type { App } from '../http/app-types.js';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../http/problem.js';
import { readiness } from './health.js';
import type { Lifecycle } from './lifecycle.js';
import { Metrics } from './metrics.js';

/** Answered even while the node stops: the orchestrator and the scraper need them then. */
const ALWAYS = new Set(['/livez', '/healthz', '/readyz', '/metrics']);
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export interface OpsOptions {
  lifecycle: Lifecycle;
  /** Extra facts for /readyz (rule-pack warnings, calendar gaps, open alerts). */
  details: () => Promise<Record<string, unknown>>;
  env?: NodeJS.ProcessEnv;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Who may read /metrics: 'ok', or the status to answer (401 without the token, 404 elsewhere). */
export function metricsAccess(
  req: Pick<FastifyRequest, 'headers' | 'socket'>,
  token: string | undefined,
): 'ok' | 401 | 404 {
  if (token) {
    const given = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1]?.trim();
    return given && timingSafeEqual(digest(given), digest(token)) ? 'ok' : 401;
  }
  const local = LOOPBACK.test(req.socket.remoteAddress ?? '');
  const relayed =
    req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  return local && !relayed ? 'ok' : 404;
}

export function registerOps(app: App, deps: Deps, options: OpsOptions): Metrics {
  const { lifecycle, details } = options;
  const env = options.env ?? process.env;
  const metrics = new Metrics(deps, lifecycle);
  app.addHook('onClose', async () => metrics.stopObserving());

  // The gate: first of every hook, so a stopping node touches no session nor the database.
  app.addHook('onRequest', async (req, reply) => {
    if (!lifecycle.refusesRequests || ALWAYS.has(req.url.split('?')[0]!)) return;
    const locale = /^\s*en/i.test(String(req.headers['accept-language'] ?? '')) ? 'en' : 'zh-CN';
    const problem = toProblem('SHUTTING_DOWN', {}, locale, { requestId: req.id });
    return reply
      .header('connection', 'close')
      .header('retry-after', '5')
      .status(problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(problem);
  });
  app.addHook('onSend', async (_req, reply) => {
    // Keep-alive connections end with the answer in flight: the client reconnects elsewhere.
    if (lifecycle.stopping) reply.header('connection', 'close');
  });
  app.addHook('onError', async (_req, _reply, error) => metrics.requestError(error));
  app.addHook('onResponse', async (req, reply) => {
    metrics.requestDone(
      req.method,
      req.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  const live = {
    config: { access: 'public' as const },
    schema: {
      tags: ['system'],
      summary: 'Liveness: the process answers (nothing else is checked)',
      security: [],
      response: { 200: Type.Object({ status: Type.Literal('ok') }) },
    },
    handler: async () => ({ status: 'ok' as const }),
  };
  app.get('/livez', live);
  app.get('/healthz', {
    ...live,
    schema: { ...live.schema, summary: 'The process is up (= /livez)' },
  });

  const ReadyView = Type.Object({
    status: Type.String(),
    database: Type.String(),
    checks: Type.Object({}, { additionalProperties: true }),
    details: Type.Object({}, { additionalProperties: true }),
  });
  app.get('/readyz', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary:
        'Readiness: not shutting down, the database answers, rule packs resolve, no unacknowledged broken audit chain; details list warnings such as expired rule packs',
      security: [],
      response: { 200: ReadyView, 503: ReadyView },
    },
    handler: async (_req, reply) => {
      const r = await readiness(deps, lifecycle, env);
      return reply.status(r.ready ? 200 : 503).send({
        status: r.ready ? 'ready' : lifecycle.stopping ? 'stopping' : 'unavailable',
        database: deps.dbKind,
        checks: r.checks,
        details: lifecycle.stopping ? {} : await details(),
      });
    },
  });

  app.get('/metrics', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary:
        'Prometheus metrics (docs/OPERATIONS.md): Bearer SSCARD_METRICS_TOKEN, or from this machine when no token is set',
      security: [],
      produces: ['text/plain'],
    },
    handler: async (req, reply) => {
      const access = metricsAccess(req, env.SSCARD_METRICS_TOKEN || undefined);
      if (access !== 'ok') {
        const code = access === 401 ? 'AUTH_REQUIRED' : 'ROUTE_NOT_FOUND';
        const problem = toProblem(
          code,
          { method: 'GET', path: '/metrics' },
          req.ctx?.locale ?? 'en',
          {
            requestId: req.id,
          },
        );
        if (access === 401) reply.header('www-authenticate', 'Bearer realm="metrics"');
        return reply.status(access).type(PROBLEM_CONTENT_TYPE).send(problem);
      }
      const r = await readiness(deps, lifecycle, env);
      await metrics.refresh(r.ready);
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  });
  return metrics;
}
