/**
 * Audit archives and exports: JSON Lines, one record a line with every hashed field, its
 * `prev_hash` and `hash` (hex), so each record can be re-hashed from its line alone (chain.ts)
 * and consecutive records of a shard link. An archive written here starts with a manifest line
 * (`"format": "sscard-audit-archive"`) naming, per shard, the range it holds, the hash it starts
 * from (the anchor before) and the hash it ends with (the anchor after a prune). The HTTP export
 * is the record lines alone; `verifyArchive` reads both.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Selectable } from 'kysely';
import type { AuditLogTable } from '../../db/schema.js';
import { hashRecord, type ChainedFields } from './chain.js';

export const ARCHIVE_FORMAT = 'sscard-audit-archive';
export const ARCHIVE_VERSION = 1;

export type AuditRow = Selectable<AuditLogTable>;

/** One line of an archive or export: the record as hashed, the instant in ISO, hashes in hex. */
export type ArchiveRecord = Omit<AuditLogTable, 'at' | 'details' | 'prev_hash' | 'hash'> & {
  at: string;
  details: unknown;
  prev_hash: string;
  hash: string;
};

export interface ArchiveShard {
  shard: number;
  fromSeq: number;
  toSeq: number;
  records: number;
  /** The `prev_hash` of the first record: the anchor the range hangs from. */
  prevHash: string;
  /** The hash of the last record: the shard's anchor once the range is pruned. */
  lastHash: string;
  lastAt: string;
}

export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  /** `prune`: whole ranges removed from the trail; `export`: records of a period, for an auditor. */
  kind: 'prune' | 'export';
  createdAt: string;
  records: number;
  shards: ArchiveShard[];
  /** prune: records older than this were pruned. */
  cutoff?: string;
  retentionDays?: number;
  /** export: the period, [from, to). */
  from?: string;
  to?: string;
}

export function toArchiveRecord(row: AuditRow): ArchiveRecord {
  return {
    shard: row.shard,
    seq: Number(row.seq),
    id: row.id,
    at: row.at.toISOString(),
    actor_id: row.actor_id,
    actor_username: row.actor_username,
    actor_org_id: row.actor_org_id,
    actor_role: row.actor_role,
    ip: row.ip,
    request_id: row.request_id,
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    jurisdiction: row.jurisdiction,
    reason: row.reason,
    outcome: row.outcome,
    code: row.code,
    details: row.details ?? null,
    prev_hash: row.prev_hash.toString('hex'),
    hash: row.hash.toString('hex'),
  };
}

const HEX32 = /^[0-9a-f]{64}$/;
const NULLABLE_TEXT = [
  'actor_id',
  'actor_username',
  'actor_org_id',
  'actor_role',
  'ip',
  'request_id',
  'target_type',
  'target_id',
  'jurisdiction',
  'reason',
  'code',
] as const;

/** The record of a line, or null when the line is not one. */
export function parseArchiveRecord(value: unknown): (ChainedFields & { hash: Buffer }) | null {
  if (!value || typeof value !== 'object') return null;
  const r = value as Record<string, unknown>;
  if (!Number.isInteger(r.shard) || !Number.isInteger(r.seq)) return null;
  if (typeof r.id !== 'string' || typeof r.action !== 'string' || typeof r.at !== 'string')
    return null;
  if (r.outcome !== 'success' && r.outcome !== 'refused' && r.outcome !== 'error') return null;
  if (typeof r.hash !== 'string' || !HEX32.test(r.hash)) return null;
  if (typeof r.prev_hash !== 'string' || !HEX32.test(r.prev_hash)) return null;
  for (const k of NULLABLE_TEXT) if (r[k] !== null && typeof r[k] !== 'string') return null;
  const at = new Date(r.at);
  if (Number.isNaN(at.getTime()) || at.toISOString() !== r.at) return null;
  const text = (k: (typeof NULLABLE_TEXT)[number]) => r[k] as string | null;
  return {
    shard: r.shard as number,
    seq: r.seq as number,
    id: r.id,
    at,
    actor_id: text('actor_id'),
    actor_username: text('actor_username'),
    actor_org_id: text('actor_org_id'),
    actor_role: text('actor_role'),
    ip: text('ip'),
    request_id: text('request_id'),
    action: r.action,
    target_type: text('target_type'),
    target_id: text('target_id'),
    jurisdiction: text('jurisdiction'),
    reason: text('reason'),
    outcome: r.outcome,
    code: text('code'),
    details: r.details ?? null,
    prev_hash: Buffer.from(r.prev_hash, 'hex'),
    hash: Buffer.from(r.hash, 'hex'),
  };
}

