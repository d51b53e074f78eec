/**
 * PGlite serves one process at a time; two processes opening one data directory would corrupt
 * it. A lock file in the directory, `.sscard.pid`, says who has it.
 *
 * The record. One line of JSON: the holder's pid, a random 128-bit token naming this holding
 * (a new one at every start), the process start time (field 22 of /proc/<pid>/stat, clock
 * ticks since boot), the boot id (/proc/sys/kernel/random/boot_id), the host name and when.
 * A pid alone does not name a process: after `kill -9` in a container, the restarted server is
 * pid 1 again, the very pid in the file; elsewhere a pid is reused by an unrelated process.
 *
 * Who holds it. A record is held (live) when its token is held by this very process, or when
 * its pid is another process that is running, started at the recorded start time, since the
 * recorded boot. It is stale when its pid is ours but its token is not one we hold (an earlier
 * incarnation of this process: a restarted container), when the machine has restarted since
 * (boot id differs), when the pid is gone, or when the pid now belongs to a process that started
 * at another time (reused). Where /proc is missing (not Linux), a running pid counts as live.
 * A file that does not parse (an older version's bare pid, or garbage) is judged by its pid if
 * it has one, else stale; it gets a token derived from its content.
 *
 * The protocol. Every file is written completely under a temporary name
 * (`.sscard.pid.<token>.tmp`) and only then linked into place, so no one ever reads half a record.
 *
 * 1. Acquire: `link(tmp, .sscard.pid)`. link() fails if the name exists, so of any number of
 *    processes finding the directory free exactly one succeeds.
 * 2. If it exists, read the holder's record. Live: refuse, naming the holder. Stale: go to 3.
 * 3. Claim the takeover of that record: `link(tmp, .sscard.pid.takeover-<holder token>)`. The
 *    claim is named after the stale record, so of all the processes racing to replace that
 *    record exactly one creates it; the others find the claim and, while its claimant lives,
 *    wait briefly and start again at 1 (by then they find the winner's live record and refuse).
 *    A claimant that died while claiming (its own record, in the claim, is stale) is replaced
 *    the same way: claim `.sscard.pid.takeover-<dead claimant's token>`, and so on.
 * 4. The claim winner re-reads the lock file and, only if it still holds the very record judged
 *    stale (same token: tokens are never reused), `rename(tmp, .sscard.pid)`, which replaces it
 *    atomically. Only the claim winner may replace that record, so nobody changes the file
 *    between the re-read and the rename. Otherwise it drops its claim and starts again at 1.
 * 5. The winner removes its claim, claims of dead claimants and temporary files of dead
 *    processes. A late process that claims a record already replaced sees, in 4, that it is gone.
 *
 * Release removes the lock file only if it still holds our token.
 *
 * Limits: worker threads of one process share a pid and are not told apart (one data directory
 * per process); processes in different pid namespaces sharing the directory (two containers on
 * one volume) cannot see each other's pids. PGlite is a single-process database: for several
 * processes, use PostgreSQL (DATABASE_URL).
 */
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE_NAME = '.sscard.pid';

export interface LockRecord {
  pid: number;
  /** 32 hex digits, new for every holding. */
  token: string;
  /** Process start time, clock ticks after boot (/proc/<pid>/stat field 22); null if unknown. */
  startTime: number | null;
  bootId: string | null;
  host: string;
  since: string;
}

/** Tokens of the locks this process holds. */
const held = new Set<string>();

/** How long a process waits for a live claimant to finish a takeover (a few syscalls). */
const CLAIM_WAIT_MS = 25;
const CLAIM_ATTEMPTS = 80;
const CHAIN_LIMIT = 16;

let cachedBootId: string | null | undefined;

/** The kernel's boot id, or null where there is none (not Linux). */
export function readBootId(): string | null {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      cachedBootId = null;
    }
  }
  return cachedBootId;
}

/** When `pid` started, in clock ticks after boot (field 22 of /proc/<pid>/stat); null if unknown. */
export function processStartTime(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 is the command name in parentheses and may hold spaces or ')': skip past the last.
    const fields = stat
      .slice(stat.lastIndexOf(')') + 1)
      .trim()
      .split(/\s+/);
    const startTime = Number(fields[22 - 3]);
    return Number.isSafeInteger(startTime) ? startTime : null;
  } catch {
    return null;
  }
}

/** A record naming this process, with a new token. */
export function ownRecord(): LockRecord {
  return {
    pid: process.pid,
    token: randomBytes(16).toString('hex'),
    startTime: processStartTime(process.pid),
    bootId: readBootId(),
    host: os.hostname(),
    since: new Date().toISOString(),
  };
}

const TOKEN = /^[0-9a-f]{32}$/;

