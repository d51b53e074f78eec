/**
 * Walking the chains. Each shard is walked from its anchor (the last pruned record, or the
 * genesis) to its head: every record must follow the one before (seq), link to it (prev_hash)
 * and hash to what it says (hash), and the last must be the head. A shard whose anchor moved
 * (records were pruned) must have that anchor attested by an `audit.prune` record in the trail,
 * so the anchor cannot be moved forward quietly to hide the removal of records.
 *
 * The walk goes on past a break, so a later break in the same shard is reported too (up to
 * `maxBreaksPerShard`); `firstBreak` is the first of them all.
 */
import { sql, type Selectable } from 'kysely';
import type { Database } from '../../db/database.js';
import type { AuditHeadsTable } from '../../db/schema.js';
import { shardPage } from './audit.queries.js';
import { GENESIS, hashRecord } from './chain.js';

export interface ChainBreak {
  shard: number;
  seq: number;
  problem: 'missing' | 'altered' | 'relinked' | 'truncated' | 'head_missing' | 'anchor_unattested';
}

export interface ChainReport {
  /** Records checked (those still in the trail). */
  records: number;
  shards: number;
  /** Records pruned before the shards' anchors (archived, no longer in the trail). */
  pruned: number;
  firstBreak: ChainBreak | null;
  /** Every break found, ordered by shard and seq. */
  breaks: ChainBreak[];
}

export interface VerifyOptions {
  batchSize?: number;
  maxBreaksPerShard?: number;
}

/** The action and target of the record that attests a shard's anchor (see retention.ts). */
export const PRUNE_ACTION = 'audit.prune';
export const SHARD_TARGET = 'audit_shard';

/**
 * Walks every shard from its anchor to its head; reports the broken links.
 *
 * The trail is written while it is walked (other requests, other nodes), and the walk is many
 * queries, not one snapshot. So each shard is walked up to the head read before its walk:
 * records appended after that are the next walk's. Checks that compare the log with the heads
 * (a shard with records but no head, records past the head) are each one statement, so they see
 * one state of both. A prune that commits during a shard's walk removes records the walk
 * expected: where records are gone, the walk goes on from the shard's anchor if the anchor has
 * moved up to them meanwhile (and that anchor must be attested, as any).
 */
export async function verifyAuditChain(
  db: Database,
  batchSizeOrOptions: number | VerifyOptions = {},
): Promise<ChainReport> {
  const options =
    typeof batchSizeOrOptions === 'number' ? { batchSize: batchSizeOrOptions } : batchSizeOrOptions;
  const walk: Walk = {
    db,
    batchSize: options.batchSize ?? 5000,
    maxBreaks: options.maxBreaksPerShard ?? 20,
  };
  const headless = await db
    .selectFrom('audit_log')
    .select('shard')
    .distinct()
    .where('shard', 'not in', (eb) => eb.selectFrom('audit_heads').select('shard'))
    .execute();
  const breaks: ChainBreak[] = headless.map(({ shard }) => ({
    shard,
    seq: 0,
    problem: 'head_missing',
  }));
  const heads = await db.selectFrom('audit_heads').selectAll().orderBy('shard').execute();
  let records = 0;
  let pruned = 0;
  for (const head of heads) {
    const shard = await walkShard(walk, head);
    records += shard.records;
    pruned += shard.base;
    breaks.push(...shard.found);
  }
  breaks.sort((a, b) => a.shard - b.shard || a.seq - b.seq);
  return { records, shards: heads.length, pruned, firstBreak: breaks[0] ?? null, breaks };
}

type Head = Selectable<AuditHeadsTable>;
interface Walk {
  db: Database;
  batchSize: number;
  maxBreaks: number;
}

/**
 * One shard from its anchor to `head` (as read before the walk), then nothing past the head.
 * `base` is the anchor it ended on (a prune may have moved it during the walk).
 */
async function walkShard(
  { db, batchSize, maxBreaks }: Walk,
  head: Head,
): Promise<{ records: number; found: ChainBreak[]; base: number }> {
  const found: ChainBreak[] = [];
  const report = (seq: number, problem: ChainBreak['problem']) =>
    found.push({ shard: head.shard, seq, problem });
  let records = 0;
  let base = Number(head.base_seq);
  if (base > 0 && !(await anchorAttested(db, head.shard, base, head.base_hash))) {
    report(base, 'anchor_unattested');
  }
  let expectedSeq = base + 1;
  let prev: Buffer = base > 0 ? head.base_hash : GENESIS;
  // Records gone from where the walk is: a prune that committed meanwhile, if the anchor has
  // moved up to them (the walk goes on from the new anchor), else a break.
  const anchorMovedOn = async (): Promise<boolean> => {
    const now = await db
      .selectFrom('audit_heads')
      .select(['base_seq', 'base_hash'])
      .where('shard', '=', head.shard)
      .executeTakeFirst();
    if (!now || Number(now.base_seq) < expectedSeq) return false;
    base = Number(now.base_seq);
    if (!(await anchorAttested(db, head.shard, base, now.base_hash)))
      report(base, 'anchor_unattested');
    expectedSeq = base + 1;
    prev = now.base_hash;
    return true;
  };
  walk: for (;;) {
    const rows = await shardPage(db, head.shard, expectedSeq, head.seq, batchSize);
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        if (await anchorMovedOn()) continue walk;
        report(expectedSeq, 'missing');
        if (!hashRecord(row).equals(row.hash)) report(row.seq, 'altered');
      } else if (!row.prev_hash.equals(prev)) {
        report(row.seq, 'relinked');
      } else if (!hashRecord(row).equals(row.hash)) {
        report(row.seq, 'altered');
      }
      records += 1;
      prev = row.hash;
      expectedSeq = row.seq + 1;
      if (found.length >= maxBreaks) return { records, found, base };
    }
    if (rows.length < batchSize) {
      if (expectedSeq <= head.seq && (await anchorMovedOn())) continue;
      break;
    }
  }
  const last = expectedSeq - 1;
  if (last < head.seq) report(expectedSeq, 'truncated');
  else if (last === head.seq && !prev.equals(head.hash)) report(expectedSeq, 'altered');
  // A record past the head now (one statement: the head and the log as of the same moment) was
  // not appended through the head: written behind the application's back.
  const past = await db
    .selectFrom('audit_log as l')
    .innerJoin('audit_heads as h', 'h.shard', 'l.shard')
    .select((eb) => eb.fn.min('l.seq').as('seq'))
    .where('l.shard', '=', head.shard)
    .whereRef('l.seq', '>', 'h.seq')
    .executeTakeFirst();
  if (past?.seq != null) report(Number(past.seq), 'altered');
  return { records, found, base };
}

async function anchorAttested(
  db: Database,
  shard: number,
  baseSeq: number,
  baseHash: Buffer,
): Promise<boolean> {
  const row = await db
    .selectFrom('audit_log')
    .select('seq')
    .where('action', '=', PRUNE_ACTION)
    .where('target_type', '=', SHARD_TARGET)
    .where('target_id', '=', String(shard))
    .where(sql<boolean>`details->>'toSeq' = ${String(baseSeq)}`)
    .where(sql<boolean>`details->>'anchorHash' = ${baseHash.toString('hex')}`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
