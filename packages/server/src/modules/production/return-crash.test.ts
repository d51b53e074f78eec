/**
 * The two return-file imports killed part-way (kill -9), on a real server process, then resumed:
 * the vendor's production return file (`production.return_import` jobs, FZ-20(三)) and the bank's
 * account-opening return file (`bank.return_import` jobs, FZ-18(五)). On a PGlite data directory,
 * and on a database of its own on a PostgreSQL server (DATABASE_URL, or the local one on
 * 127.0.0.1:5432 when it answers; with DATABASE_URL set, only there), as roster-crash.test.ts.
 *
 * Each import is ONE transaction (the act `production.return_apply`, resp.
 * `bank_file.return_apply`: every row of the file, the batch's counts and the file marked
 * imported together), so "part-way" is: that transaction open. The scene is made in-process
 * before any server runs (a PGlite data directory serves one process at a time): applications of
 * the first bank (accounts opened online) and of the second (set to open accounts by file), passed
 * by every agency, their card in production; a production batch, resp. an account-opening
 * request, exported, and the simulators' return file with some failed, resp. refused, rows. The
 * server is started with the act slowed inside its transaction (`slow:<act>`, acts/failpoints.ts,
 * for far longer than the test waits), the file uploaded over HTTP, and the server killed once the
 * job runs (on PostgreSQL: once the import's transaction is seen open). Then, in the database:
 * NOTHING of the import committed (every row pending, no card stocked / account sealed, the file
 * still stored, the batch not returned, no audit record of the act), and the job still running
 * on the dead node. The manual clock is moved past the queue's lease (5 minutes,
 * jobs/queue-runner.ts) and the server started again: the job is taken again and succeeds; every
 * row has exactly one result, the one the file says, with all its effects, counted once, the file
 * imported once, one audit record of the import, and the audit chain verifies.
 */
import { fakeJpeg } from '@sscard/domain/testing';
import { scopeOf, type OrganizationKind, type Role } from '@sscard/domain';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { systemContext, type ActContext } from '../../context.js';
import { openPlatform, type Platform } from '../../platform.js';
import { residentId } from '../../testing/people.js';
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

const { backends: BACKENDS, pgUrl } = await crashBackends('return-crash.test.ts');

/** Cards in the batch (the file's rows). */
const ROWS = 24;
/** The rows (seq) the vendor failed, resp. the bank refused. */
const FAILED: Record<number, string> = { 2: '芯片写入失败', 9: '照片不合格', 17: '芯片写入失败' };
const REFUSED: Record<number, string> = {
  1: '身份信息核验不通过',
  12: '客户已销户',
  24: '重复开户',
};
const LEASE_MS = 5 * 60_000;
const CENTRE = 'fz.centre';
/** Far longer than the test waits: the slowed transaction never commits before the kill. */
const SLOW_MS = 20 * 60_000;

// ---- the scene, in-process ---------------------------------------------------------------------

type Import = 'vendor' | 'bank';

interface Scene {
  /** The production batch, resp. the account-opening request. */
  batchId: string;
  /** The return file, as the simulator wrote it. */
  content: string;
  /** The batch's rows: seq → application and card. */
  rows: { seq: number; application_id: string; card_no: string }[];
}

const cn = (k: number) =>
  '持卡' + String(k).replace(/\d/g, (d) => '零一二三四五六七八九'[Number(d)]!);

