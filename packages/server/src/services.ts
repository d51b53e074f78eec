/** The services of the platform, built once from their dependencies. */
import type { BankAdapter } from './adapters/bank/bank-adapter.js';
import { BankSimulator } from './adapters/bank/bank-simulator.js';
import type { Deps } from './deps.js';
import { ApplicationsService } from './modules/applications/applications.service.js';
import { CardsService } from './modules/cards/cards.service.js';
import { KeyChangeService } from './modules/applications/key-change.js';
import { PermissionsService } from './modules/permissions/permissions.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { FeesService } from './modules/policy/fees.service.js';
import { OrganizationsService } from './modules/organizations/organizations.service.js';
import { PersonsService } from './modules/persons/persons.service.js';
import { StaffService } from './modules/staff/staff.service.js';
import { AlertsService } from './modules/alerts/alerts.service.js';
import { JOBS } from './jobs/jobs.js';
import { Scheduler } from './jobs/scheduler.js';
import { TerminalsService } from './modules/terminals/terminals.service.js';
import { VerificationService } from './modules/verification/verification.service.js';
import { DenyListService } from './modules/verification/deny-list.service.js';
import { EcardsService } from './modules/ecards/ecards.service.js';
import { HoldersService } from './modules/holders/holders.service.js';
import { LedgersService } from './modules/ledgers/ledgers.service.js';
import { ReferralsService } from './modules/referrals/referrals.service.js';
import type { NotifyAdapter } from './adapters/notify/notify-adapter.js';
import { NotifySimulator } from './adapters/notify/notify-simulator.js';
import { NotifyWebhook } from './adapters/notify/notify-webhook.js';
import { DbQueue } from './jobs/queue-runner.js';
import { QueueService } from './modules/queue/queue.service.js';
import { RostersService } from './modules/rosters/rosters.service.js';
import { ProductionService } from './modules/production/production.service.js';
import { BankFilesService } from './modules/bank-files/bank-files.service.js';
import { NotificationsService } from './modules/notifications/notifications.service.js';

export interface Services {
  auth: AuthService;
  organizations: OrganizationsService;
  staff: StaffService;
  persons: PersonsService;
  fees: FeesService;
  applications: ApplicationsService;
  cards: CardsService;
  keyChanges: KeyChangeService;
  permissions: PermissionsService;
  /** The bank connector: the built-in simulator unless a real one is configured. */
  bank: BankAdapter;
  alerts: AlertsService;
  /** The daily jobs (jobs/jobs.ts); `main.ts` starts its timer, tests call `tick()`. */
  jobs: Scheduler;
  /** Terminals and card readers of service points and counters (ZS-18, FZ-12, SG-26). */
  terminals: TerminalsService;
  /** Online validity checks by terminals (HN-32), with their batched log. */
  verification: VerificationService;
  /** The offline deny-list for gates (docs/DENY-LIST.md). */
  denyList: DenyListService;
  /** The electronic card and its QR codes (HN-13, HN-14; docs/ECARD.md). */
  ecards: EcardsService;
  /** Text messages to holders: the built-in simulator unless a webhook is configured. */
  notify: NotifyAdapter;
  /** Holders online: one-time code sign-in, holder sessions, family service. */
  holders: HoldersService;
  /** Ledgers and the destruction register (FZ-27, ZS-17, FZ-36; docs/LEDGERS.md). */
  ledgers: LedgersService;
  /** Referrals from the 12333 / 12345 hotlines (FZ-46; docs/REFERRALS.md). */
  referrals: ReferralsService;
  /**
   * The background queue (jobs/queue.ts, docs/QUEUE.md): `main.ts` starts it on every node,
   * tests call `drain()`.
   */
  queue: DbQueue;
  /** Following, retrying and cancelling queued jobs over HTTP. */
  queueJobs: QueueService;
  /** The outbox of messages to holders (docs/NOTIFICATIONS.md). */
  notifications: NotificationsService;
  /** Unit batch applications from rosters (FZ-18, HN-9; docs/ROSTERS.md). */
  rosters: RostersService;
  /** Vendor production batches and their return files (FZ-20, FZ-22; docs/adapters/vendor.md). */
  production: ProductionService;
  /** Bank account opening by file (FZ-18(四)(五); docs/adapters/bank-files.md). */
  bankFiles: BankFilesService;
}

/** The configured text gateway: a webhook (SSCARD_NOTIFY_WEBHOOK) or the built-in simulator. */
export function notifyFromConfig(deps: Deps): NotifyAdapter {
  const { webhook, secret } = deps.config.notify;
  return webhook ? new NotifyWebhook(webhook, secret) : new NotifySimulator(() => deps.clock.now());
}

export function createServices(
  deps: Deps,
  bank: BankAdapter = new BankSimulator(),
  notify: NotifyAdapter = notifyFromConfig(deps),
): Services {
  const fees = new FeesService(deps);
  const staff = new StaffService(deps);
  const applications = new ApplicationsService(deps, fees, bank);
  const cards = new CardsService(deps, bank);
  const verification = new VerificationService(deps);
  const queue = new DbQueue(deps, () => deps);
  const notifications = new NotificationsService(deps, notify, queue);
  queue.register('notify.deliver', notifications.deliver);
  const rosters = new RostersService(deps, applications);
  rosters.useQueue(queue);
  const production = new ProductionService(deps, applications, cards);
  production.useQueue(queue);
  const bankFiles = new BankFilesService(deps);
  bankFiles.useQueue(queue);
  const services: Services = {
    bank,
    applications,
    keyChanges: new KeyChangeService(deps, applications),
    cards,
    auth: new AuthService(deps),
    organizations: new OrganizationsService(deps),
    staff,
    permissions: new PermissionsService(deps, staff),
    persons: new PersonsService(deps, (personId, requestId) =>
      cards.onHolderDeath(personId, requestId),
    ),
    fees,
    alerts: new AlertsService(deps),
    jobs: new Scheduler(deps, () => services, JOBS),
    terminals: new TerminalsService(deps),
    verification,
    denyList: new DenyListService(deps, deps.repos.denyList),
    ecards: new EcardsService(deps, verification),
    notify,
    holders: new HoldersService(deps, notify),
    ledgers: new LedgersService(deps),
    referrals: new ReferralsService(deps),
    queue,
    queueJobs: new QueueService(deps, queue),
    notifications,
    rosters,
    production,
    bankFiles,
  };
  return services;
}
