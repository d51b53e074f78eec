/**
 * A bench database with N people and N issued cards, on the local PostgreSQL server:
 * `sscard_bench_<N>`. sscard's own migrations and the demo installation (its organisations and
 * staff; two people per jurisdiction) are made by opening the platform here, in-process, as
 * `npm start` would; the N people, their applications and their cards are then bulk-inserted with
 * `insert … select … from generate_series` in the Fuzhou jurisdiction (350100), at the demo's
 * branch FZ-BANK1-BR1, and the database analysed.
 *
 * - Card numbers are 350100 + an 8-digit serial from 1 to N + the MOD 11-2 check character, so
 *   they parse (packages/domain/src/lifecycle/card-number.ts) and the load generator can pick
 *   one at random without a list; `card_serials` is moved past N.
 * - Cards: issued, social and financial functions on; 3 in 100 formally lost, 1 in 100
 *   suspended; 1 holder in 200 has died. One application per card (`accepted_by` the branch).
 * - The personal-data columns (`*_enc`) hold a fixed placeholder, not ciphertext: nothing on the
 *   benchmarked paths opens them (the card check reads the name and the day of death, the staff
 *   read the birth date, both plain columns). Do not open these people at a counter.
 * - A terminal is registered for the bench at the branch (where the terminals module exists);
 *   its API key is kept in the database's settings (`bench.meta`), since it is shown only once.
 *
 * A database that is complete and on the current migrations is reused (BENCH_FRESH=1 rebuilds).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../packages/server/src/config.ts';
import { systemContext } from '../../packages/server/src/context.ts';
import { listMigrations } from '../../packages/server/src/db/migrate.ts';
import { DEMO_PASSWORD, seedDemo } from '../../packages/server/src/demo/seed.ts';
import { openPlatform } from '../../packages/server/src/platform.ts';
import { BENCH_JURISDICTION, settings } from './common.mjs';

/** Fixed for the bench databases only: a master key, the administrator's password. */
export const BENCH_ENV = {
  SSCARD_MASTER_KEY: Buffer.alloc(32, 0x5c).toString('base64'),
  SSCARD_ADMIN_PASSWORD: 'Bench-admin-2026-sscard',
  SSCARD_CLOCK: 'system',
  LOG_LEVEL: 'warn',
};

export const STAFF_USERNAME = 'fz.bank1.br1';
export const STAFF_PASSWORD = DEMO_PASSWORD;
const META_KEY = 'bench.meta';

