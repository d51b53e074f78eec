import { defineErrors } from '../errors/entry.js';

/** Error codes of the fees module. */
export const feesErrors = defineErrors({
  FEE_KIND_NOT_OFFERED: {
    kind: 'refused',
    title: { zh: '该统筹区不办理此类业务', en: 'Not offered in this jurisdiction' },
    detail: {
      zh: '{jurisdiction} 不办理“{kind}”，无从计费。',
      en: '{jurisdiction} does not offer "{kind}", so there is no fee to compute.',
    },
  },
  FEE_INPUT_MISSING: {
    kind: 'invalid',
    title: { zh: '计费信息不全', en: 'Fee input incomplete' },
    detail: {
      zh: '计算 {jurisdiction} 的费用需要 {field}。',
      en: 'Computing the {jurisdiction} fee needs {field}.',
    },
  },
  FEE_SCHEDULE_INVALID: {
    kind: 'invalid',
    title: { zh: '收费标准配置无效', en: 'Invalid fee schedule' },
    detail: {
      zh: '{path} 应为以分为单位的非负整数，实为 {value}。',
      en: '{path} must be a whole, non-negative number of fen; it is {value}.',
    },
  },
});
