import { defineErrors } from './entry.js';

/** Codes of the platform itself: requests, sessions, permissions, storage. */
export const platformErrors = defineErrors({
  VALIDATION: {
    kind: 'invalid',
    title: { zh: '请求内容不符合要求', en: 'The request is not valid' },
    detail: { zh: '{summary}', en: '{summary}' },
  },
  BAD_REQUEST: {
    kind: 'bad_request',
    title: { zh: '无法读取请求', en: 'The request cannot be read' },
    detail: { zh: '{summary}', en: '{summary}' },
  },
  NOT_FOUND: {
    kind: 'not_found',
    title: { zh: '资源不存在', en: 'Not found' },
    detail: {
      zh: '未找到{resource}，或您无权查看。',
      en: 'No such {resource}, or it is outside your scope.',
    },
  },
  ROUTE_NOT_FOUND: {
    kind: 'not_found',
    title: { zh: '接口不存在', en: 'No such route' },
    detail: { zh: '没有 {method} {path} 这个接口。', en: 'There is no route {method} {path}.' },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    kind: 'unsupported',
    title: { zh: '不支持的内容类型', en: 'Unsupported media type' },
    detail: {
      zh: '不接受内容类型 {contentType}。',
      en: 'Content type {contentType} is not accepted.',
    },
  },
  PAYLOAD_TOO_LARGE: {
    kind: 'too_large',
    title: { zh: '请求内容过大', en: 'Payload too large' },
    detail: {
      zh: '请求内容超过 {limit} 字节的上限。',
      en: 'The body exceeds the limit of {limit} bytes.',
    },
  },
  RATE_LIMITED: {
    kind: 'too_many',
    title: { zh: '请求过于频繁', en: 'Too many requests' },
    detail: { zh: '请在 {retryAfter} 秒后重试。', en: 'Try again in {retryAfter} seconds.' },
  },
  INTERNAL: {
    kind: 'internal',
    title: { zh: '系统内部错误', en: 'Internal error' },
    detail: {
      zh: '系统出现错误，已记录（请求编号 {requestId}）。',
      en: 'Something went wrong; it has been logged (request {requestId}).',
    },
  },
  DATABASE_UNAVAILABLE: {
    kind: 'unavailable',
    title: { zh: '数据库不可用', en: 'Database unavailable' },
  },
  SHUTTING_DOWN: {
    kind: 'unavailable',
    title: { zh: '服务节点正在停止', en: 'This node is shutting down' },
    detail: {
      zh: '该服务节点正在停止，未处理本次请求；请稍后重试（其他节点可继续服务）。',
      en: 'This node is shutting down and did not take the request; retry shortly (other nodes keep serving).',
    },
  },
  AUTH_REQUIRED: {
    kind: 'unauthenticated',
    title: { zh: '请先登录', en: 'Authentication required' },
    detail: { zh: '请求缺少有效的会话令牌。', en: 'The request has no valid session token.' },
  },
  SESSION_EXPIRED: {
    kind: 'unauthenticated',
    title: { zh: '会话已过期', en: 'Session expired' },
    detail: {
      zh: '会话已过期或已注销，请重新登录。',
      en: 'The session has expired or ended; log in again.',
    },
  },
  LOGIN_FAILED: {
    kind: 'unauthenticated',
    title: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  },
  ACCOUNT_LOCKED: {
    kind: 'locked',
    title: { zh: '账户已锁定', en: 'Account locked' },
    detail: {
      zh: '连续登录失败次数过多，账户锁定至 {until}。',
      en: 'Too many failed logins; the account is locked until {until}.',
    },
  },
  ACCOUNT_DISABLED: {
    kind: 'unauthenticated',
    title: { zh: '账户已停用', en: 'Account disabled' },
  },
  FORBIDDEN: {
    kind: 'forbidden',
    title: { zh: '无权办理', en: 'Not permitted' },
    detail: {
      zh: '您的角色（{role}）无权执行“{action}”。',
      en: 'Your role ({role}) may not {action}.',
    },
  },
  OUT_OF_SCOPE: {
    kind: 'forbidden',
    title: { zh: '超出数据范围', en: 'Outside your data scope' },
    detail: {
      zh: '该{resource}不在您所属机构的数据范围内。',
      en: 'This {resource} is outside the data scope of your organisation.',
    },
  },
  PASSWORD_TOO_WEAK: {
    kind: 'invalid',
    title: { zh: '密码强度不足', en: 'Password too weak' },
    detail: {
      zh: '密码至少 {minLength} 位，并包含字母、数字和符号中的至少三类。',
      en: 'Passwords need at least {minLength} characters and three of: lower case, upper case, digits, symbols.',
    },
  },
  USERNAME_TAKEN: {
    kind: 'conflict',
    title: { zh: '用户名已被使用', en: 'Username taken' },
  },
  CLOCK_NOT_MANUAL: {
    kind: 'not_found',
    title: { zh: '时钟不可调整', en: 'Clock is not manual' },
  },
  ORGANIZATION_PARENT_INVALID: {
    kind: 'invalid',
    title: { zh: '上级机构不符合要求', en: 'Invalid parent organisation' },
    detail: {
      zh: '{kind} 的上级机构必须是 {expected}。',
      en: 'The parent of a {kind} must be a {expected}.',
    },
  },
  ORGANIZATION_CODE_TAKEN: {
    kind: 'conflict',
    title: { zh: '机构代码已存在', en: 'Organisation code already exists' },
  },
  ROLE_NOT_ALLOWED_FOR_ORGANIZATION: {
    kind: 'invalid',
    title: { zh: '角色与机构类型不匹配', en: 'Role does not fit the organisation' },
    detail: {
      zh: '角色 {role} 不能设在 {kind} 类机构。',
      en: 'Role {role} cannot belong to an organisation of kind {kind}.',
    },
  },
  /**
   * A request body (or a filter) names a jurisdiction the installation does not serve, or names
   * it malformed: the request is invalid (422). The same value in a path is a missing resource:
   * JURISDICTION_NOT_SERVED (404), or JURISDICTION_CODE_INVALID (422) when malformed.
   */
  JURISDICTION_UNKNOWN: {
    kind: 'invalid',
    title: { zh: '统筹区未知', en: 'Unknown jurisdiction' },
    detail: {
      zh: '“{value}”不是本系统服务的统筹区：请填写所服务统筹区的六位行政区划代码或简称（所服务的统筹区见 GET /api/v1/jurisdictions）。',
      en: '"{value}" is not a jurisdiction this installation serves: give the six-digit division code or the short code of one it serves (GET /api/v1/jurisdictions lists them).',
    },
  },
  JURISDICTION_NOT_SERVED: {
    kind: 'not_found',
    title: { zh: '本系统不服务该统筹区', en: 'Jurisdiction not served' },
    detail: {
      zh: '本系统不服务统筹区“{value}”。本系统服务的统筹区：{servedZh}。',
      en: 'This installation does not serve the jurisdiction "{value}". It serves: {servedEn}.',
    },
  },
  JURISDICTION_CODE_INVALID: {
    kind: 'invalid',
    title: { zh: '统筹区代码格式无效', en: 'Malformed jurisdiction code' },
    detail: {
      zh: '“{value}”既不是六位行政区划代码，也不是二至四个字母的统筹区简称。',
      en: '"{value}" is neither a six-digit administrative division code nor a short code of two to four letters.',
    },
  },
  IDEMPOTENCY_KEY_REUSED: {
    kind: 'conflict',
    title: { zh: '幂等键已用于不同的请求', en: 'Idempotency key reused' },
    detail: {
      zh: '该 Idempotency-Key 已用于内容不同的请求。',
      en: 'This Idempotency-Key was already used for a different request.',
    },
  },
  IDEMPOTENCY_IN_PROGRESS: {
    kind: 'conflict',
    title: { zh: '相同请求正在处理', en: 'Same request in progress' },
  },
});
