#!/usr/bin/env node
/**
 * `npm run bench:qr`: e-card QR codes (docs/ECARD.md), signed and verified, against bare
 * node:crypto Ed25519 on the same payload in the same run.
 *
 * - bare: `crypto.sign` and `crypto.verify` of one 43-byte claims block, in this process, one core,
 *   for BENCH_QR_BARE_SECONDS (2) each: operations per second per core.
 * - signed through the service: `EcardsService.mintQr` in-process (the act step: transaction,
 *   access, the card read, the audit record, the SVG is not drawn), BENCH_CONNECTIONS at a time,
 *   on the bench database: codes per second, and per core of this process + PostgreSQL's backends.
 * - verified through the API: the compiled server (`dist/server.js`, SSCARD_WORKERS from
 *   BENCH_WORKERS, first value), `POST /api/v1/verify/qr` as the bench terminal, each request a
 *   code never presented before (made beforehand with the installation's signing key, exactly as
 *   `mintQr` signs them), autocannon in its own process: requests per second, and per core used
 *   (server + database CPU from /proc).
 *
 * Target (printed PASS/FAIL; a report, not a test): end-to-end verify per core used ≥ 0.3× bare
 * verify per core. Results in bench/results/qr-<time>.json.
 */
import { spawn } from 'node:child_process';
import { randomUUID, sign, verify, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ROOT, cores, cpuAccount, fixed, settings, writeResults } from './lib/common.mjs';
import { BENCH_ENV, prepareDatabase } from './lib/generate.mjs';
import { buildServer, startSscard } from './lib/procs.mjs';
import { machine, printHeader, verdict } from './lib/suite.mjs';

const TARGET = 0.3;
const ECARDS = 2000;
const MINTS = Number(process.env.BENCH_QR_MINTS || 3000);
const BARE_SECONDS = Number(process.env.BENCH_QR_BARE_SECONDS || 2);

// ---- the load generator (a child process of this script) -----------------------------------------

if (process.argv[2] === '--load') {
  const { default: autocannon } = await import('autocannon');
  const spec = JSON.parse(process.argv[3]);
  const tokens = readFileSync(spec.tokens, 'utf8').split('\n').filter(Boolean);
  let next = 0;
  const run = (seconds) =>
    autocannon({
      url: spec.url,
      connections: spec.connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/verify/qr',
          headers: { authorization: `Terminal ${spec.key}`, 'content-type': 'application/json' },
          setupRequest(req) {
            const token = tokens[next++ % tokens.length];
            return { ...req, body: JSON.stringify({ token }) };
          },
        },
      ],
    });
  if (spec.warmup > 0) await run(spec.warmup);
  process.stdout.write(JSON.stringify({ phase: 'measure' }) + '\n');
  const r = await run(spec.duration);
  process.stdout.write(
    JSON.stringify({
      seconds: r.duration,
      requests: r.requests.total,
      ok: r['2xx'],
      non2xx: r.non2xx,
      errors: r.errors,
      used: next,
      tokens: tokens.length,
      p50: r.latency.p50,
      p99: r.latency.p99,
    }) + '\n',
  );
  process.exit(0);
}

// ---- the benchmark ---------------------------------------------------------------------------------

const { loadConfig } = await import('../packages/server/src/config.ts');
const { openPlatform } = await import('../packages/server/src/platform.ts');
const { encodeQrClaims } = await import('@sscard/domain');
const { newJti, privateKeyFromDer, signQr } =
  await import('../packages/server/src/modules/ecards/qr-signing.ts');

function opsPerSecond(fn, seconds) {
  const until = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < until) for (let i = 0; i < 200; i++, n++) fn();
  return n / seconds;
}

function holderCtx(personId) {
  return {
    actor: {
      staffId: null,
      username: `holder:${personId}`,
      role: 'holder',
      organizationId: null,
      organizationKind: null,
      bankId: null,
      jurisdiction: null,
      scope: { kind: 'organization', organizationId: '' },
      sessionId: null,
      holder: { personId, wards: [] },
    },
    requestId: null,
    ip: null,
    reason: null,
    locale: 'zh-CN',
    audited: false,
  };
}

const m = machine();
printHeader('e-card QR codes: signed (service) and verified (POST /api/v1/verify/qr)', m);
buildServer();
const db = await prepareDatabase(10_000);
if (!db.terminal) throw new Error('no bench terminal registered');
const workers = settings.workers[0] ?? 1;

