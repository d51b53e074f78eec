/**
 * A unit roster import killed half-way, on a real server process (issue "Back office", item 1: a
 * crash half-way leaves every row imported or not). On a PGlite data directory, and on a database
 * of its own on a PostgreSQL server (DATABASE_URL, or the local one on 127.0.0.1:5432 when it
 * answers; with DATABASE_URL set, only there, as the other process tests do).
 *
 * A roster of a few thousand rows (some bad) is uploaded over HTTP; the import job runs in chunks
 * of 50 rows, each slowed inside its transaction (`slow:roster.import_chunk`, acts/failpoints.ts)
 * so that `kill -9` surely lands with some chunks committed and one in flight. Then, in the
 * database: what committed is whole chunks, every row up to the cursor with exactly one outcome
 * and none beyond it, every accepted row with its one application (and its audit record), and no
 * application or person of the import without its row. The manual clock is then moved past the
 * queue's lease (5 minutes, jobs/queue-runner.ts) and the server started again: the queue takes
 * the dead node's job again, the import resumes after its cursor, and at the end every data row
 * has exactly one outcome (the one it should have), accepted + refused = total, nobody has two
 * applications, the accepted rows are exactly the applications created, and the audit chains
 * verify.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { mod11_2CheckChar } from '@sscard/domain';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { openPlatform } from '../../platform.js';
import {
  callServer,
  crashBackends,
  installationOn,
  loginWithOtp,
  startServer,
  type Installation,
  type ServerProcess,
} from '../../testing/server-process.js';
import { verifyAuditChain } from '../audit/verify.js';

const { backends: BACKENDS, pgUrl } = await crashBackends('roster-crash.test.ts');

const ROWS = 2400;
const CHUNK = 50;
/** Rows committed before the kill: a few chunks, far from the end. */
const KILL_AFTER = 3 * CHUNK;
const LEASE_MS = 5 * 60_000;
const CENTRE = 'fz.centre';

// ---- the roster --------------------------------------------------------------------------------

const cn = (k: number) =>
  '职工' + String(k).replace(/\d/g, (d) => '零一二三四五六七八九'[Number(d)]!);

/** A valid Fuzhou resident ID number for row k (distinct for every k < 400 · 365 · 60). */
function idOf(k: number): string {
  const day = new Date(Date.UTC(1961, 0, 1) + Math.floor(k / 400) * 86_400_000);
  const body = `350102${day.toISOString().slice(0, 10).replaceAll('-', '')}${(k % 400) * 2 + 100}`;
  return body + mod11_2CheckChar(body);
}

interface Line {
  rowNo: number;
  name: string;
  idNumber: string;
  phone: string;
  /** null: accepted; else the refusal's code. */
  expect: string | null;
  /** Registered before the import, with a photo. */
  registered: boolean;
}

/**
 * Data row k (file row k + 2): mostly registered people with a photo (accepted); every tenth from
 * the fourth someone never registered (no photo: PHOTO_REQUIRED), from the seventh a bad phone,
 * from the tenth the ID number of a row five (or, every hundredth, many) rows up, and every
 * fiftieth from the twenty-first a name other than the register's.
 */
function roster(): Line[] {
  const lines: Line[] = [];
  for (let k = 0; k < ROWS; k++) {
    const line: Line = {
      rowNo: k + 2,
      name: cn(k),
      idNumber: idOf(k),
      phone: '13800138000',
      expect: null,
      registered: true,
    };
    if (k % 10 === 3) Object.assign(line, { registered: false, expect: 'PHOTO_REQUIRED' });
    else if (k % 10 === 6) Object.assign(line, { phone: '123', expect: 'ROSTER_PHONE_INVALID' });
    else if (k % 10 === 9) {
      const first = lines[k % 100 === 99 ? 4 : k - 5]!;
      Object.assign(line, {
        name: first.name,
        idNumber: first.idNumber,
        registered: false,
        expect: 'ROSTER_DUPLICATE_ROW',
      });
    } else if (k % 50 === 20) Object.assign(line, { name: '别名', expect: 'ROSTER_NAME_MISMATCH' });
    lines.push(line);
  }
  return lines;
}

