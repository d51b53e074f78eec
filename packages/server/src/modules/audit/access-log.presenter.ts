/**
 * What a holder is shown of who read or changed their record: when, what, the outcome, the
 * reason stated, and who as an organisation and a role ("上海银行第一营业部 · 网点经办员"), never a
 * member of staff's name, username or id.
 */
import { ROLE_LABELS, formatShanghai, isRole, type Locale } from '@sscard/domain';

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
  const role =
    row.actor_role === null
      ? null
      : isRole(row.actor_role)
        ? ROLE_LABELS[row.actor_role][locale === 'en' ? 'en' : 'zh']
        : row.actor_role;
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
