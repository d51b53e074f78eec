/**
 * The answer to a terminal's question "does this card work here, now?" (HN-32: 机读时应在线验证
 * 社会保障卡有效性). Pure: the card's state, the holder's facts and the rule pack in, a verdict out,
 * each reason naming the article that makes the card unusable for the function asked.
 */
import type { Citation } from '../errors/domain-error.js';
import type { CardState } from '../lifecycle/card.js';
import { usability, type BlockReason } from '../lifecycle/usability.js';
import { citationOf } from '../rules/registry.js';
import type { RulePack } from '../rules/schema.js';
import type { CardFunction } from '../rules/vocabulary.js';

export const VERDICT_REASONS = [
  'not_issued',
  'lost',
  'replaced',
  'cancelled',
  'destroyed',
  'expired',
  'suspended',
  'frozen',
  'social_not_enabled',
  'financial_not_activated',
  'holder_deceased',
  'ssn_mismatch',
] as const;
export type VerdictReason = (typeof VERDICT_REASONS)[number];

export const VERDICT_REASON_LABELS: Record<VerdictReason, { zh: string; en: string }> = {
  not_issued: { zh: '卡片尚未发放', en: 'The card has not been handed over' },
  lost: { zh: '卡片已挂失', en: 'The card is reported lost' },
  replaced: { zh: '卡片已被新卡替代，原卡失效', en: 'The card was replaced by a new card' },
  cancelled: { zh: '卡片已注销', en: 'The card is cancelled' },
  destroyed: { zh: '卡片已销毁', en: 'The card is destroyed' },
  expired: { zh: '卡片已过有效期', en: 'The card has expired' },
  suspended: { zh: '卡片已停用', en: 'The card is suspended' },
  frozen: { zh: '卡片已冻结（中止使用）', en: 'The card is frozen' },
  social_not_enabled: { zh: '社会保障功能未启用', en: 'The social function is not enabled' },
  financial_not_activated: { zh: '金融功能未激活', en: 'The financial function is not activated' },
  holder_deceased: { zh: '持卡人已死亡', en: 'The holder has died' },
  ssn_mismatch: {
    zh: '芯片中的社会保障号码与持卡人不符',
    en: 'The SSN read from the chip is not the holder’s',
  },
};

export interface VerdictItem {
  code: VerdictReason;
  /** The article that makes the card unusable; absent where no rule is involved (a mismatch). */
  citation: Citation | null;
}

export interface Verdict {
  valid: boolean;
  function: CardFunction;
  reasons: VerdictItem[];
  /** SG-19: a temporary card is used together with the holder's ID document. */
  idRequired: Citation | null;
}

export interface VerdictInput {
  card: CardState;
  pack: RulePack;
  now: Date;
  fn: CardFunction;
  /** The card's `end_reason` or status detail: a replaced card names the act that replaced it. */
  endedBy?: 'replacement' | 'change' | null;
  holderDeceased: boolean;
  /** undefined when the terminal sent no SSN; false when it is not the holder's. */
  ssnMatches?: boolean | undefined;
}

/** The article behind each way a card stops working, from the card's own rule pack. */
function citationFor(
  reason: VerdictReason,
  pack: RulePack,
  endedBy: VerdictInput['endedBy'],
): Citation | null {
  switch (reason) {
    case 'lost':
      return citationOf(pack.loss.effect.source);
    case 'replaced':
      return citationOf(
        endedBy === 'change'
          ? pack.change.oldCardInvalid.source
          : pack.replacement.oldCardInvalid.source,
      );
    case 'cancelled':
      return citationOf(pack.effects.cancellation.source);
    case 'destroyed':
      return citationOf(pack.destruction.cards.source);
    case 'expired':
      return citationOf(pack.card.validityYears.source);
    case 'suspended':
      return citationOf(pack.effects.suspension.source);
    case 'frozen':
      return citationOf(pack.effects.freeze.source);
    case 'social_not_enabled':
      return citationOf(pack.activation.socialFunction.source);
    case 'financial_not_activated':
      return citationOf(pack.activation.financialNeedsBankActivation.source);
    case 'holder_deceased':
      return citationOf(pack.cancellation.grounds.source);
    case 'not_issued':
      return citationOf(pack.pickup.methods.source);
    case 'ssn_mismatch':
      return null;
  }
}

/** `ended` split by what ended the card: the holder and the terminal need the difference. */
function named(block: BlockReason, card: CardState): VerdictReason {
  if (block !== 'ended') return block;
  if (card.status === 'replaced') return 'replaced';
  if (card.status === 'destroyed') return 'destroyed';
  return 'cancelled';
}

export function cardVerdict(input: VerdictInput): Verdict {
  const { card, pack, now, fn } = input;
  const codes: VerdictReason[] = [];
  if (input.ssnMatches === false) codes.push('ssn_mismatch');
  if (input.holderDeceased) codes.push('holder_deceased');
  for (const block of usability(card, pack, now).stoppedBy[fn]) {
    const code = named(block, card);
    if (!codes.includes(code)) codes.push(code);
  }
  const idRequired =
    card.kind === 'temporary' && pack.temporaryCard.idRequiredWhenUsed.value
      ? citationOf(pack.temporaryCard.idRequiredWhenUsed.source)
      : null;
  return {
    valid: codes.length === 0,
    function: fn,
    reasons: codes.map((code) => ({ code, citation: citationFor(code, pack, input.endedBy) })),
    idRequired,
  };
}