/** The people of the roster who are on the register: written directly, with a photo on file. */
async function register(inst: Installation, lines: Line[]): Promise<void> {
  const platform = await openPlatform({ config: loadConfig({ ...process.env, ...inst.env }) });
  try {
    const { db, repos } = platform.deps;
    const centre = await db
      .selectFrom('organizations')
      .select('id')
      .where('code', '=', 'FZ-CENTRE')
      .executeTakeFirstOrThrow();
    const people = lines
      .filter((l) => l.registered)
      .map((l) => ({ id: randomUUID(), k: l.rowNo - 2, idNumber: l.idNumber }));
    for (let i = 0; i < people.length; i += 500) {
      const batch = people.slice(i, i + 500);
      await db.transaction().execute(async (trx) => {
        for (const p of batch) {
          const now = new Date();
          await repos.persons.insert(
            trx,
            {
              id: p.id,
              ssn: p.idNumber,
              idType: 'resident_id',
              idNumber: p.idNumber,
              name: cn(p.k),
              sex: Number(p.idNumber[16]) % 2 ? 'male' : 'female',
              ethnicity: null,
              nationality: 'CHN',
              birthDate: `${p.idNumber.slice(6, 10)}-${p.idNumber.slice(10, 12)}-${p.idNumber.slice(12, 14)}`,
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
              photoId: null,
              jurisdiction: '350100',
              registeredBy: centre.id,
              version: 1,
              createdAt: now,
              updatedAt: now,
            },
            centre.id,
          );
        }
        // The photo on file (test data: its id; the rules ask whether there is one).
        await trx
          .updateTable('persons')
          .set({ photo_id: sql`gen_random_uuid()` })
          .where(
            'id',
            'in',
            batch.map((p) => p.id),
          )
          .execute();
      });
    }
  } finally {
    await platform.close();
  }
}

// ---- over HTTP ---------------------------------------------------------------------------------

interface RosterView {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  jobId: string | null;
  totalRows: number | null;
  accepted: number;
  refused: number;
  error: string | null;
}

async function getRoster(url: string, token: string, id: string): Promise<RosterView> {
  const res = await callServer(url, `/api/v1/rosters/${id}`, token);
  if (res.status !== 200) throw new Error(`GET roster: ${res.status} ${res.text}`);
  return res.json as unknown as RosterView;
}

/**
 * Polls the roster until `ok`. The roster failing, a failed attempt of its job (under the manual
 * clock its retry would never come) or the time running out ends the wait, naming both.
 */
