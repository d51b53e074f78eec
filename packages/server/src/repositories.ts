/**
 * Every repository of the platform, built once at start-up and passed to the services (they
 * never construct their own). All SQL lives in repositories; services hold the acts.
 */
import { RostersRepository } from './modules/rosters/rosters.repository.js';
import { IdempotencyRepository } from './acts/idempotency.repository.js';
import { AlertsRepository } from './modules/alerts/alerts.repository.js';
import { AuditTrailRepository } from './modules/audit/audit-trail.repository.js';
import { StatsRepository } from './modules/stats/stats.repository.js';
import { JobRunsRepository } from './jobs/job-runs.repository.js';
import type { Keyring } from './crypto/keyring.js';
import type { Database, PreparedQuery } from './db/database.js';
import { ApplicationsRepository } from './modules/applications/applications.repository.js';
import { LoginThrottleRepository } from './modules/auth/login-throttle.repository.js';
import { SessionsRepository } from './modules/auth/sessions.repository.js';
import { CardsRepository } from './modules/cards/cards.repository.js';
import { OrganizationsRepository } from './modules/organizations/organizations.repository.js';
import { PermissionRequestsRepository } from './modules/permissions/permission-requests.repository.js';
import { PersonsRepository } from './modules/persons/persons.repository.js';
import { PresenceRepository } from './modules/persons/presence.repository.js';
import { StaffRepository } from './modules/staff/staff.repository.js';
import { TerminalsRepository } from './modules/terminals/terminals.repository.js';
import { VerificationRepository } from './modules/verification/verification.repository.js';
import { DenyListRepository } from './modules/verification/deny-list.repository.js';
import { EcardsRepository } from './modules/ecards/ecards.repository.js';
import { HoldersRepository } from './modules/holders/holders.repository.js';
import { LedgersRepository } from './modules/ledgers/ledgers.repository.js';
import { ReferralsRepository } from './modules/referrals/referrals.repository.js';
import { ProductionRepository } from './modules/production/production.repository.js';
import { BankFilesRepository } from './modules/bank-files/bank-files.repository.js';
import { OpsRepository } from './ops/ops.repository.js';
import { BackupRepository } from './ops/backup.repository.js';
import { QueueRepository } from './jobs/queue.repository.js';
import { NotificationsRepository } from './modules/notifications/notifications.repository.js';

export interface Repositories {
  persons: PersonsRepository;
  presence: PresenceRepository;
  cards: CardsRepository;
  applications: ApplicationsRepository;
  organizations: OrganizationsRepository;
  sessions: SessionsRepository;
  staff: StaffRepository;
  loginThrottle: LoginThrottleRepository;
  permissionRequests: PermissionRequestsRepository;
  idempotency: IdempotencyRepository;
  alerts: AlertsRepository;
  jobRuns: JobRunsRepository;
  auditTrail: AuditTrailRepository;
  stats: StatsRepository;
  terminals: TerminalsRepository;
  verification: VerificationRepository;
  denyList: DenyListRepository;
  ecards: EcardsRepository;
  holders: HoldersRepository;
  ledgers: LedgersRepository;
  referrals: ReferralsRepository;
  /** Vendor production batches and the return files of vendors and banks (FZ-20, FZ-22). */
  production: ProductionRepository;
  /** Bank account opening by file (FZ-18(四)(五)). */
  bankFiles: BankFilesRepository;
  /** /metrics and /readyz: job runs, audit verification, queue depths (ops/). */
  ops: OpsRepository;
  /** `sscard backup|restore`: the manifest's facts, the exported snapshot (ops/backup.ts). */
  backup: BackupRepository;
  /** The background queue's jobs (jobs/queue-runner.ts). */
  queue: QueueRepository;
  /** The outbox of messages to holders. */
  notifications: NotificationsRepository;
  /** Unit rosters (FZ-18, HN-9): the roster, its sealed file, one outcome per row. */
  rosters: RostersRepository;
}

export function createRepositories(
  db: Database,
  keyring: Keyring,
  prepared: PreparedQuery,
): Repositories {
  return {
    persons: new PersonsRepository(db, keyring),
    presence: new PresenceRepository(db),
    cards: new CardsRepository(db, keyring, prepared),
    applications: new ApplicationsRepository(db, keyring),
    rosters: new RostersRepository(db, keyring),
    organizations: new OrganizationsRepository(db),
    sessions: new SessionsRepository(db, prepared),
    staff: new StaffRepository(db, keyring),
    loginThrottle: new LoginThrottleRepository(keyring),
    permissionRequests: new PermissionRequestsRepository(db),
    idempotency: new IdempotencyRepository(db),
    alerts: new AlertsRepository(db),
    jobRuns: new JobRunsRepository(db),
    auditTrail: new AuditTrailRepository(db),
    stats: new StatsRepository(db),
    terminals: new TerminalsRepository(db),
    verification: new VerificationRepository(db, prepared),
    denyList: new DenyListRepository(db),
    ecards: new EcardsRepository(db, keyring, prepared),
    holders: new HoldersRepository(db, keyring),
    ledgers: new LedgersRepository(db, keyring),
    referrals: new ReferralsRepository(db, keyring),
    production: new ProductionRepository(db, keyring),
    bankFiles: new BankFilesRepository(db),
    ops: new OpsRepository(db),
    backup: new BackupRepository(db),
    queue: new QueueRepository(db),
    notifications: new NotificationsRepository(db),
  };
}
