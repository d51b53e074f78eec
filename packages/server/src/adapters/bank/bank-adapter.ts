/**
 * The cooperating banks (合作银行), seen from sscard: the card's financial account is opened,
 * activated, reported lost and closed at the bank. Each bank connects through this interface; the
 * protocol a real connector speaks is in docs/adapters/bank.md. Every request carries an
 * idempotency key (the card number and the act), so a retry never opens two accounts.
 */
export interface BankHolder {
  name: string;
  idType: string;
  idNumber: string;
}

export interface BankAdapter {
  /** 开户: open the financial account of a card being made. */
  openAccount(req: {
    bank: string;
    branch: string;
    cardNo: string;
    holder: BankHolder;
    requestId: string;
  }): Promise<{ accountNo: string }>;
  /** 金融功能激活 at the bank (SG-13, HN-15). */
  activate(req: { bank: string; accountNo: string; requestId: string }): Promise<void>;
  /**
   * Linked loss (HN-17/18): the bank account is locked in the same act as the card. A temporary
   * loss with a term (HN-17: 15 days) carries `until`; the bank lifts its lock at that instant
   * unless a formal loss followed, as sscard does, so the two never disagree and no message is
   * needed when the term ends.
   */
  reportLoss(req: {
    bank: string;
    accountNo: string;
    kind: 'temporary' | 'formal';
    /** ISO 8601 instant the temporary loss lapses; null for long-term or formal. */
    until: string | null;
    requestId: string;
  }): Promise<void>;
  unreport(req: { bank: string; accountNo: string; requestId: string }): Promise<void>;
  closeAccount(req: { bank: string; accountNo: string; requestId: string }): Promise<void>;
}

export class BankError extends Error {
  constructor(
    readonly code: 'ACCOUNT_REFUSED' | 'UNAVAILABLE' | 'UNKNOWN_ACCOUNT',
    message: string,
  ) {
    super(message);
  }
}
