/**
 * Backup and restore of the whole installation (`sscard backup|restore`, docs/BACKUP.md).
 *
 * A backup is one file: a first line `SSCARD-BACKUP 1`, a second line holding the manifest (JSON),
 * then the payload:
 * - on a PostgreSQL server, `pg_dump --format=custom` taken in a snapshot exported by a read-only
 *   repeatable-read transaction, in which the manifest's facts are read too: the manifest
 *   describes exactly what the dump holds, while the platform keeps serving;
 * - on PGlite, the data directory as a tar (PGlite's `dumpDataDir`) after a checkpoint, taken by
 *   the one process that holds the data directory's lock (a running server refuses the command),
 *   without the master key file and the lock file.
 *
 * The master key is never in a backup. A restore brings the data back and checks it against the
 * manifest (payload sha256, schema version, audit chain heads, counts and id digests of cards,
 * persons and applications, the audit chains walked) without any key; personal data opens only
 * with the key that sealed it, and the platform refuses to start with another.
 *
 * Backup and restore are acts (`ops.backup`, `ops.restore`) with the operating-system user and
 * host in the record; a restore appends its record to the restored trail, once the platform
 * opens on it.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../config.js';
import type { ActContext } from '../context.js';
import { loadMasterKeys } from '../crypto/master-key.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { LOCK_FILE_NAME } from '../db/data-dir-lock.js';
import type { Deps } from '../deps.js';
import { verifyAuditChain, type ChainReport } from '../modules/audit/verify.js';
import { openPlatform, type Platform } from '../platform.js';
import { BackupRepository, COUNTED_TABLES, type DatabaseFacts } from './backup.repository.js';

export const BACKUP_MAGIC = 'SSCARD-BACKUP';
export const BACKUP_FORMAT_VERSION = 1;
const MASTER_KEY_FILE = 'master.key';

export interface BackupManifest extends DatabaseFacts {
  format: typeof BACKUP_MAGIC;
  formatVersion: number;
  createdAt: string;
  databaseKind: 'pglite' | 'postgres';
  payload: {
    encoding: 'pg_dump-custom' | 'pglite-datadir-tar';
    bytes: number;
    sha256: string;
  };
  /** The data key that sealed personal data when the backup was taken (an id, not the key). */
  activeDataKeyId: string | null;
  /** Who ran it: the operating-system user and host, as far as they are known. */
  createdBy: { user: string; host: string };
}

export class BackupError extends Error {}

function operator(): { user: string; host: string } {
  let user = process.env.USER ?? 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (a container with an arbitrary uid)
  }
  return { user, host: os.hostname() };
}

// ---- the file ------------------------------------------------------------------------------------

/** Reads the two header lines: the manifest and where the payload starts. */
export function readBackupHeader(file: string): { manifest: BackupManifest; offset: number } {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const n = readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, n);
    const first = text.indexOf(0x0a);
    const second = first < 0 ? -1 : text.indexOf(0x0a, first + 1);
    const magic = first < 0 ? '' : text.subarray(0, first).toString('utf8');
    if (second < 0 || !magic.startsWith(`${BACKUP_MAGIC} `))
      throw new BackupError(`${file} is not an sscard backup`);
    const version = Number(magic.slice(BACKUP_MAGIC.length + 1));
    if (version !== BACKUP_FORMAT_VERSION)
      throw new BackupError(
        `${file} is backup format ${version}; this version reads format ${BACKUP_FORMAT_VERSION}`,
      );
    const manifest = JSON.parse(
      text.subarray(first + 1, second).toString('utf8'),
    ) as BackupManifest;
    if (manifest.format !== BACKUP_MAGIC || manifest.formatVersion !== BACKUP_FORMAT_VERSION)
      throw new BackupError(`${file}: the manifest does not match its header`);
    return { manifest, offset: second + 1 };
  } finally {
    closeSync(fd);
  }
}

async function sha256OfFile(file: string, start = 0): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { start })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Checks the payload against the manifest: its length and sha256. */
export async function verifyBackupFile(file: string): Promise<BackupManifest> {
  const { manifest, offset } = readBackupHeader(file);
  const { sha256, bytes } = await sha256OfFile(file, offset);
  if (bytes !== manifest.payload.bytes || sha256 !== manifest.payload.sha256)
    throw new BackupError(
      `${file}: the payload does not match its manifest (${bytes} bytes, sha256 ${sha256.slice(0, 16)}…; ` +
        `expected ${manifest.payload.bytes} bytes, ${manifest.payload.sha256.slice(0, 16)}…): damaged or altered`,
    );
  return manifest;
}

