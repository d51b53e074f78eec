/** HTTP routes for cards: read, a person's cards, and every act on a card. */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app-types.js';
import { Uuid, errorResponses } from '../../http/schemas.js';
import type { CardsService } from './cards.service.js';
import { CardView } from './cards.presenter.js';
import { sendAnswer } from '../../http/answer.js';
import type { CardRow } from './cards.repository.js';
import { CARD_ACTS } from './card-acts.js';

const CardParams = Type.Object({
  cardNo: Type.String({ minLength: 15, maxLength: 15, examples: ['31000000000001X'] }),
});
const IDEMPOTENCY = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'A retry returns the first answer and changes nothing twice' }),
  ),
});

export function cardsRoutes(app: App, cards: CardsService, now: () => Date): void {
  const view = (row: CardRow) => cards.present(row, now());

  app.get('/api/v1/cards/:cardNo', {
    config: { access: 'card.read', holder: true },
    schema: {
      tags: ['cards'],
      summary: 'A card: its state, what works now and why not',
      params: CardParams,
      response: { 200: CardView, ...errorResponses(404, 422) },
    },
    handler: async (req) => view(await cards.get(req.params.cardNo, req.ctx)),
  });

  app.get('/api/v1/persons/:id/cards', {
    config: { access: 'card.read', holder: true },
    schema: {
      tags: ['cards'],
      summary: 'A person’s cards, newest first',
      params: Type.Object({ id: Uuid }),
      response: { 200: Type.Object({ items: Type.Array(CardView) }), ...errorResponses(404) },
    },
    handler: async (req) => ({
      items: await Promise.all((await cards.listForPerson(req.params.id, req.ctx)).map(view)),
    }),
  });

  for (const act of CARD_ACTS) {
    app.post(`/api/v1/cards/:cardNo/${act.path}`, {
      config: {
        access: act.permission,
        action: `card.${act.path.replace('/', '.')}`,
        ...(act.throttle ? { throttle: act.throttle } : {}),
        ...(act.holder ? { holder: true } : {}),
      },
      schema: {
        tags: ['cards'],
        summary: act.summary,
        params: CardParams,
        headers: IDEMPOTENCY,
        ...(act.body ? { body: act.body } : {}),
        response: { 200: CardView, ...errorResponses(403, 404, 409, 422, 423) },
      },
      handler: async (req, reply) => {
        await act.run(
          cards,
          (req.params as { cardNo: string }).cardNo,
          (req.body ?? {}) as never,
          req.ctx,
        );
        return sendAnswer(req, reply);
      },
    });
  }
}
