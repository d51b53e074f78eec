/** What a terminal looks like in an answer: never its credential, only the last four characters. */
import { Type } from '@sinclair/typebox';
import { TERMINAL_KINDS, TERMINAL_STATUSES, formatShanghai } from '@sscard/domain';
import { StringEnum } from '../../http/schemas.js';
import type { TerminalRow } from './terminals.repository.js';

export const TerminalView = Type.Object(
  {
    id: Type.String(),
    organizationId: Type.String(),
    organizationName: Type.String(),
    jurisdiction: Type.String(),
    kind: StringEnum(TERMINAL_KINDS),
    label: Type.String(),
    brand: Type.Union([Type.String(), Type.Null()]),
    model: Type.Union([Type.String(), Type.Null()]),
    serialNumber: Type.Union([Type.String(), Type.Null()], {
      description: 'FZ-12: the serial number filed with the centre',
    }),
    credentialKind: StringEnum(['api_key', 'client_certificate'] as const),
    credentialHint: Type.String({ description: 'The credential’s last four characters' }),
    credentialRotatedAt: Type.String(),
    status: StringEnum(TERMINAL_STATUSES),
    rateLimitPerSecond: Type.Integer(),
    registeredAt: Type.String(),
    changedOn: Type.Union([Type.String(), Type.Null()]),
    filedAt: Type.String(),
    filingDueOn: Type.Union([Type.String(), Type.Null()]),
    filedLate: Type.Boolean(),
    filingRule: Type.Union([Type.String(), Type.Null()], {
      description: 'The article setting the filing term (FZ-12), where the pack sets one',
    }),
    version: Type.Integer(),
  },
  { $id: 'Terminal' },
);

export function presentTerminal(t: TerminalRow, filingRule: string | null) {
  return {
    id: t.id,
    organizationId: t.organization_id,
    organizationName: t.organization_name,
    jurisdiction: t.jurisdiction,
    kind: t.kind,
    label: t.label,
    brand: t.brand,
    model: t.model,
    serialNumber: t.serial_number,
    credentialKind: t.credential_kind,
    credentialHint: t.credential_hint,
    credentialRotatedAt: formatShanghai(t.credential_rotated_at),
    status: t.status,
    rateLimitPerSecond: t.rate_limit_per_second,
    registeredAt: formatShanghai(t.registered_at),
    changedOn: t.changed_on,
    filedAt: formatShanghai(t.filed_at),
    filingDueOn: t.filing_due_on,
    filedLate: t.filed_late,
    filingRule,
    version: t.version,
  };
}
