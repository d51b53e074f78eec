/** What the e-card answers show. The card number is masked; the holder's name is masked. */
import {
  VERDICT_REASON_LABELS,
  formatShanghai,
  maskName,
  type VerdictReason,
} from '@sscard/domain';
import type { EcardView, QrCheckResult, QrMinted } from './ecards.service.js';

export function maskCardNo(cardNo: string): string {
  return cardNo.length > 10
    ? `${cardNo.slice(0, 6)}${'*'.repeat(cardNo.length - 10)}${cardNo.slice(-4)}`
    : cardNo;
}

function reasons(codes: readonly VerdictReason[]) {
  return codes.map((code) => ({
    code,
    message: VERDICT_REASON_LABELS[code].zh,
    messageEn: VERDICT_REASON_LABELS[code].en,
  }));
}

export function presentEcard(v: EcardView) {
  return {
    id: v.ecard.id,
    personId: v.ecard.person_id,
    cardNo: maskCardNo(v.ecard.card_no),
    jurisdiction: v.ecard.jurisdiction,
    issuedAt: formatShanghai(v.ecard.issued_at),
    status: v.status.status,
    reasons: reasons(v.status.reasons),
    pinSet: v.ecard.pin_hash !== null,
    pinLocked: v.ecard.pin_locked_at !== null,
  };
}

export function presentQr(q: QrMinted, svg: string) {
  return {
    token: q.token,
    ecardId: q.ecardId,
    kid: q.kid,
    issuedAt: q.issuedAt.toISOString(),
    expiresAt: q.expiresAt.toISOString(),
    svg,
  };
}

export function presentQrCheck(r: QrCheckResult) {
  return {
    valid: r.verdict.valid,
    ecardId: r.ecardId,
    cardNo: maskCardNo(r.cardNo),
    function: r.verdict.function,
    checkedAt: formatShanghai(r.checkedAt),
    issuedAt: r.issuedAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    reasons: r.verdict.reasons.map((x) => ({
      code: x.code,
      rule: x.citation?.rule ?? null,
      quote: x.citation?.quote ?? null,
      message: VERDICT_REASON_LABELS[x.code].zh,
      messageEn: VERDICT_REASON_LABELS[x.code].en,
    })),
    holder: { name: r.holderName ? maskName(r.holderName) : null },
    cardKind: r.cardKind,
    idRequired: r.verdict.idRequired !== null,
    idRequiredRule: r.verdict.idRequired?.rule ?? null,
    terminal: { id: r.terminal.terminalId, label: r.terminal.label },
  };
}
