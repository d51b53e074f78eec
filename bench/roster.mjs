#!/usr/bin/env node
/**
 * `npm run bench:roster`: imports a generated roster (BENCH_ROSTER_SIZES, default 10000,100000
 * rows; 1% bad rows) through the roster service, exactly as the queued job does (upload act, then
 * one act per chunk of SSCARD_ROSTER_CHUNK_ROWS rows), on PGlite and, with DATABASE_URL, on
 * PostgreSQL. For each size it prints rows per second, the ratio to a plain `COPY` of the same
 * CSV into a bare table measured in the same run (target ≥ 0.2), and the importer's peak RSS
 * during the import (it must stay flat as the file grows: the reader streams), and the write floor
 * (`writeFloor`: the import's own rows written server-side into twins with the same indexes and
 * keys, the bound no importer writing those rows can beat). Each size runs in
 * a child process of its own so peak RSS is the import's. Persons are seeded first (registered
 * with a photo, as a unit's people are), outside the measure. A report, not a test.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

if (process.argv[2] === '--worker') {
  await worker(Number(process.argv[3]), process.argv[4]);
  process.exit(0);
}

const sizes = (process.env.BENCH_ROSTER_SIZES ?? '10000,100000').split(',').map(Number);
const backends = ['pglite', ...(process.env.DATABASE_URL ? ['postgres'] : [])];
console.log(`roster import benchmark: sizes ${sizes.join(', ')}; backends ${backends.join(', ')}`);
// BENCH_ROSTER_HEAP_MB caps V8's heap in the workers: peak RSS then shows what the import keeps
// rather than how far the collector lets the heap grow before it collects.
const heapCap = process.env.BENCH_ROSTER_HEAP_MB
  ? [`--max-old-space-size=${Number(process.env.BENCH_ROSTER_HEAP_MB)}`]
  : [];
if (heapCap.length) console.log(`V8 heap capped: ${heapCap[0]}`);
const results = [];
for (const backend of backends)
  for (const size of sizes) {
    const r = spawnSync(
      process.execPath,
      [...heapCap, '--expose-gc', '--import', 'tsx', here, '--worker', String(size), backend],
      {
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'silent' },
        maxBuffer: 1 << 24,
      },
    );
    const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) {
      console.log(`${backend} ${size}: failed\n${r.stdout}\n${r.stderr}`);
      continue;
    }
    const x = JSON.parse(line.slice(7));
    results.push(x);
    console.log(
      `${backend.padEnd(8)} ${String(size).padStart(7)} rows: import ${x.importSeconds.toFixed(1)} s = ` +
        `${Math.round(x.rowsPerSecond)} rows/s (accepted ${x.accepted}, refused ${x.refused}); ` +
        `COPY ${x.copySeconds.toFixed(3)} s = ${Math.round(x.copyRowsPerSecond)} rows/s; ` +
        `ratio ${x.ratio.toFixed(4)} (target ≥ 0.2: ${x.ratio >= 0.2 ? 'met' : 'NOT met'}); ` +
        `peak RSS during import ${x.peakRssMb} MB (baseline ${x.baselineRssMb} MB), ` +
        `V8 heap used ${x.peakHeapMb} MB (baseline ${x.baselineHeapMb} MB); ` +
        `longest event-loop stall ${x.maxLoopStallMs} ms\n` +
        `${''.padEnd(17)}write floor (the import's rows alone, server-side, same indexes and keys): ` +
        `${x.floorSeconds.toFixed(2)} s = ${Math.round(x.floorRowsPerSecond)} rows/s, ratio to COPY ` +
        `${x.floorRatio.toFixed(4)}; the importer runs at ${(x.ofFloor * 100).toFixed(0)}% of it`,
    );
  }
console.log(JSON.stringify({ benchmark: 'roster', command: 'npm run bench:roster', results }));

/**
 * The write floor: what writing the import's own rows costs the database and nothing else. Each
 * table the import wrote is copied server-side (`insert … select`) into an empty twin with the
 * same columns, checks, indexes and foreign keys, timed, then dropped. No client work, no
 * decision, no round trip per row: no importer that writes these rows can be faster than this.
 */
