/**
 * One round of a benchmark on one database: sscard at each worker count, then the bare floor,
 * each measured by the load generator in its own process; plus the printing of results.
 */
import os from 'node:os';
import { best, cardNumber, cores, fixed, mib, settings, table } from './common.mjs';
import { measure, startBare, startSscard } from './procs.mjs';

export function machine() {
  return {
    cores: cores(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export function printHeader(title, m) {
  console.log(`\n== ${title} ==`);
  console.log(
    `machine: ${m.cores} cores (os.cpus().length), ${m.cpu}, ${mib(m.memoryBytes)}, node ${m.node}`,
  );
  console.log(
    `load: autocannon in its own process, ${settings.connections} connections, ` +
      `${settings.warmup} s warm-up then ${settings.duration} s measured` +
      (settings.repeat > 1 ? `, best of ${settings.repeat} rounds; ` : '; ') +
      `the load generator, the server and PostgreSQL share the machine's cores`,
  );
}

/** A request for one card, to see that the route answers before measuring it. */
export async function probe(url, kind, token, serial = 1) {
  const cardNo = cardNumber(serial);
  const r =
    kind === 'verify'
      ? await fetch(`${url}/api/v1/verify/card`, {
          method: 'POST',
          headers: { authorization: `Terminal ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ cardNo, function: 'social' }),
        })
      : await fetch(`${url}/api/v1/cards/${cardNo}`, {
          headers: { authorization: `Bearer ${token}` },
        });
  return { status: r.status, body: await r.text() };
}

/**
 * sscard at every worker count of BENCH_WORKERS, then the bare floor, on one database; the
 * whole round BENCH_REPEAT times (fresh processes each time), keeping the best run of each.
 * `auth(server)` answers the token for a running sscard (a staff session is made once).
 */
export async function runTargets(db, kind, auth, log = console.log) {
  const runs = { sscard: {}, bare: [] };
  let token = null;
  for (let rep = 1; rep <= settings.repeat; rep++) {
    const round = settings.repeat > 1 ? ` (round ${rep} of ${settings.repeat})` : '';
    for (const workers of settings.workers) {
      const server = await startSscard(db, workers);
      try {
        token ??= await auth(server);
        const p = await probe(server.url, kind, token);
        if (p.status !== 200)
          throw new Error(`sscard answered ${p.status} to the probe: ${p.body.slice(0, 500)}`);
        log(`  sscard, ${workers} worker(s): measuring${round}`);
        (runs.sscard[workers] ??= []).push(
          await measure(server, { kind, token, serials: db.cards }, db.name),
        );
      } finally {
        await server.stop();
      }
    }
    const bare = await startBare(db, token);
    try {
      const p = await probe(bare.url, kind, token);
      if (p.status !== 200) throw new Error(`the bare floor answered ${p.status} to the probe`);
      log(`  bare floor (1 process): measuring${round}`);
      runs.bare.push(await measure(bare, { kind, token, serials: db.cards }, db.name));
    } finally {
      await bare.stop();
    }
  }
  const sscard = {};
  for (const [w, list] of Object.entries(runs.sscard)) sscard[w] = best(list);
  return { sscard, bare: best(runs.bare), runs };
}

const ms = (v) => (v == null ? 'n/a' : `${fixed(v, 2)} ms`);
const us = (v) => (v == null ? 'n/a' : `${fixed(v, 0)} µs`);

function row(name, r, processes) {
  return [
    name,
    fixed(r.rps, 0),
    ms(r.latencyMs.p50),
    ms(r.latencyMs.p99),
    mib(r.peakRssBytes),
    processes,
    us(r.serverCpuUsPerRequest),
    us(r.databaseCpuUsPerRequest),
    r.non2xx == null ? '-' : `${r.non2xx}/${r.errors}`,
    `${fixed(r.otherCpuPercent, 0)}%`,
  ];
}

export function resultRows(round, pgbench) {
  const rows = [
    [
      '',
      'requests/s',
      'p50',
      'p99',
      'peak RSS',
      'processes',
      'server CPU/req',
      'db CPU/req',
      'non-2xx/errors',
      'other load',
    ],
  ];
  for (const [w, r] of Object.entries(round.sscard))
    rows.push(row(`sscard, ${w} worker${w === '1' ? '' : 's'}`, r, r.processes));
  rows.push(row('bare floor (1 process)', round.bare, round.bare.processes));
  if (pgbench) {
    const p = row('pgbench -S -M prepared', pgbench, '-');
    p[6] = `(client ${us((pgbench.cpu.benchCpuSeconds * 1e6) / pgbench.transactions)})`;
    rows.push(p);
  }
  return (
    table(rows) +
    '\n(autocannon reports latency in whole milliseconds; CPU/req: CPU time of the server process(es) and of' +
    '\n the database backends during the measured run, per answered request; other load: CPU used by other' +
    '\n processes on the machine during the run, in % of all cores)'
  );
}

/** sscard / bare and sscard / pgbench for every worker count. */
export function ratios(round, pgbench) {
  const out = {};
  const cpu = (r) =>
    r.serverCpuUsPerRequest == null
      ? null
      : r.serverCpuUsPerRequest + (r.databaseCpuUsPerRequest ?? 0);
  for (const [w, r] of Object.entries(round.sscard)) {
    const mine = cpu(r);
    const floor = cpu(round.bare);
    out[w] = {
      bare: r.rps / round.bare.rps,
      pgbench: pgbench ? r.rps / pgbench.rps : null,
      // Derived, not measured throughput: what the ratio to the bare floor would be if both
      // were bound by CPU alone (server + database CPU time per request).
      bareByCpu: mine && floor ? floor / mine : null,
    };
  }
  return out;
}

export const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

export const CPU_NOTE =
  "(by CPU time per request: the bare floor's server + database CPU per request divided by " +
  "sscard's; what the ratio would be if both were bound by CPU alone: derived, not measured)";
