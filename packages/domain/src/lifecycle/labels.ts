/** Names of the acts, for messages in both languages. */
export const ACT_LABELS = {
  issued: { zh: '发放', en: 'issued' },
  activated: { zh: '启用', en: 'activated' },
  reported_lost: { zh: '挂失', en: 'reported lost' },
  unreported: { zh: '解除挂失', en: 'un-reported' },
  suspended: { zh: '停用', en: 'suspended' },
  resumed: { zh: '恢复使用', en: 'resumed' },
  frozen: { zh: '冻结', en: 'frozen' },
  unfrozen: { zh: '解冻', en: 'unfrozen' },
  cancelled: { zh: '注销', en: 'cancelled' },
  returned: { zh: '收回', en: 'returned' },
  destroyed: { zh: '销毁', en: 'destroyed' },
  pin: { zh: '办理密码业务', en: 'given PIN service' },
  stocked: { zh: '入库', en: 'stocked' },
  replaced: { zh: '补换', en: 'replaced' },
} as const;
export type ActName = keyof typeof ACT_LABELS;

export function actParams(act: ActName): { act: string; actEn: string } {
  return { act: ACT_LABELS[act].zh, actEn: ACT_LABELS[act].en };
}