/** Writes header, manifest and payload (from a file) to `out`, through a temporary name. */
async function writeContainer(out: string, manifest: BackupManifest, payload: string) {
  const tmp = `${out}.${randomBytes(4).toString('hex')}.tmp`;
  const stream = createWriteStream(tmp, { mode: 0o600 });
  stream.write(`${BACKUP_MAGIC} ${BACKUP_FORMAT_VERSION}\n${JSON.stringify(manifest)}\n`);
  await pipeline(createReadStream(payload), stream);
  renameSync(tmp, out);
}

/** Copies the payload of a backup into a file of its own (pg_restore reads it from there). */
async function extractPayload(file: string, offset: number, to: string): Promise<void> {
  await pipeline(createReadStream(file, { start: offset }), createWriteStream(to, { mode: 0o600 }));
}

// ---- tar: the PGlite data directory without the key ------------------------------------------

/** Entries of a data-directory tar that must never be in a backup: the key, the lock. */
function excluded(name: string): boolean {
  const base = name.replace(/^\.?\/+/, '');
  return base === MASTER_KEY_FILE || base.startsWith(LOCK_FILE_NAME);
}

/** The ustar archive without the excluded entries (and any extended header preceding one). */
export function withoutSecrets(tar: Buffer): { tar: Buffer; dropped: string[] } {
  const kept: Buffer[] = [];
  const dropped: string[] = [];
  let pending: Buffer[] = [];
  let at = 0;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, len: number) =>
      header
        .subarray(from, from + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = header.subarray(257, 263).toString('latin1').startsWith('ustar')
      ? field(345, 155)
      : '';
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const length = 512 + Math.ceil(size / 512) * 512;
    const entry = tar.subarray(at, at + length);
    at += length;
    if (type === 'x' || type === 'L' || type === 'K') {
      pending.push(entry); // belongs to the next entry
      continue;
    }
    if (excluded(name)) dropped.push(name.replace(/^\.?\/+/, ''));
    else kept.push(...pending, entry);
    pending = [];
  }
  kept.push(Buffer.alloc(1024));
  return { tar: Buffer.concat(kept), dropped };
}

// ---- backup ------------------------------------------------------------------------------------

export interface BackupOptions {
  out: string;
  ctx: ActContext;
  /** The pg_dump to run (default: `pg_dump` on PATH). */
  pgDump?: string;
}

/** Takes a backup of the open platform's database into `options.out`; audited (`ops.backup`). */
export async function takeBackup(
  platform: Platform,
  options: BackupOptions,
): Promise<BackupManifest> {
  const { deps, handle } = platform;
  const repo = deps.repos.backup;
  const out = path.resolve(options.out);
  mkdirSync(path.dirname(out), { recursive: true });
  const payloadFile = `${out}.${randomBytes(4).toString('hex')}.payload`;
  try {
    let facts: DatabaseFacts;
    let encoding: BackupManifest['payload']['encoding'];
    if (handle.kind === 'postgres') {
      const conn = toolConnection(deps.config.databaseUrl!);
      await checkClientVersion(options.pgDump ?? 'pg_dump', repo);
      facts = await repo.inExportedSnapshot(async (snapshot, f) => {
        await run(
          options.pgDump ?? 'pg_dump',
          [
            '--format=custom',
            `--snapshot=${snapshot}`,
            '--no-password',
            ...(f.schema !== 'public' ? [`--schema=${f.schema}`] : []),
            `--file=${payloadFile}`,
            `--dbname=${conn.dbname}`,
          ],
          conn.env,
        );
        return f;
      });
      encoding = 'pg_dump-custom';
    } else {
      if (!handle.dumpDataDir)
        throw new BackupError('this database cannot dump its data directory');
      // This process holds the data directory's lock: nothing else writes while we read.
      facts = await repo.facts();
      await repo.checkpoint();
      const tar = Buffer.from(await (await handle.dumpDataDir()).arrayBuffer());
      const clean = withoutSecrets(tar).tar;
      await pipeline(
        (async function* () {
          yield clean;
        })(),
        createWriteStream(payloadFile, { mode: 0o600 }),
      );
      encoding = 'pglite-datadir-tar';
    }
    const { sha256, bytes } = await sha256OfFile(payloadFile);
    const manifest: BackupManifest = {
      format: BACKUP_MAGIC,
      formatVersion: BACKUP_FORMAT_VERSION,
      createdAt: deps.clock.now().toISOString(),
      databaseKind: handle.kind,
      ...facts,
      payload: { encoding, bytes, sha256 },
      activeDataKeyId: deps.keyring.activeKeyId,
      createdBy: operator(),
    };
    await writeContainer(out, manifest, payloadFile);
    await record(deps, options.ctx, 'ops.backup', {
      file: path.basename(out),
      ...summary(manifest),
    });
    return manifest;
  } finally {
    rmSync(payloadFile, { force: true });
  }
}

