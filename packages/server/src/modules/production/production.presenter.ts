/**
 * What a production batch looks like in an answer. Whoever asks (the centre, the bank, the
 * vendor), a card's holder is shown by a masked name only: no ID number, no phone, no address.
 * The full name, social security number and photo go to the vendor in the personalisation file
 * alone (an audited export), because personalisation needs them (FZ-20(一)).
 */
import { Type } from '@sinclair/typebox';
import { formatShanghai, maskName } from '@sscard/domain';
import { StringEnum } from '../../http/schemas.js';
import type { BatchItemRow, BatchRow } from './production.repository.js';

const Org = Type.Object({ id: Type.String(), name: Type.String() });
const Maybe = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const ProductionBatchView = Type.Object(
  {
    id: Type.String(),
    jurisdiction: Type.String(),
    vendor: Org,
    bank: Org,
    status: StringEnum(['open', 'exported', 'returned'] as const, {
      description: 'open (made) → exported (file sent to the vendor) → returned (return imported)',
    }),
    cardCount: Type.Integer(),
    exportedAt: Maybe(Type.String()),
    exportSha256: Maybe(Type.String()),
    returnedAt: Maybe(Type.String()),
    returnSha256: Maybe(Type.String()),
    succeeded: Type.Integer(),
    failed: Type.Integer(),
    createdAt: Type.String(),
  },
  { $id: 'ProductionBatch' },
);

export const ProductionItemView = Type.Object(
  {
    seq: Type.Integer(),
    cardNo: Type.String(),
    applicationId: Type.String(),
    holder: Type.String({ description: 'The holder’s name, masked (张*)' }),
    branch: Org,
    result: StringEnum(['pending', 'succeeded', 'failed'] as const),
    failureReason: Maybe(Type.String({ description: 'The vendor’s reason (FZ-20(二))' })),
    failureAction: Maybe(
      Type.String({
        description:
          'reproduce: back for a later batch; undeliverable: the pack’s undeliverable action (ZS-17(二))',
      }),
    ),
  },
  { $id: 'ProductionItem' },
);

export const ProductionBatchDetailView = Type.Composite([
  Type.Omit(ProductionBatchView, []),
  Type.Object({ items: Type.Array(ProductionItemView) }),
]);

type Orgs = Map<string, { code: string; name: string }>;
const org = (orgs: Orgs, id: string) => ({ id, name: orgs.get(id)?.name ?? id });

export function presentBatch(b: BatchRow, orgs: Orgs) {
  return {
    id: b.id,
    jurisdiction: b.jurisdiction,
    vendor: org(orgs, b.vendor_id),
    bank: org(orgs, b.bank_id),
    status: b.status,
    cardCount: b.card_count,
    exportedAt: b.exported_at ? formatShanghai(b.exported_at) : null,
    exportSha256: b.export_sha256,
    returnedAt: b.returned_at ? formatShanghai(b.returned_at) : null,
    returnSha256: b.return_sha256,
    succeeded: b.succeeded,
    failed: b.failed,
    createdAt: formatShanghai(b.created_at),
  };
}

export function presentItem(i: BatchItemRow, name: string | null, orgs: Orgs) {
  return {
    seq: i.seq,
    cardNo: i.card_no,
    applicationId: i.application_id,
    holder: name ? maskName(name) : '',
    branch: org(orgs, i.branch_id),
    result: i.result,
    failureReason: i.failure_reason,
    failureAction: i.failure_action,
  };
}
