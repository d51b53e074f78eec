/**
 * What a holder is shown of who read or changed their record: when, what, the outcome, the
 * reason stated, and who as an organisation and a role ("上海银行第一营业部 · 网点经办员"), never a
 * member of staff's name, username or id.
 */
import {
  ORGANIZATION_KIND_LABELS,
  ROLE_LABELS,
  SERVICE_POINT_KIND_LABELS,
  formatShanghai,
  isRole,
  type Locale,
  type OrganizationKind,
  type ServicePointKind,
} from '@sscard/domain';
import type { CheckOfPerson } from '../verification/verification.repository.js';

export interface AccessLogRow {
  at: Date;
  action: string;
  outcome: 'success' | 'refused' | 'error';
  code: string | null;
  target_type: string | null;
  target_id: string | null;
  actor_id: string | null;
  actor_username: string | null;
  actor_role: string | null;
  reason: string | null;
  organization_name: string | null;
}

export interface AccessLogEntry {
  at: string;
  action: string;
  outcome: 'success' | 'refused' | 'error';
  code: string | null;
  /** The person, one of their cards (by card number) or one of their applications. */
  target: { type: 'person' | 'card' | 'application'; id: string };
  /** Organisation and role, as one line for a person to read. */
  by: string;
  organization: string | null;
  role: string | null;
  /** The platform itself (a scheduled job, a command), not a member of staff. */
  system: boolean;
  reason: string | null;
}

const SYSTEM = { 'zh-CN': '系统自动处理', en: 'The platform (automatic)' } as const;
const SEPARATOR = ' · ';

export function presentAccessLog(
  row: AccessLogRow,
  target: AccessLogEntry['target'],
  locale: Locale,
): AccessLogEntry {
  const system = row.actor_id === null && (row.actor_username ?? '').startsWith('system:');
  // A holder's sign-in is recorded before there is a session: the holder is who did it.
  const actorRole = row.action === 'holder.sign_in' ? 'holder' : row.actor_role;
  const role =
    actorRole === null
      ? null
      : isRole(actorRole)
        ? ROLE_LABELS[actorRole][locale === 'en' ? 'en' : 'zh']
        : actorRole;
  const by = system
    ? SYSTEM[locale]
    : [row.organization_name, role].filter((s): s is string => Boolean(s)).join(SEPARATOR) ||
      (locale === 'en' ? 'Unknown' : '未知');
  return {
    at: formatShanghai(row.at),
    action: row.action,
    outcome: row.outcome,
    code: row.code,
    target,
    by,
    organization: system ? null : row.organization_name,
    role: system ? null : role,
    system,
    reason: row.reason,
  };
}

/** One online check of one of the person's cards (HN-32): when, what answer, where. */
export interface CheckEntry {
  at: string;
  cardNo: string;
  check: string;
  function: string;
  valid: boolean;
  reasons: string[];
  where: string;
}

export function presentCheckEntry(c: CheckOfPerson, locale: Locale): CheckEntry {
  const lang = locale === 'en' ? 'en' : 'zh';
  const kind = c.service_point_kind
    ? SERVICE_POINT_KIND_LABELS[c.service_point_kind as ServicePointKind]?.[lang]
    : ORGANIZATION_KIND_LABELS[c.organization_kind as OrganizationKind]?.[lang];
  return {
    at: formatShanghai(c.at),
    cardNo: c.card_no,
    check: c.check_kind,
    function: c.function,
    valid: c.valid,
    reasons: c.reasons,
    where: [c.organization_name, kind].filter(Boolean).join(SEPARATOR),
  };
}
