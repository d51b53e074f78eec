/**
 * The audit trail: append-only, hash-chained. Records are spread over a fixed number of shards
 * (chains) by target, so unrelated acts do not queue behind one lock; within a shard each record
 * holds the hash of the one before, and `audit_heads` holds the latest, so a removed, altered or
 * truncated record breaks a link that `verifyAuditChain` finds.
 */
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { ActContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { uuidv7 } from '../../crypto/tokens.js';
import { GENESIS, hashRecord, type ChainedFields } from './chain.js';

export { GENESIS, hashRecord, canonical, type ChainedFields } from './chain.js';
export {
  verifyAuditChain,
  type ChainBreak,
  type ChainReport,
  type VerifyOptions,
} from './verify.js';

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

function shardOf(key: string, shards: number): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % shards;
}

/** At most this many bind parameters in one statement (PostgreSQL's own limit is 65,535). */
const MAX_PARAMS = 30_000;

export class AuditRepository {
  constructor(private readonly shards: number) {}

  /** The shard of an entry: by its target, else the acting staff, else the request. */
  shardFor(ctx: ActContext, entry: AuditEntry): number {
    const key = entry.targetId ?? ctx.actor?.staffId ?? ctx.requestId ?? 'platform';
    return shardOf(key, this.shards);
  }

  /**
   * Locks the heads of several chains in shard order (the order `appendAll` takes them), for a
   * caller that writes to more than one chain in its transaction.
   */
  async lockChains(trx: Transaction<DB>, shards: readonly number[]): Promise<void> {
    await trx
      .selectFrom('audit_heads')
      .select('shard')
      .where('shard', 'in', [...shards])
      .orderBy('shard')
      .forUpdate()
      .execute();
  }

  /** Appends one record inside the caller's transaction, so it commits or rolls back with the act. */
  async append(trx: Transaction<DB>, ctx: ActContext, entry: AuditEntry, at: Date): Promise<void> {
    const shard = this.shardFor(ctx, entry);
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
    const record = chainedRecord(ctx, entry, at, shard, head.seq + 1, head.hash);
    const hash = hashRecord(record);
    await trx.insertInto('audit_log').values(rowOf(record, hash)).execute();
    await trx
      .updateTable('audit_heads')
      .set({ seq: record.seq, hash })
      .where('shard', '=', shard)
      .execute();
    ctx.audited = true;
  }

  /**
   * Appends several records, in order, inside the caller's transaction: the same chains that
   * calling `append` once per entry would leave, in a handful of statements instead of four per
   * record. The heads of all shards involved are locked at once, in ascending shard order, so two
   * such appends never deadlock with each other.
   */
  async appendAll(
    trx: Transaction<DB>,
    ctx: ActContext,
    entries: readonly AuditEntry[],
    at: Date,
  ): Promise<void> {
    if (entries.length === 0) return;
    if (entries.length === 1) return this.append(trx, ctx, entries[0]!, at);
    const shardOfEntry = entries.map((entry) => this.shardFor(ctx, entry));
    const shards = [...new Set(shardOfEntry)].sort((a, b) => a - b);
    await trx
      .insertInto('audit_heads')
      .values(shards.map((shard) => ({ shard, seq: 0, hash: GENESIS })))
      .onConflict((oc) => oc.column('shard').doNothing())
      .execute();
    const locked = await trx
      .selectFrom('audit_heads')
      .select(['shard', 'seq', 'hash'])
      .where('shard', 'in', shards)
      .orderBy('shard')
      .forUpdate()
      .execute();
    const heads = new Map(locked.map((h) => [h.shard, { seq: h.seq, hash: h.hash }]));
    const rows = entries.map((entry, i) => {
      const shard = shardOfEntry[i]!;
      const head = heads.get(shard);
      if (!head) throw new Error(`audit: no head for shard ${shard}`);
      const record = chainedRecord(ctx, entry, at, shard, head.seq + 1, head.hash);
      const hash = hashRecord(record);
      head.seq = record.seq;
      head.hash = hash;
      return rowOf(record, hash);
    });
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(rows[0]!).length));
    for (let i = 0; i < rows.length; i += perStatement) {
      await trx
        .insertInto('audit_log')
        .values(rows.slice(i, i + perStatement))
        .execute();
    }
    const moved = sql.join(
      shards.map((shard) => {
        const head = heads.get(shard)!;
        return sql`(${shard}::smallint, ${head.seq}::bigint, ${head.hash}::bytea)`;
      }),
    );
    await sql`update audit_heads set seq = v.seq, hash = v.hash
      from (values ${moved}) as v (shard, seq, hash)
      where audit_heads.shard = v.shard`.execute(trx);
    ctx.audited = true;
  }
}

/** The chained fields of one record, as `hashRecord` hashes them. */
function chainedRecord(
  ctx: ActContext,
  entry: AuditEntry,
  at: Date,
  shard: number,
  seq: number,
  prevHash: Buffer,
): ChainedFields {
  return {
    shard,
    seq,
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
    prev_hash: prevHash,
  };
}

/** The `audit_log` row of a chained record. */
function rowOf(record: ChainedFields, hash: Buffer) {
  return {
    ...record,
    details: record.details === null ? null : JSON.stringify(record.details),
    hash,
  };
}