/** A break found while writing (a record that does not hash or link): nothing is written then. */
export class ArchiveIntegrityError extends Error {
  constructor(
    readonly shard: number,
    readonly seq: number,
    readonly problem: 'altered' | 'relinked' | 'missing',
  ) {
    super(`shard ${shard}, record ${seq}: ${problem}; the archive was not written`);
  }
}

export interface WrittenArchive {
  file: string;
  sha256: string;
  manifest: ArchiveManifest;
}

export interface WriteArchiveOptions {
  /** Each shard's range must be whole: it starts at this hash and has no gaps (a prune). */
  startHashes?: Map<number, Buffer>;
}

/**
 * Writes rows (ordered by shard, then seq) to `file` with the manifest first. Every record is
 * re-hashed on the way; with `startHashes` each shard must be one unbroken range from its anchor,
 * and any break stops the write. The file appears only when complete and flushed to disk
 * (written as `<file>.partial`, then renamed); an existing file is never overwritten.
 */
export async function writeArchive(
  file: string,
  manifestBase: Omit<ArchiveManifest, 'format' | 'version' | 'records' | 'shards'>,
  rows: AsyncIterable<AuditRow>,
  options: WriteArchiveOptions = {},
): Promise<WrittenArchive> {
  const target = path.resolve(file);
  if (existsSync(target)) throw new Error(`${target} exists; an archive is never overwritten`);
  await mkdir(path.dirname(target), { recursive: true });
  const body = `${target}.records.partial`;
  const partial = `${target}.partial`;
  const shards = new Map<number, ArchiveShard>();
  let records = 0;
  try {
    const out = await open(body, 'wx', 0o600);
    try {
      let buffer = '';
      for await (const row of rows) {
        const seq = Number(row.seq);
        const last = shards.get(row.shard);
        if (!hashRecord(row).equals(row.hash))
          throw new ArchiveIntegrityError(row.shard, seq, 'altered');
        const start = options.startHashes?.get(row.shard);
        if (last) {
          if (seq <= last.toSeq) throw new Error(`rows out of order at shard ${row.shard}`);
          if (seq === last.toSeq + 1 && row.prev_hash.toString('hex') !== last.lastHash)
            throw new ArchiveIntegrityError(row.shard, seq, 'relinked');
          if (start && seq !== last.toSeq + 1)
            throw new ArchiveIntegrityError(row.shard, last.toSeq + 1, 'missing');
        } else if (start && !row.prev_hash.equals(start)) {
          throw new ArchiveIntegrityError(row.shard, seq, 'relinked');
        }
        const hash = row.hash.toString('hex');
        if (last) {
          last.toSeq = seq;
          last.records += 1;
          last.lastHash = hash;
          last.lastAt = row.at.toISOString();
        } else {
          shards.set(row.shard, {
            shard: row.shard,
            fromSeq: seq,
            toSeq: seq,
            records: 1,
            prevHash: row.prev_hash.toString('hex'),
            lastHash: hash,
            lastAt: row.at.toISOString(),
          });
        }
        records += 1;
        buffer += `${JSON.stringify(toArchiveRecord(row))}\n`;
        if (buffer.length > 1 << 20) {
          await out.write(buffer);
          buffer = '';
        }
      }
      if (buffer) await out.write(buffer);
    } finally {
      await out.close();
    }

    const manifest: ArchiveManifest = {
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      ...manifestBase,
      records,
      shards: [...shards.values()].sort((a, b) => a.shard - b.shard),
    };
    const digest = createHash('sha256');
    const final = await open(partial, 'wx', 0o600);
    try {
      const head = `${JSON.stringify(manifest)}\n`;
      digest.update(head);
      await final.write(head);
      for await (const chunk of createReadStream(body)) {
        digest.update(chunk as Buffer);
        await final.write(chunk as Buffer);
      }
      await final.sync();
    } finally {
      await final.close();
    }
    if (existsSync(target)) throw new Error(`${target} exists; an archive is never overwritten`);
    await rename(partial, target);
    await syncDirectory(path.dirname(target));
    return { file: target, sha256: digest.digest('hex'), manifest };
  } finally {
    await rm(body, { force: true });
    await rm(partial, { force: true });
  }
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the file itself was synced.
  }
}

export interface ArchiveProblem {
  line: number;
  shard: number | null;
  seq: number | null;
  problem: 'unreadable' | 'altered' | 'relinked' | 'missing' | 'out_of_order' | 'manifest_mismatch';
  note?: string;
}

export interface ArchiveReport {
  manifest: ArchiveManifest | null;
  records: number;
  shards: { shard: number; fromSeq: number; toSeq: number; records: number; segments: number }[];
  sha256: string;
  problems: ArchiveProblem[];
}

