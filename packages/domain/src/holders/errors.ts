import { defineErrors } from '../errors/entry.js';

/** Error codes of holders online: sign-in with a one-time code, family service (issue 13). */
export const holderErrors = defineErrors({
  HOLDER_SIGN_IN_THROTTLED: {
    kind: 'too_many',
    title: { zh: '验证码请求过于频繁', en: 'Too many code requests' },
    detail: {
      zh: '请求验证码过于频繁，请 {minutes} 分钟后再试。',
      en: 'Too many one-time codes were asked for; try again in {minutes} minutes.',
    },
  },
  HOLDER_CODE_INVALID: {
    kind: 'unauthenticated',
    title: { zh: '验证码不正确', en: 'Wrong one-time code' },
    detail: {
      zh: '验证码不正确或已失效，请重新获取。',
      en: 'The one-time code is wrong or no longer valid; ask for a new one.',
    },
  },
  HOLDER_CODE_ATTEMPTS: {
    kind: 'too_many',
    title: { zh: '验证码错误次数过多', en: 'Too many wrong codes' },
    detail: {
      zh: '验证码错误次数已达 {max} 次，该验证码已失效，请重新获取。',
      en: 'The code was typed wrong {max} times and no longer works; ask for a new one.',
    },
  },
  HOLDER_SESSION_REQUIRED: {
    kind: 'forbidden',
    title: { zh: '仅限持卡人办理', en: 'For cardholders only' },
    detail: {
      zh: '该功能仅供持卡人网上办理，请使用持卡人登录。',
      en: 'This is for cardholders online; sign in as a cardholder.',
    },
  },
  HOLDER_ROUTE_STAFF_ONLY: {
    kind: 'forbidden',
    title: { zh: '持卡人不能办理此项', en: 'Not for cardholders' },
    detail: {
      zh: '该功能仅由经办机构办理，持卡人不能在网上办理。',
      en: 'This is done by the card service’s staff, not by cardholders online.',
    },
  },
  HOLDER_WARD_LIMIT: {
    kind: 'refused',
    title: { zh: '亲情账户已达上限', en: 'Family member limit reached' },
    detail: {
      zh: '最多可为 {max} 名家庭成员办理（平台默认，可配置）。',
      en: 'You may act for at most {max} family members (a platform default, configurable).',
    },
  },
  HOLDER_WARD_NOT_GUARDIAN: {
    kind: 'refused',
    title: { zh: '不是登记的监护人', en: 'Not the recorded guardian' },
    detail: {
      zh: '为未满 {age} 周岁的子女办理，须是其人员信息中登记的监护人。',
      en: 'To act for a child under {age}, you must be the guardian on the child’s record.',
    },
  },
  HOLDER_WARD_EXISTS: {
    kind: 'conflict',
    title: { zh: '已是亲情成员', en: 'Already a family member' },
    detail: {
      zh: '您已在为该家庭成员办理。',
      en: 'You already act for this family member.',
    },
  },
  HOLDER_WARD_SELF: {
    kind: 'invalid',
    title: { zh: '不能添加本人', en: 'Not yourself' },
    detail: { zh: '不能将本人添加为亲情成员。', en: 'You cannot add yourself as a family member.' },
  },
  HOLDER_WARD_UNKNOWN: {
    kind: 'refused',
    title: { zh: '无法添加该家庭成员', en: 'Cannot add this family member' },
    detail: {
      zh: '未找到可添加的家庭成员：请核对证件号码，或由其本人到网点登记手机号码。',
      en: 'No family member can be added with these details: check the document number, or have them register a phone number at a counter.',
    },
  },
  NOTIFY_UNAVAILABLE: {
    kind: 'unavailable',
    title: { zh: '短信服务不可用', en: 'Text messages unavailable' },
    detail: {
      zh: '短信暂时无法发送，请稍后再试。',
      en: 'Text messages cannot be sent just now; try again later.',
    },
  },
});
