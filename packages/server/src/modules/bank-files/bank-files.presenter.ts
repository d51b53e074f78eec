/**
 * What a bank account-opening batch looks like in an answer: the applicant by masked name and
 * masked ID number, the bank's reason for a refused row; never an account number (the card
 * shows its own, masked, to those who may see the card).
 */
import { Type } from '@sinclair/typebox';
import { formatShanghai, maskIdNumber, maskName } from '@sscard/domain';
import { StringEnum } from '../../http/schemas.js';
import type { BankFileLine, BankFileRow } from './bank-files.repository.js';

const Org = Type.Object({ id: Type.String(), name: Type.String() });
const Maybe = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const BankFileView = Type.Object(
  {
    id: Type.String(),
    jurisdiction: Type.String(),
    bank: Org,
    status: StringEnum(['open', 'exported', 'returned'] as const),
    rowCount: Type.Integer(),
    exportedAt: Maybe(Type.String()),
    exportSha256: Maybe(Type.String()),
    returnedAt: Maybe(Type.String()),
    returnSha256: Maybe(Type.String()),
    succeeded: Type.Integer({ description: 'Accounts opened' }),
    failed: Type.Integer({ description: 'Rows the bank refused' }),
    createdAt: Type.String(),
  },
  { $id: 'BankFile' },
);

export const BankFileRowView = Type.Object(
  {
    seq: Type.Integer(),
    cardNo: Type.String(),
    applicationId: Type.String(),
    holder: Type.String({ description: 'masked name' }),
    idNumber: Type.String({ description: 'masked ID number' }),
    branch: Org,
    result: StringEnum(['pending', 'opened', 'refused'] as const),
    refusalReason: Maybe(Type.String({ description: 'The bank’s reason (FZ-18(四))' })),
  },
  { $id: 'BankFileRow' },
);

export const BankFileDetailView = Type.Composite([
  Type.Omit(BankFileView, []),
  Type.Object({ rows: Type.Array(BankFileRowView) }),
]);

type Orgs = Map<string, { code: string; name: string }>;
const org = (orgs: Orgs, id: string) => ({ id, name: orgs.get(id)?.name ?? id });

export function presentBankFile(b: BankFileRow, orgs: Orgs) {
  return {
    id: b.id,
    jurisdiction: b.jurisdiction,
    bank: org(orgs, b.bank_id),
    status: b.status,
    rowCount: b.row_count,
    exportedAt: b.exported_at ? formatShanghai(b.exported_at) : null,
    exportSha256: b.export_sha256,
    returnedAt: b.returned_at ? formatShanghai(b.returned_at) : null,
    returnSha256: b.return_sha256,
    succeeded: b.succeeded,
    failed: b.failed,
    createdAt: formatShanghai(b.created_at),
  };
}

export function presentBankFileRow(
  r: BankFileLine,
  person: { name: string; idNumber: string } | null,
  orgs: Orgs,
) {
  return {
    seq: r.seq,
    cardNo: r.card_no,
    applicationId: r.application_id,
    holder: person ? maskName(person.name) : '',
    idNumber: person ? maskIdNumber(person.idNumber) : '',
    branch: org(orgs, r.branch_id),
    result: r.result,
    refusalReason: r.refusal_reason,
  };
}