interface ShardWalk {
  shard: number;
  fromSeq: number;
  firstPrev: string;
  toSeq: number;
  lastHash: string;
  records: number;
  segments: number;
}

/**
 * Checks an archive or export on its own: every line re-hashes to its `hash`; consecutive
 * records of a shard link; with a manifest, each shard is one whole range that starts at the
 * manifest's `prevHash` and ends at its `lastHash` (a prune archive has no gaps).
 */
export async function verifyArchive(file: string, maxProblems = 100): Promise<ArchiveReport> {
  const digest = createHash('sha256');
  const stream = createReadStream(file);
  stream.on('data', (chunk) => digest.update(chunk as Buffer));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const problems: ArchiveProblem[] = [];
  const add = (p: ArchiveProblem) => {
    if (problems.length < maxProblems) problems.push(p);
  };
  const walks = new Map<number, ShardWalk>();
  let manifest: ArchiveManifest | null = null;
  let records = 0;
  let n = 0;
  for await (const text of lines) {
    n += 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      add({ line: n, shard: null, seq: null, problem: 'unreadable', note: 'not JSON' });
      continue;
    }
    if (n === 1 && (value as { format?: unknown })?.format === ARCHIVE_FORMAT) {
      manifest = value as ArchiveManifest;
      continue;
    }
    const r = parseArchiveRecord(value);
    if (!r) {
      add({ line: n, shard: null, seq: null, problem: 'unreadable', note: 'not an audit record' });
      continue;
    }
    records += 1;
    const seq = r.seq;
    const hash = r.hash.toString('hex');
    if (!hashRecord(r).equals(r.hash)) add({ line: n, shard: r.shard, seq, problem: 'altered' });
    const walk = walks.get(r.shard);
    if (!walk) {
      walks.set(r.shard, {
        shard: r.shard,
        fromSeq: seq,
        firstPrev: r.prev_hash.toString('hex'),
        toSeq: seq,
        lastHash: hash,
        records: 1,
        segments: 1,
      });
      continue;
    }
    if (seq <= walk.toSeq) {
      add({ line: n, shard: r.shard, seq, problem: 'out_of_order' });
      continue;
    }
    if (seq === walk.toSeq + 1) {
      if (r.prev_hash.toString('hex') !== walk.lastHash)
        add({ line: n, shard: r.shard, seq, problem: 'relinked' });
    } else {
      walk.segments += 1;
      // A prune archive holds whole ranges; an export may skip records (outside the reader's
      // scope, or out of the period), so there a gap only starts another segment.
      if (manifest?.kind === 'prune')
        add({ line: n, shard: r.shard, seq: walk.toSeq + 1, problem: 'missing' });
    }
    walk.toSeq = seq;
    walk.lastHash = hash;
    walk.records += 1;
  }

  if (manifest) {
    const mismatch = (shard: number | null, note: string) =>
      add({ line: 1, shard, seq: null, problem: 'manifest_mismatch', note });
    if (manifest.version !== ARCHIVE_VERSION)
      mismatch(null, `unknown archive version ${String(manifest.version)}`);
    if (manifest.records !== records)
      mismatch(null, `the manifest says ${manifest.records} records, the file has ${records}`);
    const listed = new Map((manifest.shards ?? []).map((s) => [s.shard, s]));
    for (const [shard, walk] of walks) {
      const m = listed.get(shard);
      if (!m) {
        mismatch(shard, 'records of a shard the manifest does not list');
        continue;
      }
      if (m.fromSeq !== walk.fromSeq || m.toSeq !== walk.toSeq || m.records !== walk.records)
        mismatch(
          shard,
          `the manifest says ${m.fromSeq}..${m.toSeq} (${m.records}), the file has ${walk.fromSeq}..${walk.toSeq} (${walk.records})`,
        );
      if (m.prevHash !== walk.firstPrev)
        mismatch(shard, 'the first record does not hang from the manifest’s anchor');
      if (m.lastHash !== walk.lastHash)
        mismatch(shard, 'the last record is not the manifest’s anchor');
    }
    for (const shard of listed.keys())
      if (!walks.has(shard)) mismatch(shard, 'a shard of the manifest has no records');
  }
  return {
    manifest,
    records,
    shards: [...walks.values()]
      .sort((a, b) => a.shard - b.shard)
      .map((w) => ({
        shard: w.shard,
        fromSeq: w.fromSeq,
        toSeq: w.toSeq,
        records: w.records,
        segments: w.segments,
      })),
    sha256: digest.digest('hex'),
    problems,
  };
}
