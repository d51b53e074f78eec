import { defineErrors } from '../errors/entry.js';

/** Error codes of service points, terminals and online checks (issue 12). */
export const verificationErrors = defineErrors({
  TERMINAL_AUTH_REQUIRED: {
    kind: 'unauthenticated',
    title: { zh: '终端未认证', en: 'Terminal not authenticated' },
    detail: {
      zh: '请使用已登记终端的凭据（Authorization: Terminal <密钥> 或客户端证书）。',
      en: 'Send a registered terminal’s credential (Authorization: Terminal <key>, or its client certificate).',
    },
  },
  TERMINAL_NOT_ACTIVE: {
    kind: 'forbidden',
    title: { zh: '终端不可用', en: 'Terminal not active' },
    detail: {
      zh: '终端“{label}”状态为{status}，不能验证社会保障卡。',
      en: 'Terminal "{label}" is {statusEn}; it cannot check cards.',
    },
  },
  TERMINAL_NOT_OURS: {
    kind: 'not_found',
    title: { zh: '未找到该终端', en: 'Terminal not found' },
    detail: {
      zh: '只能使用本机构已登记的终端。',
      en: 'Only a terminal registered to your own organisation can be used.',
    },
  },
  TERMINAL_OWNER_KIND: {
    kind: 'invalid',
    title: { zh: '该机构不能登记终端', en: 'No terminals for this organisation' },
    detail: {
      zh: '终端只能登记在用卡服务点、银行网点、社区受理网点或综合服务窗口，不能登记在“{kind}”。',
      en: 'Terminals belong to a service point, a bank branch, a community outlet or a service window, not a {kind}.',
    },
  },
  TERMINAL_STATUS_UNCHANGED: {
    kind: 'conflict',
    title: { zh: '终端已是该状态', en: 'Terminal already in that state' },
    detail: { zh: '终端当前状态已是{status}。', en: 'The terminal is already {statusEn}.' },
  },
  PIN_PLACE_NOT_ALLOWED: {
    kind: 'refused',
    title: { zh: '此处不能校验社保密码', en: 'The social PIN is not checked here' },
    detail: {
      zh: '社会保障应用密码不能在“{place}”校验，仅可在：{allowed}。',
      en: 'The social PIN is not checked at a {placeEn}; only at: {allowedEn}.',
    },
  },
  SERVICE_POINT_KIND_REQUIRED: {
    kind: 'invalid',
    title: { zh: '请选择服务点类型', en: 'Service point kind required' },
    detail: {
      zh: '用卡服务点须注明类型（医院、药店、交通、政务窗口或其他），其他机构不填。',
      en: 'A service point states its kind (hospital, pharmacy, transit, government window or other); other organisations do not.',
    },
  },
  DENY_LIST_VERSION_UNKNOWN: {
    kind: 'bad_request',
    title: { zh: '黑名单版本未知', en: 'Unknown deny-list version' },
    detail: {
      zh: '终端所持黑名单版本 {since} 高于当前版本 {version}，请不带 since 重新获取完整名单。',
      en: 'Version {since} is newer than the current deny-list version {version}; fetch the full list again (without since).',
    },
  },
});
