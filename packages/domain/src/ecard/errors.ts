import { defineErrors } from '../errors/entry.js';

/** Error codes of the electronic card and its QR codes (issue 13; HN-13, HN-14). */
export const ecardErrors = defineErrors({
  ECARD_NOT_OFFERED: {
    kind: 'refused',
    title: { zh: '本地未开通电子社保卡', en: 'No electronic card here' },
    detail: {
      zh: '该卡所属辖区未提供电子社会保障卡。',
      en: 'The card’s jurisdiction does not offer the electronic card.',
    },
  },
  ECARD_NEEDS_LIVE_CARD: {
    kind: 'refused',
    title: { zh: '须持有正常状态的实体卡', en: 'A live physical card is required' },
    detail: {
      zh: '电子社会保障卡只能由持有正常状态实体社会保障卡的持卡人申领（实体卡当前：{reasons}）。',
      en: 'The electronic card is issued only to the holder of a live physical card (the card now: {reasonsEn}).',
    },
  },
  ECARD_EXISTS: {
    kind: 'conflict',
    title: { zh: '电子社保卡已签发', en: 'Electronic card already issued' },
    detail: {
      zh: '这张实体卡已有电子社会保障卡，一张实体卡只对应一张电子卡。',
      en: 'This physical card already has its electronic card: one per physical card.',
    },
  },
  ECARD_UNUSABLE: {
    kind: 'refused',
    title: { zh: '电子社保卡不可用', en: 'Electronic card unusable' },
    detail: {
      zh: '实体社会保障卡为异常状态（{reasons}），电子社会保障卡无法使用。',
      en: 'The physical card is not usable ({reasonsEn}), so neither is its electronic card.',
    },
  },
  ECARD_PIN_FORMAT: {
    kind: 'invalid',
    title: { zh: '支付密码格式不正确', en: 'Malformed payment PIN' },
    detail: {
      zh: '电子社保卡支付密码为6位数字，不能是相同或连续的数字。',
      en: 'The payment PIN is six digits, not all the same and not a run (123456).',
    },
  },
  ECARD_PIN_CURRENT_REQUIRED: {
    kind: 'invalid',
    title: { zh: '请输入原支付密码', en: 'Current payment PIN required' },
    detail: {
      zh: '修改电子社保卡支付密码须先输入原密码。',
      en: 'Changing the payment PIN needs the current one.',
    },
  },
  ECARD_PIN_WRONG: {
    kind: 'refused',
    title: { zh: '支付密码错误', en: 'Wrong payment PIN' },
    detail: {
      zh: '原支付密码不正确，还可尝试{remaining}次。',
      en: 'The current payment PIN is wrong; {remaining} attempts left.',
    },
  },
  ECARD_PIN_LOCKED: {
    kind: 'locked',
    title: { zh: '支付密码已锁定', en: 'Payment PIN locked' },
    detail: {
      zh: '支付密码连续错误{max}次已锁定，{until}后可再试。',
      en: 'The payment PIN is locked after {max} wrong attempts; try again after {until}.',
    },
  },
  QR_INVALID: {
    kind: 'invalid',
    title: { zh: '二维码无效', en: 'Invalid QR code' },
    detail: {
      zh: '二维码无法识别或签名不正确。',
      en: 'The QR code cannot be read or its signature does not verify.',
    },
  },
  QR_EXPIRED: {
    kind: 'refused',
    title: { zh: '二维码已过期', en: 'QR code expired' },
    detail: {
      zh: '二维码已过期，请持卡人刷新后重新出示。',
      en: 'The QR code has expired; the holder shows a fresh one.',
    },
  },
  QR_USED: {
    kind: 'conflict',
    title: { zh: '二维码已使用', en: 'QR code already used' },
    detail: {
      zh: '每个二维码只能使用一次，请持卡人刷新后重新出示。',
      en: 'A QR code is accepted once; the holder shows a fresh one.',
    },
  },
  QR_STALE: {
    kind: 'refused',
    title: { zh: '二维码已失效', en: 'QR code no longer valid' },
    detail: {
      zh: '二维码生成后实体卡状态已变更（如挂失），请持卡人重新生成。',
      en: 'The card’s state changed after the code was made (a loss, for one); the holder makes a new one.',
    },
  },
});
