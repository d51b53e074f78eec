/**
 * Account opening by file (FZ-18(四)(五): 下载开户 … 银行批量开户后的回盘文件导入): the request
 * file sscard writes for a bank, the return file the bank sends back, and a simulator that answers
 * a request file like a bank would, for demos and tests. Formats in docs/adapters/bank-files.md.
 */
import { luhnDigit } from './bank-simulator.js';
import { LineFileError, readLineFile, writeLineFile } from '../line-file.js';

export const BANK_REQUEST_FORMAT = 'SSCARD-BANK-OPEN';
export const BANK_RETURN_FORMAT = 'SSCARD-BANK-RETURN';

export interface BankRequestRow {
  cardNo: string;
  idType: string;
  idNumber: string;
  name: string;
  branchCode: string;
}

export interface BankReturnRow {
  seq: number;
  /** 开户成功标志 */
  ok: boolean;
  /** 身份证件号码 */
  idNumber: string;
  /** 银行网点: the branch's code (or the name the bank uses for it) */
  branch: string;
  /** 银行卡号: present when ok */
  accountNo: string | null;
  /** The bank's reason when not ok */
  reason: string | null;
}

export function formatBankRequest(
  head: { batchId: string; bankCode: string; createdAt: Date },
  rows: readonly BankRequestRow[],
): string {
  return writeLineFile(
    {
      format: BANK_REQUEST_FORMAT,
      batchId: head.batchId,
      orgCode: head.bankCode,
      createdAt: head.createdAt,
    },
    rows.map((r) => [r.cardNo, r.idType, r.idNumber, r.name, r.branchCode]),
  );
}

export function parseBankRequest(text: string) {
  const f = readLineFile(text, BANK_REQUEST_FORMAT, 5);
  return {
    ...f,
    rows: f.rows.map(([cardNo, idType, idNumber, name, branchCode]) => ({
      cardNo: cardNo!,
      idType: idType!,
      idNumber: idNumber!,
      name: name!,
      branchCode: branchCode!,
    })),
  };
}

export function formatBankReturn(
  head: { batchId: string; bankCode: string; createdAt: Date },
  rows: readonly Omit<BankReturnRow, 'seq'>[],
): string {
  return writeLineFile(
    {
      format: BANK_RETURN_FORMAT,
      batchId: head.batchId,
      orgCode: head.bankCode,
      createdAt: head.createdAt,
    },
    rows.map((r) => [r.ok ? '1' : '0', r.idNumber, r.branch, r.accountNo ?? '', r.reason ?? '']),
  );
}

/** The bank's return file; a row that says neither an account nor a reason is refused. */
export function parseBankReturn(text: string) {
  const f = readLineFile(text, BANK_RETURN_FORMAT, 5);
  const rows: BankReturnRow[] = f.rows.map(([flag, idNumber, branch, accountNo, reason], i) => {
    const line = i + 2;
    if (flag !== '1' && flag !== '0')
      throw new LineFileError('format', `line ${line}: the success flag is not 1 or 0`, line);
    const ok = flag === '1';
    if (ok && !/^\d{12,19}$/.test(accountNo!))
      throw new LineFileError('format', `line ${line}: an opened account needs its number`, line);
    if (!ok && !reason!.trim())
      throw new LineFileError(
        'format',
        `line ${line}: a refused row needs the bank's reason`,
        line,
      );
    return {
      seq: i + 1,
      ok,
      idNumber: idNumber!,
      branch: branch!,
      accountNo: ok ? accountNo! : null,
      reason: ok ? null : reason!.trim(),
    };
  });
  return { ...f, rows };
}

/**
 * A bank answering a request file, for demos and tests: every row opened with an account number
 * derived from the bank and card number (stable across runs, Luhn-checked), except the rows
 * `refuse` names (by sequence number, 1-based) with their reason.
 */
export function simulateBankReturn(
  requestText: string,
  options: { refuse?: ReadonlyMap<number, string> | Record<number, string>; now: Date },
): string {
  const req = parseBankRequest(requestText);
  const refuse =
    options.refuse instanceof Map
      ? options.refuse
      : new Map(Object.entries(options.refuse ?? {}).map(([k, v]) => [Number(k), v]));
  return formatBankReturn(
    { batchId: req.batchId, bankCode: req.orgCode, createdAt: options.now },
    req.rows.map((r, i) => {
      const reason = refuse.get(i + 1);
      if (reason)
        return { ok: false, idNumber: r.idNumber, branch: r.branchCode, accountNo: null, reason };
      const body = `62${String(hash(req.orgCode) % 10000).padStart(4, '0')}${r.cardNo.replace(/\D/g, '').slice(-12).padStart(12, '0')}`;
      return {
        ok: true,
        idNumber: r.idNumber,
        branch: r.branchCode,
        accountNo: body + luhnDigit(body),
        reason: null,
      };
    }),
  );
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return h;
}
