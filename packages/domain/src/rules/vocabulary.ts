/**
 * The closed word lists a rule pack is written in. The schema turns each into a union of
 * literals, so a pack that says `unit: weeks` fails validation naming the allowed words.
 * Ids are stored and compared across jurisdictions: add words, never rename them.
 */

import { ID_DOCUMENT_TYPE_IDS, type IdDocumentType } from '../identity/document-types.js';

/** The identity documents a pack can accept: the identity module's list, one source of truth. */
export const PACK_DOCUMENT_TYPES = ID_DOCUMENT_TYPE_IDS;
export type PackDocumentType = IdDocumentType;

/** Who may hold a card (发行对象 / 申领对象). */
export const ELIGIBLE_GROUPS = [
  'local_household', // 本市（省）户籍人员
  'locally_insured', // 参加本地社会保险的人员
  'public_service_rights', // 享受本地人社及其他公共服务（权益）的人员
  'migrant_workers_and_children', // 来本地务工的人员及子女
  'voluntary', // 有个人意愿需求的人员
  'foreigners', // 外国人
  'hmt_residents', // 港澳台居民
  'overseas_chinese', // 华侨
  'overseas_insured', // 参加本地社会保险的境外人员
] as const;

export const CARD_FORMS = ['physical', 'electronic'] as const;
export const CARD_DATA = ['name', 'photo', 'ssn', 'card_number', 'bank_account_number'] as const;
export const CARD_SCOPES = ['jurisdiction', 'province', 'nation'] as const;

/** How an application reaches the issuer. */
export const APPLICATION_CHANNELS = ['counter', 'online', 'self_service', 'unit', 'agent'] as const;
export type ApplicationChannel = (typeof APPLICATION_CHANNELS)[number];

/** What is applied for: 首次申领, 补领, 换领, 换发 / 重新申领, 临时卡. */
export const APPLICATION_KINDS = [
  'first',
  'replacement',
  'change',
  'reissue',
  'temporary',
] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

/** Why a card is changed or reissued. */
export const CHANGE_REASONS = [
  'expired', // 有效期满
  'damaged', // 污损、残缺、不能读写（非人为）
  'damaged_by_holder', // 人为损坏
  'name_changed',
  'ssn_changed',
  'id_type_changed',
  'photo_changed',
  'appearance_changed', // 容貌与相片差异较大
  'child_photo_required', // 儿童到龄须换领有相片的卡
  'bank_changed', // 更换服务（合作）银行
  'upgrade', // 升级换代、第二代换第三代、换发
  'voluntary', // 持卡人主动申请
  'other',
] as const;
export type ChangeReason = (typeof CHANGE_REASONS)[number];

/**
 * Where an act is done (办理地点、渠道), in the words of the five texts. Counters are of three
 * kinds: the card service's own window (SG-6 社保卡综合服务窗口, the centre's or an HRSS office's
 * window, HN-7 一卡通机构, FZ-28's bureau), a community outlet (SH-7, SH-28 社区受理网点) and a
 * cooperating bank's branch (合作银行网点、银行受理网点). The others are remote channels.
 */
export const SERVICE_PLACES = [
  'service_window', // 社保卡综合服务窗口、人社经办机构、一卡通机构、发卡机构自设窗口
  'community_outlet', // 社区受理网点（社区事务受理服务中心等）
  'bank_outlet', // 合作（服务）银行网点、银行社保卡业务窗口
  'online', // 网上服务平台、线上平台
  'phone', // 社保卡服务电话、12333
  'bank_phone', // 银行客服电话
  'self_service', // 自助终端
  'app', // 手机 APP（榕e社保卡、海南一卡通 APP、手机银行）
  'medical_institution', // 定点医疗机构
  'pharmacy', // 定点零售药店
] as const;
export type ServicePlace = (typeof SERVICE_PLACES)[number];

/** The counters: "any counter of the jurisdiction" where a text is silent. */
export const COUNTER_PLACES = ['service_window', 'community_outlet', 'bank_outlet'] as const;

/**
 * Every act and application kind that a text may tie to a place: `places.<act>` in a pack.
 * The first five are the application kinds; `expiryChange` is a change for an expired card where
 * a text sets other places for it (HN-22(一)), else null.
 */
export const PLACE_ACTS = [
  'first', // 首次申领
  'replacement', // 补领
  'change', // 换领
  'expiryChange', // 有效期满换领
  'reissue', // 换发、重新申领
  'temporary', // 临时卡申领（及现场发放）
  'issue', // 发放
  'socialActivation', // 启用社会保障功能
  'financialActivation', // 激活金融功能（银行账户）
  'temporaryLoss', // 临时挂失
  'formalLoss', // 正式挂失
  'unreport', // 解除挂失
  'pinChange', // 修改社保密码
  'pinReset', // 重置社保密码
  'pinUnlock', // 解锁社保密码
  'suspension', // 停用、恢复
  'freeze', // 冻结、中止及解除
  'cancellation', // 注销
  'nonKeyInfoChange', // 非关键信息变更
  'keyInfoChange', // 关键信息变更
] as const;
export type PlaceAct = (typeof PLACE_ACTS)[number];

/** Who may bring an application for someone else, besides the applicant at a place. */
export const APPLICATION_PROXIES = ['unit', 'agent'] as const;

