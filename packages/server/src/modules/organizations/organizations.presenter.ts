/** What an organisation looks like in an answer. */
import { Type } from '@sinclair/typebox';
import { formatShanghai } from '@sscard/domain';
import type { OrganizationRow } from './organizations.repository.js';

export const OrganizationView = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    level: Type.Union([Type.String(), Type.Null()]),
    code: Type.String(),
    name: Type.String(),
    jurisdiction: Type.String(),
    parentId: Type.Union([Type.String(), Type.Null()]),
    bankId: Type.Union([Type.String(), Type.Null()]),
    canInstantIssue: Type.Boolean(),
    servicePointKind: Type.Union([Type.String(), Type.Null()], {
      description: 'Service points: hospital, pharmacy, transit, government_window, other',
    }),
    status: Type.String({ description: 'active, or suspended (FZ-42)' }),
    suspendedAt: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
  },
  { $id: 'Organization' },
);

export function presentOrganization(o: OrganizationRow) {
  return {
    id: o.id,
    kind: o.kind,
    level: o.level,
    code: o.code,
    name: o.name,
    jurisdiction: o.jurisdiction,
    parentId: o.parent_id,
    bankId: o.bank_id,
    canInstantIssue: o.can_instant_issue,
    servicePointKind: o.service_point_kind,
    status: o.status,
    suspendedAt: o.suspended_at ? formatShanghai(o.suspended_at) : null,
    createdAt: formatShanghai(o.created_at),
  };
}
