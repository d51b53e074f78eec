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
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
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

/** Walks every shard from its anchor to its head; reports the broken links. */
export async function verifyAuditChain(
  db: Database,
  batchSizeOrOptions: number | VerifyOptions = {},
): Promise<ChainReport> {
  const options =
    typeof batchSizeOrOptions === 'number' ? { batchSize: batchSizeOrOptions } : batchSizeOrOptions;
  const batchSize = options.batchSize ?? 5000;
  const maxBreaks = options.maxBreaksPerShard ?? 20;
  const heads = await db.selectFrom('audit_heads').selectAll().orderBy('shard').execute();
  const shardsInLog = await db.selectFrom('audit_log').select('shard').distinct().execute();
  const headShards = new Set(heads.map((h) => h.shard));
  let records = 0;
  let pruned = 0;
  const breaks: ChainBreak[] = [];
  for (const { shard } of shardsInLog) {
    if (!headShards.has(shard)) breaks.push({ shard, seq: 0, problem: 'head_missing' });
  }
  for (const head of heads) {
    const found: ChainBreak[] = [];
    const report = (seq: number, problem: ChainBreak['problem']) =>
      found.push({ shard: head.shard, seq, problem });
    const base = Number(head.base_seq);
    pruned += base;
    if (base > 0 && !(await anchorAttested(db, head.shard, base, head.base_hash))) {
      report(base, 'anchor_unattested');
    }
    let expectedSeq = base + 1;
    let prev: Buffer = base > 0 ? head.base_hash : GENESIS;
    let complete = true;
    walk: for (;;) {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('shard', '=', head.shard)
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      for (const row of rows) {
        records += 1;
        if (row.seq !== expectedSeq) {
          report(expectedSeq, 'missing');
          if (!hashRecord(row).equals(row.hash)) report(row.seq, 'altered');
        } else if (!row.prev_hash.equals(prev)) {
          report(row.seq, 'relinked');
        } else if (!hashRecord(row).equals(row.hash)) {
          report(row.seq, 'altered');
        }
        prev = row.hash;
        expectedSeq = row.seq + 1;
        if (found.length >= maxBreaks) {
          complete = false;
          break walk;
        }
      }
      if (rows.length < batchSize) break;
    }
    const last = expectedSeq - 1;
    if (complete && (last !== head.seq || !prev.equals(head.hash))) {
      report(expectedSeq, last < head.seq ? 'truncated' : 'altered');
    }
    breaks.push(...found);
  }
  breaks.sort((a, b) => a.shard - b.shard || a.seq - b.seq);
  return { records, shards: heads.length, pruned, firstBreak: breaks[0] ?? null, breaks };
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
