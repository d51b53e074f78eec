#!/usr/bin/env node
/**
 * `npm run bench:verify`: the terminals' card check, `POST /api/v1/verify/card`, at 10,000 and at
 * 1,000,000 generated cards (BENCH_SIZES), each against the bare floor (one prepared primary-key
 * read, the key compared in memory) on the same database, and `pgbench -S -M prepared` on the same
 * PostgreSQL at the same concurrency. Targets, printed PASS/FAIL (a report, not a test: it exits 0
 * whatever the figures): sscard ≥ 1.0× the bare floor, ≥ 0.10× pgbench -S, and its ratio to the
 * bare floor at 1,000,000 cards within 20% of the one at 10,000. Then the offline deny-list's size
 * at the largest size: the whole list, and the delta after ~100 more cards are reported lost.
 * See docs/PERFORMANCE.md.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { cardNumber, fixed, settings, writeResults } from './lib/common.mjs';
import { prepareDatabase } from './lib/generate.mjs';
import { buildServer, runPgbench, staffLogin, startSscard } from './lib/procs.mjs';
import {
  CPU_NOTE,
  machine,
  printHeader,
  ratios,
  resultRows,
  runTargets,
  verdict,
} from './lib/suite.mjs';

const TARGET_BARE = 1.0;
const TARGET_PGBENCH = 0.1;
const TARGET_SCALE = 0.2;
const LOSSES = 100;

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** GET the deny-list as the terminal; its size as sent and gzipped. */
async function denyList(url, key, since) {
  const started = Date.now();
  const r = await fetch(`${url}/api/v1/verify/deny-list${since == null ? '' : `?since=${since}`}`, {
    headers: { authorization: `Terminal ${key}`, 'accept-encoding': 'identity' },
  });
  const body = Buffer.from(await r.arrayBuffer());
  if (r.status !== 200) return { status: r.status, body: body.toString().slice(0, 300) };
  const list = JSON.parse(body.toString());
  return {
    status: 200,
    ms: Date.now() - started,
    version: list.version,
    added: list.added?.length ?? null,
    removed: list.removed?.length ?? null,
    bytes: body.length,
    gzipBytes: gzipSync(body).length,
  };
}

/** Reports `count` more cards formally lost at the branch counter (cards not lost already). */
async function reportLosses(url, token, cards, count) {
  let done = 0;
  let tried = 0;
  while (done < count && tried < count * 5) {
    tried += 1;
    // the generator's lost (i % 100 < 3), suspended (= 3) and deceased (i % 200 = 7) are skipped
    const serial =
      100 * Math.floor(Math.random() * Math.floor(cards / 100)) +
      10 +
      Math.floor(Math.random() * 90);
    const r = await fetch(`${url}/api/v1/cards/${cardNumber(serial)}/loss`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': `bench-loss-${randomUUID()}`,
      },
      body: JSON.stringify({ kind: 'formal' }),
    });
    await r.arrayBuffer();
    if (r.status === 200) done += 1;
    else if (r.status !== 409 && r.status !== 422)
      throw new Error(`reporting a loss answered ${r.status}`);
  }
  return done;
}

async function measureDenyList(db) {
  if (!db.terminal) return { available: false, why: 'no terminal (terminals module missing)' };
  const server = await startSscard(db, 1, { SSCARD_DENY_LIST_MAX_AGE_SECONDS: '0' });
  try {
    const full = await denyList(server.url, db.terminal.apiKey, null);
    if (full.status !== 200) return { available: false, why: `answered ${full.status}` };
    const token = await staffLogin(server.url);
    const reported = await reportLosses(server.url, token, db.cards, LOSSES);
    const delta = await denyList(server.url, db.terminal.apiKey, full.version);
    return { available: true, cards: db.cards, full, reported, delta };
  } finally {
    await server.stop();
  }
}

