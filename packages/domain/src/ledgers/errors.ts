import { defineErrors } from '../errors/entry.js';

/** Error codes of the ledgers and the destruction register (FZ-27, ZS-17, FZ-36, HN-25). */
export const ledgerErrors = defineErrors({
  LEDGER_PERIOD_INVALID: {
    kind: 'invalid',
    title: { zh: '台账期间无效', en: 'Invalid ledger period' },
    detail: {
      zh: '台账期间应为{expected}，且不晚于今天。',
      en: 'The ledger period must be {expectedEn} and not after today.',
    },
  },
  LEDGER_ORGANIZATION_KIND: {
    kind: 'invalid',
    title: { zh: '机构类型不符', en: 'Wrong kind of organisation' },
    detail: {
      zh: '{ledger}按{kind}建立，所选机构不是{kind}。',
      en: 'The {ledgerEn} is kept per {kindEn}; the organisation chosen is not one.',
    },
  },
  DESTRUCTION_CARD_RECORDED: {
    kind: 'conflict',
    title: { zh: '该卡已登记销毁', en: 'Card already in the destruction register' },
    detail: {
      zh: '卡号 {cardNo} 已在销毁登记簿中，不能重复登记。',
      en: 'Card {cardNo} is already in the destruction register; it cannot be recorded twice.',
    },
  },
  DESTRUCTION_CARDS_INVALID: {
    kind: 'invalid',
    title: { zh: '销毁卡号无效', en: 'Invalid card numbers' },
    detail: {
      zh: '请填写1至{max}个不重复的卡号（字母、数字或连字符）。',
      en: 'Give 1 to {max} distinct card numbers (letters, digits or hyphens).',
    },
  },
});
