/** The notifications outbox over HTTP, for the centre: what was written, sent, retried or lost. */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app-types.js';
import { Paging, StringEnum, errorResponses } from '../../http/schemas.js';
import { NOTIFICATION_KINDS, NOTIFICATION_STATUSES } from './notifications.repository.js';
import type { NotificationsService } from './notifications.service.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const NotificationView = Type.Object(
  {
    id: Type.String(),
    kind: StringEnum(NOTIFICATION_KINDS),
    channel: Type.String(),
    status: StringEnum(NOTIFICATION_STATUSES),
    attempts: Type.Integer(),
    jurisdiction: Type.String(),
    holder: Type.String({ description: 'The holder’s name, masked (张*)' }),
    cardTail: Nullable(Type.String({ description: 'The card number’s last four characters' })),
    reason: Nullable(Type.String()),
    rule: Nullable(Type.String()),
    until: Nullable(Type.String()),
    lastError: Nullable(Type.String()),
    createdAt: Type.String(),
    nextAttemptAt: Nullable(Type.String()),
    sentAt: Nullable(Type.String()),
  },
  { $id: 'Notification' },
);

export function notificationsRoutes(app: App, notifications: NotificationsService): void {
  app.addSchema(NotificationView);
  app.get('/api/v1/notifications', {
    config: { access: 'notification.read' },
    schema: {
      tags: ['notifications'],
      summary: 'Messages to holders of your jurisdiction, newest first (masked; never the number)',
      querystring: Type.Composite([
        Paging,
        Type.Object({
          kind: Type.Optional(StringEnum(NOTIFICATION_KINDS)),
          status: Type.Optional(StringEnum(NOTIFICATION_STATUSES)),
        }),
      ]),
      response: {
        200: Type.Object({ items: Type.Array(Type.Ref('Notification')), total: Type.Integer() }),
        ...errorResponses(),
      },
    },
    handler: async (req) => {
      const { limit, offset, kind, status } = req.query;
      return notifications.list(req.ctx, { kind, status }, { limit, offset });
    },
  });
}
