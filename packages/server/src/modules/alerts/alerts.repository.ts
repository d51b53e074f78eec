/** Alerts at rest: one row per kind and key, with its occurrences and acknowledgement. */
import { sql, type ExpressionBuilder } from 'kysely';
import { uuidv7 } from '../../crypto/tokens.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { pageOf } from '../../db/paging.js';
import type { Trx } from '../../db/transact.js';
import type { AlertRow, RaiseAlert } from './alerts.service.js';

export interface AlertFilter {
  status: 'open' | 'acknowledged' | 'all';
  kind?: string | undefined;
  /** Only installation-wide alerts and those of jurisdictions under this prefix; none: all. */
  within?: string | undefined;
  limit: number;
  offset: number;
}

/** Installation-wide alerts and those of the jurisdictions under `within`. */
const visibleWithin = (within: string) => (eb: ExpressionBuilder<DB, 'alerts'>) =>
  eb.or([eb('jurisdiction', 'is', null), eb('jurisdiction', 'like', `${within}%`)]);

export class AlertsRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the alert, or counts one more occurrence of the same kind and key. */
  async raise(
    trx: Trx,
    input: Pick<RaiseAlert, 'kind' | 'severity' | 'key' | 'details' | 'jurisdiction'>,
    now: Date,
  ): Promise<{ alert: AlertRow; created: boolean }> {
    const alert = await trx
      .insertInto('alerts')
      .values({
        id: uuidv7(),
        kind: input.kind,
        severity: input.severity,
        key: input.key,
        raised_at: now,
        last_seen_at: now,
        details: input.details ? JSON.stringify(input.details) : null,
        acknowledged_by: null,
        acknowledged_at: null,
        jurisdiction: input.jurisdiction ?? null,
      })
      .onConflict((oc) =>
        oc.columns(['kind', 'key']).doUpdateSet({
          last_seen_at: now,
          occurrences: sql<number>`alerts.occurrences + 1`,
        }),
      )
      .returningAll()
      .returning(sql<boolean>`xmax = 0`.as('created'))
      .executeTakeFirstOrThrow();
    const { created, ...row } = alert;
    return { alert: row as AlertRow, created: Boolean(created) };
  }

  open(): Promise<AlertRow[]> {
    return this.db
      .selectFrom('alerts')
      .selectAll()
      .where('acknowledged_at', 'is', null)
      .orderBy(sql`case severity when 'critical' then 0 when 'warning' then 1 else 2 end`)
      .orderBy('raised_at', 'desc')
      .limit(100)
      .execute();
  }

  async list(f: AlertFilter): Promise<{ items: AlertRow[]; total: number }> {
    let q = this.db.selectFrom('alerts');
    if (f.status === 'open') q = q.where('acknowledged_at', 'is', null);
    if (f.status === 'acknowledged') q = q.where('acknowledged_at', 'is not', null);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.within !== undefined) q = q.where(visibleWithin(f.within));
    const { items, total: count } = await pageOf(
      q,
      (p) => p.selectAll().orderBy('raised_at', 'desc').orderBy('id', 'desc'),
      f,
    );
    return { items, total: count };
  }

  /** The alert, if it is installation-wide or of a jurisdiction under `within` (none: any). */
  findForUpdate(trx: Trx, id: string, within?: string): Promise<AlertRow | undefined> {
    let q = trx.selectFrom('alerts').selectAll().where('id', '=', id);
    if (within !== undefined) q = q.where(visibleWithin(within));
    return q.forUpdate().executeTakeFirst();
  }

  acknowledge(trx: Trx, id: string, staffId: string | null, now: Date): Promise<AlertRow> {
    return trx
      .updateTable('alerts')
      .set({ acknowledged_by: staffId, acknowledged_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
