/**
 * Alerts: things an operator must look at, such as a broken audit chain or a daily job that
 * failed. An alert is a row in `alerts` (details without personal data), an error line in the
 * log, an entry in /readyz while unacknowledged, and an audit record. `key` says what "the same"
 * alert is: raising it again (the daily check finds the same broken link) counts an occurrence
 * and logs again, but does not open a new alert, acknowledged or not.
 */
import { formatShanghai } from '@sscard/domain';
import type { Selectable } from 'kysely';
import type { ActContext } from '../../context.js';
import { systemContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import type { AlertsTable } from '../../db/schema.js';
import type { AlertFilter, AlertsRepository } from './alerts.repository.js';
import { presentAlert } from './alerts.presenter.js';

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
  /** The jurisdiction whose card or application it is about; none: installation-wide. */
  jurisdiction?: string | null;
}

/**
 * Which alerts an actor sees: the installation's staff all of them; a centre's staff (and its
 * auditor) the installation-wide ones and their own jurisdiction's, never another city's.
 */
export function alertsWithin(ctx: ActContext): string | undefined {
  const actor = ctx.actor;
  if (!actor || actor.scope.kind === 'all') return undefined;
  if (actor.scope.kind === 'jurisdiction') return actor.scope.prefix;
  return actor.jurisdiction ?? '-'; // an account without a jurisdiction sees only installation-wide ones
}

export type AlertRow = Selectable<AlertsTable>;

export class AlertsService {
  private readonly repo: AlertsRepository;

  constructor(private readonly deps: Deps) {
    this.repo = deps.repos.alerts;
  }

  /** Raises an alert, or counts one more occurrence of the same; logs it either way. */
  async raise(input: RaiseAlert): Promise<{ alert: AlertRow; created: boolean }> {
    const result = await this.deps.acts.run(systemContext('alerts'), {
      name: 'alert.raise',
      resource: 'alert',
      load: async () => input,
      target: () => ({ type: 'alert', id: null, jurisdiction: null }),
      apply: async ({ trx, now }) => {
        const raised = await this.repo.raise(trx, input, now);
        return {
          result: raised,
          audited: { targetId: raised.alert.id },
          details: {
            kind: input.kind,
            severity: input.severity,
            created: raised.created,
            ...(input.details ?? {}),
          },
        };
      },
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
  open(): Promise<AlertRow[]> {
    return this.repo.open();
  }

  /**
   * For /readyz (public): the installation's unacknowledged alerts (a broken chain, a failed
   * job) without their details; never throws. Alerts about a jurisdiction's cards and
   * applications are its staff's business, not the public's (GET /api/v1/alerts).
   */
  async openSummary(): Promise<
    | { id: string; kind: string; severity: AlertSeverity; raisedAt: string; occurrences: number }[]
    | 'unavailable'
  > {
    try {
      return (await this.open())
        .filter((a) => a.jurisdiction === null)
        .map((a) => ({
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

  list(f: AlertFilter, ctx: ActContext): Promise<{ items: AlertRow[]; total: number }> {
    return this.repo.list({ ...f, within: alertsWithin(ctx) });
  }

  /** Acknowledges an alert (once; acknowledging again changes nothing), audited with the reason. */
  acknowledge(id: string, ctx: ActContext): Promise<AlertRow> {
    return this.deps.acts.run(ctx, {
      name: 'alert.acknowledge',
      resource: 'alert',
      // Another jurisdiction's alert answers like a missing one.
      load: (trx) => this.repo.findForUpdate(trx, id, alertsWithin(ctx)),
      target: (a: AlertRow) => ({ type: 'alert', id: a.id, jurisdiction: a.jurisdiction }),
      apply: async ({ trx, now, loaded: alert }) => {
        const already = alert.acknowledged_at !== null;
        const row = already
          ? alert
          : await this.repo.acknowledge(trx, id, ctx.actor?.staffId ?? null, now);
        return { result: row, details: { kind: alert.kind, severity: alert.severity, already } };
      },
      present: presentAlert,
    });
  }
}
