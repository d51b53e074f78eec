#!/usr/bin/env node
/**
 * The bare floor: the least a server can do to answer the benchmarks' questions on the same
 * database. Fastify and node-postgres, one process; the credential compared in memory with one
 * token; one prepared (named) primary-key read of the card row; a small JSON answer. No session
 * table, no access rules, no rule packs, no log of the check. sscard's figures are read against it.
 *
 *   PORT=4000 DATABASE_URL=postgres://… BARE_TOKEN=… node bench/bare-floor.mjs
 *
 * POST /api/v1/verify/card  (Authorization: Terminal <token>, {"cardNo": "…", "function": "social"})
 * GET  /api/v1/cards/:cardNo (Authorization: Bearer <token>)
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const token = process.env.BARE_TOKEN ?? '';
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.BARE_POOL || 10),
});
const CARD = {
  name: 'bare_card',
  text:
    'select card_no, person_id, jurisdiction, kind, status, loss_kind, loss_until, suspended_at, ' +
    'frozen_at, social_enabled_at, financial_activated_at, expires_on, issued_at ' +
    'from cards where card_no = $1',
};

function allowed(header, scheme) {
  if (typeof header !== 'string' || !header.startsWith(`${scheme} `)) return false;
  const given = Buffer.from(header.slice(scheme.length + 1));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

async function card(cardNo) {
  return (await pool.query({ ...CARD, values: [cardNo] })).rows[0];
}

const app = Fastify({ logger: false });

app.post('/api/v1/verify/card', async (req, reply) => {
  if (!allowed(req.headers.authorization, 'Terminal')) return reply.code(401).send({});
  const { cardNo, function: fn = 'social' } = req.body ?? {};
  if (typeof cardNo !== 'string') return reply.code(400).send({});
  const row = await card(cardNo);
  if (!row) return reply.code(404).send({ code: 'NOT_FOUND' });
  const reasons = [];
  if (row.status !== 'issued') reasons.push({ code: 'not_issued' });
  if (row.loss_kind !== 'none') reasons.push({ code: 'lost' });
  if (row.suspended_at) reasons.push({ code: 'suspended' });
  if (fn === 'social' && !row.social_enabled_at) reasons.push({ code: 'social_not_enabled' });
  return {
    valid: reasons.length === 0,
    cardNo: row.card_no,
    function: fn,
    checkedAt: new Date().toISOString(),
    reasons,
  };
});

app.get('/api/v1/cards/:cardNo', async (req, reply) => {
  if (!allowed(req.headers.authorization, 'Bearer')) return reply.code(401).send({});
  const row = await card(req.params.cardNo);
  if (!row) return reply.code(404).send({ code: 'NOT_FOUND' });
  return row;
});

app.get('/healthz', async () => ({ status: 'ok' }));

const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
await app.listen({ port: Number(process.env.PORT || 4000), host: '127.0.0.1' });