const m = machine();
printHeader('card check: POST /api/v1/verify/card', m);
buildServer();
console.log('pgbench -S -M prepared: measuring');
const pgbench = await runPgbench();
const rounds = {};
let largest = null;
for (const size of settings.sizes) {
  const db = await prepareDatabase(size);
  if (!db.terminal) {
    console.log(
      `  no terminal could be registered (terminals module missing): card check not measured at ${size} cards`,
    );
    continue;
  }
  rounds[size] = await runTargets(db, 'verify', async () => db.terminal.apiKey);
  if (!largest || size > largest.cards) largest = db;
}

const sizes = Object.keys(rounds).map(Number);
const allRatios = {};
const targets = {};
for (const size of sizes) {
  console.log(`\n${size.toLocaleString('en')} cards\n`);
  console.log(resultRows(rounds[size], pgbench));
  allRatios[size] = ratios(rounds[size], pgbench);
}
console.log('\nthe bare floor is one process; sscard runs with 1 worker and with a cluster');
console.log(
  `pgbench: ${pgbench.command}, ${fixed(pgbench.rps, 0)} transactions/s (latency percentiles from a 10% sample of its log)\n`,
);
for (const size of sizes)
  for (const [w, x] of Object.entries(allRatios[size])) {
    const t = (targets[`${size}/${w}`] = {
      bare: x.bare >= TARGET_BARE,
      pgbench: x.pgbench >= TARGET_PGBENCH,
    });
    console.log(
      `${size.toLocaleString('en')} cards, sscard ${w} worker(s): ${fixed(x.bare)}× bare floor ` +
        `(target ≥ ${TARGET_BARE}×: ${verdict(t.bare)}), ${fixed(x.pgbench, 3)}× pgbench -S ` +
        `(target ≥ ${TARGET_PGBENCH}×: ${verdict(t.pgbench)}); by CPU time per request ${fixed(x.bareByCpu)}× bare floor`,
    );
  }
console.log(CPU_NOTE);
const scale = {};
if (sizes.length >= 2) {
  const [small, big] = [Math.min(...sizes), Math.max(...sizes)];
  for (const w of Object.keys(allRatios[big])) {
    const q = allRatios[big][w].bare / allRatios[small][w].bare;
    // The same with the CPU-time ratios: steadier when other processes share the machine.
    const byCpu = allRatios[big][w].bareByCpu / allRatios[small][w].bareByCpu;
    scale[w] = { ratio: q, pass: Math.abs(q - 1) <= TARGET_SCALE, byCpu };
    console.log(
      `sscard ${w} worker(s): (sscard/bare at ${big.toLocaleString('en')}) / (sscard/bare at ${small.toLocaleString('en')}) = ` +
        `${fixed(q)} (target within ${TARGET_SCALE * 100}% of 1: ${verdict(scale[w].pass)}); ` +
        `by CPU time per request ${fixed(byCpu)}`,
    );
  }
}

let deny = { available: false, why: 'no card check measured' };
if (largest) {
  try {
    deny = await measureDenyList(largest);
  } catch (e) {
    deny = { available: false, why: e instanceof Error ? e.message : String(e) };
  }
}
if (!deny.available) console.log(`\ndeny-list: route not available (${deny.why})`);
else {
  const { full, delta } = deny;
  console.log(`\ndeny-list at ${deny.cards.toLocaleString('en')} cards:`);
  console.log(
    `  full (version ${full.version}): ${full.added} cards, ${kib(full.bytes)}, ${kib(full.gzipBytes)} gzipped, answered in ${full.ms} ms`,
  );
  console.log(
    `  delta after ${deny.reported} more losses (since ${full.version}, now ${delta.version}): ` +
      `${delta.added} added, ${delta.removed} removed, ${delta.bytes} bytes, ${delta.gzipBytes} bytes gzipped, answered in ${delta.ms} ms`,
  );
}

const file = writeResults('verify', {
  benchmark: 'verify',
  command: 'npm run bench:verify',
  at: new Date().toISOString(),
  machine: m,
  settings,
  pgbench,
  rounds,
  ratios: allRatios,
  targets: {
    bare: TARGET_BARE,
    pgbench: TARGET_PGBENCH,
    scaleWithin: TARGET_SCALE,
    met: targets,
    scale,
  },
  denyList: deny,
});
console.log(`\nresults: ${file}`);
