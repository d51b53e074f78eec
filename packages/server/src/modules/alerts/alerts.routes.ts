/**
 * Alerts for the roles with `alerts.manage`: list, and acknowledge with a reason
 * (`X-Sscard-Reason`), audited. A centre's staff see the installation-wide alerts and their own
 * jurisdiction's; another jurisdiction's alert answers like a missing one (alerts.service.ts).
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import { IdParams, Paging, StringEnum, errorResponses, page } from '../../http/schemas.js';
import { AlertView, presentAlert } from './alerts.presenter.js';
import type { AlertsService } from './alerts.service.js';

export function alertsRoutes(app: App, alerts: AlertsService): void {
  app.get('/api/v1/alerts', {
    config: { access: 'alerts.manage' },
    schema: {
      tags: ['alerts'],
      summary: 'Alerts (a broken audit chain, a failed daily job), newest first',
      querystring: Type.Composite([
        Paging,
        Type.Object({
          status: StringEnum(['open', 'acknowledged', 'all'] as const, { default: 'open' }),
          kind: Type.Optional(Type.String({ maxLength: 60 })),
        }),
      ]),
      response: { 200: page(AlertView), ...errorResponses(422) },
    },
    handler: async (req) => {
      const f = req.query;
      const result = await alerts.list(f, req.ctx);
      return {
        items: result.items.map(presentAlert),
        total: result.total,
        limit: f.limit,
        offset: f.offset,
      };
    },
  });

  app.post('/api/v1/alerts/:id/acknowledge', {
    config: { access: 'alerts.manage', action: 'alert.acknowledge' },
    schema: {
      tags: ['alerts'],
      summary: 'Acknowledge an alert (reason in X-Sscard-Reason; audited)',
      params: IdParams,
      response: { 200: AlertView, ...errorResponses(404) },
    },
    handler: async (req, reply) => {
      await alerts.acknowledge(req.params.id, req.ctx);
      return sendAnswer(req, reply);
    },
  });
}
