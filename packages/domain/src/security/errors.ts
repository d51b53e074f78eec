import { defineErrors } from '../errors/entry.js';

/**
 * Error codes of the security module: second factor, re-authentication, activation, separation
 * of duties, suspension, limits.
 */
export const securityErrors = defineErrors({
  OTP_REQUIRED: {
    kind: 'unauthenticated',
    title: { zh: '需要动态口令', en: 'One-time code required' },
    detail: {
      zh: '该账户已绑定动态口令，请同时输入身份验证器上显示的 6 位动态口令（otp）。',
      en: 'This account has a second factor; send the 6-digit code from the authenticator app as `otp`.',
    },
  },
  OTP_INVALID: {
    kind: 'unauthenticated',
    title: { zh: '动态口令错误', en: 'Wrong one-time code' },
    detail: {
      zh: '动态口令不正确或已过期；连续错误将锁定账户。',
      en: 'The one-time code is wrong or has expired; repeated failures lock the account.',
    },
  },
  OTP_REPLAYED: {
    kind: 'unauthenticated',
    title: { zh: '动态口令已使用', en: 'One-time code already used' },
    detail: {
      zh: '每个动态口令只能使用一次，请等待身份验证器显示下一个口令。',
      en: 'Each one-time code is good once; wait for the authenticator to show the next one.',
    },
  },
  OTP_ENROLMENT_REQUIRED: {
    kind: 'unauthenticated',
    title: { zh: '需要绑定动态口令', en: 'Second factor enrolment required' },
    detail: {
      zh: '管理员账户必须使用动态口令登录。请用身份验证器扫描 otpauthUri（或输入 otpSecret），再将显示的口令与 enrolmentTicket 一并提交到 POST /api/v1/auth/login/enrol，{minutes} 分钟内有效。',
      en: 'Administrator accounts log in with a one-time code. Add otpauthUri (or otpSecret) to an authenticator app, then send its code with enrolmentTicket to POST /api/v1/auth/login/enrol within {minutes} minutes.',
    },
  },
  OTP_ENROLMENT_INVALID: {
    kind: 'unauthenticated',
    title: { zh: '绑定凭据无效', en: 'Enrolment ticket not valid' },
    detail: {
      zh: '绑定凭据不存在、已使用或已过期，请重新登录以获取新的凭据。',
      en: 'The enrolment ticket is unknown, used or expired; log in again for a new one.',
    },
  },
  OTP_REQUIRED_FOR_ROLE: {
    kind: 'refused',
    title: { zh: '该角色必须使用动态口令', en: 'Second factor mandatory for this role' },
    detail: {
      zh: '角色 {role} 必须使用动态口令登录，不能解除绑定；如需更换设备，请重新绑定。',
      en: 'Role {role} must log in with a second factor; it cannot be removed, only replaced.',
    },
  },
  OTP_NOT_ENROLLED: {
    kind: 'conflict',
    title: { zh: '尚未绑定动态口令', en: 'No second factor enrolled' },
  },
  OTP_MANAGED_BY_CONFIG: {
    kind: 'conflict',
    title: { zh: '动态口令由部署配置管理', en: 'Second factor set by configuration' },
    detail: {
      zh: '平台管理员的动态口令密钥由 SSCARD_ADMIN_TOTP_SECRET 设定，只能在部署配置中更换。',
      en: 'The installation administrator’s secret is set by SSCARD_ADMIN_TOTP_SECRET and is changed there.',
    },
  },
  REAUTH_FAILED: {
    kind: 'forbidden',
    title: { zh: '身份确认失败', en: 'Re-authentication failed' },
    detail: {
      zh: '当前密码不正确；连续错误将锁定账户。',
      en: 'The current password is wrong; repeated failures lock the account.',
    },
  },
  PASSWORD_REUSED: {
    kind: 'invalid',
    title: { zh: '新密码不能与当前密码相同', en: 'New password equals the current one' },
  },
  SEPARATION_OF_DUTIES: {
    kind: 'forbidden',
    title: {
      zh: '三权分立：不能开设该账户',
      en: 'Separation of duties: you may not provision this account',
    },
    detail: {
      zh: '依据 GB/T 22239-2019 8.1.4.2（三权分立，管理用户权限分离），管理员不能通过其开设的账户或批准的授权获得自身不具备的权限：{role} 账户将具有 {permissions} 权限，而您不具备。此类账户（如审计员、首位中心管理员）由平台运维人员在服务器上使用 sscard staff create 开设。',
      en: 'GB/T 22239-2019 8.1.4.2 (三权分立, separation of administrators’ duties): an administrator never obtains, through an account it creates or a grant it approves, a permission it does not hold. An account of role {role} would hold {permissions}, which you do not. Such accounts (auditors, the first centre administrator) are created by the operator on the server with `sscard staff create`.',
    },
  },
  PASSWORD_NOT_ACCEPTED: {
    kind: 'invalid',
    title: {
      zh: '管理员不能设定他人密码',
      en: 'An administrator does not set another account’s password',
    },
    detail: {
      zh: '请勿提交 password：新账户的应答中含一次性激活凭据（activationTicket），账户本人凭它通过 POST /api/v1/auth/activate 自行设定密码。',
      en: 'Leave out `password`: the answer carries a one-time `activationTicket` with which the account’s holder sets their own password (POST /api/v1/auth/activate).',
    },
  },
  ACTIVATION_INVALID: {
    kind: 'unauthenticated',
    title: { zh: '激活凭据无效', en: 'Activation ticket not valid' },
    detail: {
      zh: '用户名与激活凭据不匹配，或凭据已使用、已过期；请向开设账户的管理员（或平台运维人员：sscard staff activation）申请新的凭据。',
      en: 'The username and activation ticket do not match, or the ticket is used or expired; ask the administrator who created the account (or the operator: `sscard staff activation`) for a new one.',
    },
  },
  ACCOUNT_ALREADY_ACTIVATED: {
    kind: 'conflict',
    title: { zh: '账户已激活', en: 'Account already activated' },
    detail: {
      zh: '该账户已由本人设定密码，不再签发激活凭据；忘记密码请由管理员处理。',
      en: 'The account’s holder has already set a password; no activation ticket is issued for it any more.',
    },
  },
  ACCOUNT_ALREADY_ACTIVE: {
    kind: 'conflict',
    title: { zh: '账户已处于启用状态', en: 'Account already active' },
  },
  ORGANIZATION_SUSPENDED: {
    kind: 'forbidden',
    title: { zh: '机构接入已暂停', en: 'Organisation access suspended' },
    detail: {
      zh: '因网络与数据安全事件，{name} 的接入已由社会保障卡服务中心暂停，恢复前不能办理业务。',
      en: 'The card centre has suspended the access of {name} during a network or data security incident; no business can be done until it is restored.',
    },
  },
  ORGANIZATION_NOT_SUSPENDABLE: {
    kind: 'invalid',
    title: { zh: '该类机构不能暂停接入', en: 'This kind of organisation cannot be suspended' },
    detail: {
      zh: '只能暂停合作银行、银行网点和社区受理网点的接入，不能暂停 {kind}。',
      en: 'Only cooperating banks, their branches and community outlets can be suspended, not a {kind}.',
    },
  },
  ORGANIZATION_ALREADY_SUSPENDED: {
    kind: 'conflict',
    title: { zh: '机构接入已处于暂停状态', en: 'Organisation already suspended' },
  },
  ORGANIZATION_NOT_SUSPENDED: {
    kind: 'conflict',
    title: { zh: '机构接入未暂停', en: 'Organisation is not suspended' },
  },
  PHOTO_DECODED_TOO_LARGE: {
    kind: 'too_large',
    title: { zh: '相片解码后过大', en: 'Photo too large when decoded' },
    detail: {
      zh: '相片解码后约 {decoded} 字节（{width}×{height}×{channels}），超过 {max} 字节的上限。',
      en: 'Decoded, the photo would take about {decoded} bytes ({width}×{height}×{channels}), above the limit of {max} bytes.',
    },
  },
});
