#!/usr/bin/env node
/**
 * `npm run bench:staff`: a counter operator reads cards, `GET /api/v1/cards/{cardNo}` with a
 * staff session, on BENCH_STAFF_CARDS (1,000,000) generated cards; against the bare floor (one
 * prepared primary-key read, the token compared in memory) and `pgbench -S -M prepared` on the
 * same PostgreSQL, at the same concurrency. Target: sscard ≥ 0.5× the bare floor. A report, not
 * a test: it exits 0 whatever the figures. See docs/PERFORMANCE.md.
 */
import { fixed, settings, writeResults } from './lib/common.mjs';
import { prepareDatabase } from './lib/generate.mjs';
import { buildServer, runPgbench, staffLogin } from './lib/procs.mjs';
import {
  CPU_NOTE,
  machine,
  printHeader,
  ratios,
  resultRows,
  runTargets,
  verdict,
} from './lib/suite.mjs';

const TARGET_BARE = 0.5;

const m = machine();
printHeader('staff card read: GET /api/v1/cards/{cardNo}', m);
buildServer();
const db = await prepareDatabase(settings.staffSize);
console.log('pgbench -S -M prepared: measuring');
const pgbench = await runPgbench();
const round = await runTargets(db, 'staff', (server) => staffLogin(server.url));
const r = ratios(round, pgbench);

console.log(`\n${settings.staffSize.toLocaleString('en')} cards\n`);
console.log(resultRows(round, pgbench));
console.log('\nthe bare floor is one process; sscard runs with 1 worker and with a cluster\n');
const targets = {};
for (const [w, x] of Object.entries(r)) {
  targets[w] = { bare: x.bare >= TARGET_BARE };
  console.log(
    `sscard ${w} worker(s): ${fixed(x.bare)}× bare floor (target ≥ ${TARGET_BARE}×: ${verdict(targets[w].bare)}), ` +
      `${fixed(x.pgbench, 3)}× pgbench -S; by CPU time per request ${fixed(x.bareByCpu)}× bare floor`,
  );
}
console.log(CPU_NOTE);
const file = writeResults('staff', {
  benchmark: 'staff',
  command: 'npm run bench:staff',
  at: new Date().toISOString(),
  machine: m,
  settings,
  cards: settings.staffSize,
  pgbench,
  round,
  ratios: r,
  targets: { bare: TARGET_BARE, met: targets },
});
console.log(`\nresults: ${file}`);
