/** What a roster and its rows look like in an answer: ids, counts and reasons, no personal data. */
import { Type, type Static } from '@sinclair/typebox';
import type { Locale } from '@sscard/domain';
import type { RosterLine, RosterRow } from './rosters.repository.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const RosterView = Type.Object(
  {
    id: Type.String(),
    jurisdiction: Type.String(),
    unitOrganizationId: Nullable(Type.String()),
    unitName: Nullable(Type.String()),
    unitCode: Nullable(Type.String()),
    bankId: Type.String(),
    branchId: Type.String(),
    filename: Type.String(),
    fileKind: Type.Union([Type.Literal('xlsx'), Type.Literal('csv')]),
    sha256: Type.String(),
    status: Type.Union([
      Type.Literal('queued'),
      Type.Literal('running'),
      Type.Literal('done'),
      Type.Literal('failed'),
    ]),
    jobId: Nullable(Type.String()),
    totalRows: Type.Union([Type.Integer(), Type.Null()]),
    accepted: Type.Integer(),
    refused: Type.Integer(),
    error: Nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    finishedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'Roster' },
);
export type RosterView = Static<typeof RosterView>;

export const RosterRowView = Type.Object(
  {
    rowNo: Type.Integer({ description: 'The row in the file (the header is row 1)' }),
    outcome: Type.Union([Type.Literal('accepted'), Type.Literal('refused')]),
    code: Nullable(Type.String()),
    reason: Nullable(Type.String()),
    rule: Nullable(Type.String()),
    applicationId: Nullable(Type.String()),
  },
  { $id: 'RosterRow' },
);
export type RosterRowView = Static<typeof RosterRowView>;

export function presentRoster(r: RosterRow): RosterView {
  return {
    id: r.id,
    jurisdiction: r.jurisdiction,
    unitOrganizationId: r.unit_organization_id,
    unitName: r.unit_name,
    unitCode: r.unit_code,
    bankId: r.bank_id,
    branchId: r.branch_id,
    filename: r.filename,
    fileKind: r.file_kind,
    sha256: r.file_sha256,
    status: r.status,
    jobId: r.job_id,
    totalRows: r.total_rows,
    accepted: r.accepted,
    refused: r.refused,
    error: r.error,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
  };
}

export function reasonOf(
  l: Pick<RosterLine, 'message_zh' | 'message_en'>,
  locale: Locale,
): string | null {
  return locale === 'en' ? l.message_en : l.message_zh;
}

export function presentRosterRow(l: RosterLine, locale: Locale): RosterRowView {
  return {
    rowNo: l.row_no,
    outcome: l.outcome,
    code: l.code,
    reason: reasonOf(l, locale),
    rule: l.rule,
    applicationId: l.application_id,
  };
}