/** The context of a demo member of staff, with the scope their session would have. */
async function staffContext(platform: Platform, username: string): Promise<ActContext> {
  const { db } = platform.deps;
  const s = await db
    .selectFrom('staff')
    .select(['id', 'role', 'organization_id'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  const org = await db
    .selectFrom('organizations')
    .select(['id', 'kind', 'bank_id', 'jurisdiction'])
    .where('id', '=', s.organization_id!)
    .executeTakeFirstOrThrow();
  const subject = {
    role: s.role as Role,
    organizationId: org.id,
    organizationKind: org.kind as OrganizationKind,
    bankId: org.bank_id,
    jurisdiction: org.jurisdiction,
  };
  return {
    ...systemContext('test'),
    actor: {
      staffId: s.id,
      username,
      ...subject,
      scope: scopeOf(subject),
      sessionId: null,
    },
  };
}

/**
 * ROWS batch applications at a branch of the bank (the first: accounts opened online; the second:
 * set to open them by file first), each registered with a photo and passed by every agency (card
 * in production); then the batch (production batch for the vendor, resp. account-opening
 * request), exported, and the simulator's return file.
 */
async function scene(inst: Installation, kind: Import): Promise<Scene> {
  const platform = await openPlatform({ config: loadConfig({ ...process.env, ...inst.env }) });
  try {
    const { db } = platform.deps;
    const { services } = platform;
    const orgs = await db
      .selectFrom('organizations')
      .select(['id', 'code'])
      .where('code', 'in', ['FZ-BANK1', 'FZ-BANK2', 'FZ-VENDOR1'])
      .execute();
    const org = (code: string) => orgs.find((o) => o.code === code)!.id;
    const centre = await staffContext(platform, CENTRE);
    const bankNo = kind === 'vendor' ? 1 : 2;
    const bankId = org(`FZ-BANK${bankNo}`);
    const bank = await staffContext(platform, `fz.bank${bankNo}`);
    const counter = await staffContext(platform, `fz.bank${bankNo}.br2`);
    if (kind === 'bank') await services.bankFiles.setOpeningMode(centre, bankId, 'file');
    const photo = Buffer.from(fakeJpeg(358, 441, 2000));
    for (let k = 0; k < ROWS; k++) {
      const person = await services.persons.create(
        {
          idType: 'resident_id',
          idNumber: residentId('1980-01-01', '350102', k % 2 ? 'male' : 'female'),
          name: cn(k),
          jurisdiction: '350100',
          phone: '13800138000',
        },
        counter,
      );
      await services.persons.setPhoto(person.id, photo, counter);
      let app = await services.applications.submit(
        { personId: person.id, kind: 'first', production: 'batch', consentToDelay: true },
        counter,
      );
      for (const check of await services.applications.repo.checks(app.id))
        if (check.result === 'pending')
          app = await services.applications.recordCheck(
            app.id,
            { agency: check.agency, result: 'pass' },
            centre,
          );
      expect(app.status).toBe('in_production');
    }
    if (kind === 'vendor') {
      const batch = await services.production.create(bank, {
        bankId,
        vendorId: org('FZ-VENDOR1'),
      });
      const { content } = await services.production.simulateReturn(bank, batch.id, FAILED);
      const rows = await db
        .selectFrom('production_batch_items')
        .select(['seq', 'application_id', 'card_no'])
        .where('batch_id', '=', batch.id)
        .orderBy('seq')
        .execute();
      return { batchId: batch.id, content, rows };
    }
    const batch = await services.bankFiles.create(bank, { bankId });
    const { content } = await services.bankFiles.simulateReturn(bank, batch.id, REFUSED);
    const rows = await db
      .selectFrom('bank_file_rows')
      .select(['seq', 'application_id', 'card_no'])
      .where('batch_id', '=', batch.id)
      .orderBy('seq')
      .execute();
    return { batchId: batch.id, content, rows };
  } finally {
    await platform.close();
  }
}

// ---- over HTTP ---------------------------------------------------------------------------------

interface JobView {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  error: string | null;
  attempts: number;
  result: Record<string, unknown> | null;
}

/** Polls the job until `ok`; a failed or cancelled job, or the time running out, ends the wait. */
async function untilJob(
  url: string,
  token: string,
  id: string,
  ok: (j: JobView) => boolean,
  ms: number,
): Promise<JobView> {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await callServer(url, `/api/v1/queue/jobs/${id}`, token);
    if (res.status !== 200) throw new Error(`GET job: ${res.status} ${res.text}`);
    const j = res.json as unknown as JobView;
    if (ok(j)) return j;
    if (j.status === 'failed' || j.status === 'cancelled' || j.error || Date.now() > deadline)
      throw new Error(`${Date.now() > deadline ? 'timed out' : 'the job failed'}: ${res.text}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * PGlite: polls the job (each poll given 20 s) until it runs or a poll is left unanswered (the one
 * connection held by the import's open transaction). Answers the status last seen, or 'held'.
 */
async function untilHeld(url: string, token: string, id: string, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  let last = 'queued';
  for (;;) {
    try {
      const res = await fetch(`${url}/api/v1/queue/jobs/${id}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(20_000),
      });
      const j = (await res.json()) as JobView;
      last = j.status;
      if (j.status !== 'queued') return j.status;
    } catch (e) {
      if ((e as Error).name === 'TimeoutError') return 'held';
      throw e;
    }
    if (Date.now() > deadline) throw new Error(`timed out: the job stayed ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function setClock(inst: Installation, at: Date): Promise<void> {
  await inst.query(
    `insert into system_settings (key, value, updated_at) values ('clock.manual', $1, now())
     on conflict (key) do update set value = excluded.value`,
    [JSON.stringify({ now: at.toISOString() })],
  );
}

/**
 * On PostgreSQL, waits until a session of the installation's database sits inside an open
 * transaction (the slowed import's); PGlite cannot be looked at while the server holds it.
 */
async function untilTransactionOpen(inst: Installation, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const [r] = await inst.query<{ n: string }>(
      `select count(*)::text as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()
          and state like 'idle in transaction%'`,
    );
    if (Number(r!.n) > 0) return;
    if (Date.now() > deadline) throw new Error('the import’s transaction was never seen open');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// ---- what committed ----------------------------------------------------------------------------

interface Committed {
  batch: { status: string; succeeded: number; failed: number; return_sha256: string | null };
  file: { status: string; result: Record<string, number> | null; imported_at: unknown };
  items: {
    seq: number;
    result: string;
    reason: string | null;
    action: string | null;
    application_id: string;
    card_no: string;
  }[];
  apps: Map<string, string>;
  cards: Map<
    string,
    { status: string; stocked_at: unknown; produced_at: unknown; account: boolean }
  >;
  /** The import's audit records (the act `…return_apply`), their details. */
  applied: { outcome: string; details: Record<string, unknown> }[];
  job: { status: string; attempts: number };
}

async function committed(
  inst: Installation,
  kind: Import,
  s: Scene,
  fileId: string,
  jobId: string,
): Promise<Committed> {
  const batchTable = kind === 'vendor' ? 'production_batches' : 'bank_file_batches';
  const [batch] = await inst.query<Committed['batch']>(
    `select status, succeeded, failed, return_sha256 from ${batchTable} where id = $1`,
    [s.batchId],
  );
  const [file] = await inst.query<Committed['file']>(
    'select status, result, imported_at from return_files where id = $1',
    [fileId],
  );
  const items = await inst.query<Committed['items'][number]>(
    kind === 'vendor'
      ? `select seq, result, failure_reason as reason, failure_action as action,
                application_id::text as application_id, card_no
           from production_batch_items where batch_id = $1 order by seq`
      : `select seq, result, refusal_reason as reason, null as action,
                application_id::text as application_id, card_no
           from bank_file_rows where batch_id = $1 order by seq`,
    [s.batchId],
  );
  const apps = await inst.query<{ id: string; status: string }>(
    'select id::text as id, status from applications where id = any($1::uuid[])',
    [s.rows.map((r) => r.application_id)],
  );
  const cards = await inst.query<{
    card_no: string;
    status: string;
    stocked_at: unknown;
    produced_at: unknown;
    account: boolean;
  }>(
    `select card_no, status, stocked_at, produced_at, bank_account_hmac is not null as account
       from cards where card_no = any($1::text[])`,
    [s.rows.map((r) => r.card_no)],
  );
  const applied = await inst.query<Committed['applied'][number]>(
    `select outcome, details from audit_log where action = $1 and target_id = $2 order by at, seq`,
    [kind === 'vendor' ? 'production.return_apply' : 'bank_file.return_apply', s.batchId],
  );
  const [job] = await inst.query<Committed['job']>(
    'select status, attempts from queue_jobs where id = $1',
    [jobId],
  );
  return {
    batch: batch!,
    file: file!,
    items: items.map((i) => ({ ...i, seq: Number(i.seq) })),
    apps: new Map(apps.map((a) => [a.id, a.status])),
    cards: new Map(cards.map(({ card_no, ...c }) => [card_no, c])),
    applied,
    job: job!,
  };
}

/** Nothing of the import committed: every row as before it, the batch and file untouched. */
function expectNothing(kind: Import, db: Committed, s: Scene): void {
  expect(db.batch).toMatchObject({ status: 'exported', succeeded: 0, failed: 0 });
  expect(db.batch.return_sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(db.file).toMatchObject({ status: 'stored', result: null, imported_at: null });
  expect(db.items.map((i) => [i.seq, i.result, i.reason, i.action])).toEqual(
    s.rows.map((r) => [r.seq, 'pending', null, null]),
  );
  for (const r of s.rows) {
    expect(db.apps.get(r.application_id), `row ${r.seq}`).toBe('in_production');
    const card = db.cards.get(r.card_no)!;
    expect(card, `row ${r.seq}`).toMatchObject({ status: 'in_production', stocked_at: null });
    // The vendor's bank opened its accounts online (before); the file bank's are not open yet.
    expect(card.account, `row ${r.seq}: account`).toBe(kind === 'vendor');
  }
  expect(db.applied).toEqual([]);
}

/**
 * Every row applied exactly once, with all its effects: the vendor's made cards in stock (card
 * and application, stocked at the import's instant), its failed ones back for re-production with
 * the vendor's reason; the bank's opened accounts sealed onto the cards, its refused rows with
 * the bank's reason and no account. The batch's counts are its rows', the file imported once,
 * with one audit record of the import.
 */
function expectAll(kind: Import, db: Committed, s: Scene): void {
  const bad = kind === 'vendor' ? FAILED : REFUSED;
  const nBad = Object.keys(bad).length;
  expect(db.items.map((i) => i.seq)).toEqual(s.rows.map((r) => r.seq));
  for (const i of db.items) {
    const reason = bad[i.seq];
    const card = db.cards.get(i.card_no)!;
    const app = db.apps.get(i.application_id);
    if (kind === 'vendor') {
      if (reason) {
        expect(i, `row ${i.seq}`).toMatchObject({
          result: 'failed',
          reason,
          action: 'reproduce',
        });
        expect(app, `row ${i.seq}`).toBe('in_production');
        expect(card, `row ${i.seq}`).toMatchObject({ status: 'in_production', stocked_at: null });
      } else {
        expect(i, `row ${i.seq}`).toMatchObject({
          result: 'succeeded',
          reason: null,
          action: null,
        });
        expect(app, `row ${i.seq}`).toBe('in_stock');
        expect(card, `row ${i.seq}`).toMatchObject({ status: 'in_stock' });
        expect(card.stocked_at, `row ${i.seq}`).not.toBeNull();
      }
      expect(card.account).toBe(true);
    } else {
      expect(app, `row ${i.seq}`).toBe('in_production');
      expect(card.status, `row ${i.seq}`).toBe('in_production');
      if (reason) {
        expect(i, `row ${i.seq}`).toMatchObject({ result: 'refused', reason });
        expect(card.account, `row ${i.seq}: no account`).toBe(false);
      } else {
        expect(i, `row ${i.seq}`).toMatchObject({ result: 'opened', reason: null });
        expect(card.account, `row ${i.seq}: account`).toBe(true);
      }
    }
  }
  expect(db.batch).toMatchObject({ status: 'returned', succeeded: ROWS - nBad, failed: nBad });
  expect(db.file.status).toBe('imported');
  expect(db.file.imported_at).not.toBeNull();
  expect(db.file.result).toMatchObject(
    kind === 'vendor'
      ? { rows: ROWS, succeeded: ROWS - nBad, failed: nBad, reproduce: nBad, undeliverable: 0 }
      : { rows: ROWS, opened: ROWS - nBad, refused: nBad },
  );
  // Imported once: one audit record of the import, not an "again".
  expect(db.applied.map((a) => a.outcome)).toEqual(['success']);
  expect(db.applied[0]!.details.again).toBeUndefined();
}

async function chainsVerify(inst: Installation): Promise<void> {
  const platform = await openPlatform({ config: loadConfig({ ...process.env, ...inst.env }) });
  try {
    expect((await verifyAuditChain(platform.deps.db, {})).firstBreak).toBeNull();
  } finally {
    await platform.close();
  }
}

// ---- the tests ---------------------------------------------------------------------------------

const IMPORTS: { kind: Import; title: string; act: string; jobKind: string; path: string }[] = [
  {
    kind: 'vendor',
    title: 'the vendor’s production return file',
    act: 'production.return_apply',
    jobKind: 'production.return_import',
    path: '/api/v1/production/batches',
  },
  {
    kind: 'bank',
    title: 'the bank’s account-opening return file',
    act: 'bank_file.return_apply',
    jobKind: 'bank.return_import',
    path: '/api/v1/bank-files',
  },
];

for (const imp of IMPORTS)
  describe.each(BACKENDS)(`${imp.title}: import killed part-way (kill -9) on %s`, (backend) => {
    it('commits nothing of the open transaction, and the job resumes to the end, each row once', async () => {
      const inst = await installationOn(backend, pgUrl);
      const servers: ServerProcess[] = [];
      try {
        // The manual clock, saved, so that the restart can be put past the job's lease.
        const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
        await setClock(inst, t0);
        const s = await scene(inst, imp.kind);
        expect(s.rows.length).toBe(ROWS);

        // ---- first run: upload, the import's transaction open, kill -9 ----
        const first = await startServer(inst, {
          SSCARD_FAILPOINTS: `slow:${imp.act}`,
          SSCARD_FAILPOINT_SLOW_MS: String(SLOW_MS),
        });
        servers.push(first);
        const secret: { value?: string } = {};
        let token = await loginWithOtp(first.url, CENTRE, t0, secret);
        const up = await fetch(`${first.url}${imp.path}/${s.batchId}/return`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'text/plain',
            'x-filename': 'return.txt',
          },
          body: Buffer.from(s.content, 'utf8'),
        });
        const uploaded = (await up.json()) as { fileId: string; jobId: string | null };
        expect(up.status, JSON.stringify(uploaded)).toBe(202);
        expect(uploaded.jobId).toEqual(expect.any(String));
        const jobId = uploaded.jobId!;
        if (backend === 'postgres') {
          const running = await untilJob(
            first.url,
            token,
            jobId,
            (j) => j.status === 'running' || j.status === 'succeeded',
            300_000,
          );
          expect(running.status, 'the import should still be running when killed').toBe('running');
          await untilTransactionOpen(inst, 120_000);
        } else {
          // PGlite has one connection: while the import's transaction is open, every other query
          // (this poll's) waits for it. A poll left unanswered is the transaction open.
          expect(await untilHeld(first.url, token, jobId, 300_000)).not.toBe('succeeded');
          await new Promise((resolve) => setTimeout(resolve, 5_000));
        }
        await first.kill('SIGKILL');

        // ---- what the crash left: nothing of the import ----
        const half = await committed(inst, imp.kind, s, uploaded.fileId, jobId);
        expectNothing(imp.kind, half, s);
        expect(half.job).toMatchObject({ status: 'running', attempts: 1 });

        // ---- second run, past the dead node's lease: the queue takes the job again ----
        const t1 = new Date(t0.getTime() + 2 * LEASE_MS);
        await setClock(inst, t1);
        const second = await startServer(inst);
        servers.push(second);
        token = await loginWithOtp(second.url, CENTRE, t1, secret);
        const done = await untilJob(
          second.url,
          token,
          jobId,
          (j) => j.status === 'succeeded',
          480_000,
        );
        expect(done.result).toMatchObject({ batchId: s.batchId, rows: ROWS });
        await second.kill('SIGTERM');

        const end = await committed(inst, imp.kind, s, uploaded.fileId, jobId);
        expectAll(imp.kind, end, s);
        expect(end.job).toMatchObject({ status: 'succeeded', attempts: 2 });
        // Exactly one job for the file, and the file stored once.
        const jobs = await inst.query<{ n: string }>(
          `select count(*)::text as n from queue_jobs where kind = $1 and payload->>'fileId' = $2`,
          [imp.jobKind, uploaded.fileId],
        );
        expect(Number(jobs[0]!.n)).toBe(1);
        const files = await inst.query<{ n: string }>(
          'select count(*)::text as n from return_files where batch_id = $1',
          [s.batchId],
        );
        expect(Number(files[0]!.n)).toBe(1);
        await chainsVerify(inst);
      } finally {
        for (const srv of servers) await srv.kill();
        await inst.dispose();
      }
    }, 900_000);
  });
