/**
 * Failed logins against names that are not accounts, counted exactly as failures against an
 * account are (`staff.failed_logins`, `staff.locked_until`), so the answers through a lockout do
 * not tell which names exist. Names are kept only as a blind index (HMAC under the keyring's
 * index key) of the lower-cased name: a dump shows no typed name (often a password typed in the
 * wrong field).
 */
import type { Keyring } from '../../crypto/keyring.js';
import type { Trx } from '../../db/transact.js';

export interface NameThrottle {
  failures: number;
  lockedUntil: Date | null;
}

export class LoginThrottleRepository {
  constructor(private readonly keyring: Keyring) {}

  private key(name: string): Buffer {
    return this.keyring.blindIndex('login_name', name.toLowerCase());
  }

  /** The counter for a name, created if absent, locked until the act's transaction ends. */
  async lock(trx: Trx, name: string, now: Date): Promise<NameThrottle> {
    const key = this.key(name);
    await trx
      .insertInto('login_throttle')
      .values({ name_hmac: key, failures: 0, locked_until: null, updated_at: now })
      .onConflict((oc) => oc.column('name_hmac').doNothing())
      .execute();
    const row = await trx
      .selectFrom('login_throttle')
      .select(['failures', 'locked_until'])
      .where('name_hmac', '=', key)
      .forUpdate()
      .executeTakeFirstOrThrow();
    return { failures: row.failures, lockedUntil: row.locked_until };
  }

  async save(trx: Trx, name: string, state: NameThrottle, now: Date): Promise<void> {
    await trx
      .updateTable('login_throttle')
      .set({ failures: state.failures, locked_until: state.lockedUntil, updated_at: now })
      .where('name_hmac', '=', this.key(name))
      .execute();
  }

  /** Counters not touched since `before` and not locked now: they count nothing any more. */
  async pruneUnlocked(trx: Trx, before: Date): Promise<number> {
    const res = await trx
      .deleteFrom('login_throttle')
      .where('updated_at', '<', before)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', before)]))
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
