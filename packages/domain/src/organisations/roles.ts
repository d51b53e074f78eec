/**
 * Staff roles, the permissions each holds, and the data scope each sees. This table is the
 * whole of "who may do what"; routes declare the permission they need and the server checks it
 * here. Scopes: a branch sees its own records, a bank its branches, a centre its jurisdiction.
 */
import type { OrganizationKind } from './kinds.js';

export const ROLES = [
  'installation_admin', // 平台系统管理员: the `admin` account, installation-wide
  'centre_admin', // 中心管理员
  'bank_admin', // 合作银行管理员 (FZ-37 分（总）行管理员)
  'branch_operator', // 银行网点经办员
  'community_operator', // 社区受理网点经办员
  'vendor_operator', // 卡商操作员
  'auditor', // 审计员
  'service_point_operator', // 用卡服务点操作员: checks cards on the verifier page
  'terminal', // a registered terminal or card reader (读写卡终端): never an account, see terminals
  'holder', // 持卡人: signed in online with a one-time code (modules/holders), never staff
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'organization.read',
  'organization.create',
  'staff.read',
  'staff.create',
  'staff.disable',
  'person.read', // masked view
  'person.read_full', // unmasked, with a stated reason, audited
  'person.create',
  'person.update',
  'audit.read',
  'system.clock',
  'policy.configure', // fee schedule, calendar overrides
  'application.create', // 受理申领、补领、换领、换发
  'application.read',
  'application.check', // record police / HRSS / medical insurance answers (SH-10)
  'application.withdraw',
  'card.read',
  'card.produce', // instant production at a capable counter (即时制卡)
  'card.stock', // card arrived at the branch (入库)
  'card.issue', // 发放
  'card.activate', // 启用社会保障功能 / 激活金融功能
  'card.loss', // 挂失、解挂
  'card.suspend', // 停用、恢复 (on the holder's request)
  'card.freeze', // 冻结 / 中止, for misuse (HN-42, FZ-28)
  'card.cancel', // 注销
  'card.return', // 收回原卡
  'card.destroy', // 销毁
  'card.pin', // 社保密码 set, change, reset, unlock
  'person.key_change', // 关键信息变更 (name, ID number, photo)
  'session.manage', // list and end other accounts' sessions in scope
  'organization.suspend', // 暂停、恢复合作银行或网点接入 (FZ-42)
  'staff.enable', // re-enable a disabled account (e.g. one disabled for inactivity)
  'staff.reset_otp', // clear an account's second factor so it enrols again (lost device)
  'staff.request', // FZ-37 (一): a branch asks for an account, a change of permissions, a lock
  'staff.approve', // FZ-37 (二): the bank (or the centre, for its outlets) approves and files it
  'alerts.manage', // see and acknowledge alerts (a broken audit chain, a failed job)
  'jobs.run', // see the daily jobs and run one now
  'queue.manage', // see the background jobs of one's jurisdiction, retry or cancel them
  'notification.read', // see the messages to holders (masked) and how their delivery went
  'terminal.read', // see registered terminals and card readers (ZS-18, FZ-12)
  'terminal.manage', // register, change, suspend, retire terminals; rotate their credentials
  'card.verify', // 联网验证: check a card's validity or its PIN at a service point (HN-32)
  'ecard.use', // 电子社保卡: a holder's own electronic card, its QR codes and payment PIN (HN-13, HN-14)
  'ledger.read', // 台账: daily branch, monthly bank and inventory ledgers, the destruction register (FZ-27, ZS-17, FZ-36)
  'ledger.file', // hand in a ledger (FZ-27: the monthly one the working day before month end)
  'referral.read', // 转办事项 from the 12333 / 12345 hotlines (FZ-46)
  'referral.manage', // record, assign and report back referrals: the centre
  'referral.answer', // answer a referral assigned to one's own bank or outlet
  'application.unit_batch', // 单位批量申领: import a unit's roster (FZ-18, HN-9), read its reports
  'production.read', // 制卡批次: see production batches, export the personalisation file (FZ-20)
  'production.manage', // 组批制卡, 导入卡商回盘文件 (FZ-20(三), FZ-22)
  'bank_file.manage', // 批量开户文件: export the request, import the bank's return file (FZ-18(五))
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What every account administrator (installation, centre, bank) does within its scope. */
const ACCOUNT_ADMIN: Permission[] = [
  'organization.read',
  'organization.create',
  'staff.read',
  'staff.create',
  'staff.disable',
  'staff.approve',
  'staff.enable',
  'staff.reset_otp',
  'session.manage',
  'person.read',
];

/** What a counter (bank branch or community outlet) does for the people in front of it. */
const COUNTER: Permission[] = [
  'organization.read',
  'person.read',
  'person.read_full',
  'person.create',
  'person.update',
  'person.key_change',
  'staff.request',
  'application.create',
  'application.read',
  'application.check', // FZ-17: the counter checks an online application's documents
  'application.withdraw',
  'card.read',
  'card.produce',
  'card.stock',
  'card.issue',
  'card.activate',
  'card.loss',
  'card.suspend',
  'card.cancel',
  'card.return',
  'card.destroy',
  'card.pin',
  'ledger.read',
  'ledger.file',
  'referral.read',
  'referral.answer',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  installation_admin: [
    ...ACCOUNT_ADMIN,
    'terminal.read',
    'terminal.manage',
    'system.clock',
    'alerts.manage',
    'jobs.run',
    'queue.manage',
    'notification.read',
    'policy.configure',
  ],
  centre_admin: [
    'queue.manage',
    'notification.read',
    ...ACCOUNT_ADMIN,
    'terminal.read',
    'terminal.manage', // ZS-18: registered with the card service agency
    'organization.suspend', // FZ-42
    'person.read_full',
    'person.create',
    'person.update',
    'alerts.manage',
    'policy.configure', // its own jurisdiction's fee amounts (access/policy.ts)
    'person.key_change',
    'application.create',
    'application.read',
    'application.check',
    'application.withdraw',
    'card.read',
    'card.stock',
    'card.issue',
    'card.activate',
    'card.loss',
    'card.suspend',
    'card.freeze',
    'card.cancel',
    'card.return',
    'card.destroy',
    'card.pin',
    'application.unit_batch', // FZ-18, HN-9: the centre takes a unit's roster
    'production.read',
    'production.manage',
    'bank_file.manage',
    'ledger.read',
    'ledger.file',
    'referral.read',
    'referral.manage',
  ],
  bank_admin: [
    ...ACCOUNT_ADMIN,
    'person.read_full',
    'application.read',
    'application.unit_batch', // FZ-18: the unit hands its roster to the bank it chose
    'card.read',
    'terminal.read',
    'terminal.manage', // FZ-12: a bank files its branches' equipment with the centre
    'production.read', // FZ-22: the bank follows its cards' production with the vendor
    'production.manage',
    'bank_file.manage', // FZ-18(五): the bank's batch account opening
    'ledger.read',
    'ledger.file', // FZ-27: 上级行 hands in the monthly ledger
    'referral.read',
    'referral.answer', // FZ-46: 经本行主管部门负责审核后反馈
  ],
  branch_operator: COUNTER,
  community_operator: COUNTER,
  vendor_operator: ['organization.read', 'card.stock', 'production.read'],
  auditor: [
    'organization.read',
    'staff.read',
    'person.read',
    'audit.read',
    'alerts.manage',
    'application.read',
    'card.read',
    'terminal.read',
    'ledger.read',
    'referral.read',
  ],
  service_point_operator: ['organization.read', 'terminal.read', 'card.verify'],
  terminal: ['card.verify'],
  /**
   * A holder online: only ever about themselves and the family members they act for (relation
   * `holder`), and only on the routes that declare `holder: true` (http/app-context.ts).
   */
  holder: [
    'person.read',
    'person.update',
    'application.create',
    'application.read',
    'card.read',
    'card.loss',
    'ecard.use',
  ],
};

/** The kind of organisation a role's account belongs to; `null`: installation-level, no organisation. */
export const ROLE_ORGANIZATION_KIND: Record<
  Role,
  OrganizationKind | null | 'centre_or_none' | readonly OrganizationKind[]
> = {
  installation_admin: null,
  centre_admin: 'centre',
  bank_admin: 'bank',
  branch_operator: 'branch',
  community_operator: ['community_outlet', 'service_window'], // 社区或综合窗口经办员
  vendor_operator: 'vendor',
  auditor: 'centre_or_none',
  service_point_operator: 'service_point',
  terminal: ['service_point', 'branch', 'community_outlet', 'service_window'],
  holder: null,
};

/**
 * Roles each role may create accounts for through the API, within its scope. Every entry also
 * passes `mayProvision` (separation of duties): the installation administrator creates no
 * account that reads full personal records, a centre administrator creates no auditor. Those
 * accounts (auditors, the first centre administrator) are created by the operator on the server
 * (`sscard staff create`). A test checks the table against `mayProvision`.
 */
export const ROLE_MAY_CREATE: Record<Role, readonly Role[]> = {
  installation_admin: ['installation_admin', 'vendor_operator'],
  centre_admin: [
    'centre_admin',
    'bank_admin',
    'branch_operator',
    'community_operator',
    'vendor_operator',
    'service_point_operator',
  ],
  bank_admin: ['bank_admin', 'branch_operator'],
  branch_operator: [],
  community_operator: [],
  vendor_operator: [],
  auditor: [],
  service_point_operator: [],
  terminal: [], // terminals are registered (terminals module), never created as accounts
  holder: [], // holders sign in with a one-time code (modules/holders), never created as accounts
};

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  installation_admin: { zh: '平台管理员', en: 'Installation administrator' },
  centre_admin: { zh: '中心管理员', en: 'Centre administrator' },
  bank_admin: { zh: '银行管理员', en: 'Bank administrator' },
  branch_operator: { zh: '网点经办员', en: 'Branch operator' },
  community_operator: {
    zh: '社区/综合窗口经办员',
    en: 'Community outlet or service window operator',
  },
  vendor_operator: { zh: '卡商操作员', en: 'Vendor operator' },
  auditor: { zh: '审计员', en: 'Auditor' },
  service_point_operator: { zh: '用卡服务点操作员', en: 'Service point operator' },
  terminal: { zh: '读写卡终端', en: 'Terminal' },
  holder: { zh: '持卡人', en: 'Cardholder' },
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * FZ-37: within its role, an account holds only the acts granted to it (申领、密码维护、信息变更、
 * 挂失/解挂、启用/停用、注销 …). `granted` null means the role's full set.
 */
export function effectivePermissions(role: Role, granted: readonly string[] | null): Permission[] {
  const all = ROLE_PERMISSIONS[role];
  return granted === null ? [...all] : all.filter((p) => granted.includes(p));
}

/** Whether an actor (with its granted subset, if any) may do something. */
export function actorCan(
  actor: { role: Role; permissions?: readonly Permission[] | undefined },
  permission: Permission,
): boolean {
  return (actor.permissions ?? ROLE_PERMISSIONS[actor.role]).includes(permission);
}

/**
 * Separation of duties (三权分立, GB/T 22239-2019 8.1.4.2): no role both grants accounts and
 * permissions and reads the audit trail. A test checks the whole table.
 */
export const GRANTING_PERMISSIONS: readonly Permission[] = [
  'staff.create',
  'staff.approve',
  'staff.enable',
  'staff.disable',
  'staff.reset_otp',
];

/**
 * Separation of duties for what an administrator hands out (三权分立, GB/T 22239-2019 8.1.4.2 d):
 * reading the audit trail and reading full personal records are never obtained through an
 * account one creates or a grant one approves. The creator learns the new account's activation
 * ticket, so it could use the account itself: it may create (or grant) an account only if it
 * already holds every one of these permissions the account would hold.
 */
export const SEPARATED_PERMISSIONS: readonly Permission[] = ['audit.read', 'person.read_full'];

/** Who creates or approves: a role, and the acts granted to it within the role (FZ-37). */
export interface Provisioner {
  role: Role;
  permissions?: readonly Permission[] | undefined;
}

/**
 * The separated permissions an account of `role` (holding `granted` within it; null: the whole
 * role) would hold that `actor` does not. Empty: the actor may provision it.
 */
export function separatedNotHeld(
  actor: Provisioner,
  role: Role,
  granted: readonly string[] | null = null,
): Permission[] {
  const would = effectivePermissions(role, granted);
  return SEPARATED_PERMISSIONS.filter((p) => would.includes(p) && !actorCan(actor, p));
}

/** Whether `actor` may create (or approve the grant of) an account of `role` (separation of duties). */
export function mayProvision(
  actor: Provisioner,
  role: Role,
  granted: readonly string[] | null = null,
): boolean {
  return separatedNotHeld(actor, role, granted).length === 0;
}

export function roleFitsOrganization(role: Role, kind: OrganizationKind | null): boolean {
  const expected = ROLE_ORGANIZATION_KIND[role];
  if (expected === 'centre_or_none') return kind === null || kind === 'centre';
  if (Array.isArray(expected)) return kind !== null && expected.includes(kind);
  return expected === kind;
}

/** What part of the installation's data a member of staff sees. */
export type DataScope =
  | { kind: 'all' }
  | { kind: 'jurisdiction'; prefix: string }
  | { kind: 'bank'; bankId: string }
  | { kind: 'organization'; organizationId: string };

export interface ScopeSubject {
  role: Role;
  organizationId: string | null;
  organizationKind: OrganizationKind | null;
  bankId: string | null;
  jurisdiction: string | null;
}

export function scopeOf(s: ScopeSubject): DataScope {
  if (s.organizationId === null || s.role === 'installation_admin') return { kind: 'all' };
  switch (s.organizationKind) {
    case 'centre':
      return { kind: 'jurisdiction', prefix: jurisdictionPrefix(s.jurisdiction ?? '') };
    case 'bank':
      return { kind: 'bank', bankId: s.bankId ?? s.organizationId };
    default:
      return { kind: 'organization', organizationId: s.organizationId };
  }
}

/**
 * The division-code prefix a centre covers: a province (xx0000) covers every code starting xx,
 * a city (xxxx00) every code starting xxxx, a county only itself.
 */
export function jurisdictionPrefix(code: string): string {
  if (/^\d{2}0000$/.test(code)) return code.slice(0, 2);
  if (/^\d{4}00$/.test(code)) return code.slice(0, 4);
  return code;
}

export function jurisdictionCovers(scopeCode: string, code: string): boolean {
  return code.startsWith(jurisdictionPrefix(scopeCode));
}

export interface ScopedOrganization {
  id: string;
  bankId: string | null;
  jurisdiction: string;
}

/** Whether an organisation's records fall inside a data scope. */
export function organizationInScope(scope: DataScope, org: ScopedOrganization): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'jurisdiction':
      return org.jurisdiction.startsWith(scope.prefix);
    case 'bank':
      return org.bankId === scope.bankId;
    case 'organization':
      return org.id === scope.organizationId;
  }
}
