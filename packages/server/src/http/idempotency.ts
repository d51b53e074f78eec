/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): a client that retries a request
 * with the same key gets the first answer back and nothing is done twice. The key is claimed in
 * the act's transaction (db/transact.ts); the answer is stored once it is sent. A key reused for a
 * different request is refused. A retry that finds its first request committed but not yet
 * answered (or collides with it on the key) waits up to three seconds for that answer; a first
 * request still unfinished after that answers 409 IDEMPOTENCY_IN_PROGRESS.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '@sscard/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { isUniqueViolation } from '../deps.js';

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

/** How long a retry that collided with its first request waits for that request's answer. */
const WAIT_FOR_FIRST_MS = 3000;
const POLL_MS = 50;

async function replay(
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
  waitMs = 0,
): Promise<boolean> {
  const idem = req.ctx.idempotency!;
  const find = () =>
    deps.db
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'status_code', 'response'])
      .where('actor_key', '=', idem.actorKey)
      .where('key', '=', idem.key)
      .executeTakeFirst();
  let row = await find();
  // The first request has committed and is sending its answer: wait for it rather than 409.
  for (let waited = 0; row && row.status_code === null && waited < waitMs; waited += POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    row = await find();
  }
  if (!row) return false;
  if (row.fingerprint !== idem.fingerprint) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  if (row.status_code === null) throw new DomainError('IDEMPOTENCY_IN_PROGRESS');
  req.ctx.audited = true; // the first request was audited; the replay changes nothing
  reply.status(row.status_code).header('idempotent-replayed', 'true');
  if (row.status_code >= 400) reply.type('application/problem+json');
  await reply.send(row.response);
  return true;
}

export function registerIdempotency(app: FastifyInstance, deps: Deps): void {
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
      claimed: false,
    };
    if (await replay(deps, req, reply, WAIT_FOR_FIRST_MS)) return reply;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const idem = req.ctx?.idempotency;
    // A refusal whose transaction still committed (a wrong PIN counts) is kept like a success,
    // so that the retry gets it back instead of waiting for an answer that never comes.
    if (!idem?.committed || reply.getHeader('idempotent-replayed')) return payload;
    const body = typeof payload === 'string' && payload.length ? JSON.parse(payload) : null;
    await deps.db
      .updateTable('idempotency_keys')
      .set({ status_code: reply.statusCode, response: JSON.stringify(body) })
      .where('actor_key', '=', idem.actorKey)
      .where('key', '=', idem.key)
      .execute();
    return payload;
  });
}

/** For the error handler: a retry that collided with its own first request gets that answer. */
export async function replayAfterConflict(
  deps: Deps,
  err: unknown,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  if (!req.ctx?.idempotency || !isUniqueViolation(err)) return false;
  const constraint = (err as { constraint?: string }).constraint;
  if (constraint && constraint !== 'idempotency_keys_pkey') return false;
  return replay(deps, req, reply, WAIT_FOR_FIRST_MS);
}
