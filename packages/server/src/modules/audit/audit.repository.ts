/**
 * The audit trail: append-only, hash-chained. Records are spread over a fixed number of shards
 * (chains) by target, so unrelated acts do not queue behind one lock; within a shard each record
 * holds the hash of the one before, and `audit_heads` holds the latest, so a removed, altered or
 * truncated record breaks a link that `verifyAuditChain` finds.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { ActContext } from '../../context.js';
import type { Database } from '../../db/database.js';
import type { AuditLogTable, DB } from '../../db/schema.js';
import { uuidv7 } from '../../crypto/tokens.js';

export const GENESIS = Buffer.alloc(32);

export interface AuditEntry {
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  jurisdiction?: string | null;
  outcome?: 'success' | 'refused' | 'error';
  code?: string | null;
  /** Non-personal facts about the act (ids, states, counts); never names, numbers or phones. */
  details?: Record<string, string | number | boolean | null> | null;
}

type ChainedFields = Omit<AuditLogTable, 'hash' | 'details'> & { details: unknown };

/** Canonical JSON: sorted keys at every level, so jsonb's own key order does not matter. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : 1,
  );
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function hashRecord(r: ChainedFields): Buffer {
  const body = canonical({
    shard: r.shard,
    seq: r.seq,
    id: r.id,
    at: r.at.toISOString(),
    actor_id: r.actor_id,
    actor_username: r.actor_username,
    actor_org_id: r.actor_org_id,
    actor_role: r.actor_role,
    ip: r.ip,
    request_id: r.request_id,
    action: r.action,
    target_type: r.target_type,
    target_id: r.target_id,
    jurisdiction: r.jurisdiction,
    reason: r.reason,
    outcome: r.outcome,
    code: r.code,
    details: r.details ?? null,
  });
  return createHash('sha256').update(r.prev_hash).update(body).digest();
}

function shardOf(key: string, shards: number): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % shards;
}

export class AuditRepository {
  constructor(private readonly shards: number) {}

  /** Appends one record inside the caller's transaction, so it commits or rolls back with the act. */
  async append(trx: Transaction<DB>, ctx: ActContext, entry: AuditEntry, at: Date): Promise<void> {
    const key = entry.targetId ?? ctx.actor?.staffId ?? ctx.requestId ?? 'platform';
    const shard = shardOf(key, this.shards);
    await trx
      .insertInto('audit_heads')
      .values({ shard, seq: 0, hash: GENESIS })
      .onConflict((oc) => oc.column('shard').doNothing())
      .execute();
    const head = await trx
      .selectFrom('audit_heads')
      .select(['seq', 'hash'])
      .where('shard', '=', shard)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const record: ChainedFields = {
      shard,
      seq: head.seq + 1,
      id: uuidv7(),
      at,
      actor_id: ctx.actor?.staffId ?? null,
      actor_username: ctx.actor?.username ?? null,
      actor_org_id: ctx.actor?.organizationId ?? null,
      actor_role: ctx.actor?.role ?? null,
      ip: ctx.ip,
      request_id: ctx.requestId,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      jurisdiction: entry.jurisdiction ?? null,
      reason: ctx.reason,
      outcome: entry.outcome ?? 'success',
      code: entry.code ?? null,
      details: entry.details ?? null,
      prev_hash: head.hash,
    };
    const hash = hashRecord(record);
    await trx
      .insertInto('audit_log')
      .values({
        ...record,
        details: record.details === null ? null : JSON.stringify(record.details),
        hash,
      })
      .execute();
    await trx
      .updateTable('audit_heads')
      .set({ seq: record.seq, hash })
      .where('shard', '=', shard)
      .execute();
    ctx.audited = true;
  }
}

export interface ChainBreak {
  shard: number;
  seq: number;
  problem: 'missing' | 'altered' | 'relinked' | 'truncated' | 'head_missing';
}

export interface ChainReport {
  records: number;
  shards: number;
  firstBreak: ChainBreak | null;
}

/** Walks every shard from the genesis record to the head; reports the first broken link. */
export async function verifyAuditChain(db: Database, batchSize = 5000): Promise<ChainReport> {
  const heads = await db.selectFrom('audit_heads').selectAll().orderBy('shard').execute();
  const shardsInLog = await db.selectFrom('audit_log').select('shard').distinct().execute();
  const headShards = new Set(heads.map((h) => h.shard));
  let records = 0;
  const breaks: ChainBreak[] = [];
  for (const { shard } of shardsInLog) {
    if (!headShards.has(shard)) breaks.push({ shard, seq: 0, problem: 'head_missing' });
  }
  for (const head of heads) {
    let expectedSeq = 1;
    let prev: Buffer = GENESIS;
    let broken: ChainBreak | null = null;
    for (;;) {
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
          broken = { shard: head.shard, seq: expectedSeq, problem: 'missing' };
          break;
        }
        if (!row.prev_hash.equals(prev)) {
          broken = { shard: head.shard, seq: row.seq, problem: 'relinked' };
          break;
        }
        if (!hashRecord(row).equals(row.hash)) {
          broken = { shard: head.shard, seq: row.seq, problem: 'altered' };
          break;
        }
        prev = row.hash;
        expectedSeq += 1;
      }
      if (broken || rows.length < batchSize) break;
    }
    if (!broken && (expectedSeq - 1 !== head.seq || !prev.equals(head.hash))) {
      broken = {
        shard: head.shard,
        seq: expectedSeq,
        problem: expectedSeq - 1 < head.seq ? 'truncated' : 'altered',
      };
    }
    if (broken) breaks.push(broken);
  }
  breaks.sort((a, b) => a.shard - b.shard || a.seq - b.seq);
  return { records, shards: heads.length, firstBreak: breaks[0] ?? null };
}
