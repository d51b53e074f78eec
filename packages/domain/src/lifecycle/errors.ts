import { defineErrors } from '../errors/entry.js';

/**
 * Error codes of applications and card acts. Refusals that rest on a regulation carry its
 * citation (the problem's `rule`); the text here says what was refused, the citation says why.
 */
export const lifecycleErrors = defineErrors({
  CARD_NUMBER_INVALID: {
    kind: 'invalid',
    title: { zh: '卡号无效', en: 'Invalid card number' },
    detail: {
      zh: '卡号应为 15 位（14 位数字加校验位），校验位不符。',
      en: 'Card numbers have 15 characters (14 digits and a check character); this one does not check out.',
    },
  },
  APPLICATION_KIND_NOT_OFFERED: {
    kind: 'refused',
    title: { zh: '本统筹区不办理该类申领', en: 'This kind of application is not offered here' },
    detail: {
      zh: '{jurisdiction} 不办理“{kind}”。',
      en: '{jurisdiction} does not offer "{kind}" applications.',
    },
  },
  CHANNEL_NOT_OFFERED: {
    kind: 'refused',
    title: { zh: '不受理该渠道的申领', en: 'Channel not offered' },
    detail: {
      zh: '{jurisdiction} 不通过“{channel}”渠道受理申领。',
      en: '{jurisdiction} does not accept applications through "{channel}".',
    },
  },
  DOCUMENT_NOT_ACCEPTED: {
    kind: 'refused',
    title: { zh: '不受理该证件', en: 'Document not accepted' },
    detail: {
      zh: '{jurisdiction} 申领不受理“{document}”。',
      en: '{jurisdiction} does not accept "{document}" for applications.',
    },
  },
  DOCUMENT_AGE_RULE: {
    kind: 'refused',
    title: { zh: '证件与年龄不符', en: 'Document does not fit the applicant’s age' },
    detail: {
      zh: '申领人 {age} 周岁：{rule}',
      en: 'The applicant is {age}: {ruleEn}',
    },
  },
  AGENT_REQUIRED: {
    kind: 'refused',
    title: { zh: '须由监护人代为办理', en: 'A guardian must act' },
    detail: {
      zh: '申领人未满 {age} 周岁，须由监护人代为办理。',
      en: 'The applicant is under {age}; a guardian must act for them.',
    },
  },
  AGENT_DOCUMENTS_REQUIRED: {
    kind: 'refused',
    title: { zh: '代理人须出示双方证件', en: 'The agent must show both documents' },
    detail: {
      zh: '代理人须出示本人有效身份证件，并提供申领人（持卡人）的有效身份证件。',
      en: 'An agent shows their own valid ID and the applicant’s (cardholder’s).',
    },
  },
  AGENT_SCOPE: {
    kind: 'refused',
    title: { zh: '代理人不能办理金融业务', en: 'Agents may not do financial business here' },
    detail: {
      zh: '为该申领人代办只限非金融业务；金融业务须按合作银行规定办理。',
      en: 'An agent for this person may do non-financial business only; financial business follows the bank’s rules.',
    },
  },
  ONE_CARD_PER_PERSON: {
    kind: 'refused',
    title: { zh: '每人只能持有一张社会保障卡', en: 'One card per person' },
    detail: {
      zh: '该人员在{jurisdiction}已有社会保障卡（{cardStatus}），不能再首次申领；如需新卡请办理补领或换领。',
      en: 'This person already has a card in {jurisdiction} ({cardStatus}); apply for a replacement or change instead.',
    },
  },
  OTHER_CARD_IN_PROVINCE: {
    kind: 'refused',
    title: { zh: '省内其他地市已有社保卡', en: 'A card from another city of the province' },
    detail: {
      zh: '该人员在 {otherJurisdiction} 持有社会保障卡；须经本人同意停用该卡后方可申领。',
      en: 'This person holds a card in {otherJurisdiction}; it must be stopped with their consent first.',
    },
  },
  APPLICATION_EXISTS: {
    kind: 'conflict',
    title: { zh: '已有办理中的申领', en: 'An application is already open' },
    detail: {
      zh: '该人员在{jurisdiction}已有一笔办理中的申领，不能重复申领。',
      en: 'This person already has an open application in {jurisdiction}.',
    },
  },
  PHOTO_REQUIRED: {
    kind: 'refused',
    title: { zh: '须提供相片', en: 'A photo is required' },
    detail: {
      zh: '申领人 {age} 周岁，须先采集相片。',
      en: 'The applicant is {age}; a photo must be on file first.',
    },
  },
  STUDIO_RECEIPT_REQUIRED: {
    kind: 'refused',
    title: { zh: '须提供数字相片质量检测回执', en: 'Photo studio receipt required' },
    detail: {
      zh: '系统中没有申领人的数字相片，须提供定点照相馆出具的相片质量检测回执。',
      en: 'No digital photo is on file; the receipt of an approved photo studio is required.',
    },
  },
  OLD_CARD_REQUIRED: {
    kind: 'invalid',
    title: { zh: '须指明原卡', en: 'The old card is required' },
    detail: {
      zh: '补领、换领须指明原卡卡号（oldCardNo）。',
      en: 'Replacements and changes name the old card (oldCardNo).',
    },
  },
  OLD_CARD_NOT_HOLDERS: {
    kind: 'invalid',
    title: { zh: '原卡不属于该人员', en: 'The old card is not this person’s' },
  },
  REPLACEMENT_NEEDS_FORMAL_LOSS: {
    kind: 'refused',
    title: { zh: '须先办理正式挂失', en: 'Formal loss first' },
    detail: {
      zh: '补领社会保障卡须在正式挂失后办理。',
      en: 'A replacement can be applied for only after a formal loss report.',
    },
  },
  BANK_LOSS_RECEIPT_REQUIRED: {
    kind: 'refused',
    title: { zh: '须提供银行挂失回执', en: 'Bank loss receipt required' },
    detail: { zh: '补卡须持银行挂失回执。', en: 'A replacement needs the bank’s loss receipt.' },
  },
  CHANGE_REASON_NOT_ALLOWED: {
    kind: 'refused',
    title: { zh: '该事由不能办理', en: 'Reason not accepted' },
    detail: {
      zh: '{jurisdiction} 的{kind}不受理事由“{reason}”。',
      en: '{jurisdiction} does not accept "{reason}" for a {kind}.',
    },
  },
  INSTANT_NOT_OFFERED: {
    kind: 'refused',
    title: { zh: '不能即时制卡', en: 'Instant production not available' },
    detail: { zh: '{why}', en: '{whyEn}' },
  },
  DELAY_CONSENT_REQUIRED: {
    kind: 'refused',
    title: { zh: '须征得申领人同意', en: 'The applicant’s consent is required' },
    detail: {
      zh: '不能当场发卡时，须向申领人说明并征得同意（consentToDelay）。',
      en: 'Where the card cannot be made on the spot, the applicant must be told and consent (consentToDelay).',
    },
  },
  DELIVERY_NOT_OFFERED: {
    kind: 'refused',
    title: { zh: '不提供该领卡方式', en: 'Delivery method not offered' },
    detail: {
      zh: '{jurisdiction} 不提供“{delivery}”领卡方式。',
      en: '{jurisdiction} does not offer delivery by "{delivery}".',
    },
  },
  DELIVERY_ADDRESS_REQUIRED: {
    kind: 'invalid',
    title: { zh: '须填写邮寄地址', en: 'Delivery address required' },
  },
  TEMPORARY_CARD_CONDITIONS: {
    kind: 'refused',
    title: { zh: '不符合临时卡办理条件', en: 'Temporary card conditions not met' },
    detail: { zh: '{why}', en: '{whyEn}' },
  },
  APPLICATION_STATE: {
    kind: 'conflict',
    title: { zh: '申领状态不允许该操作', en: 'Not possible in this application state' },
    detail: {
      zh: '申领当前为“{status}”，不能{act}。',
      en: 'The application is {statusEn}; it cannot be {actEn}.',
    },
  },
  CHECK_NOT_REQUIRED: {
    kind: 'invalid',
    title: { zh: '该申领不需要此项核验', en: 'Check not required' },
    detail: {
      zh: '该申领不需要“{agency}”核验。',
      en: 'This application needs no "{agency}" check.',
    },
  },
  CHECK_ALREADY_RECORDED: {
    kind: 'conflict',
    title: { zh: '核验结果已登记', en: 'Check already recorded' },
  },
  CHECK_REASON_REQUIRED: {
    kind: 'invalid',
    title: { zh: '核验不通过须说明理由', en: 'A failed check needs a reason' },
    detail: {
      zh: '核验不通过的，须说明理由以告知申请人。',
      en: 'A failed check needs a reason, which is told to the applicant.',
    },
  },
  CARD_STATE: {
    kind: 'conflict',
    title: { zh: '卡片状态不允许该操作', en: 'Not possible in this card state' },
    detail: {
      zh: '卡片当前为“{status}”，不能{act}。',
      en: 'The card is {statusEn}; it cannot be {actEn}.',
    },
  },
  CARD_ENDED: {
    kind: 'conflict',
    title: { zh: '原卡已失效', en: 'The card has ended' },
    detail: {
      zh: '该卡{status}，不能恢复使用。',
      en: 'The card was {statusEn} and is never restored.',
    },
  },
  LOSS_NOT_ALLOWED: {
    kind: 'refused',
    title: { zh: '不办理临时挂失', en: 'Temporary loss not offered' },
  },
  LOSS_TERM_NOT_ALLOWED: {
    kind: 'refused',
    title: { zh: '不能选择长期临时挂失', en: 'Long-term temporary loss not offered' },
  },
  /** Every act and application refused at a place its pack does not name (`places.<act>`). */
  PLACE_NOT_ALLOWED: {
    kind: 'refused',
    title: { zh: '该地点（渠道）不能办理此项业务', en: 'Not done at this place' },
    detail: {
      zh: '{act}不能在“{place}”办理，可在：{allowed}。',
      en: '{actEn} is not done at a {placeEn}; it is done at: {allowedEn}.',
    },
  },
  /** Superseded by PLACE_NOT_ALLOWED, which every place refusal now answers; kept for old links. */
  LOSS_CHANNEL_NOT_ALLOWED: {
    kind: 'refused',
    title: { zh: '该渠道不能办理此项挂失业务', en: 'Not through this channel' },
    detail: {
      zh: '{act}不能通过“{via}”办理，可通过：{allowed}。',
      en: '{act} is not done through "{via}"; it is done through: {allowed}.',
    },
  },
  LOSS_ALREADY_REPORTED: {
    kind: 'conflict',
    title: { zh: '该卡已挂失', en: 'Already reported lost' },
  },
  NOT_REPORTED_LOST: {
    kind: 'conflict',
    title: { zh: '该卡未处于挂失状态', en: 'The card is not reported lost' },
  },
  UNREPORT_AFTER_REPLACEMENT: {
    kind: 'refused',
    title: { zh: '已申请补换卡，不能解除挂失', en: 'No un-report after a replacement application' },
  },
  CARD_REQUIRED_FOR_UNREPORT: {
    kind: 'refused',
    title: { zh: '解除挂失须持原卡', en: 'Bring the card to un-report' },
    detail: {
      zh: '解除挂失须出示找回的原卡（cardPresented）。',
      en: 'Un-reporting needs the found card to be shown (cardPresented).',
    },
  },
  SUSPENSION_NOT_PROVIDED: {
    kind: 'refused',
    title: { zh: '不办理停用', en: 'Suspension not provided' },
  },
  FREEZE_NOT_PROVIDED: {
    kind: 'refused',
    title: { zh: '不办理冻结', en: 'Freezing not provided' },
  },
  FUNCTION_ALREADY_ACTIVE: {
    kind: 'conflict',
    title: { zh: '该功能已启用', en: 'Already active' },
    detail: { zh: '{function}功能已启用。', en: 'The {function} function is already active.' },
  },
  CARD_BLOCKED: {
    kind: 'refused',
    title: { zh: '卡片处于挂失、停用或冻结状态', en: 'The card is blocked' },
    detail: { zh: '卡片{why}，须先解除。', en: 'The card is {whyEn}; clear that first.' },
  },
  CANCEL_GROUND_NOT_ALLOWED: {
    kind: 'refused',
    title: { zh: '该事由不能注销', en: 'Not a ground for cancellation' },
    detail: {
      zh: '{jurisdiction} 不以“{reason}”为注销事由。',
      en: '{jurisdiction} does not cancel cards for "{reason}".',
    },
  },
  CANCEL_OPEN_BUSINESS: {
    kind: 'refused',
    title: { zh: '须先办结相关业务', en: 'Settle open business first' },
    detail: {
      zh: '注销前须办结相关业务：{open}。',
      en: 'Open business must be settled before cancelling: {open}.',
    },
  },
  DEATH_EVIDENCE_REQUIRED: {
    kind: 'refused',
    title: { zh: '须提供死亡注销材料', en: 'Death evidence required' },
    detail: { zh: '因死亡注销须提供：{missing}。', en: 'Cancelling for death needs: {missing}.' },
  },
  DESTROY_NOT_ALLOWED: {
    kind: 'conflict',
    title: { zh: '该卡不能销毁', en: 'This card cannot be destroyed' },
    detail: {
      zh: '只能销毁已注销、已收回的原卡或废卡；该卡为“{status}”。',
      en: 'Only cancelled cards, returned old cards and waste cards are destroyed; this card is {status}.',
    },
  },
  PIN_NOT_ENABLED: {
    kind: 'refused',
    title: { zh: '未启用社保应用密码', en: 'No social PIN here' },
  },
  PIN_FORMAT: {
    kind: 'invalid',
    title: { zh: '密码应为 6 位数字', en: 'PINs are six digits' },
  },
  PIN_TOO_SIMPLE: {
    kind: 'invalid',
    title: { zh: '密码过于简单', en: 'PIN too simple' },
    detail: {
      zh: '新密码不能是相同或连续的数字。',
      en: 'The new PIN may not be one digit repeated or a run of digits.',
    },
  },
  PIN_WRONG: {
    kind: 'refused',
    title: { zh: '密码错误', en: 'Wrong PIN' },
    detail: {
      zh: '密码错误，还可尝试 {remaining} 次。',
      en: 'Wrong PIN; {remaining} attempts left.',
    },
  },
  PIN_LOCKED: {
    kind: 'locked',
    title: { zh: '密码已锁定', en: 'PIN locked' },
    detail: {
      zh: '连续输错密码，卡片社保密码已锁定，须持有效身份证件到柜面办理。',
      en: 'Too many wrong PINs; the social PIN is locked until a counter unlocks or resets it.',
    },
  },
  PIN_NOT_SET: {
    kind: 'conflict',
    title: { zh: '尚未设置密码', en: 'No PIN set yet' },
  },
  PIN_SAME: {
    kind: 'invalid',
    title: { zh: '新密码不能与原密码相同', en: 'New PIN equals the old one' },
  },
  HOLDER_DECEASED: {
    kind: 'refused',
    title: {
      zh: '持卡人已死亡，卡片不能发放',
      en: 'The holder has died: the card is not handed over',
    },
    detail: {
      zh: '持卡人已于 {diedOn} 死亡，该卡无法送达本人，不能发放。',
      en: 'The holder died on {diedOn}; the card cannot reach them and is not handed over.',
    },
  },
  CANCEL_APPLICANT_NOT_ALLOWED: {
    kind: 'refused',
    title: { zh: '申请人不能办理该注销', en: 'This applicant may not ask for the cancellation' },
    detail: {
      zh: '持卡人死亡或失踪的，注销须由{allowed}办理；申请人为“{relation}”。',
      en: 'When the holder has died or is missing, the cancellation is asked for by {allowedEn}; the applicant is "{relation}".',
    },
  },
  CARD_KEPT_UNTIL_ACCOUNT_CLOSED: {
    kind: 'conflict',
    title: {
      zh: '银行账户注销前保留该卡',
      en: 'The card is kept until its bank account is closed',
    },
    detail: {
      zh: '注销后代理人仍通过该卡领取待遇；银行账户注销后，方可回收销毁该卡。',
      en: 'After cancellation the agent still collects benefits through the card; it is destroyed once the bank account is closed.',
    },
  },
  ISSUE_METHOD_NOT_ALLOWED: {
    kind: 'refused',
    title: { zh: '不提供该发放方式', en: 'Issuing method not offered' },
    detail: {
      zh: '{jurisdiction} 不以“{method}”方式发卡。',
      en: '{jurisdiction} does not issue cards by "{method}".',
    },
  },
  HOME_VISIT_PHOTO_REQUIRED: {
    kind: 'refused',
    title: { zh: '上门服务须拍照留存', en: 'Home visit needs a photo record' },
  },
  UNIT_ROSTER_SIGNATURE_REQUIRED: {
    kind: 'refused',
    title: { zh: '单位代领须在花名册上签字', en: 'A unit collecting cards signs the roster' },
  },
  BANK_REFUSED: {
    kind: 'refused',
    title: { zh: '银行未能开立账户', en: 'The bank did not open the account' },
    detail: {
      zh: '合作银行未能办理（{reason}），请告知申领人并协助处理后重新申领。',
      en: 'The cooperating bank declined ({reason}); tell the applicant and help them apply again.',
    },
  },
  BANK_UNAVAILABLE: {
    kind: 'unavailable',
    title: { zh: '银行系统暂不可用', en: 'The bank is unavailable' },
  },
  KEY_CHANGE_NOTHING: {
    kind: 'invalid',
    title: { zh: '没有要变更的关键信息', en: 'No key information to change' },
  },
  KEY_CHANGE_PROOF_REQUIRED: {
    kind: 'refused',
    title: { zh: '关键信息变更须提供证明材料', en: 'Proof required for a key change' },
  },
});
