/**
 * Alerts: things an operator must look at, such as a broken audit chain or a daily job that
 * failed. An alert is a row in `alerts` (details without personal data), an error line in the
 * log, an entry in /readyz while unacknowledged, and an audit record. `key` says what "the same"
 * alert is: raising it again (the daily check finds the same broken link) counts an occurrence
 * and logs again, but does not open a new alert, acknowledged or not.
 */
import { DomainError, formatShanghai } from '@sscard/domain';
import { sql, type Selectable } from 'kysely';
import type { ActContext } from '../../context.js';
import { systemContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import type { AlertsTable } from '../../db/schema.js';
import { uuidv7 } from '../../crypto/tokens.js';
import { countOf } from '../../db/paging.js';

export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertDetails = Record<string, string | number | boolean | null>;

export interface RaiseAlert {
  kind: string;
  severity: AlertSeverity;
  /** What makes two raisings the same alert (e.g. `shard:seq:problem`). */
  key: string;
  /** Facts for the operator; never personal data. */
  details?: AlertDetails;
  /** One line for the log. */
  message: string;
}

export type AlertRow = Selectable<AlertsTable>;

export interface AlertView {
  id: string;
  kind: string;
  severity: AlertSeverity;
  raisedAt: string;
  lastSeenAt: string;
  occurrences: number;
  details: unknown;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}

export function presentAlert(a: AlertRow): AlertView {
  return {
    id: a.id,
    kind: a.kind,
    severity: a.severity,
    raisedAt: formatShanghai(a.raised_at),
    lastSeenAt: formatShanghai(a.last_seen_at),
    occurrences: a.occurrences,
    details: a.details,
    acknowledgedBy: a.acknowledged_by,
    acknowledgedAt: a.acknowledged_at ? formatShanghai(a.acknowledged_at) : null,
  };
}

export class AlertsService {
  constructor(private readonly deps: Deps) {}

  /** Raises an alert, or counts one more occurrence of the same; logs it either way. */
  async raise(input: RaiseAlert): Promise<{ alert: AlertRow; created: boolean }> {
    const now = this.deps.clock.now();
    const details = input.details ? JSON.stringify(input.details) : null;
    const result = await this.deps.db.transaction().execute(async (trx) => {
      const alert = await trx
        .insertInto('alerts')
        .values({
          id: uuidv7(),
          kind: input.kind,
          severity: input.severity,
          key: input.key,
          raised_at: now,
          last_seen_at: now,
          details,
          acknowledged_by: null,
          acknowledged_at: null,
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
      if (created) {
        await this.deps.audit.append(
          trx,
          systemContext('alerts'),
          {
            action: 'alert.raise',
            targetType: 'alert',
            targetId: row.id,
            outcome: 'success',
            details: { kind: row.kind, severity: row.severity, ...(input.details ?? {}) },
          },
          now,
        );
      }
      return { alert: row as AlertRow, created: Boolean(created) };
    });
    const line = {
      alert: {
        id: result.alert.id,
        kind: input.kind,
        severity: input.severity,
        occurrences: result.alert.occurrences,
        acknowledged: result.alert.acknowledged_at !== null,
        details: input.details ?? null,
      },
    };
    if (result.alert.acknowledged_at)
      this.deps.log.warn(line, `ALERT (acknowledged) ${input.message}`);
    else this.deps.log.error(line, `ALERT ${input.message}`);
    return result;
  }

  /** Unacknowledged alerts, most severe and newest first (for /readyz and the operators). */
  async open(): Promise<AlertRow[]> {
    return this.deps.db
      .selectFrom('alerts')
      .selectAll()
      .where('acknowledged_at', 'is', null)
      .orderBy(sql`case severity when 'critical' then 0 when 'warning' then 1 else 2 end`)
      .orderBy('raised_at', 'desc')
      .limit(100)
      .execute();
  }

  /** For /readyz (public): unacknowledged alerts without their details; never throws. */
  async openSummary(): Promise<
    | { id: string; kind: string; severity: AlertSeverity; raisedAt: string; occurrences: number }[]
    | 'unavailable'
  > {
    try {
      return (await this.open()).map((a) => ({
        id: a.id,
        kind: a.kind,
        severity: a.severity,
        raisedAt: formatShanghai(a.raised_at),
        occurrences: a.occurrences,
      }));
    } catch {
      return 'unavailable';
    }
  }

  async list(f: {
    status: 'open' | 'acknowledged' | 'all';
    kind?: string | undefined;
    limit: number;
    offset: number;
  }): Promise<{ items: AlertRow[]; total: number }> {
    let q = this.deps.db.selectFrom('alerts');
    if (f.status === 'open') q = q.where('acknowledged_at', 'is', null);
    if (f.status === 'acknowledged') q = q.where('acknowledged_at', 'is not', null);
    if (f.kind) q = q.where('kind', '=', f.kind);
    const [items, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('raised_at', 'desc')
        .orderBy('id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      countOf(q),
    ]);
    return { items, total: count };
  }

  /** Acknowledges an alert (once; acknowledging again changes nothing), audited with the reason. */
  async acknowledge(id: string, ctx: ActContext): Promise<AlertRow> {
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const alert = await trx
        .selectFrom('alerts')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!alert) throw new DomainError('NOT_FOUND', { resource: 'alert' });
      const already = alert.acknowledged_at !== null;
      const row = already
        ? alert
        : await trx
            .updateTable('alerts')
            .set({ acknowledged_by: ctx.actor?.staffId ?? null, acknowledged_at: now })
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirstOrThrow();
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'alert.acknowledge',
          targetType: 'alert',
          targetId: id,
          details: { kind: alert.kind, severity: alert.severity, already },
        },
        now,
      );
      return row;
    });
  }
}
