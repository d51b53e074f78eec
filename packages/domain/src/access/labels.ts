/** How a refusal names who may do an act, in both languages. */
import type { Relation } from './relations.js';

export const RELATION_LABELS: Record<Relation, { zh: string; en: string }> = {
  installation: { zh: '平台管理员', en: 'the installation administrator' },
  jurisdiction: { zh: '本辖区社会保障卡服务中心', en: 'the card centre of the jurisdiction' },
  bank: { zh: '该卡（申请）的合作银行', en: 'the card’s (application’s) cooperating bank' },
  branch: { zh: '该卡所在网点', en: 'the branch holding the card' },
  accepting: { zh: '受理该申请的网点', en: 'the outlet that took the application' },
  standing: { zh: '为该人员登记的机构', en: 'the organisation that registered the person' },
  present: {
    zh: '持卡人本人持证件在场的本辖区网点',
    en: 'a counter of the jurisdiction with the holder and their document in front of it',
  },
  counter: { zh: '本辖区网点', en: 'a counter of the jurisdiction' },
  window: { zh: '本辖区社保卡综合服务窗口', en: 'a card service window of the jurisdiction' },
  vendor: { zh: '本辖区卡商', en: 'a card vendor of the jurisdiction' },
  org_scope: { zh: '上级管理机构', en: 'an administrator of the organisation' },
  self: { zh: '账户本人', en: 'the account holder' },
  holder: {
    zh: '持卡人本人或其代办的家庭成员（网上）',
    en: 'the holder online, for themselves or a family member they act for',
  },
};