async function until(
  url: string,
  token: string,
  id: string,
  ok: (r: RosterView) => boolean,
  ms: number,
): Promise<RosterView> {
  const deadline = Date.now() + ms;
  for (let i = 0; ; i++) {
    const r = await getRoster(url, token, id);
    if (ok(r)) return r;
    const job =
      r.jobId && (i % 10 === 9 || r.status === 'failed' || Date.now() > deadline)
        ? await callServer(url, `/api/v1/queue/jobs/${r.jobId}`, token)
        : undefined;
    if (r.status === 'failed' || job?.json.error || Date.now() > deadline)
      throw new Error(
        `${Date.now() > deadline ? 'timed out' : 'the import failed'}: roster ${JSON.stringify(r)}; job ${job?.text}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function setClock(inst: Installation, at: Date): Promise<void> {
  await inst.query(
    `insert into system_settings (key, value, updated_at) values ('clock.manual', $1, now())
     on conflict (key) do update set value = excluded.value`,
    [JSON.stringify({ now: at.toISOString() })],
  );
}

// ---- what committed ----------------------------------------------------------------------------

interface Committed {
  roster: {
    status: string;
    cursor_row: number;
    accepted: number;
    refused: number;
    total_rows: number;
    job_id: string;
  };
  rows: {
    row_no: number;
    outcome: 'accepted' | 'refused';
    code: string | null;
    person_id: string | null;
    application_id: string | null;
  }[];
  /** Applications made since the baseline. */
  applications: { id: string; person_id: string; channel: string }[];
  /** Persons registered since the baseline. */
  persons: string[];
  /** The application.submit audit records of this roster: their targets. */
  audited: string[];
}

interface Baseline {
  applications: Set<string>;
  persons: Set<string>;
}

async function baseline(inst: Installation): Promise<Baseline> {
  const apps = await inst.query<{ id: string }>('select id::text as id from applications');
  const persons = await inst.query<{ id: string }>('select id::text as id from persons');
  return {
    applications: new Set(apps.map((a) => a.id)),
    persons: new Set(persons.map((p) => p.id)),
  };
}

async function committed(inst: Installation, id: string, base: Baseline): Promise<Committed> {
  const [roster] = await inst.query<Committed['roster']>(
    `select status, cursor_row, accepted, refused, total_rows, job_id::text as job_id
       from rosters where id = $1`,
    [id],
  );
  const rows = await inst.query<Committed['rows'][number]>(
    `select row_no, outcome, code, person_id::text as person_id,
            application_id::text as application_id
       from roster_rows where roster_id = $1 order by row_no`,
    [id],
  );
  const applications = (
    await inst.query<Committed['applications'][number]>(
      'select id::text as id, person_id::text as person_id, channel from applications',
    )
  ).filter((a) => !base.applications.has(a.id));
  const persons = (await inst.query<{ id: string }>('select id::text as id from persons'))
    .map((p) => p.id)
    .filter((p) => !base.persons.has(p));
  const audited = await inst.query<{ target_id: string }>(
    `select target_id from audit_log
      where action = 'application.submit' and outcome = 'success' and details->>'roster' = $1`,
    [id],
  );
  return {
    roster: roster!,
    rows: rows.map((r) => ({ ...r, row_no: Number(r.row_no) })),
    applications,
    persons,
    audited: audited.map((a) => a.target_id),
  };
}

/**
 * What committed is whole: the roster's counts are its rows', every accepted row has exactly one
 * application (its person's, made by the unit channel, audited), no refused row has one, and no
 * application or person of the import exists without its row.
 */
function expectWhole(db: Committed): void {
  const accepted = db.rows.filter((r) => r.outcome === 'accepted');
  const refused = db.rows.filter((r) => r.outcome === 'refused');
  expect(db.roster.accepted).toBe(accepted.length);
  expect(db.roster.refused).toBe(refused.length);
  expect(new Set(db.rows.map((r) => r.row_no)).size).toBe(db.rows.length);
  expect(refused.filter((r) => r.application_id !== null)).toEqual([]);

  const apps = new Map(db.applications.map((a) => [a.id, a]));
  for (const r of accepted) {
    expect(r.application_id, `row ${r.row_no}`).not.toBeNull();
    const app = apps.get(r.application_id!);
    expect(app, `row ${r.row_no}: its application`).toBeDefined();
    expect(app).toMatchObject({ person_id: r.person_id, channel: 'unit' });
  }
  // Exactly the accepted rows' applications were made: none without its row, none twice.
  const rowApps = new Set(accepted.map((r) => r.application_id));
  expect(rowApps.size).toBe(accepted.length);
  expect(db.applications.filter((a) => !rowApps.has(a.id))).toEqual([]);
  expect(db.applications.length).toBe(accepted.length);
  const perPerson = new Map<string, number>();
  for (const a of db.applications)
    perPerson.set(a.person_id, (perPerson.get(a.person_id) ?? 0) + 1);
  expect([...perPerson].filter(([, n]) => n > 1)).toEqual([]);
  // Each application with its audit record, in the same transaction.
  expect([...db.audited].sort()).toEqual([...rowApps].sort());
  // Nobody was registered by the import without an accepted row (a refused row's new person is
  // undone with it).
  const rowPersons = new Set(accepted.map((r) => r.person_id));
  expect(db.persons.filter((p) => !rowPersons.has(p))).toEqual([]);
}

async function chainsVerify(inst: Installation): Promise<void> {
  const platform = await openPlatform({ config: loadConfig({ ...process.env, ...inst.env }) });
  try {
    expect((await verifyAuditChain(platform.deps.db, {})).firstBreak).toBeNull();
  } finally {
    await platform.close();
  }
}

// ---- the test ----------------------------------------------------------------------------------

describe.each(BACKENDS)('a roster import killed half-way (kill -9) on %s', (backend) => {
  it('leaves every row imported or not, and resumes after its cursor to the end', async () => {
    const inst = await installationOn(backend, pgUrl);
    const servers: ServerProcess[] = [];
    try {
      // The manual clock, saved, so that the restart can be put past the job's lease.
      const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
      await setClock(inst, t0);
      const lines = roster();
      await register(inst, lines);
      const base = await baseline(inst);
      // Read before any server runs: a PGlite data directory serves one process at a time.
      const orgs = await inst.query<{ code: string; id: string }>(
        `select code, id::text as id from organizations where code in ('FZ-BANK1', 'FZ-BANK1-BR1')`,
      );
      const org = (code: string) => orgs.find((o) => o.code === code)!.id;
      const csv = [
        '姓名,公民身份号码,手机号码',
        ...lines.map((l) => `${l.name},${l.idNumber},${l.phone}`),
      ].join('\r\n');

      // ---- first run: upload, a few chunks, kill -9 ----
      const first = await startServer(inst, {
        SSCARD_ROSTER_CHUNK_ROWS: String(CHUNK),
        SSCARD_FAILPOINTS: 'slow:roster.import_chunk',
        SSCARD_FAILPOINT_SLOW_MS: '300',
      });
      servers.push(first);
      const secret: { value?: string } = {};
      let token = await loginWithOtp(first.url, CENTRE, t0, secret);
      const q = new URLSearchParams({
        bankId: org('FZ-BANK1'),
        branchId: org('FZ-BANK1-BR1'),
        unitName: '断电测试单位',
      });
      const up = await fetch(`${first.url}/api/v1/rosters?${q}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'text/csv',
          'x-filename': encodeURIComponent('花名册.csv'),
        },
        body: Buffer.from(csv, 'utf8'),
      });
      const uploaded = (await up.json()) as RosterView;
      expect(up.status, JSON.stringify(uploaded)).toBe(201);
      expect(uploaded.totalRows).toBe(ROWS);
      const id = uploaded.id;

      const seen = await until(
        first.url,
        token,
        id,
        (r) => r.status === 'done' || r.accepted + r.refused >= KILL_AFTER,
        300_000,
      );
      expect(seen.status, 'the import should still be running when killed').toBe('running');
      await first.kill('SIGKILL');

      // ---- what the crash left: whole chunks, every row up to the cursor, none beyond ----
      const half = await committed(inst, id, base);
      const n = half.rows.length;
      expect(half.roster.status).toBe('running');
      expect(n).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(n).toBeLessThan(ROWS);
      expect(n % CHUNK).toBe(0);
      expect(half.rows[0]!.row_no).toBe(2);
      expect(half.rows[n - 1]!.row_no).toBe(half.roster.cursor_row);
      expect(n).toBe(half.roster.cursor_row - 1);
      expectWhole(half);
      const [job] = await inst.query<{ status: string; attempts: number }>(
        'select status, attempts from queue_jobs where id = $1',
        [half.roster.job_id],
      );
      expect(job).toMatchObject({ status: 'running', attempts: 1 });

      // ---- second run, past the dead node's lease: the queue takes the job again ----
      const t1 = new Date(t0.getTime() + 2 * LEASE_MS);
      await setClock(inst, t1);
      const second = await startServer(inst, { SSCARD_ROSTER_CHUNK_ROWS: String(CHUNK) });
      servers.push(second);
      token = await loginWithOtp(second.url, CENTRE, t1, secret);
      const done = await until(second.url, token, id, (r) => r.status === 'done', 480_000);
      expect(done.accepted + done.refused).toBe(ROWS);
      await second.kill('SIGTERM');

      const end = await committed(inst, id, base);
      expect(end.roster).toMatchObject({ status: 'done', total_rows: ROWS, cursor_row: ROWS + 1 });
      expectWhole(end);
      // Every data row has exactly one outcome, the one it should have.
      expect(end.rows.map((r) => r.row_no)).toEqual(lines.map((l) => l.rowNo));
      const want = new Map(lines.map((l) => [l.rowNo, l.expect]));
      const wrong = end.rows
        .filter((r) => (r.outcome === 'accepted' ? null : r.code) !== want.get(r.row_no))
        .map((r) => `${r.row_no}: ${r.outcome} ${r.code} (wanted ${want.get(r.row_no)})`);
      expect(wrong).toEqual([]);
      const accepted = end.rows.filter((r) => r.outcome === 'accepted').length;
      expect(accepted).toBe(lines.filter((l) => l.expect === null).length);
      expect(end.roster.accepted + end.roster.refused).toBe(ROWS);
      expect(end.applications.length).toBe(accepted);
      // What committed before the crash stayed as it was (the resume did not redo it).
      const before = new Map(half.rows.map((r) => [r.row_no, r.application_id]));
      for (const r of end.rows.filter((x) => before.has(x.row_no)))
        expect(r.application_id).toBe(before.get(r.row_no));
      const [resumed] = await inst.query<{ status: string; attempts: number }>(
        'select status, attempts from queue_jobs where id = $1',
        [end.roster.job_id],
      );
      expect(resumed).toMatchObject({ status: 'succeeded', attempts: 2 });
      await chainsVerify(inst);
    } finally {
      for (const s of servers) await s.kill();
      await inst.dispose();
    }
  }, 900_000);
});