type Details = Record<string, string | number | boolean | null>;

function summary(m: BackupManifest): Details {
  return {
    databaseKind: m.databaseKind,
    createdAt: m.createdAt,
    schemaVersion: m.schemaVersion,
    auditHeadHash: m.auditHeadHash,
    cards: m.counts.cards,
    persons: m.counts.persons,
    applications: m.counts.applications,
    sha256: m.payload.sha256,
    operatingSystemUser: m.createdBy.user,
    host: m.createdBy.host,
  };
}

async function record(
  deps: Deps,
  ctx: ActContext,
  name: 'ops.backup' | 'ops.restore',
  details: Details,
): Promise<void> {
  await deps.acts.run(ctx, {
    name,
    resource: 'installation',
    load: async () => ({}),
    target: () => ({ type: 'installation', id: null, jurisdiction: null }),
    apply: async () => ({ result: undefined, details }),
  });
}

/** pg_dump refuses a server newer than itself; say so before starting, naming what to install. */
async function checkClientVersion(bin: string, repo: BackupRepository) {
  let text: string;
  try {
    text = await run(bin, ['--version']);
  } catch (e) {
    throw new BackupError(
      `${bin} was not found or does not run (${(e as Error).message}); install the PostgreSQL client tools of the server's major version (Debian: postgresql-client-NN)`,
    );
  }
  const client = Number(/(\d+)(?:\.\d+)?/.exec(text)?.[1] ?? NaN);
  const server = await repo.serverMajorVersion();
  if (!(client >= server))
    throw new BackupError(
      `${bin} is version ${client} but the server is ${server}: install postgresql-client-${server}`,
    );
}

/**
 * The connection string for pg_dump and pg_restore without its password, which goes into their
 * environment instead (PGPASSWORD): a command line is visible to every user of the machine.
 */
function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env = { ...process.env };
  if (u.password) {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = '';
  }
  return { dbname: u.toString(), env };
}

/** Runs a program; resolves with its standard output, rejects with its standard error. */
function run(bin: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      // The connection string may hold a password: never repeat the command line.
      else
        reject(
          new BackupError(`${path.basename(bin)} failed (exit ${code}): ${redact(stderr.trim())}`),
        );
    });
  });
}

