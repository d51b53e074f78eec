/**
 * What a card looks like in an answer: its state, what works now and why not, the loss with its
 * term, the PIN's state, and the e-card mirrored from it (HN-4: 状态相同). The bank account number
 * is masked; nothing here reveals personal data beyond the holder's id.
 */
import {
  CARD_STATUS_LABELS,
  citationOf,
  formatShanghai,
  maskIdNumber,
  usability,
  type RulePack,
} from '@sscard/domain';
import { Type } from '@sinclair/typebox';
import { toCardState, type CardRow } from './cards.repository.js';

const NullableStr = Type.Union([Type.String(), Type.Null()]);

export const CardView = Type.Object(
  {
    cardNo: Type.String(),
    kind: Type.String(),
    jurisdiction: Type.String(),
    personId: Type.String(),
    applicationId: Type.String(),
    status: Type.String(),
    statusLabel: Type.Object({ zh: Type.String(), en: Type.String() }),
    usable: Type.Boolean({
      description: 'The social security function works now (hospitals, pharmacies, transit)',
    }),
    functions: Type.Object({
      social: Type.Object({ enabledAt: NullableStr, usable: Type.Boolean() }),
      financial: Type.Object({
        activatedAt: NullableStr,
        usable: Type.Boolean(),
        account: NullableStr,
      }),
    }),
    blocked: Type.Array(Type.String()),
    loss: Type.Object({
      kind: Type.String(),
      since: NullableStr,
      until: NullableStr,
      /** A temporary loss whose term has passed (SH-18, HN-17). */
      lapsed: Type.Boolean(),
    }),
    suspended: Type.Boolean(),
    frozen: Type.Boolean(),
    pin: Type.Object({
      enabled: Type.Boolean(),
      set: Type.Boolean(),
      locked: Type.Boolean(),
      failures: Type.Integer(),
    }),
    hasPhoto: Type.Boolean(),
    photoCardDue: Type.Boolean({
      description: 'A child has reached the age for a card with a photo (SH-22, FZ-30)',
    }),
    issuedAt: NullableStr,
    issuedTo: NullableStr,
    expiresOn: NullableStr,
    bankId: NullableStr,
    branchId: NullableStr,
    replacementApplicationId: NullableStr,
    replacedBy: NullableStr,
    endedAt: NullableStr,
    endReason: NullableStr,
    returnedAt: NullableStr,
    destroyedAt: NullableStr,
    oneCard: Type.Boolean({
      description:
        'The one-card (一卡通) public-service functions work now (HN-4); elsewhere the same as `usable`',
    }),
    stoppedBy: Type.Object(
      {
        social: Type.Array(Type.String()),
        one_card: Type.Array(Type.String()),
        financial: Type.Array(Type.String()),
      },
      { description: 'Per function, what stops it now (the pack names what each act stops)' },
    ),
    bankAccount: Type.Object({
      closedAt: NullableStr,
      closurePending: Type.Boolean({
        description:
          'HN-27: cancelled on death; the bank account lives on for the agent until it is closed',
      }),
    }),
    undeliverable: Type.Union(
      [
        Type.Null(),
        Type.Object({
          reason: Type.String({
            description: 'death | emigration | job_transfer | production_failure',
          }),
          action: NullableStr,
        }),
      ],
      {
        description:
          'A card made but not handed over that cannot be: why, and what the pack did (ZS-17, HN-12, FZ-27)',
      },
    ),
    unclaimed: Type.Union([
      Type.Null(),
      Type.Object(
        {
          at: Type.String(),
          action: Type.String({
            description: 'cancel | cancel_and_destroy | recover_and_hold | return_to_management',
          }),
        },
        { description: 'Left in stock past the pack’s limit (ZS-17, SG-12, HN-12, FZ-27)' },
      ),
    ]),
    ecard: Type.Object({
      status: Type.String({
        description: 'not_issued, or mirrors the physical card: active | blocked',
      }),
    }),
    rules: Type.Object({ packVersion: Type.String(), lossRule: Type.String() }),
  },
  { $id: 'Card' },
);

const iso = (d: Date | null) => (d ? formatShanghai(d) : null);

export function presentCard(
  row: CardRow,
  pack: RulePack,
  now: Date,
  extra: { photoCardDue: boolean; account: string | null },
) {
  const card = toCardState(row, pack.code);
  const u = usability(card, pack, now);
  const lapsed = row.loss_kind === 'temporary' && u.loss.kind === 'none';
  return {
    cardNo: row.card_no,
    kind: row.kind,
    jurisdiction: row.jurisdiction,
    personId: row.person_id,
    applicationId: row.application_id,
    status: row.status,
    statusLabel: CARD_STATUS_LABELS[row.status],
    usable: u.usable,
    functions: {
      social: { enabledAt: iso(row.social_enabled_at), usable: u.social },
      financial: {
        activatedAt: iso(row.financial_activated_at),
        usable: u.financial,
        account: extra.account ? maskIdNumber(extra.account) : null,
      },
    },
    blocked: u.blocked,
    loss: { kind: row.loss_kind, since: iso(row.loss_since), until: iso(row.loss_until), lapsed },
    suspended: row.suspended_at !== null,
    frozen: row.frozen_at !== null,
    pin: {
      enabled: pack.pin.socialEnabled.value,
      set: row.pin_hash !== null,
      locked: row.pin_locked_at !== null,
      failures: row.pin_failures,
    },
    hasPhoto: row.has_photo,
    photoCardDue: extra.photoCardDue,
    issuedAt: iso(row.issued_at),
    issuedTo: row.issued_to,
    expiresOn: row.expires_on,
    bankId: row.bank_id,
    branchId: row.branch_id,
    replacementApplicationId: row.replacement_application_id,
    replacedBy: row.replaced_by,
    endedAt: iso(row.ended_at),
    endReason: row.end_reason,
    returnedAt: iso(row.returned_at),
    destroyedAt: iso(row.destroyed_at),
    oneCard: u.oneCard,
    stoppedBy: u.stoppedBy,
    bankAccount: {
      closedAt: iso(row.bank_account_closed_at),
      closurePending: u.bankAccountClosurePending,
    },
    undeliverable: row.undeliverable_reason
      ? { reason: row.undeliverable_reason, action: row.unclaimed_action }
      : null,
    unclaimed:
      row.unclaimed_at && row.unclaimed_action
        ? { at: iso(row.unclaimed_at)!, action: row.unclaimed_action }
        : null,
    ecard: {
      status: row.ecard_issued_at === null ? 'not_issued' : u.usable ? 'active' : 'blocked',
    },
    rules: { packVersion: pack.version, lossRule: citationOf(pack.loss.effect.source).rule },
  };
}
