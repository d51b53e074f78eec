/**
 * The card vendor (合作卡商, FZ-20, FZ-22): the personalisation data file sscard writes for a
 * production batch, the return file the vendor sends back (per card: made, or failed with the
 * reason, FZ-20(二)), and a simulator answering a personalisation file like a vendor would.
 * Formats in docs/adapters/vendor.md.
 */
import { LineFileError, readLineFile, writeLineFile } from '../line-file.js';

export const PERSONALISATION_FORMAT = 'SSCARD-VENDOR-PERSO';
export const VENDOR_RETURN_FORMAT = 'SSCARD-VENDOR-RETURN';

/**
 * What personalisation needs and nothing more: the card number, the holder's name and social
 * security number (printed on the card face, SH-4, HN-5), the bank account of the financial
 * application (FZ-20(一)), and the photo. Never a phone number or an address.
 */
export interface PersonalisationRow {
  cardNo: string;
  name: string;
  ssn: string;
  bankAccountNo: string | null;
  branchCode: string;
  photo: { contentType: string; bytes: Buffer } | null;
}

export interface VendorReturnRow {
  seq: number;
  cardNo: string;
  ok: boolean;
  reason: string | null;
}

export function formatPersonalisation(
  head: { batchId: string; vendorCode: string; createdAt: Date },
  rows: readonly PersonalisationRow[],
): string {
  return writeLineFile(
    {
      format: PERSONALISATION_FORMAT,
      batchId: head.batchId,
      orgCode: head.vendorCode,
      createdAt: head.createdAt,
    },
    rows.map((r) => [
      r.cardNo,
      r.name,
      r.ssn,
      r.bankAccountNo ?? '',
      r.branchCode,
      r.photo?.contentType ?? '',
      r.photo ? r.photo.bytes.toString('base64') : '',
    ]),
  );
}

export function parsePersonalisation(text: string) {
  const f = readLineFile(text, PERSONALISATION_FORMAT, 7);
  return {
    ...f,
    rows: f.rows.map(([cardNo, name, ssn, bankAccountNo, branchCode, contentType]) => ({
      cardNo: cardNo!,
      name: name!,
      ssn: ssn!,
      bankAccountNo: bankAccountNo || null,
      branchCode: branchCode!,
      hasPhoto: !!contentType,
    })),
  };
}

export function formatVendorReturn(
  head: { batchId: string; vendorCode: string; createdAt: Date },
  rows: readonly Omit<VendorReturnRow, 'seq'>[],
): string {
  return writeLineFile(
    {
      format: VENDOR_RETURN_FORMAT,
      batchId: head.batchId,
      orgCode: head.vendorCode,
      createdAt: head.createdAt,
    },
    rows.map((r) => [r.cardNo, r.ok ? 'OK' : 'FAIL', r.reason ?? '']),
  );
}

export function parseVendorReturn(text: string) {
  const f = readLineFile(text, VENDOR_RETURN_FORMAT, 3);
  const rows: VendorReturnRow[] = f.rows.map(([cardNo, flag, reason], i) => {
    const line = i + 2;
    if (flag !== 'OK' && flag !== 'FAIL')
      throw new LineFileError('format', `line ${line}: the result is not OK or FAIL`, line);
    if (flag === 'FAIL' && !reason!.trim())
      throw new LineFileError('format', `line ${line}: a failed card needs the reason`, line);
    return {
      seq: i + 1,
      cardNo: cardNo!,
      ok: flag === 'OK',
      reason: flag === 'OK' ? null : reason!.trim(),
    };
  });
  return { ...f, rows };
}

/**
 * A vendor answering a personalisation file, for demos and tests: every card made, except the
 * rows `fail` names (by sequence number, 1-based) with their reason.
 */
export function simulateVendorReturn(
  personalisationText: string,
  options: { fail?: ReadonlyMap<number, string> | Record<number, string>; now: Date },
): string {
  const p = parsePersonalisation(personalisationText);
  const fail =
    options.fail instanceof Map
      ? options.fail
      : new Map(Object.entries(options.fail ?? {}).map(([k, v]) => [Number(k), v]));
  return formatVendorReturn(
    { batchId: p.batchId, vendorCode: p.orgCode, createdAt: options.now },
    p.rows.map((r, i) => {
      const reason = fail.get(i + 1);
      return { cardNo: r.cardNo, ok: !reason, reason: reason ?? null };
    }),
  );
}
