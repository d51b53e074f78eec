/** The services of the platform, built once from their dependencies. */
import type { BankAdapter } from './adapters/bank/bank-adapter.js';
import { BankSimulator } from './adapters/bank/bank-simulator.js';
import type { Deps } from './deps.js';
import { ApplicationsService } from './modules/applications/applications.service.js';
import { CardsService } from './modules/cards/cards.service.js';
import { KeyChangeService } from './modules/applications/key-change.js';
import { AuthService } from './modules/auth/auth.service.js';
import { FeesService } from './modules/policy/fees.service.js';
import { OrganizationsService } from './modules/organizations/organizations.service.js';
import { PersonsService } from './modules/persons/persons.service.js';
import { StaffService } from './modules/staff/staff.service.js';

export interface Services {
  auth: AuthService;
  organizations: OrganizationsService;
  staff: StaffService;
  persons: PersonsService;
  fees: FeesService;
  applications: ApplicationsService;
  cards: CardsService;
  keyChanges: KeyChangeService;
  /** The bank connector: the built-in simulator unless a real one is configured. */
  bank: BankAdapter;
}

export function createServices(deps: Deps, bank: BankAdapter = new BankSimulator()): Services {
  const fees = new FeesService(deps);
  const applications = new ApplicationsService(deps, fees, bank);
  return {
    bank,
    applications,
    keyChanges: new KeyChangeService(deps, applications),
    cards: new CardsService(deps, bank),
    auth: new AuthService(deps),
    organizations: new OrganizationsService(deps),
    staff: new StaffService(deps),
    persons: new PersonsService(deps),
    fees,
  };
}
