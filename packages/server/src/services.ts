/** The services of the platform, built once from their dependencies. */
import type { Deps } from './deps.js';
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
}

export function createServices(deps: Deps): Services {
  return {
    auth: new AuthService(deps),
    organizations: new OrganizationsService(deps),
    staff: new StaffService(deps),
    persons: new PersonsService(deps),
    fees: new FeesService(deps),
  };
}
