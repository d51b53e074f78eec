/**
 * The audit trail: append-only, hash-chained. Records are spread over a fixed number of shards
 * (chains) by target, so unrelated acts do not queue behind one lock; within a shard each record
 * holds the hash of the one before, and `audit_heads` holds the latest, so a removed, altered or
 * truncated record breaks a link that `verifyAuditChain` finds.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
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
