/** What an alert looks like in an answer. */
import { Type, type Static } from '@sinclair/typebox';
import { formatShanghai } from '@sscard/domain';
import { StringEnum } from '../../http/schemas.js';
import type { AlertRow } from './alerts.service.js';

export const AlertView = Type.Object(
  {
    id: Type.String(),
    kind: Type.String({ examples: ['audit.chain_broken'] }),
    severity: StringEnum(['info', 'warning', 'critical'] as const),
    raisedAt: Type.String(),
    lastSeenAt: Type.String(),
    occurrences: Type.Integer(),
    details: Type.Unknown(),
    acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
    acknowledgedAt: Type.Union([Type.String(), Type.Null()]),
    /** The jurisdiction the alert is about; null for an installation-wide alert. */
    jurisdiction: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'Alert' },
);

export function presentAlert(a: AlertRow): Static<typeof AlertView> {
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
    jurisdiction: a.jurisdiction,
  };
}