export function dbUrl(name) {
  const u = new URL(settings.pgUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withClient(url, fn) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function migrationsFingerprint() {
  return listMigrations()
    .map((m) => `${m.version}:${m.checksum}`)
    .join(',');
}

async function currentMeta(url, cards) {
  try {
    return await withClient(url, async (c) => {
      const applied = (
        await c.query('select version, checksum from schema_migrations order by version')
      ).rows
        .map((r) => `${r.version}:${r.checksum}`)
        .join(',');
      if (applied !== migrationsFingerprint()) return null;
      const row = (await c.query('select value from system_settings where key = $1', [META_KEY]))
        .rows[0];
      return row?.value?.ready && row.value.cards === cards ? row.value : null;
    });
  } catch {
    return null;
  }
}

async function openBenchPlatform(url) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sscard-bench-'));
  const config = loadConfig({
    ...process.env,
    ...BENCH_ENV,
    DATABASE_URL: url,
    SSCARD_DATA_DIR: dataDir,
    SSCARD_WORKERS: '1',
  });
  const platform = await openPlatform({ config });
  return {
    platform,
    close: async () => {
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const CHECK_FN = `
create or replace function pg_temp.bench_check(body text) returns text language sql immutable as $$
  select case v when 10 then 'X' else v::text end
  from (
    select (12 - (sum(substr(body, i, 1)::int * ((2 ^ (length(body) - i + 1))::bigint % 11)) % 11)) % 11 as v
    from generate_series(1, length(body)) as i
  ) s
$$`;

/** The N people, applications and cards; then ANALYZE. */
async function bulkInsert(c, n, org, log) {
  const t0 = "timestamptz '2025-03-03 10:00:00+08'";
  const step = async (label, text, params = []) => {
    const started = Date.now();
    const r = await c.query(text, params);
    log(`  ${label}: ${r.rowCount ?? ''} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  await c.query('set synchronous_commit = off');
  await c.query(CHECK_FN);
  await step(
    'card numbers',
    `create temp table bench_serials as
     select i, $1::text || lpad(i::text, 8, '0') || pg_temp.bench_check($1::text || lpad(i::text, 8, '0')) as card_no
     from generate_series(1, $2::int) as i`,
    [BENCH_JURISDICTION, n],
  );
  await step(
    'persons',
    `insert into persons (id, ssn_enc, id_type, id_number_enc, name, sex, nationality, birth_date,
                          died_on, jurisdiction, registered_by, created_at, updated_at)
     select md5('bench-person-' || i)::uuid, 'bench:not-sealed', 'resident_id', 'bench:not-sealed',
            (array['王','李','张','刘','陈','杨','黄','赵','吴','周'])[1 + i % 10] ||
            (array['伟','芳','娜','敏','静','强','磊','洋','艳','勇'])[1 + (i / 10) % 10],
            case when i % 2 = 0 then 'female' else 'male' end, 'CHN', date '1950-01-01' + (i % 20000),
            case when i % 200 = 7 then date '2025-06-01' end,
            $1, $2, ${t0}, ${t0}
     from bench_serials`,
    [BENCH_JURISDICTION, org.branch],
  );
  await step(
    'applications',
    `insert into applications (id, person_id, jurisdiction, pack_version, kind, channel, production,
                               status, branch_id, bank_id, accepted_by, delivery, fee_fen, fee,
                               card_no, submitted_at, approved_at, produced_at, stocked_at,
                               issued_at, closed_at, updated_at)
     select md5('bench-application-' || i)::uuid, md5('bench-person-' || i)::uuid, $1, $2, 'first',
            'counter', 'batch', 'issued', $3, $4, $3, 'counter', 0, '{}'::jsonb, card_no,
            ${t0}, ${t0}, ${t0}, ${t0}, ${t0}, ${t0}, ${t0}
     from bench_serials`,
    [BENCH_JURISDICTION, org.packVersion, org.branch, org.bank],
  );
  await step(
    'cards',
    `insert into cards (card_no, person_id, jurisdiction, kind, application_id, generation, bank_id,
                        branch_id, status, has_photo, produced_at, stocked_at, issued_at, issued_to,
                        social_enabled_at, financial_activated_at, loss_kind, loss_since,
                        suspended_at, version, updated_at)
     select card_no, md5('bench-person-' || i)::uuid, $1, 'regular',
            md5('bench-application-' || i)::uuid, 3, $2, $3, 'issued', true,
            ${t0}, ${t0}, ${t0}, 'holder', ${t0}, ${t0},
            case when i % 100 < 3 then 'formal' else 'none' end,
            case when i % 100 < 3 then ${t0} + interval '30 days' end,
            case when i % 100 = 3 then ${t0} + interval '60 days' end,
            1, ${t0} + interval '60 days'
     from bench_serials`,
    [BENCH_JURISDICTION, org.bank, org.branch],
  );
  await c.query(
    `insert into card_serials (jurisdiction, kind, last_value) values ($1, 'regular', $2)
     on conflict (jurisdiction, kind) do update
       set last_value = greatest(card_serials.last_value, excluded.last_value)`,
    [BENCH_JURISDICTION, n],
  );
  const started = Date.now();
  await c.query('analyze');
  log(`  analyze: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function demoOrganisations(c) {
  const byCode = async (code) =>
    (await c.query('select id from organizations where code = $1', [code])).rows[0]?.id;
  return {
    centre: await byCode('FZ-CENTRE'),
    bank: await byCode('FZ-BANK1'),
    branch: await byCode('FZ-BANK1-BR1'),
  };
}

/**
 * A terminal at the branch with a rate limit far above the load (the default, 50 checks a
 * second, would answer 429s), registered through the terminals service as the centre would.
 * null when the terminals module is not there yet.
 */
async function registerTerminal(platform, org) {
  const terminals = platform.services.terminals;
  if (!terminals || typeof terminals.register !== 'function') return null;
  const answer = await terminals.register(systemContext('bench'), {
    organizationId: org.branch,
    kind: 'card_reader',
    label: 'bench reader',
    brand: 'bench',
    model: 'bench',
    rateLimitPerSecond: 100_000,
  });
  return answer?.apiKey ? { id: answer.terminal?.id ?? null, apiKey: answer.apiKey } : null;
}

/**
 * Makes (or reuses) the bench database with `cards` cards; answers its URL and what the bench
 * needs to call it.
 */
export async function prepareDatabase(cards, log = console.log) {
  const name = `sscard_bench_${cards}`;
  const url = dbUrl(name);
  let meta = settings.fresh ? null : await currentMeta(url, cards);
  if (meta) {
    log(`database ${name}: reused (${cards} cards; BENCH_FRESH=1 rebuilds it)`);
  } else {
    log(`database ${name}: building with ${cards} cards`);
    const started = Date.now();
    await withClient(settings.pgUrl, async (c) => {
      await c.query(`drop database if exists ${name} with (force)`);
      await c.query(`create database ${name}`);
    });
    const { platform, close } = await openBenchPlatform(url);
    let org;
    try {
      await seedDemo(platform, 2);
      org = await withClient(url, demoOrganisations);
      org.packVersion = platform.deps.rules.resolve(BENCH_JURISDICTION, new Date()).pack.version;
    } finally {
      await close();
    }
    await withClient(url, (c) => bulkInsert(c, cards, org, log));
    meta = { ready: false, cards, org, terminal: null };
    log(`database ${name}: built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  // Every start: register the terminal once the module exists, and run the daily jobs due now,
  // so that no job claims the day in the middle of a measured run.
  const { platform, close } = await openBenchPlatform(url);
  try {
    if (!meta.terminal) meta.terminal = await registerTerminal(platform, meta.org);
    await platform.services.jobs.tick();
    await platform.deps.settings.put(META_KEY, { ...meta, ready: true }, new Date());
  } finally {
    await close();
  }
  return { name, url, cards, org: meta.org, terminal: meta.terminal };
}
