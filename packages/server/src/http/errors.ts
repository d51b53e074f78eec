/**
 * One error handler for the whole API: domain refusals, validation failures, Fastify's own
 * errors and bugs all leave as problem+json. A refused state-changing request is written to the
 * audit log too (its own transaction, since the act's transaction rolled back).
 */
import { DomainError, isErrorCode, type ErrorCode } from '@sscard/domain';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { replayAfterConflict } from './idempotency.js';
import { PROBLEM_CONTENT_TYPE, statusOf, toProblem, type FieldError } from './problem.js';
import { fieldErrors } from './validation.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

interface Classified {
  code: ErrorCode;
  params: Record<string, string | number>;
  error?: DomainError;
  fields?: FieldError[];
}

function classify(err: FastifyError | DomainError | Error, req: FastifyRequest): Classified {
  if (err instanceof DomainError)
    return { code: err.code, params: err.params as Record<string, string | number>, error: err };
  const fe = err as FastifyError;
  if (fe.validation) {
    const fields = fieldErrors(
      fe.validation,
      fe.validationContext ?? 'body',
      req.ctx?.locale ?? 'zh-CN',
    );
    const summary = fields.map((f) => `${f.pointer}: ${f.message}`).join('; ');
    return { code: 'VALIDATION', params: { summary }, fields };
  }
  if (fe.code && FASTIFY_CODES[fe.code]) {
    const code = FASTIFY_CODES[fe.code]!;
    const summary = code === 'BAD_REQUEST' ? 'the body is not valid JSON' : '';
    return {
      code,
      params: {
        summary,
        limit: req.routeOptions.bodyLimit ?? 0,
        contentType: String(req.headers['content-type'] ?? ''),
      },
    };
  }
  if (fe.statusCode === 429) return { code: 'RATE_LIMITED', params: { retryAfter: 60 } };
  if (fe.statusCode === 400 && err instanceof SyntaxError) {
    return { code: 'BAD_REQUEST', params: { summary: 'the body is not valid JSON' } };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { code: 'BAD_REQUEST', params: { summary: fe.code ?? 'bad request' } };
  }
  return { code: 'INTERNAL', params: { requestId: req.id } };
}

export function registerErrorHandling(app: FastifyInstance, deps: Deps): void {
  app.setErrorHandler(
    async (thrown: FastifyError | DomainError, req: FastifyRequest, reply: FastifyReply) => {
      let err = thrown;
      try {
        // A retry that collided with its own first request gets that request's answer.
        if (await replayAfterConflict(deps.repos.idempotency, err, req, reply)) return reply;
      } catch (e) {
        err = e as DomainError;
      }
      const c = classify(err, req);
      const status = statusOf(c.code);
      if (status >= 500) {
        req.log.error(
          {
            err: {
              type: err.name,
              message: err.message,
              code: (err as FastifyError).code,
              stack: err.stack,
            },
          },
          'request failed',
        );
      }
      const locale = req.ctx?.locale ?? 'zh-CN';
      const problem = toProblem(c.code, c.params, locale, {
        requestId: req.id,
        citation: c.error?.citation,
        ...(c.fields ? { errors: c.fields } : {}),
      });
      await auditRefusal(deps, req, c.code, status);
      const body = c.error?.extensions ? { ...problem, ...c.error.extensions } : problem;
      if (c.code === 'RATE_LIMITED') reply.header('retry-after', String(c.params.retryAfter ?? 60));
      return reply.status(status).type(PROBLEM_CONTENT_TYPE).send(body);
    },
  );

  app.setNotFoundHandler(async (req, reply) => {
    const problem = toProblem(
      'ROUTE_NOT_FOUND',
      { method: req.method, path: req.url.split('?')[0]!.slice(0, 200) },
      req.ctx?.locale ?? 'zh-CN',
      {
        requestId: req.id,
      },
    );
    return reply.status(404).type(PROBLEM_CONTENT_TYPE).send(problem);
  });
}

/** Refused or failed state changes are facts worth keeping: who tried what, and why it failed. */
async function auditRefusal(
  deps: Deps,
  req: FastifyRequest,
  code: ErrorCode,
  status: number,
): Promise<void> {
  const ctx = req.ctx;
  if (
    !ctx ||
    ctx.audited ||
    !MUTATING.has(req.method) ||
    !req.routeOptions.url?.startsWith('/api/')
  )
    return;
  if (code === 'AUTH_REQUIRED' || code === 'SESSION_EXPIRED' || code === 'RATE_LIMITED') return;
  const action = req.routeOptions.config?.action ?? `${req.method} ${req.routeOptions.url}`;
  const params = req.params as Record<string, string> | undefined;
  try {
    await deps.db.transaction().execute((trx) =>
      deps.audit.append(
        trx,
        ctx,
        {
          action,
          targetType: null,
          targetId: params?.id ?? params?.cardNo ?? null,
          outcome: status >= 500 ? 'error' : 'refused',
          code: isErrorCode(code) ? code : 'INTERNAL',
        },
        deps.clock.now(),
      ),
    );
  } catch (e) {
    req.log.error({ err: { message: (e as Error).message } }, 'could not audit a refused request');
  }
}
