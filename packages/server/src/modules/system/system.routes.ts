/** The manual clock and the catalogue of problem types (health and readiness: ops/ops.routes.ts). */
import { Type } from '@sinclair/typebox';
import { DomainError, catalogue, formatShanghai, isErrorCode, renderError } from '@sscard/domain';
import type { Deps } from '../../deps.js';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import { setClock } from './system.service.js';
import { STATUS_OF_KIND } from '../../http/problem.js';
import { Instant, errorResponses } from '../../http/schemas.js';

const ClockView = Type.Object({ now: Type.String(), mode: Type.String() });

/** /livez, /healthz, /readyz and /metrics are ops/ops.routes.ts's. */
export function systemRoutes(app: App, deps: Deps): void {
  app.get('/api/v1/system/clock', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['system'],
      summary: 'Read the manual clock (404 unless SSCARD_CLOCK=manual)',
      response: { 200: ClockView, ...errorResponses(404) },
    },
    handler: async () => {
      if (deps.clock.mode !== 'manual') throw new DomainError('CLOCK_NOT_MANUAL');
      return { now: formatShanghai(deps.clock.now()), mode: deps.clock.mode };
    },
  });

  app.put('/api/v1/system/clock', {
    config: { access: 'system.clock', action: 'system.clock.set' },
    schema: {
      tags: ['system'],
      summary: 'Set the manual clock (404 unless SSCARD_CLOCK=manual)',
      body: Type.Object(
        { now: Instant },
        { additionalProperties: false, examples: [{ now: '2026-05-01T09:00:00+08:00' }] },
      ),
      response: { 200: ClockView, ...errorResponses(404, 422) },
    },
    handler: async (req, reply) => {
      await setClock(deps, new Date(req.body.now), req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/problems', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Every problem code the API can answer with, in the caller’s language',
      security: [],
      response: {
        200: Type.Array(
          Type.Object({ code: Type.String(), status: Type.Integer(), title: Type.String() }),
        ),
      },
    },
    handler: async (req) =>
      Object.keys(catalogue)
        .filter(isErrorCode)
        .map((code) => {
          const r = renderError(code, {}, req.ctx.locale);
          return { code, status: STATUS_OF_KIND[r.kind], title: r.title };
        }),
  });

  app.get('/api/v1/problems/:code', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Describe one problem type (the `type` URI of a problem answer)',
      security: [],
      params: Type.Object({ code: Type.String({ maxLength: 80 }) }),
      response: {
        200: Type.Object({ code: Type.String(), status: Type.Integer(), title: Type.String() }),
        404: Type.Ref('Problem'),
      },
    },
    handler: async (req) => {
      const code = req.params.code;
      if (!isErrorCode(code)) throw new DomainError('NOT_FOUND', { resource: 'problem type' });
      const r = renderError(code, {}, req.ctx.locale);
      return { code, status: STATUS_OF_KIND[r.kind], title: r.title };
    },
  });
}