// E-cards for live cards (bench data, as the generator's bulk insert: not through the act).
const client = new pg.Client({ connectionString: db.url });
await client.connect();
await client.query(
  `insert into ecards (id, card_no, person_id, jurisdiction, issued_at, updated_at)
   select gen_random_uuid(), c.card_no, c.person_id, c.jurisdiction, now(), now()
     from cards c join persons p on p.id = c.person_id
    where c.status = 'issued' and c.loss_kind = 'none' and c.suspended_at is null
      and c.frozen_at is null and p.died_on is null
      and not exists (select 1 from ecards e where e.card_no = c.card_no)
    limit $1`,
  [ECARDS],
);
const ecards = (
  await client.query(
    `select e.id, e.person_id, c.version from ecards e join cards c on c.card_no = e.card_no
      limit $1`,
    [ECARDS],
  )
).rows;
await client.end();

// In-process platform: the service's mint rate, and the signing key for the load's codes.
const dataDir = mkdtempSync(path.join(tmpdir(), 'sscard-bench-qr-'));
const platform = await openPlatform({
  config: loadConfig({
    ...process.env,
    ...BENCH_ENV,
    DATABASE_URL: db.url,
    SSCARD_DATA_DIR: dataDir,
    SSCARD_QR_TTL_SECONDS: '3600',
  }),
});
let mint;
let key;
try {
  const service = platform.services.ecards;
  await service.mintQr(holderCtx(ecards[0].person_id), ecards[0].id); // the first key, warm-up
  for (let i = 0; i < 200; i++) {
    const e = ecards[i % ecards.length];
    await service.mintQr(holderCtx(e.person_id), e.id);
  }
  console.log(`signing through the service: ${MINTS} codes, ${settings.connections} at a time`);
  const account = cpuAccount({ serverPid: process.pid, database: db.name });
  const started = performance.now();
  let i = 0;
  await Promise.all(
    Array.from({ length: settings.connections }, async () => {
      while (i < MINTS) {
        const e = ecards[i++ % ecards.length];
        await service.mintQr(holderCtx(e.person_id), e.id);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = account.stop();
  const used = cpu.serverCpuSeconds + cpu.databaseCpuSeconds;
  mint = {
    codes: MINTS,
    perSecond: MINTS / seconds,
    perCoreSecond: used > 0 ? MINTS / used : null,
    cpu,
  };
  const active = await platform.deps.repos.ecards.activeKey();
  key = { kid: active.kid, der: active.openPrivate() };
} finally {
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
}

// Bare node:crypto on the same payload.
const privateKey = privateKeyFromDer(key.der);
const publicKey = createPublicKey(privateKey);
const claims = {
  kid: key.kid,
  ecardId: ecards[0].id,
  issuedAt: new Date(Math.floor(Date.now() / 1000) * 1000),
  ttlSeconds: 3600,
  cardVersion: ecards[0].version,
  jti: newJti(),
};
const body = encodeQrClaims(claims);
const signature = sign(null, body, privateKey);
const bare = {
  signPerSecond: opsPerSecond(() => sign(null, body, privateKey), BARE_SECONDS),
  verifyPerSecond: opsPerSecond(() => verify(null, body, publicKey, signature), BARE_SECONDS),
};
console.log(
  `bare node:crypto Ed25519, one core: sign ${fixed(bare.signPerSecond, 0)}/s, verify ${fixed(bare.verifyPerSecond, 0)}/s`,
);

// Codes for the load: one per request (warm-up and measured run), each used once.
const expected = Math.ceil(
  Math.max(4000, bare.verifyPerSecond) * (settings.warmup + settings.duration) * 0.6,
);
const count = Number(process.env.BENCH_QR_TOKENS || Math.min(expected, 600_000));
const tokenFile = path.join(mkdtempSync(path.join(tmpdir(), 'sscard-bench-qr-')), 'tokens.txt');
{
  const lines = [];
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  for (let i = 0; i < count; i++) {
    const e = ecards[i % ecards.length];
    lines.push(
      signQr(
        {
          kid: key.kid,
          ecardId: e.id,
          issuedAt: now,
          ttlSeconds: 3600,
          cardVersion: Number(e.version),
          jti: newJti(),
        },
        privateKey,
      ),
    );
  }
  writeFileSync(tokenFile, lines.join('\n'));
}
console.log(`${count} codes made for the load`);

const server = await startSscard(db, workers, { SSCARD_QR_TTL_SECONDS: '3600' });
let load;
try {
  const probe = await fetch(`${server.url}/api/v1/verify/qr`, {
    method: 'POST',
    headers: {
      authorization: `Terminal ${db.terminal.apiKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      token: signQr(
        { ...claims, issuedAt: new Date(Math.floor(Date.now() / 1000) * 1000), jti: newJti() },
        privateKey,
      ),
    }),
  });
  const probeBody = await probe.text();
  if (probe.status !== 200) throw new Error(`verify/qr answered ${probe.status}: ${probeBody}`);
  console.log(`verifying through the API: sscard, ${workers} worker(s)`);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'bench/qr.mjs'),
      '--load',
      JSON.stringify({
        url: server.url,
        key: db.terminal.apiKey,
        tokens: tokenFile,
        connections: settings.connections,
        warmup: settings.warmup,
        duration: settings.duration,
      }),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  let account = null;
  child.stdout.on('data', (d) => {
    out += d;
    if (!account && out.includes('"phase":"measure"'))
      account = cpuAccount({ serverPid: server.pid, database: db.name });
  });
  const code = await new Promise((r) => child.once('exit', r));
  const cpu = account?.stop() ?? null;
  if (code !== 0) throw new Error(`the load generator failed (exit ${code})`);
  const r = JSON.parse(out.trim().split('\n').at(-1));
  const used = cpu ? cpu.serverCpuSeconds + cpu.databaseCpuSeconds : null;
  load = {
    ...r,
    perSecond: r.ok / r.seconds,
    perCoreSecond: used ? r.ok / used : null,
    serverCpuUsPerRequest: cpu ? (cpu.serverCpuSeconds * 1e6) / r.requests : null,
    databaseCpuUsPerRequest: cpu ? (cpu.databaseCpuSeconds * 1e6) / r.requests : null,
    otherCpuPercent: cpu?.otherCpuPercent ?? null,
    cpu,
  };
} finally {
  await server.stop();
  rmSync(path.dirname(tokenFile), { recursive: true, force: true });
}

const verifyRatio = load.perCoreSecond ? load.perCoreSecond / bare.verifyPerSecond : null;
const signRatio = mint.perCoreSecond ? mint.perCoreSecond / bare.signPerSecond : null;
console.log('');
console.log(
  `signed through the service (act step, audited): ${fixed(mint.perSecond, 0)} codes/s; ` +
    `${fixed(mint.perCoreSecond, 0)} per core-second (this process + database); ` +
    `${fixed(signRatio, 3)}× bare sign per core`,
);
console.log(
  `verified through the API (${workers} worker(s)): ${fixed(load.perSecond, 0)} codes/s (${load.ok} answered 200, ` +
    `${load.non2xx} other, ${load.errors} errors; p50 ${load.p50} ms, p99 ${load.p99} ms); ` +
    `server ${fixed(load.serverCpuUsPerRequest, 0)} µs + database ${fixed(load.databaseCpuUsPerRequest, 0)} µs CPU per request; ` +
    `${fixed(load.perCoreSecond, 0)} per core-second; other load ${fixed(load.otherCpuPercent, 0)}%`,
);
console.log(
  `end-to-end verify per core / bare verify per core = ${fixed(verifyRatio, 3)} (target ≥ ${TARGET}: ${verdict(verifyRatio !== null && verifyRatio >= TARGET)})`,
);
if (load.non2xx > 0)
  console.log(
    `note: ${load.non2xx} answers were not 200 (a code reused when the load outran the ${count} made)`,
  );

const file = writeResults('qr', {
  benchmark: 'qr',
  command: 'npm run bench:qr',
  at: new Date().toISOString(),
  machine: m,
  cores: cores(),
  settings,
  workers,
  bare,
  mint,
  verify: load,
  ratios: { verifyPerCore: verifyRatio, signPerCore: signRatio },
  target: { verifyPerCore: TARGET, met: verifyRatio !== null && verifyRatio >= TARGET },
  runId: randomUUID(),
});
console.log(`\nresults: ${file}`);
