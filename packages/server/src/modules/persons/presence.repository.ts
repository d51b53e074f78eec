/**
 * Presences: a counter that found a person by their full document number is serving the holder
 * in front of it, and may do the holder's business for a while (SSCARD_PRESENCE_MINUTES). A
 * presence gives no standing: it never opens the full record, and it lapses.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../db/transact.js';

type Executor = Database | Trx;

export class PresenceRepository {
  constructor(private readonly db: Database) {}

  async open(
    trx: Trx,
    p: { organizationId: string; personId: string; staffId: string | null; now: Date; until: Date },
  ): Promise<void> {
    await trx
      .insertInto('presences')
      .values({
        organization_id: p.organizationId,
        person_id: p.personId,
        staff_id: p.staffId,
        opened_at: p.now,
        expires_at: p.until,
      })
      .onConflict((oc) =>
        oc.columns(['person_id', 'organization_id']).doUpdateSet({
          staff_id: p.staffId,
          opened_at: p.now,
          expires_at: p.until,
        }),
      )
      .execute();
  }

  async isPresent(
    organizationId: string,
    personId: string,
    now: Date,
    db: Executor = this.db,
  ): Promise<boolean> {
    const row = await db
      .selectFrom('presences')
      .select(sql<number>`1`.as('one'))
      .where('person_id', '=', personId)
      .where('organization_id', '=', organizationId)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row !== undefined;
  }

  async prune(trx: Trx, now: Date): Promise<number> {
    const res = await trx.deleteFrom('presences').where('expires_at', '<=', now).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
