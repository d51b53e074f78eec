/**
 * Who may do each act, declared once: the permission the role must hold, and the relationships
 * to the target of which the actor must have at least one. Written from the regulations:
 *
 * - any counter of the jurisdiction serves the holder in front of it (loss reports, PIN resets
 *   at any branch: FZ-32 任意一家营业网点; un-reports, non-key changes, applications);
 * - only the card's bank or the centre ends a card's business (cancel, take back, destroy,
 *   withdraw an application) and only the bank does the bank's business (financial activation,
 *   HN-15, SG-13);
 * - only the centre freezes (HN-42, FZ-28) and suspends organisations (FZ-42);
 * - installation-wide settings (the working-day calendar, the clock, daily jobs) belong to the
 *   installation; a jurisdiction's fee schedule to its centre.
 *
 * `sees` names the act that decides whether the actor may know the target exists at all: a
 * target it may not see is refused exactly like a missing one (NOT_FOUND); one it sees but may
 * not act on is refused as NOT_RESPONSIBLE, naming who may.
 */
import type { Permission } from '../organisations/roles.js';
import type { Relation } from './relations.js';

/** The reads that decide whether a target is visible at all. */
export type ReadAct =
  | 'person.read'
  | 'card.read'
  | 'application.read'
  | 'organization.read'
  | 'staff.read'
  | 'session.read'
  | 'terminal.read'
  | 'production.batch.read'
  | 'bank_file.read'
  | 'referral.read'
  | 'ecard.read'
  | 'queue.read';

export interface ActPolicy {
  /** The permission the role must hold; `authenticated`: any member of staff; `public`: anyone. */
  permission: Permission | 'authenticated' | 'public';
  /** At least one of these relationships to the target. Empty: none needed. */
  who: readonly Relation[];
  /** The read act whose policy decides visibility; absent: the target is not secret. */
  sees?: ReadAct;
}

/** Holder-facing acts any counter of the jurisdiction may do for the holder in front of it. */
const FOR_THE_HOLDER: readonly Relation[] = [
  'jurisdiction',
  'bank',
  'accepting',
  'standing',
  'present',
];
/**
 * Acts that end or take back a card, or undo an application: its bank or the centre (at the
 * centre's own windows too: HN-27 cancels at the 市县一卡通机构). Where, exactly, the pack says.
 */
const BANK_OR_CENTRE: readonly Relation[] = ['jurisdiction', 'window', 'bank'];
const CENTRE: readonly Relation[] = ['jurisdiction'];
const INSTALLATION: readonly Relation[] = ['installation'];

const card = (permission: Permission, who: readonly Relation[]): ActPolicy => ({
  permission,
  who,
  sees: 'card.read',
});
const application = (permission: Permission, who: readonly Relation[]): ActPolicy => ({
  permission,
  who,
  sees: 'application.read',
});
const person = (permission: Permission, who: readonly Relation[]): ActPolicy => ({
  permission,
  who,
  sees: 'person.read',
});
const org = (permission: Permission, who: readonly Relation[] = ['org_scope']): ActPolicy => ({
  permission,
  who,
  sees: 'organization.read',
});
const terminal = (permission: Permission): ActPolicy => ({
  permission,
  who: ['org_scope'],
  sees: 'terminal.read',
});
const staff = (permission: Permission): ActPolicy => ({
  permission,
  who: ['org_scope', 'installation'],
  sees: 'staff.read',
});