async function writeFloor(db, sql) {
  const tables = ['applications', 'application_checks', 'cards', 'roster_rows', 'audit_log'];
  const out = {};
  let seconds = 0;
  for (const t of tables) {
    const twin = `floor_${t}`;
    await sql.raw(`create table ${twin} (like ${t} including all)`).execute(db);
    const { rows: fks } = await sql
      .raw(
        `select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = '${t}'::regclass and contype = 'f'`,
      )
      .execute(db);
    for (const { def } of fks) await sql.raw(`alter table ${twin} add ${def}`).execute(db);
    const t0 = performance.now();
    const r = await sql.raw(`insert into ${twin} select * from ${t}`).execute(db);
    const s = (performance.now() - t0) / 1000;
    await sql.raw(`drop table ${twin}`).execute(db);
    out[t] = { rows: Number(r.numAffectedRows ?? 0), seconds: Math.round(s * 1000) / 1000 };
    seconds += s;
  }
  return { seconds, tables: out };
}

function cn(k) {
  return '职工' + String(k).replace(/\d/g, (d) => '零一二三四五六七八九'[Number(d)]);
}

async function worker(size, backend) {
  process.env.LOG_LEVEL = 'silent';
  const { loadConfig, systemContext } = await import('../packages/server/src/index.ts');
  const { openPlatform } = await import('../packages/server/src/platform.ts');
  const { mod11_2CheckChar } = await import('@sscard/domain');
  const pg = (await import('pg')).default;
  const { sql } = await import('kysely');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sscard-bench-roster-'));
  let dbUrl;
  let dbName;
  if (backend === 'postgres') {
    dbName = `bench_roster_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`create database ${dbName}`);
    await c.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${dbName}`;
    dbUrl = u.toString();
  }
  const env = { ...process.env, SSCARD_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  if (dbUrl) env.DATABASE_URL = dbUrl;
  const platform = await openPlatform({ config: loadConfig(env) });
  const { services, deps } = platform;
  const sys = systemContext('bench');
  const org = (kind, code, parentId) =>
    services.organizations.create(
      {
        kind,
        code,
        name: `${code} 测试`,
        jurisdiction: '350100',
        parentId: parentId ?? null,
        level: kind === 'centre' ? 'city' : null,
        canInstantIssue: false,
        servicePointKind: null,
      },
      sys,
    );
  const centre = await org('centre', 'FZ-C');
  const bank = await org('bank', 'FZ-B', centre.id);
  const branch = await org('branch', 'FZ-B-1', bank.id);
  const actor = {
    staffId: null,
    username: 'bench.centre',
    role: 'centre_admin',
    organizationId: centre.id,
    organizationKind: 'centre',
    bankId: null,
    jurisdiction: '350100',
    scope: { kind: 'jurisdiction', prefix: '350100' },
    sessionId: null,
  };
  const ctx = { actor, requestId: null, ip: null, reason: null, locale: 'zh-CN', audited: false };

  // People: registered with a photo (bench data, written directly as the generator does).
  const ids = [];
  const base = Date.UTC(1960, 0, 1);
  for (let i = 0; i < size; i++) {
    const d = new Date(base + Math.floor(i / 400) * 86_400_000).toISOString().slice(0, 10);
    const body = `350102${d.replaceAll('-', '')}${String((i % 400) * 2 + 100)
      .padStart(3, '0')
      .slice(-3)}`;
    ids.push(body + mod11_2CheckChar(body));
  }
  const seeding = performance.now();
  for (let i = 0; i < size; i += 1000) {
    await deps.db.transaction().execute(async (trx) => {
      for (let k = i; k < Math.min(size, i + 1000); k++) {
        const now = new Date();
        await deps.repos.persons.insert(
          trx,
          {
            id: randomUUID(),
            ssn: ids[k],
            idType: 'resident_id',
            idNumber: ids[k],
            name: cn(k),
            sex: Number(ids[k][16]) % 2 ? 'male' : 'female',
            ethnicity: null,
            nationality: 'CHN',
            birthDate: `${ids[k].slice(6, 10)}-${ids[k].slice(10, 12)}-${ids[k].slice(12, 14)}`,
            phone: '13800138000',
            householdAddress: null,
            residenceAddress: null,
            postcode: null,
            occupation: null,
            medicalInsurance: null,
            guardian: null,
            hardship: 'none',
            diedOn: null,
            deathEvidence: null,
            photoId: randomUUID(),
            jurisdiction: '350100',
            registeredBy: centre.id,
            version: 1,
            createdAt: now,
            updatedAt: now,
          },
          centre.id,
        );
      }
    });
    // The photo on file (bench data: the id only; the rules ask whether there is one).
    await deps.db
      .updateTable('persons')
      .set({ photo_id: sql`gen_random_uuid()` })
      .where('photo_id', 'is', null)
      .execute();
  }
  const seedSeconds = (performance.now() - seeding) / 1000;
  const lines = ['姓名,公民身份号码,手机号码'];
  for (let k = 0; k < size; k++)
    lines.push(`${cn(k)},${ids[k]},${k % 100 === 99 ? '123' : '13800138000'}`);
  const csv = Buffer.from(lines.join('\r\n'), 'utf8');
  lines.length = 0;

  // The import, with RSS sampled while it runs.
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const baselineHeap = process.memoryUsage().heapUsed;
  let peakHeap = baselineHeap;
  // The event loop's longest stall (the longest gap between the sampler's ticks, the last one to
  // the end included): how long an HTTP request arriving mid-import would wait for a turn.
  const TICK_MS = 20;
  let lastTick = performance.now();
  let maxStall = 0;
  const sampler = setInterval(() => {
    const t = performance.now();
    maxStall = Math.max(maxStall, t - lastTick - TICK_MS);
    lastTick = t;
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, TICK_MS);
  const started = performance.now();
  const roster = await services.rosters.upload(ctx, {
    bytes: new Uint8Array(csv),
    filename: 'bench.csv',
    kind: 'csv',
    unitName: '基准单位',
    bankId: bank.id,
    branchId: branch.id,
  });
  const summary = await services.rosters.run(roster.id);
  const importSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  maxStall = Math.max(maxStall, performance.now() - lastTick - TICK_MS);
  peak = Math.max(peak, process.memoryUsage().rss);
  const [firstRefusal] = await services.rosters.rows(roster.id, 'refused', { limit: 1, offset: 0 });
  const floor = await writeFloor(deps.db, sql);
  await platform.close();

  // The floor: COPY of the same CSV into a bare table, same engine, same run.
  let copySeconds;
  if (backend === 'postgres') {
    spawnSync('psql', [
      dbUrl,
      '-q',
      '-c',
      'create table bench_bare (name text, id_number text, phone text)',
    ]);
    const t0 = performance.now();
    const r = spawnSync(
      'psql',
      [dbUrl, '-q', '-c', '\\copy bench_bare from stdin with (format csv, header true)'],
      { input: csv },
    );
    copySeconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(r.stderr.toString());
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`drop database ${dbName} with (force)`);
    await c.end();
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const copyDir = mkdtempSync(path.join(tmpdir(), 'sscard-bench-copy-'));
    const lite = new PGlite(copyDir);
    await lite.exec('create table bench_bare (name text, id_number text, phone text)');
    const t0 = performance.now();
    await lite.query(`copy bench_bare from '/dev/blob' with (format csv, header true)`, [], {
      blob: new Blob([csv]),
    });
    copySeconds = (performance.now() - t0) / 1000;
    await lite.close();
    rmSync(copyDir, { recursive: true, force: true });
  }
  rmSync(dataDir, { recursive: true, force: true });
  const rowsPerSecond = size / importSeconds;
  const copyRowsPerSecond = size / copySeconds;
  console.log(
    'RESULT ' +
      JSON.stringify({
        backend,
        size,
        seedSeconds,
        importSeconds,
        rowsPerSecond,
        copySeconds,
        copyRowsPerSecond,
        ratio: rowsPerSecond / copyRowsPerSecond,
        floorSeconds: floor.seconds,
        floorRowsPerSecond: size / floor.seconds,
        floorTables: floor.tables,
        floorRatio: size / floor.seconds / copyRowsPerSecond,
        ofFloor: floor.seconds / importSeconds,
        accepted: summary.accepted,
        refused: summary.refused,
        peakRssMb: Math.round(peak / 1048576),
        peakHeapMb: Math.round(peakHeap / 1048576),
        maxLoopStallMs: Math.round(maxStall),
        baselineHeapMb: Math.round(baselineHeap / 1048576),
        baselineRssMb: Math.round(baseline / 1048576),
        chunkRows: services.rosters.chunkRows,
        firstRefusal: firstRefusal
          ? `${firstRefusal.row_no} ${firstRefusal.code} ${firstRefusal.message_en}`
          : null,
      }),
  );
}
