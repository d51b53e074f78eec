/**
 * What answers show of an FZ-37 permission request, as of `now` (overdue while open past its
 * deadline; late when settled after it). An approved grant's answer carries the new account's
 * activation ticket, once: the act marks it a secret, so a saved Idempotency-Key answer holds
 * null instead.
 */
import { formatShanghai } from '@sscard/domain';
import { presentActivation, type Activation } from '../staff/staff.presenter.js';
import type { PermissionRequestRow } from './permission-requests.repository.js';

export function presentRequest(r: PermissionRequestRow, now: Date) {
  return {
    id: r.id,
    kind: r.kind,
    organizationId: r.organization_id,
    staffId: r.staff_id,
    account: r.account,
    permissions: r.permissions,
    reason: r.reason,
    status: r.status,
    requestedAt: formatShanghai(r.requested_at),
    dueAt: formatShanghai(r.due_at),
    decidedAt: r.decided_at ? formatShanghai(r.decided_at) : null,
    filedAt: r.filed_at ? formatShanghai(r.filed_at) : null,
    overdue: r.status === 'requested' && now > r.due_at,
    late: r.decided_at !== null && r.decided_at > r.due_at,
    createdStaffId: r.created_staff_id,
  };
}

export function presentDecision(
  d: { request: PermissionRequestRow; activation: Activation | null },
  now: Date,
) {
  return {
    request: presentRequest(d.request, now),
    ...(d.activation ? presentActivation(d.activation) : {}),
  };
}