export const ACT_POLICIES = {
  // ---- reads that decide visibility -----------------------------------------------------------
  'person.read': person('person.read', [
    'installation',
    'jurisdiction',
    'standing',
    'present',
    'holder',
  ]),
  /** The full record: only where the person was registered in scope, or the centre. Never by presence. */
  'person.read_full': person('person.read_full', ['jurisdiction', 'standing']),
  /** Who read or used a person's data: the centre, who registered them, and the holder themselves. */
  'person.access_log': person('person.read', ['jurisdiction', 'standing', 'holder']),
  'card.read': card('card.read', [
    'jurisdiction',
    'bank',
    'branch',
    'accepting',
    'standing',
    'present',
    'holder',
  ]),
  'application.read': application('application.read', [
    'jurisdiction',
    'bank',
    'branch',
    'accepting',
    'standing',
    'present',
    'holder',
  ]),
  'organization.read': {
    permission: 'organization.read',
    who: ['org_scope'],
    sees: 'organization.read',
  },
  'staff.read': {
    permission: 'staff.read',
    who: ['org_scope', 'installation'],
    sees: 'staff.read',
  },

  // ---- persons -------------------------------------------------------------------------------
  /** Registration into a jurisdiction: a counter or centre of that jurisdiction. */
  'person.create': { permission: 'person.create', who: ['jurisdiction', 'counter'] },
  /** A lookup by full document number opens a presence; by phone it only finds what is in scope. */
  'person.find': { permission: 'person.read', who: [] },
  /** Non-key information: online too, by the holder (where the pack's places.nonKeyInfoChange allow). */
  'person.update': person('person.update', ['jurisdiction', 'standing', 'present', 'holder']),
  'person.record_death': person('person.update', ['jurisdiction', 'standing', 'present']),
  'person.photo': person('person.update', ['jurisdiction', 'standing', 'present', 'holder']),
  'person.key_change': person('person.key_change', ['jurisdiction', 'standing', 'present']),

  // ---- applications ----------------------------------------------------------------------------
  /** Target: the person, in the jurisdiction applied to. */
  'application.submit': person('application.create', [
    'jurisdiction',
    'standing',
    'present',
    'holder', // online, where the pack's places allow it
  ]),
  /** A counter's own check (FZ-17: an online application's documents). */
  'application.check': application('application.check', ['jurisdiction', 'branch', 'accepting']),
  /** The agencies' answers (SH-10: police, HRSS, medical insurance) are recorded by the centre. */
  'application.check.agency': application('application.check', ['jurisdiction']),
  'application.withdraw': application('application.withdraw', [
    'jurisdiction',
    'bank',
    'accepting',
  ]),
  /** 即时制卡 at the branch that will hand the card over. */
  'application.produce': application('card.produce', ['branch', 'accepting']),
  'application.stock': application('card.stock', ['jurisdiction', 'branch', 'vendor']),
  /** FZ-23: the branch (or the taker, or the centre) tells the applicant the card is late. */
  'application.delay_notice': application('application.check', [
    'jurisdiction',
    'bank',
    'accepting',
  ]),

  // ---- cards -----------------------------------------------------------------------------------
  'card.issue': card('card.issue', ['jurisdiction', 'branch', 'accepting']),
  'card.activate.social': card('card.activate', [...FOR_THE_HOLDER, 'branch']),
  /** The bank account is activated at the cooperating bank (HN-15, SG-13). */
  'card.activate.financial': card('card.activate', ['bank']),
  /** The holder reports online (24 hours, where the pack's places allow `online`). */
  'card.loss': card('card.loss', [...FOR_THE_HOLDER, 'holder']),
  'card.unreport': card('card.loss', [...FOR_THE_HOLDER, 'holder']),
  'card.suspend': card('card.suspend', FOR_THE_HOLDER),
  'card.resume': card('card.suspend', FOR_THE_HOLDER),
  'card.freeze': card('card.freeze', CENTRE),
  'card.unfreeze': card('card.freeze', CENTRE),
  'card.cancel': card('card.cancel', BANK_OR_CENTRE),
  'card.return': card('card.return', BANK_OR_CENTRE),
  'card.destroy': card('card.destroy', BANK_OR_CENTRE),
  /** HN-27: the bank closed the account of a card cancelled on death. */
  'card.bank_account_closed': card('card.cancel', ['bank', 'jurisdiction']),
  /** ZS-17(二), HN-12, FZ-27: a card made but not handed over cannot be delivered. */
  'card.undeliverable': card('card.cancel', BANK_OR_CENTRE),
  'card.pin.change': card('card.pin', FOR_THE_HOLDER),
  'card.pin.verify': card('card.pin', FOR_THE_HOLDER),
  'card.pin.reset': card('card.pin', FOR_THE_HOLDER),
  'card.pin.unlock': card('card.pin', FOR_THE_HOLDER),

  // ---- organisations, staff, permission requests (FZ-37) -----------------------------------------
  'organization.create': org('organization.create'),
  'organization.suspend': org('organization.suspend', CENTRE),
  'organization.restore': org('organization.suspend', CENTRE),
  /**
   * Creating an account in an organisation in scope (the target is that organisation; an
   * installation-level account only by the installation). Which roles, and separation of duties,
   * are decided by `roles.ts: ROLE_MAY_CREATE, mayProvision`.
   */
  'staff.create': staff('staff.create'),
  'staff.disable': staff('staff.disable'),
  'staff.enable': staff('staff.enable'),
  'staff.otp_reset': staff('staff.reset_otp'),
  'staff.sweep_inactive': { permission: 'staff.disable', who: [] },
  /** A fresh activation ticket for an account not yet activated: the operator's (`sscard staff activation`). */
  'staff.activation_issue': { permission: 'staff.create', who: INSTALLATION },
  /** SSCARD_ADMIN_TOTP_SECRET stored at start: the installation's own act. */
  'staff.otp_preset': { permission: 'staff.reset_otp', who: INSTALLATION },
  'permission.request': { permission: 'staff.request', who: [] },
  /** FZ-37 (二): a branch's request is decided by the branch's own bank. */
  'permission.approve': org('staff.approve', ['bank', 'installation']),
  'permission.reject': org('staff.approve', ['bank', 'installation']),
  /** FZ-37 (二): a community outlet's request is decided by the centre of its jurisdiction. */
  'permission.approve_outlet': org('staff.approve', ['jurisdiction', 'installation']),
  'permission.reject_outlet': org('staff.approve', ['jurisdiction', 'installation']),

  // ---- one's own account and sessions -----------------------------------------------------------
  'auth.login': { permission: 'public', who: [] },
  /** The holder of a new account sets their password with its activation ticket. */
  'auth.activate': { permission: 'public', who: [] },
  'auth.logout': { permission: 'authenticated', who: ['self'] },
  'auth.password_change': { permission: 'authenticated', who: ['self'] },
  'auth.phone_change': { permission: 'authenticated', who: ['self'] },
  'auth.otp_enrol': { permission: 'authenticated', who: ['self'] },
  'auth.otp_remove': { permission: 'authenticated', who: ['self'] },
  /** One's own session. */
  'session.end': { permission: 'authenticated', who: ['self'] },
  /** Another account's session: the administrators (session.manage) of its organisation. */
  'session.end_other': {
    permission: 'session.manage',
    who: ['org_scope', 'installation'],
    sees: 'session.read',
  },
  'session.read': { permission: 'authenticated', who: ['self', 'org_scope', 'installation'] },

  // ---- terminals and online checks (issue 12) -----------------------------------------------------
  /**
   * A terminal is the business of its organisation's administrators: the centre of the
   * jurisdiction (ZS-18, any terminal there) or the bank (FZ-12, its branches' equipment); a
   * service point's operator sees its own organisation's.
   */
  'terminal.read': { permission: 'terminal.read', who: ['org_scope'], sees: 'terminal.read' },
  'terminal.register': terminal('terminal.manage'),
  'terminal.change': terminal('terminal.manage'),
  'terminal.suspend': terminal('terminal.manage'),
  'terminal.resume': terminal('terminal.manage'),
  'terminal.retire': terminal('terminal.manage'),
  'terminal.rotate': terminal('terminal.manage'),
  /**
   * A PIN checked at a terminal (FZ-32): any registered, active terminal of the installation
   * (cards are used beyond their own jurisdiction); where, the pack says (`pin.verifiedOnlyAt`).
   */
  'card.pin.check': { permission: 'card.verify', who: [] },

  // ---- holders online, family service, the electronic card (issue 13) --------------------------
  /** The one-time code is asked for and given by anyone: the answer never says who exists. */
  'holder.sign_in_start': { permission: 'public', who: [] },
  'holder.sign_in': { permission: 'public', who: [] },
  'holder.sign_out': { permission: 'authenticated', who: ['holder'] },
  /** 亲情服务: the holder adds or removes a family member they act for (target: the holder). */
  'holder.ward.add': person('person.read', ['holder']),
  'holder.ward.remove': person('person.read', ['holder']),
  /** HN-13: an e-card for the holder's own live card (or a ward's); HN-14: its payment PIN. */
  'ecard.issue': card('ecard.use', ['holder']),
  'ecard.read': { permission: 'ecard.use', who: ['holder'], sees: 'ecard.read' },
  'ecard.qr': { permission: 'ecard.use', who: ['holder'], sees: 'ecard.read' },
  'ecard.pin': { permission: 'ecard.use', who: ['holder'], sees: 'ecard.read' },
  /** A QR code shown at a registered terminal: any active terminal of the installation. */
  'ecard.qr.check': { permission: 'card.verify', who: [] },
  /** A new QR signing key (the old one verifies its codes until they expire): the platform's. */
  'ecard.keys.rotate': { permission: 'jobs.run', who: INSTALLATION },

  // ---- unit rosters (FZ-18, HN-9; issue 14) --------------------------------------------------------
  /**
   * A unit's roster taken for a batch of applications: the centre of the jurisdiction, or the
   * bank the unit chose (target: the roster, with the batch's bank). Each chunk of rows is one
   * act (`roster.import_chunk`) under the same policy, as the member of staff who uploaded it.
   */
  'roster.import': { permission: 'application.unit_batch', who: ['jurisdiction', 'bank'] },
  'roster.import_chunk': { permission: 'application.unit_batch', who: ['jurisdiction', 'bank'] },
  'roster.read': { permission: 'application.unit_batch', who: ['jurisdiction', 'bank'] },

  // ---- bank account opening by file, vendor production batches (issue 14; FZ-18, FZ-20, FZ-22) --
  /**
   * A production batch is the business of the centre of its jurisdiction and of the bank whose
   * cards it makes (FZ-22: 合作银行要跟进制卡进度); its vendor sees it and exports its
   * personalisation file (org_scope: the vendor's own organisation). Importing the vendor's
   * return file is the bank's (FZ-20(三): 合作银行…将回盘数据文件导入) or the centre's.
   */
  'production.batch.read': {
    permission: 'production.read',
    who: ['jurisdiction', 'bank', 'org_scope'],
    sees: 'production.batch.read',
  },
  'production.batch.create': { permission: 'production.manage', who: ['jurisdiction', 'bank'] },
  'production.batch.export': {
    permission: 'production.read',
    who: ['jurisdiction', 'bank', 'org_scope'],
    sees: 'production.batch.read',
  },
  'production.return_import': {
    permission: 'production.manage',
    who: ['jurisdiction', 'bank'],
    sees: 'production.batch.read',
  },
  /** The import of a stored return file (queued, or inline): under the same policy. */
  'production.return_apply': {
    permission: 'production.manage',
    who: ['jurisdiction', 'bank'],
    sees: 'production.batch.read',
  },
  /** FZ-18(四)(五): the bank's batch account opening, followed by the centre. */
  'bank_file.read': {
    permission: 'bank_file.manage',
    who: ['jurisdiction', 'bank'],
    sees: 'bank_file.read',
  },
  'bank_file.create': { permission: 'bank_file.manage', who: ['jurisdiction', 'bank'] },
  'bank_file.export': {
    permission: 'bank_file.manage',
    who: ['jurisdiction', 'bank'],
    sees: 'bank_file.read',
  },
  'bank_file.return_import': {
    permission: 'bank_file.manage',
    who: ['jurisdiction', 'bank'],
    sees: 'bank_file.read',
  },
  'bank_file.return_apply': {
    permission: 'bank_file.manage',
    who: ['jurisdiction', 'bank'],
    sees: 'bank_file.read',
  },
  /** Whether a bank opens accounts online or by file: the centre's record of the bank. */
  'bank_file.opening_mode': org('bank_file.manage', CENTRE),

  // ---- ledgers, registers and hotline referrals (issue 14) ------------------------------------
  /**
   * A branch's or a bank's ledgers (FZ-27, ZS-17) and its destruction register (FZ-36): the
   * organisation itself, its bank, the centre of the jurisdiction (target: the organisation).
   */
  'ledger.read': org('ledger.read'),
  'ledger.file': org('ledger.file'),
  /** Cards destroyed at an organisation in scope; each known card also needs `card.destroy`. */
  'destruction.record': org('card.destroy'),
  /**
   * FZ-46: the centre records a referral from 12333 / 12345, assigns it and reports the answer
   * back; the bank or outlet it is assigned to (and that bank's administrators) reads and answers
   * it. A referral not assigned to one's organisation is not found.
   */
  'referral.read': {
    permission: 'referral.read',
    who: ['jurisdiction', 'org_scope'],
    sees: 'referral.read',
  },
  'referral.record': { permission: 'referral.manage', who: CENTRE },
  'referral.assign': { permission: 'referral.manage', who: CENTRE, sees: 'referral.read' },
  'referral.answer': { permission: 'referral.answer', who: ['org_scope'], sees: 'referral.read' },
  'referral.report': { permission: 'referral.manage', who: CENTRE, sees: 'referral.read' },
  /** The daily job: overdue referrals raised as alerts. */
  'referral.escalate': { permission: 'jobs.run', who: INSTALLATION },

  // ---- configuration and operations --------------------------------------------------------------
  /** One jurisdiction's amounts: its centre, or the installation. */
  'fees.schedule.replace': {
    permission: 'policy.configure',
    who: ['jurisdiction', 'installation'],
  },
  /** The statutory calendar is national: one table for the installation. */
  'calendar.overrides.replace': { permission: 'policy.configure', who: INSTALLATION },
  'system.clock.set': { permission: 'system.clock', who: INSTALLATION },
  'job.run': { permission: 'jobs.run', who: INSTALLATION },
  /**
   * Anyone who manages alerts and sees this one: another jurisdiction's alert is not found (the
   * alert's load, alerts.service.ts); an installation-wide one (a broken chain) is everyone's.
   */
  'alert.acknowledge': { permission: 'alerts.manage', who: [] },
  /** The platform's own records: only its jobs and the CLI act under these. */
  'alert.raise': { permission: 'jobs.run', who: INSTALLATION },
  'audit.verify': { permission: 'jobs.run', who: INSTALLATION },
  'housekeeping.prune': { permission: 'jobs.run', who: INSTALLATION },
  /** The daily reminders (pickup, lapsing temporary loss) written to the outbox. */
  'notifications.remind': { permission: 'jobs.run', who: INSTALLATION },
  /** A background job: the centre of its jurisdiction (who asked for it also reads it: queue.service.ts). */
  'queue.read': {
    permission: 'queue.manage',
    who: ['jurisdiction', 'installation'],
    sees: 'queue.read',
  },
  'queue.retry': {
    permission: 'queue.manage',
    who: ['jurisdiction', 'installation'],
    sees: 'queue.read',
  },
  'queue.cancel': {
    permission: 'queue.manage',
    who: ['jurisdiction', 'installation'],
    sees: 'queue.read',
  },
  'audit.export': { permission: 'audit.read', who: [] },
  /** An auditor walks the chains now (the trail's integrity is not scoped). */
  'audit.check': { permission: 'audit.read', who: [] },
  /** A backup taken, or one restored (`sscard backup|restore`, docs/BACKUP.md): the platform's. */
  'ops.backup': { permission: 'jobs.run', who: INSTALLATION },
  'ops.restore': { permission: 'jobs.run', who: INSTALLATION },
} as const satisfies Record<string, ActPolicy>;

export type AccessAct = keyof typeof ACT_POLICIES;

export function isAccessAct(name: string): name is AccessAct {
  return Object.hasOwn(ACT_POLICIES, name);
}

export function policyOf(act: AccessAct): ActPolicy {
  return ACT_POLICIES[act];
}
