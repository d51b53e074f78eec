import { defineErrors } from '../errors/entry.js';

/** Error codes of hotline referrals (FZ-46, HN-38, SG-23). */
export const referralErrors = defineErrors({
  REFERRAL_DUPLICATE: {
    kind: 'conflict',
    title: { zh: '工单已登记', en: 'Ticket already recorded' },
    detail: {
      zh: '{hotline} 工单 {ticketNo} 已登记为转办事项。',
      en: '{hotline} ticket {ticketNo} is already recorded as a referral.',
    },
  },
  REFERRAL_STATE: {
    kind: 'conflict',
    title: { zh: '转办事项状态不允许该操作', en: 'The referral’s state does not allow this' },
    detail: {
      zh: '该转办事项{status}，不能{act}。',
      en: 'The referral is {statusEn}; it cannot be {actEn}.',
    },
  },
  REFERRAL_ASSIGNEE_KIND: {
    kind: 'invalid',
    title: { zh: '承办机构类型不符', en: 'Wrong kind of organisation to assign' },
    detail: {
      zh: '转办事项只能交合作银行、银行网点或受理网点办理。',
      en: 'A referral is assigned to a bank, a bank branch or an outlet only.',
    },
  },
});
