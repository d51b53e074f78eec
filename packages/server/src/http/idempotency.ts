/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) on every state-changing route: a
 * client that retries a request with the same key gets the first answer back and nothing is done
 * twice. The key is claimed, and its answer saved, inside the act's own transaction
 * (acts/act-step.ts), so a key is either free (its act rolled back or never ran) or answered
 * (its act committed). A retry that races its first request waits on the key's row and then
 * finds the answer. A key reused for a different request is refused. Saved answers hold no
 * secrets: members the act marks secret come back as null, listed in `redacted`.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '@sscard/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotencyRepository } from '../acts/idempotency.repository.js';
import { IdempotencyConflict } from '../acts/act-step.js';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (Buffer.isBuffer(value)) return `"${createHash('sha256').update(value).digest('hex')}"`;
  return `{${Object.entries(value as Record<string, unknown>)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
    .join(',')}}`;
}

function fingerprint(req: FastifyRequest): string {
  const text = `${req.method} ${req.routeOptions.url} ${canonical(req.params)} ${canonical(req.body)}`;
  return createHash('sha256').update(text).digest('hex');
}

async function replay(
  keys: IdempotencyRepository,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  const idem = req.ctx.idempotency!;
  const saved = await keys.find(idem.actorKey, idem.key);
  if (!saved) return false;
  if (saved.fingerprint !== idem.fingerprint) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  // Keys saved before answers were kept in the act's transaction (0008) may lack one.
  if (saved.status === null) throw new DomainError('IDEMPOTENCY_IN_PROGRESS');
  delete req.ctx.idempotency;
  req.ctx.audited = true; // the first request was audited; the replay changes nothing
  req.ctx.answer = { status: saved.status, body: saved.body };
  reply.status(saved.status).header('idempotent-replayed', 'true');
  const redacted = (saved.body as { redacted?: unknown } | null)?.redacted;
  if (Array.isArray(redacted)) reply.header('idempotent-redacted', redacted.join(','));
  if (saved.status >= 400) reply.type('application/problem+json');
  await reply.send(saved.body);
  return true;
}

export function registerIdempotency(app: FastifyInstance, keys: IdempotencyRepository): void {
  app.addHook('preHandler', async (req, reply) => {
    const header = req.headers['idempotency-key'];
    if (header === undefined || !MUTATING.has(req.method) || !req.ctx?.actor) return;
    if (typeof header !== 'string' || !KEY.test(header)) {
      throw new DomainError('BAD_REQUEST', {
        summary: 'Idempotency-Key must be 8 to 128 letters, digits or ._:-',
      });
    }
    req.ctx.idempotency = {
      actorKey: req.ctx.actor.staffId ?? req.ctx.actor.username,
      key: header,
      fingerprint: fingerprint(req),
    };
    if (await replay(keys, req, reply)) return reply;
  });
}

/**
 * For the error handler: a retry whose claim collided with its first request waited for that
 * request to commit (a rolled-back claim frees the key, and the insert would have succeeded), so
 * the first request's answer is there.
 */
export async function replayAfterConflict(
  keys: IdempotencyRepository,
  err: unknown,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  if (!req.ctx?.idempotency || !(err instanceof IdempotencyConflict)) return false;
  return replay(keys, req, reply);
}
