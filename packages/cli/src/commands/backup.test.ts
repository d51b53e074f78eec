/**
 * The restore drill (docs/BACKUP.md), on PGlite and, with DATABASE_URL, on PostgreSQL: seed an
 * installation (people, applications, cards), back it up, keep working, restore into a fresh
 * place, and check that every card, person and application of the backup is back (ids against a
 * snapshot taken at backup time), none made afterwards, the audit chains intact and the restore
 * recorded. The master key is not in the backup: without it the restore succeeds and personal
 * data stays sealed; with a wrong one the platform refuses to start.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mod11_2CheckChar } from '@sscard/domain';
import {
  loadConfig,
  openDatabase,
  openPlatform,
  readBackupHeader,
  seedDemo,
  systemContext,
  verifyAuditChain,
  type DatabaseHandle,
} from '@sscard/server';
import { sql } from 'kysely';
import { openTestInstallation, run, type TestInstallation } from '../testing.js';

const A = Buffer.alloc(32, 0x51).toString('base64');
const WRONG = Buffer.alloc(32, 0x52).toString('base64');
const url = process.env.DATABASE_URL;
const kind = url ? 'postgres' : 'pglite';

const idNumber = (n: number) => {
  const body = `31010119850505${String(n).padStart(3, '0')}`;
  return body + mod11_2CheckChar(body);
};
const person = (n: number) => ({
  idType: 'resident_id' as const,
  idNumber: idNumber(n),
  name: `备份${'零甲乙丙丁戊己庚辛壬癸子'[n]}`,
  phone: `1390013${String(1000 + n)}`,
  householdAddress: `上海市黄浦区人民大道${n}号`,
  jurisdiction: 'SH',
});

type Ids = Record<'cards' | 'persons' | 'applications', string[]>;
async function ids(h: DatabaseHandle): Promise<Ids> {
  const list = async (q: ReturnType<typeof sql<{ k: string }>>) =>
    (await q.execute(h.db)).rows.map((r) => r.k).sort();
  return {
    cards: await list(sql<{ k: string }>`select card_no as k from cards`),
    persons: await list(sql<{ k: string }>`select id::text as k from persons`),
    applications: await list(sql<{ k: string }>`select id::text as k from applications`),
  };
}

let inst: TestInstallation;
let work: string;
let restoreDb: string | undefined;
const places: string[] = [];
const file = () => path.join(work, 'drill.sscb');
let atBackup: Ids;
const outputs: string[] = [];
const sscard = async (...args: string[]) => {
  const res = await run(...args);
  outputs.push(res.out);
  return res;
};

/** Points the environment at a fresh, empty place to restore into. */
async function freshPlace(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sscard-restored-'));
  places.push(dir);
  process.env.SSCARD_DATA_DIR = dir;
  if (url) {
    restoreDb = `sscard_restore_${randomBytes(5).toString('hex')}`;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`create database ${restoreDb}`);
    await c.end();
    const target = new URL(url);
    target.pathname = `/${restoreDb}`;
    process.env.DATABASE_URL = target.toString();
  }
  return dir;
}

/** The restored database, opened as someone with access to it (no key needed). */
async function withRestored<T>(fn: (h: DatabaseHandle) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const h = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await fn(h);
  } finally {
    await h.close();
  }
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'sscard-backup-'));
  inst = await openTestInstallation('backup', (dir) => {
    // A key file in the data directory as well: it must not end up in the backup either.
    writeFileSync(path.join(dir, 'master.key'), `${A}\n`, { mode: 0o600 });
    return { SSCARD_ADMIN_PASSWORD: 'Admin-Backup-2026!', SSCARD_MASTER_KEY: A };
  });
  const platform = await openPlatform({ config: loadConfig() });
  try {
    await seedDemo(platform);
    for (let n = 1; n <= 3; n++)
      await platform.services.persons.create(person(n), systemContext('test'));
  } finally {
    await platform.close();
  }
}, 900_000);

