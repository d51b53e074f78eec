#!/usr/bin/env node
/**
 * The load generator, in a process of its own: autocannon with N connections against one URL,
 * each request for a random card among the generated ones; a warm-up run, then the measured run.
 * Prints the measured run as one JSON line on stdout.
 *
 *   node bench/lib/load.mjs '{"url":"http://127.0.0.1:3000","kind":"verify","token":"…",
 *                              "serials":1000000,"connections":16,"warmup":3,"duration":10}'
 *
 * kind `verify`: POST /api/v1/verify/card with `Authorization: Terminal <token>`;
 * kind `staff`:  GET /api/v1/cards/{cardNo} with `Authorization: Bearer <token>`.
 */
import autocannon from 'autocannon';
import { cardNumber } from './common.mjs';

const spec = JSON.parse(process.argv[2]);

function requestFor(kind) {
  const pick = () => cardNumber(1 + Math.floor(Math.random() * spec.serials), spec.division);
  if (kind === 'verify') {
    return {
      method: 'POST',
      path: '/api/v1/verify/card',
      headers: { authorization: `Terminal ${spec.token}`, 'content-type': 'application/json' },
      setupRequest(req) {
        return { ...req, body: JSON.stringify({ cardNo: pick(), function: 'social' }) };
      },
    };
  }
  return {
    method: 'GET',
    path: '/api/v1/cards/x',
    headers: { authorization: `Bearer ${spec.token}` },
    setupRequest(req) {
      return { ...req, path: `/api/v1/cards/${pick()}` };
    },
  };
}

function run(seconds) {
  return autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: seconds,
    requests: [requestFor(spec.kind)],
  });
}

if (spec.warmup > 0) await run(spec.warmup);
// The parent starts counting CPU time from here.
process.stdout.write(JSON.stringify({ phase: 'measure' }) + '\n');
const r = await run(spec.duration);
const ok = r['2xx'];
process.stdout.write(
  JSON.stringify({
    seconds: r.duration,
    requests: r.requests.total,
    ok,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: r.statusCodeStats,
    rps: ok / r.duration,
    latencyMs: {
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      mean: r.latency.mean,
      max: r.latency.max,
    },
  }) + '\n',
);
