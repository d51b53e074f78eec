/**
 * Every repository of the platform, built once at start-up and passed to the services (they
 * never construct their own). All SQL lives in repositories; services hold the acts.
 */
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
  };
}