/**
 * The functions of a card, as the texts tell them apart: the social security function
 * (社会保障功能), the one-card public-service applications (一卡通应用功能, HN-4: identity,
 * public services, transit …) and the financial function (金融功能, the bank account).
 */
export const CARD_FUNCTIONS = ['social', 'one_card', 'financial'] as const;
export type CardFunction = (typeof CARD_FUNCTIONS)[number];

/** Who asks for an act on someone's card, as recorded with it (SG-18, ZS-15, HN-27, FZ-35). */
export const APPLICANT_RELATIONS = [
  'holder', // 持卡人本人
  'guardian', // 监护人
  'household_member', // 户籍内家庭成员
  'relative', // 亲属
  'agent', // 代理人
] as const;
export type ApplicantRelation = (typeof APPLICANT_RELATIONS)[number];

/** The event a deadline counts from. */
export const DEADLINE_EVENTS = [
  'application_received', // 收到申领信息
  'acceptance', // 受理申请
  'checks_passed', // 核验通过
  'replacement_info_received', // 收到补领、换领信息
  'production_complete', // 制卡完成
  'ready_for_pickup', // 可领取（通知领卡）
  'pickup_due', // 申领回执规定的领卡时间
  'pickup', // 持卡人领取
  'card_issued', // 发卡
  'cancellation', // 注销
  'cancellation_ground', // 死亡、不再享受服务等注销事由发生
  'record_changed', // 登记信息发生变更
  'request', // 收到申请
] as const;

export const DURATION_UNITS = ['minutes', 'days', 'working_days', 'months', 'years'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export const PRODUCTION_CHECKS = [
  'police_identity', // 公安核验基本信息
  'hrss_insurance', // 人社核验参保情况
  'medical_insurance', // 医保核验参保情况
  'population_database', // 比对人口基础信息库
  'applicant_info', // 校核申领人信息
  'card_status', // 校核发卡状态
  'bank_account_opening', // 核验银行账户开户
  'documents_on_site', // 网点现场核验证件
] as const;
export type ProductionCheck = (typeof PRODUCTION_CHECKS)[number];

export const OLD_CARD_ENDS = ['on_acceptance', 'on_issue_of_new_card'] as const;
export type OldCardEnd = (typeof OLD_CARD_ENDS)[number];

export const SOCIAL_ACTIVATION = ['at_pickup', 'separate_activation', 'before_handover'] as const;

export const PICKUP_METHODS = ['self', 'agent', 'unit', 'mail', 'courier', 'home_visit'] as const;
export const UNCLAIMED_ACTIONS = [
  'cancel', // 注销
  'return_to_management', // 交回管理部门处理
  'recover_and_hold', // 统一回收保管
  'cancel_and_destroy', // 注销并回收销毁
] as const;
export type UnclaimedAction = (typeof UNCLAIMED_ACTIONS)[number];
export const UNDELIVERABLE_REASONS = [
  'job_transfer', // 工作调动
  'death', // 死亡
  'emigration', // 出国（境）定居
  'production_failure', // 制卡失败
] as const;
export type UndeliverableReason = (typeof UNDELIVERABLE_REASONS)[number];

export const CANCELLATION_GROUNDS = [
  'death',
  'missing', // 失踪
  'no_longer_entitled', // 不再享受本地人社及公共服务
  'insurance_transferred', // 社保关系转移
  'insurance_terminated', // 依法终止社会保险关系
  'emigration', // 出国（境）定居
  'nationality_change',
  'job_transfer',
  'left_job',
] as const;
export type CancellationGround = (typeof CANCELLATION_GROUNDS)[number];
export const CANCELLATION_PRECONDITIONS = [
  'related_business_settled', // 办结相关业务、终止关联业务并结算
  'medical_account_settled', // 先清算医保个人账户
  'bank_account_closed', // 再清算注销金融账户
  'holder_reminded', // 提醒持卡人是否已办结
] as const;
export const DEATH_APPLICANTS = ['agent', 'guardian', 'household_member', 'relative'] as const;
export const DEATH_DOCUMENTS = [
  'card',
  'applicant_id',
  'relative_id',
  'death_certificate',
] as const;

export const DESTROYED_CARDS = [
  'returned_old', // 换领、换发交回的原卡
  'cancelled', // 注销卡
  'unclaimed', // 未发放卡、睡眠卡
  'waste', // 废卡
] as const;

export const INFO_FIELDS = [
  'name',
  'ssn',
  'id_type',
  'id_number',
  'photo',
  'bank',
  'phone',
  'address',
  'postcode',
] as const;
export type InfoField = (typeof INFO_FIELDS)[number];

export const HARDSHIP_CATEGORIES = ['tekun', 'dibao'] as const; // 特困人员, 低保对象
export type Hardship = (typeof HARDSHIP_CATEGORIES)[number];

export const STAFF_LEVELS = ['centre', 'bank_head_office', 'branch'] as const;
export const GRANT_STEPS = [
  'branch_requests',
  'bank_approves',
  'filed_with_centre',
  'centre_grants',
] as const;

export const AGENT_GROUPS = [
  'elderly',
  'disabled',
  'ill',
  'incapacitated', // 不具有完全民事行为能力
  'remote_resident', // 常驻异地
] as const;
