/**
 * A card as the rules see it. The lifecycle status says where the card is in its life; on top of
 * an issued card sit independent flags (social function enabled, financial function activated,
 * loss, suspension, freeze, PIN lock). Whether a card can be used is derived from these and the
 * clock (see usability.ts): nothing has to run at midnight for a temporary loss to lapse.
 */
import type { LocalDate } from '../time/local-date.js';

export const CARD_STATUSES = [
  'in_production', // 制卡中
  'in_stock', // 已入库，待发放
  'issued', // 已发放
  'replaced', // 已被新卡替代（补、换、换发后原卡失效，不能恢复）
  'cancelled', // 已注销
  'destroyed', // 已销毁
] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

/** Statuses a card never leaves (SH-23: 原卡失效，不能恢复使用). */
export const ENDED_STATUSES: readonly CardStatus[] = ['replaced', 'cancelled', 'destroyed'];

export type CardKind = 'regular' | 'temporary';

export type LossState =
  | { kind: 'none' }
  /** 临时挂失: until an instant (SH 5 days, HN 15 days) or, when `until` is null, until un-reported. */
  | { kind: 'temporary'; since: Date; until: Date | null }
  /** 正式挂失 */
  | { kind: 'formal'; since: Date };

export interface CardState {
  cardNo: string;
  /** Short code of the jurisdiction (SH). */
  jurisdiction: string;
  kind: CardKind;
  status: CardStatus;
  hasPhoto: boolean;
  issuedAt: Date | null;
  /** Last day of validity where the pack sets one (HN-6: ten years). */
  expiresOn: LocalDate | null;
  socialEnabledAt: Date | null;
  financialActivatedAt: Date | null;
  loss: LossState;
  suspendedAt: Date | null;
  frozenAt: Date | null;
  pinSet: boolean;
  pinFailures: number;
  pinLockedAt: Date | null;
  /** An open replacement or change applied for this card: no un-report from then on. */
  replacementApplicationId: string | null;
  /**
   * When the card ended (cancelled, replaced): HN-27's 180 days for closing the bank account run
   * from the cancellation. Optional for callers that never look at ended cards.
   */
  endedAt?: Date | null;
  /**
   * When the bank reported the card's account closed. Where a cancellation leaves the financial
   * function to the agent (HN-27), the card lives on for it until then, and is destroyed after.
   */
  bankAccountClosedAt?: Date | null;
}

export const CARD_STATUS_LABELS: Record<CardStatus, { zh: string; en: string }> = {
  in_production: { zh: '制卡中', en: 'in production' },
  in_stock: { zh: '待发放', en: 'in stock' },
  issued: { zh: '已发放', en: 'issued' },
  replaced: { zh: '已被新卡替代', en: 'replaced' },
  cancelled: { zh: '已注销', en: 'cancelled' },
  destroyed: { zh: '已销毁', en: 'destroyed' },
};
