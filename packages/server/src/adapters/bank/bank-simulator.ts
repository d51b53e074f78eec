/**
 * A bank for demos and tests, in process: accounts are numbered by bank and serial with a Luhn
 * check digit, like real debit cards; requests are idempotent by request id. `refuseOpeningWhen`
 * lets a test make account opening fail (HN-11: 银行账户开户未成功的，应及时告知申领人原因).
 */
import { BankError, type BankAdapter, type BankHolder } from './bank-adapter.js';

interface Account {
  bank: string;
  cardNo: string;
  active: boolean;
  lost: 'none' | 'temporary' | 'formal';
  /** When a temporary loss lapses on its own (HN-17), or null. */
  lostUntil: Date | null;
  closed: boolean;
}

export function luhnDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export class BankSimulator implements BankAdapter {
  readonly accounts = new Map<string, Account>();
  private readonly byRequest = new Map<string, string>();
  private serial = 0;
  refuseOpeningWhen: ((holder: BankHolder) => boolean) | null = null;

  async openAccount(req: {
    bank: string;
    branch: string;
    cardNo: string;
    holder: BankHolder;
    requestId: string;
  }) {
    const existing = this.byRequest.get(req.requestId);
    if (existing) return { accountNo: existing };
    if (this.refuseOpeningWhen?.(req.holder))
      throw new BankError('ACCOUNT_REFUSED', 'the bank refused to open the account');
    this.serial += 1;
    const bin = `62${String(hash(req.bank) % 10000).padStart(4, '0')}`;
    const body = `${bin}${String(this.serial).padStart(12, '0')}`;
    const accountNo = body + luhnDigit(body);
    this.accounts.set(accountNo, {
      bank: req.bank,
      cardNo: req.cardNo,
      active: false,
      lost: 'none',
      lostUntil: null,
      closed: false,
    });
    this.byRequest.set(req.requestId, accountNo);
    return { accountNo };
  }

  async activate(req: { bank: string; accountNo: string }) {
    this.account(req.accountNo).active = true;
  }

  async reportLoss(req: {
    bank: string;
    accountNo: string;
    kind: 'temporary' | 'formal';
    until: string | null;
  }) {
    const a = this.account(req.accountNo);
    a.lost = req.kind;
    a.lostUntil = req.kind === 'temporary' && req.until ? new Date(req.until) : null;
  }

  async unreport(req: { bank: string; accountNo: string }) {
    Object.assign(this.account(req.accountNo), { lost: 'none', lostUntil: null });
  }

  /** Whether the bank holds the account locked for a loss at `at` (a lapsed term does not). */
  isLocked(accountNo: string, at: Date): boolean {
    const a = this.account(accountNo);
    if (a.lost === 'formal') return true;
    return a.lost === 'temporary' && (a.lostUntil === null || at < a.lostUntil);
  }

  async closeAccount(req: { bank: string; accountNo: string }) {
    this.account(req.accountNo).closed = true;
  }

  private account(accountNo: string): Account {
    const a = this.accounts.get(accountNo);
    if (!a) throw new BankError('UNKNOWN_ACCOUNT', 'no such account');
    return a;
  }
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return h;
}
