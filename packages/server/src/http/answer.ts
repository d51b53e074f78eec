/**
 * State-changing routes answer with what the act step's presenter produced (and saved for an
 * Idempotency-Key retry in the same transaction): one answer, presented once.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export function sendAnswer(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = req.ctx.answer;
  if (!answer) throw new Error(`${req.routeOptions.url}: the act step gave no answer`);
  return reply.status(answer.status).send(answer.body);
}