export function parseLockRecord(raw: string): LockRecord {
  try {
    const r = JSON.parse(raw) as Partial<LockRecord>;
    if (
      typeof r === 'object' &&
      r !== null &&
      Number.isSafeInteger(r.pid) &&
      typeof r.token === 'string' &&
      TOKEN.test(r.token)
    ) {
      return {
        pid: r.pid!,
        token: r.token,
        startTime: Number.isSafeInteger(r.startTime) ? r.startTime! : null,
        bootId: typeof r.bootId === 'string' && r.bootId ? r.bootId : null,
        host: typeof r.host === 'string' ? r.host : '',
        since: typeof r.since === 'string' ? r.since : '',
      };
    }
  } catch {
    // not JSON: an older version's bare pid, or garbage
  }
  const bare = /^\s*(\d{1,10})\s*$/.exec(raw);
  return {
    pid: bare ? Number(bare[1]) : 0,
    // Derived from the content, so that processes racing over one such file claim the same name.
    token: createHash('sha256').update(raw).digest('hex').slice(0, 32),
    startTime: null,
    bootId: null,
    host: '',
    since: '',
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Verdict {
  live: boolean;
  reason: string;
}

/** Whether the process a record names still holds it. */
export function judge(r: LockRecord): Verdict {
  if (held.has(r.token)) return { live: true, reason: 'held by this process' };
  if (!Number.isSafeInteger(r.pid) || r.pid <= 0)
    return { live: false, reason: 'the file names no process' };
  if (r.pid === process.pid)
    return { live: false, reason: `written by an earlier process with our pid ${r.pid}` };
  const boot = readBootId();
  if (r.bootId && boot && r.bootId !== boot)
    return { live: false, reason: 'written before the machine last started' };
  if (!alive(r.pid)) return { live: false, reason: `process ${r.pid} is gone` };
  if (r.startTime !== null) {
    const startTime = processStartTime(r.pid);
    if (startTime !== null && startTime !== r.startTime)
      return { live: false, reason: `pid ${r.pid} now belongs to another process` };
  }
  return { live: true, reason: `process ${r.pid} is running` };
}

function readRecord(file: string): LockRecord | null {
  try {
    return parseLockRecord(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** link(): creates `to` only if it does not exist. */
function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** Removes `file` if it still holds the record with `token`. */
function removeIf(file: string, token: string): void {
  if (readRecord(file)?.token === token) rmSync(file, { force: true });
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

type Claim =
  { won: true; file: string; dead: Array<{ file: string; token: string }> } | { won: false };

/** Step 3: the right to replace the stale record `target`, or who has it. */
function claimTakeover(dir: string, target: LockRecord, tmp: string): Claim {
  const dead: Array<{ file: string; token: string }> = [];
  let token = target.token;
  for (let i = 0; i < CHAIN_LIMIT; i++) {
    const file = path.join(dir, `${LOCK_FILE_NAME}.takeover-${token}`);
    if (tryLink(tmp, file)) return { won: true, file, dead };
    const claimant = readRecord(file);
    if (!claimant) continue; // dropped meanwhile: try the same name again
    if (judge(claimant).live) return { won: false };
    dead.push({ file, token: claimant.token });
    token = claimant.token;
  }
  return { won: false };
}

function inUse(dir: string, file: string, holder: LockRecord, verdict: Verdict): Error {
  const where = [holder.host && `on ${holder.host}`, holder.since && `since ${holder.since}`]
    .filter(Boolean)
    .join(', ');
  return new Error(
    `the data directory ${dir} is in use by process ${holder.pid}${where ? ` (${where})` : ''}: ` +
      `${verdict.reason}; stop it first (or use DATABASE_URL for several processes). ` +
      `If no sscard process is using it, remove ${file}.`,
  );
}

/** Step 5: claims and temporary files left by processes that are gone. */
function sweep(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(`${LOCK_FILE_NAME}.`)) continue;
    const file = path.join(dir, name);
    try {
      const r = readRecord(file);
      if (r && !judge(r).live) removeIf(file, r.token);
    } catch {
      // best effort: litter is harmless
    }
  }
}

/** For tests: a hook to run another process's takeover in the middle of ours. */
export interface LockTestHooks {
  /** Runs after a record was judged stale, before its takeover is claimed. */
  afterJudgedStale?: (holder: LockRecord) => void;
}

/**
 * Locks the PGlite data directory `dir` for this process, taking over a stale lock; throws if a
 * live process holds it. Returns the release function.
 */
export function lockDataDir(dir: string, hooks: LockTestHooks = {}): () => void {
  const file = path.join(dir, LOCK_FILE_NAME);
  const me = ownRecord();
  const tmp = path.join(dir, `${LOCK_FILE_NAME}.${me.token}.tmp`);
  writeFileSync(tmp, JSON.stringify(me) + '\n', { flag: 'wx' });
  try {
    acquire(dir, file, tmp, me, hooks);
  } finally {
    rmSync(tmp, { force: true });
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.delete(me.token);
    removeIf(file, me.token);
  };
}

function acquire(
  dir: string,
  file: string,
  tmp: string,
  me: LockRecord,
  hooks: LockTestHooks,
): void {
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    // 1. Free: link() creates the lock file only if there is none.
    if (tryLink(tmp, file)) {
      held.add(me.token);
      sweep(dir);
      return;
    }
    // 2. Held: by whom?
    const holder = readRecord(file);
    if (!holder) continue; // released meanwhile
    const verdict = judge(holder);
    if (verdict.live) throw inUse(dir, file, holder, verdict);
    hooks.afterJudgedStale?.(holder);
    // 3. Stale: claim the right to replace exactly this record.
    const claim = claimTakeover(dir, holder, tmp);
    if (!claim.won) {
      sleep(CLAIM_WAIT_MS); // a live claimant is a few system calls from done
      continue;
    }
    // 4. Replace the record only if it is still the one judged stale.
    const still = readRecord(file)?.token === holder.token;
    if (still) {
      renameSync(tmp, file);
      held.add(me.token);
    }
    rmSync(claim.file, { force: true });
    if (!still) continue;
    // 5. Tidy up after the dead.
    for (const d of claim.dead) removeIf(d.file, d.token);
    sweep(dir);
    return;
  }
  throw new Error(
    `the data directory ${dir} is being taken over by another process; try again (or use DATABASE_URL for several processes)`,
  );
}