function redact(text: string): string {
  return text.replace(/postgres(?:ql)?:\/\/[^\s"']+/g, 'postgres://…');
}

// ---- restore -----------------------------------------------------------------------------------

export interface RestoreOptions {
  file: string;
  config: Config;
  /** Replace a target that is not empty (PGlite: the old directory is moved aside). */
  force?: boolean;
  ctx: ActContext;
  pgRestore?: string;
}

export interface RestoreReport {
  manifest: BackupManifest;
  /** The facts read back from the restored database; equal to the manifest's. */
  restored: DatabaseFacts;
  chain: ChainReport;
  /** Where a replaced PGlite directory was moved (--force). */
  movedAside?: string;
  /**
   * Whether the platform opened on the restored data with the configured master key (and the
   * restore record was appended); when not, why.
   */
  platform: { opened: true } | { opened: false; reason: string };
}

/** Restores a backup into an empty database (or any, with `force`), then checks it. */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreReport> {
  const { config } = options;
  const manifest = await verifyBackupFile(options.file);
  const { offset } = readBackupHeader(options.file);
  const kind = config.databaseUrl ? 'postgres' : 'pglite';
  if (kind !== manifest.databaseKind)
    throw new BackupError(
      `this backup is of a ${manifest.databaseKind} database and the configured database is ${kind}` +
        ` (a PGlite backup restores into SSCARD_DATA_DIR, a server backup into DATABASE_URL)`,
    );
  let movedAside: string | undefined;
  if (kind === 'postgres') await restoreOnServer(options, offset);
  else movedAside = await restorePGlite(options, offset);

  // Check what came back against the manifest, without any key.
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let restored: DatabaseFacts;
  let chain: ChainReport;
  try {
    ({ restored, chain } = await check(handle, manifest));
  } finally {
    await handle.close();
  }

  const report: Omit<RestoreReport, 'platform'> = {
    manifest,
    restored,
    chain,
    ...(movedAside ? { movedAside } : {}),
  };
  // The master key is not in the backup: without one, do not let start-up make a new one.
  const keys = loadMasterKeys(config.masterKey, config.dataDir, { create: false });
  if (!keys.keys.length)
    return {
      ...report,
      platform: {
        opened: false,
        reason: `no master key is configured: set SSCARD_MASTER_KEY or put the installation's ${MASTER_KEY_FILE} into ${config.dataDir}, then start the platform (the backup was sealed under data key ${manifest.activeDataKeyId ?? 'unknown'})`,
      },
    };
  let platform: Platform;
  try {
    platform = await openPlatform({ config });
  } catch (e) {
    return { ...report, platform: { opened: false, reason: (e as Error).message } };
  }
  try {
    await record(platform.deps, options.ctx, 'ops.restore', {
      file: path.basename(options.file),
      ...summary(manifest),
      chainRecords: chain.records,
      ...(movedAside ? { movedAside: path.basename(movedAside) } : {}),
    });
  } finally {
    await platform.close();
  }
  return { ...report, platform: { opened: true } };
}

async function check(
  handle: DatabaseHandle,
  manifest: BackupManifest,
): Promise<{ restored: DatabaseFacts; chain: ChainReport }> {
  // A new BackupRepository here: there is no platform yet (the key may be missing).
  const restored = await new BackupRepository(handle.db).facts();
  const problems: string[] = [];
  if (restored.schemaVersion !== manifest.schemaVersion)
    problems.push(`schema version ${restored.schemaVersion}, expected ${manifest.schemaVersion}`);
  if (restored.auditHeadHash !== manifest.auditHeadHash)
    problems.push('the audit chain heads differ from the manifest');
  for (const table of Object.keys(COUNTED_TABLES) as (keyof typeof COUNTED_TABLES)[]) {
    if (restored.counts[table] !== manifest.counts[table])
      problems.push(`${table}: ${restored.counts[table]} rows, expected ${manifest.counts[table]}`);
    else if (restored.idDigests[table] !== manifest.idDigests[table])
      problems.push(`${table}: not the same rows as at backup time`);
  }
  const chain = await verifyAuditChain(handle.db);
  if (chain.firstBreak)
    problems.push(
      `the audit chain is broken at shard ${chain.firstBreak.shard}, record ${chain.firstBreak.seq} (${chain.firstBreak.problem})`,
    );
  if (problems.length)
    throw new BackupError(
      `the restored database does not match the backup: ${problems.join('; ')}`,
    );
  return { restored, chain };
}

async function restoreOnServer(options: RestoreOptions, offset: number) {
  const url = options.config.databaseUrl!;
  const probe = await openDatabase({ databaseUrl: url, poolSize: 1 });
  try {
    const existing = await new BackupRepository(probe.db).userRelations();
    if (existing.count && !options.force)
      throw new BackupError(
        `the target database is not empty (${existing.count} relations, e.g. ${existing.names.join(', ')}); restore into an empty database, or pass --force to drop and replace the objects the backup holds`,
      );
  } finally {
    await probe.close();
  }
  const payload = path.join(os.tmpdir(), `sscard-restore-${randomBytes(6).toString('hex')}.dump`);
  try {
    await extractPayload(options.file, offset, payload);
    const conn = toolConnection(url);
    await run(
      options.pgRestore ?? 'pg_restore',
      [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        ...(options.force ? ['--clean', '--if-exists'] : []),
        '--no-password',
        `--dbname=${conn.dbname}`,
        payload,
      ],
      conn.env,
    );
  } finally {
    rmSync(payload, { force: true });
  }
}

/** Restores the data directory; returns where a replaced one was moved (`force`). */
async function restorePGlite(options: RestoreOptions, offset: number): Promise<string | undefined> {
  const dir = path.resolve(options.config.dataDir);
  const present = existsSync(dir)
    ? readdirSync(dir).filter((n) => n !== MASTER_KEY_FILE && !n.startsWith(LOCK_FILE_NAME))
    : [];
  let movedAside: string | undefined;
  if (present.length) {
    if (!options.force)
      throw new BackupError(
        `the data directory ${dir} is not empty (${present.slice(0, 5).join(', ')}); restore into an empty one, or pass --force to move it aside`,
      );
    // Holding its lock proves no server uses it; the old directory is kept, not deleted.
    const probe = await openDatabase({ dataDir: dir });
    await probe.close();
    movedAside = `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dir, movedAside);
    mkdirSync(dir, { recursive: true });
    if (existsSync(path.join(movedAside, MASTER_KEY_FILE)))
      copyFileSync(path.join(movedAside, MASTER_KEY_FILE), path.join(dir, MASTER_KEY_FILE));
  }
  const tarFile = path.join(os.tmpdir(), `sscard-restore-${randomBytes(6).toString('hex')}.tar`);
  try {
    await extractPayload(options.file, offset, tarFile);
    if (statSync(tarFile).size === 0) throw new BackupError('the backup holds no data directory');
    const handle = await openDatabase({
      dataDir: dir,
      loadDataDir: new Blob([await readFile(tarFile)]),
    });
    await handle.close();
  } finally {
    rmSync(tarFile, { force: true });
  }
  return movedAside;
}
