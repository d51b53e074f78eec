/**
 * One act, one transaction. Every state change runs through here: the clock is read once, the
 * request's Idempotency-Key (if any) is claimed first, inside the same transaction, so a
 * concurrent retry of the same request waits for this one and then finds its answer instead of
 * acting twice; the act's audit record is written by the act itself before commit.
 */
import type { Transaction } from 'kysely';
import type { ActContext } from '../context.js';
import type { Deps } from '../deps.js';
import type { DB } from './schema.js';

export type Trx = Transaction<DB>;

export async function transact<T>(
  deps: Pick<Deps, 'db' | 'clock'>,
  ctx: ActContext,
  act: (trx: Trx, now: Date) => Promise<T>,
): Promise<T> {
  const now = deps.clock.now();
  const idem = ctx.idempotency?.claimed === false ? ctx.idempotency : undefined;
  try {
    const result = await deps.db.transaction().execute(async (trx) => {
      if (idem) {
        await trx
          .insertInto('idempotency_keys')
          .values({
            actor_key: idem.actorKey,
            key: idem.key,
            fingerprint: idem.fingerprint,
            created_at: now,
          })
          .execute();
        idem.claimed = true;
      }
      return act(trx, now);
    });
    if (idem) idem.committed = true;
    return result;
  } catch (err) {
    if (idem) idem.claimed = false; // rolled back with the act: a later transaction may claim it
    throw err;
  }
}