afterAll(async () => {
  await inst.remove();
  rmSync(work, { recursive: true, force: true });
  for (const dir of places)
    for (const name of readdirSync(path.dirname(dir)))
      if (name.startsWith(path.basename(dir)))
        rmSync(path.join(path.dirname(dir), name), { recursive: true, force: true });
  if (url && restoreDb) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop database if exists ${restoreDb} with (force)`);
    await c.end();
  }
});

describe(`backup and restore drill (${kind})`, () => {
  it('writes one file with a manifest that describes the database, without the key', async () => {
    atBackup = await inst.withRaw(ids);
    expect(atBackup.cards.length).toBeGreaterThan(0);
    expect(atBackup.applications.length).toBeGreaterThan(0);

    const res = await sscard('backup', '--out', file());
    expect(res.code, res.out).toBe(0);
    expect(res.out).toContain(`backup written: ${file()}`);
    const { manifest } = readBackupHeader(file());
    expect(manifest.databaseKind).toBe(kind);
    expect(manifest.payload.encoding).toBe(url ? 'pg_dump-custom' : 'pglite-datadir-tar');
    expect(manifest.counts).toEqual({
      cards: atBackup.cards.length,
      persons: atBackup.persons.length,
      applications: atBackup.applications.length,
    });
    expect(manifest.schemaVersion).toBeGreaterThanOrEqual(15);
    expect(manifest.auditHeadHash).toMatch(/^[0-9a-f]{64}$/);
    const bytes = readFileSync(file());
    expect(bytes.includes(Buffer.from(A))).toBe(false);
    expect(bytes.includes(Buffer.from('master.key'))).toBe(false);

    // The backup is an act: recorded in the trail, with who ran it.
    const recorded = await inst.withRaw(
      async (h) =>
        (
          await sql<{
            details: Record<string, unknown>;
          }>`select details from audit_log where action = 'ops.backup'`.execute(h.db)
        ).rows,
    );
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.details).toMatchObject({
      sha256: manifest.payload.sha256,
      persons: atBackup.persons.length,
    });
    expect(String(recorded[0]!.details.operatingSystemUser)).not.toBe('');

    const inspect = await sscard('restore', '--inspect', file());
    expect(inspect.code).toBe(0);
    expect(inspect.out).toContain('intact');
  }, 300_000);

  it('keeps working after the backup', async () => {
    const platform = await openPlatform({ config: loadConfig() });
    try {
      for (let n = 10; n <= 11; n++)
        await platform.services.persons.create(person(n), systemContext('test'));
    } finally {
      await platform.close();
    }
    const now = await inst.withRaw(ids);
    expect(now.persons.length).toBe(atBackup.persons.length + 2);
  }, 120_000);

  it('refuses a damaged file', async () => {
    const damaged = path.join(work, 'damaged.sscb');
    const bytes = readFileSync(file());
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0xff, bytes.length - 100);
    writeFileSync(damaged, bytes);
    const res = await sscard('restore', '--inspect', damaged);
    expect(res.code).toBe(1);
    expect(res.out).toContain('does not match its manifest');
  });

  it('restores into a fresh place without the key: data back and checked, personal data sealed', async () => {
    const dir = await freshPlace();
    delete process.env.SSCARD_MASTER_KEY;
    const res = await sscard('restore', file());
    expect(res.code, res.out).toBe(3);
    expect(res.out).toContain('restored and checked');
    expect(res.out).toContain('no master key is configured');
    expect(existsSync(path.join(dir, 'master.key'))).toBe(false);
    const back = await withRestored(ids);
    expect(back).toEqual(atBackup);
    // Personal data is there, but sealed: ciphertext only.
    const sealed = await withRestored(
      async (h) =>
        (await sql<{ ssn_enc: string }>`select ssn_enc from persons limit 1`.execute(h.db)).rows,
    );
    expect(sealed[0]!.ssn_enc).toMatch(/^v1\./);

    // Not empty any more: a second restore is refused without --force.
    const again = await sscard('restore', file());
    expect(again.code).toBe(1);
    expect(again.out).toContain('not empty');
  }, 300_000);

  it('with a wrong key the data is restored but the platform refuses to start', async () => {
    process.env.SSCARD_MASTER_KEY = WRONG;
    const res = await sscard('restore', '--force', file());
    expect(res.code, res.out).toBe(3);
    expect(res.out).toMatch(/personal data is not readable yet: .*sealed under data key/);
    await expect(openPlatform({ config: loadConfig() })).rejects.toThrow(/sealed under data key/);
  }, 300_000);

  it('with the right key: every card, person and application is back, chains intact, restore recorded', async () => {
    process.env.SSCARD_MASTER_KEY = A;
    const res = await sscard('restore', '--force', file());
    expect(res.code, res.out).toBe(0);
    expect(res.out).toContain('the restore is recorded');
    const { manifest } = readBackupHeader(file());
    const back = await withRestored(ids);
    expect(back).toEqual(atBackup);
    expect(manifest.counts).toEqual({
      cards: back.cards.length,
      persons: back.persons.length,
      applications: back.applications.length,
    });
    await withRestored(async (h) => {
      const chain = await verifyAuditChain(h.db);
      expect(chain.firstBreak).toBeNull();
      const last = await sql<{ action: string; details: Record<string, unknown> }>`
        select action, details from audit_log order by at desc, seq desc limit 1`.execute(h.db);
      expect(last.rows[0]!.action).toBe('ops.restore');
      expect(last.rows[0]!.details).toMatchObject({ auditHeadHash: manifest.auditHeadHash });
    });
    const platform = await openPlatform({ config: loadConfig() });
    try {
      const found = await platform.services.persons.find(
        { idType: 'resident_id', idNumber: person(2).idNumber },
        { ...systemContext('test'), reason: 'drill' },
      );
      expect(found.map((p) => p.phone)).toEqual([person(2).phone]);
      const later = await platform.services.persons.find(
        { idType: 'resident_id', idNumber: person(10).idNumber },
        { ...systemContext('test'), reason: 'drill' },
      );
      expect(later).toEqual([]);
    } finally {
      await platform.close();
    }
  }, 300_000);

  it('prints no key and no personal value', () => {
    const all = outputs.join('\n');
    for (const secret of [A, WRONG]) expect(all).not.toContain(secret);
    for (const n of [1, 2, 3, 10, 11])
      for (const v of [person(n).idNumber, person(n).phone]) expect(all).not.toContain(v);
    if (url) expect(all).not.toContain(url);
  });
});
