/** What a referral shows: the caller masked unless the role may read a full record. */
import { Type } from '@sinclair/typebox';
import {
  REFERRAL_HOTLINES,
  REFERRAL_KINDS,
  REFERRAL_STATUSES,
  formatShanghai,
  maskName,
  maskPhone,
  referralOverdue,
  shanghaiDate,
} from '@sscard/domain';
import { StringEnum } from '../../http/schemas.js';
import type { ReferralRow } from './referrals.repository.js';

const NullableStr = Type.Union([Type.String(), Type.Null()]);

export const ReferralView = Type.Object(
  {
    id: Type.String(),
    jurisdiction: Type.String(),
    hotline: StringEnum(REFERRAL_HOTLINES),
    ticketNo: Type.String(),
    kind: StringEnum(REFERRAL_KINDS),
    summary: Type.String(),
    caller: Type.Union([
      Type.Object({ name: NullableStr, phone: NullableStr, masked: Type.Boolean() }),
      Type.Null(),
    ]),
    status: StringEnum(REFERRAL_STATUSES),
    assignedTo: NullableStr,
    assignedName: NullableStr,
    assignedAt: NullableStr,
    dueOn: Type.Union([Type.String(), Type.Null()], {
      description: 'Answer due by the end of this day (the pack’s service.referralAnswerWithin)',
    }),
    dueRule: NullableStr,
    overdue: Type.Boolean(),
    answer: NullableStr,
    answeredAt: NullableStr,
    answeredLate: Type.Union([Type.Boolean(), Type.Null()]),
    report: NullableStr,
    reportedAt: NullableStr,
    escalations: Type.Integer(),
    escalatedAt: NullableStr,
    recordedAt: Type.String(),
    version: Type.Integer(),
  },
  { $id: 'Referral' },
);

const at = (d: Date | null) => (d ? formatShanghai(d) : null);

export function presentReferral(r: ReferralRow, now: Date, full: boolean, dueRule: string | null) {
  return {
    id: r.id,
    jurisdiction: r.jurisdiction,
    hotline: r.hotline,
    ticketNo: r.ticket_no,
    kind: r.kind,
    summary: r.summary,
    caller: r.caller
      ? {
          name: r.caller.name && (full ? r.caller.name : maskName(r.caller.name)),
          phone: r.caller.phone && (full ? r.caller.phone : maskPhone(r.caller.phone)),
          masked: !full,
        }
      : null,
    status: r.status,
    assignedTo: r.assigned_to,
    assignedName: r.assigned_name,
    assignedAt: at(r.assigned_at),
    dueOn: r.due_on,
    dueRule,
    overdue: referralOverdue({ status: r.status, dueOn: r.due_on }, shanghaiDate(now)),
    answer: r.answer,
    answeredAt: at(r.answered_at),
    answeredLate: r.answered_late,
    report: r.report,
    reportedAt: at(r.reported_at),
    escalations: r.escalations,
    escalatedAt: at(r.escalated_at),
    recordedAt: formatShanghai(r.recorded_at),
    version: r.version,
  };
}
