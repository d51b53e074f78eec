/** What an application looks like in an answer: status, checks with their deadlines, fee, due date, rejection with its rule. */
import { APPLICATION_STATUS_LABELS, formatShanghai, maskIdNumber, maskName } from '@sscard/domain';
import { Type } from '@sinclair/typebox';
import type { ApplicationRow, CheckRow } from './applications.repository.js';

const NullableStr = Type.Union([Type.String(), Type.Null()]);

export const ApplicationView = Type.Object(
  {
    id: Type.String(),
    personId: Type.String(),
    jurisdiction: Type.String(),
    packVersion: Type.String(),
    kind: Type.String(),
    reason: NullableStr,
    channel: Type.String(),
    production: Type.String(),
    status: Type.String(),
    statusLabel: Type.Object({ zh: Type.String(), en: Type.String() }),
    branchId: Type.String(),
    bankId: Type.String(),
    delivery: Type.String(),
    agent: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    fee: Type.Object(
      {},
      {
        additionalProperties: true,
        description: 'Amount in fen with the article that set or waived it',
      },
    ),
    checks: Type.Array(
      Type.Object({
        agency: Type.String(),
        result: Type.String(),
        reason: NullableStr,
        dueAt: NullableStr,
        recordedAt: NullableStr,
      }),
    ),
    rejection: Type.Union([Type.Object({ reason: Type.String(), rule: NullableStr }), Type.Null()]),
    due: Type.Union([
      Type.Object({
        at: Type.String(),
        overdue: Type.Boolean(),
        rule: Type.Unknown(),
        warnings: Type.Unknown(),
      }),
      Type.Null(),
    ]),
    oldCardNo: NullableStr,
    cardNo: NullableStr,
    submittedAt: Type.String(),
    approvedAt: NullableStr,
    stockedAt: NullableStr,
    issuedAt: NullableStr,
    closedAt: NullableStr,
    /** FZ-23: when the applicant was told the card will be late. */
    delayNoticeAt: NullableStr,
  },
  { $id: 'Application' },
);

const iso = (d: Date | null) => (d ? formatShanghai(d) : null);
const DONE = new Set(['in_stock', 'issued', 'rejected', 'withdrawn']);

export function presentApplication(
  a: ApplicationRow,
  checks: CheckRow[],
  agentIdNumber: string | null,
  now: Date,
) {
  const agent = a.agent as { kind: string; name: string; idType: string; relation: string } | null;
  const due = a.due as { citation?: unknown; warnings?: unknown } | null;
  return {
    id: a.id,
    personId: a.person_id,
    jurisdiction: a.jurisdiction,
    packVersion: a.pack_version,
    kind: a.kind,
    reason: a.reason,
    channel: a.channel,
    production: a.production,
    status: a.status,
    statusLabel: APPLICATION_STATUS_LABELS[a.status],
    branchId: a.branch_id,
    bankId: a.bank_id,
    delivery: a.delivery,
    agent: agent
      ? {
          ...agent,
          name: maskName(agent.name),
          idNumber: agentIdNumber ? maskIdNumber(agentIdNumber) : null,
        }
      : null,
    fee: a.fee as Record<string, unknown>,
    checks: checks.map((c) => ({
      agency: c.agency,
      result: c.result,
      reason: c.reason,
      dueAt: iso(c.due_at),
      recordedAt: iso(c.recorded_at),
    })),
    rejection: a.rejection_reason ? { reason: a.rejection_reason, rule: a.rejection_rule } : null,
    due: a.due_at
      ? {
          at: formatShanghai(a.due_at),
          overdue: !DONE.has(a.status) && now > a.due_at,
          rule: due?.citation ?? null,
          warnings: due?.warnings ?? [],
        }
      : null,
    oldCardNo: a.old_card_no,
    cardNo: a.card_no,
    submittedAt: formatShanghai(a.submitted_at),
    approvedAt: iso(a.approved_at),
    stockedAt: iso(a.stocked_at),
    issuedAt: iso(a.issued_at),
    closedAt: iso(a.closed_at),
    delayNoticeAt: iso(a.delay_notice_at),
  };
}
