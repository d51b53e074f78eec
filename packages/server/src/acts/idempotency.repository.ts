/**
 * Saved answers for Idempotency-Key retries. A key is claimed, and its answer saved, inside the
 * act's own transaction: a key whose transaction rolled back is free again, and a key whose act
 * committed has its answer, with no window between the two for a crash to fall into. Answers
 * never hold secrets (the act step removes them) and are pruned after `SSCARD_IDEMPOTENCY_HOURS`.
 */
import type { Database } from '../db/database.js';
import type { Trx } from '../db/transact.js';

export interface IdempotencyClaim {
  actorKey: string;
  key: string;
  fingerprint: string;
}

export interface SavedAnswer {
  fingerprint: string;
  status: number | null;
  body: unknown;
}

export class IdempotencyRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the key; a concurrent claim of the same key waits for this transaction to end. */
  async claim(trx: Trx, claim: IdempotencyClaim, now: Date): Promise<void> {
    await trx
      .insertInto('idempotency_keys')
      .values({
        actor_key: claim.actorKey,
        key: claim.key,
        fingerprint: claim.fingerprint,
        created_at: now,
      })
      .execute();
  }

  async saveAnswer(
    trx: Trx,
    claim: IdempotencyClaim,
    answer: { status: number; body: unknown },
  ): Promise<void> {
    await trx
      .updateTable('idempotency_keys')
      .set({ status_code: answer.status, response: JSON.stringify(answer.body ?? null) })
      .where('actor_key', '=', claim.actorKey)
      .where('key', '=', claim.key)
      .execute();
  }

  async find(actorKey: string, key: string): Promise<SavedAnswer | undefined> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'status_code', 'response'])
      .where('actor_key', '=', actorKey)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && { fingerprint: row.fingerprint, status: row.status_code, body: row.response };
  }

  /** Removes saved answers older than `before`; returns how many. */
  async prune(trx: Trx, before: Date): Promise<number> {
    const res = await trx
      .deleteFrom('idempotency_keys')
      .where('created_at', '<', before)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
