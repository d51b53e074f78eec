/**
 * The catalogue of every error code the platform can answer with, in Chinese and English.
 * Each module declares its own codes in `<module>/errors.ts`; this file only gathers them.
 * A code, once published, is never renamed: clients and scripts match on it.
 */
import { accessErrors } from '../access/errors.js';
import { calendarErrors } from '../calendar/errors.js';
import { feesErrors } from '../fees/errors.js';
import { identityErrors } from '../identity/errors.js';
import { lifecycleErrors } from '../lifecycle/errors.js';
import { rulesErrors } from '../rules/errors.js';
import { securityErrors } from '../security/errors.js';
import type { CatalogueEntry } from './entry.js';
import { personsErrors } from '../persons/errors.js';
import { platformErrors } from './platform.js';
import { verificationErrors } from '../verification/errors.js';
import { ecardErrors } from '../ecard/errors.js';
import { holderErrors } from '../holders/errors.js';
import { ledgerErrors } from '../ledgers/errors.js';
import { referralErrors } from '../referrals/errors.js';
import { productionErrors } from '../production/errors.js';
import { rosterErrors } from '../rosters/errors.js';
import { queueErrors } from '../queue/errors.js';

export type { ErrorKind } from './entry.js';

export const catalogue = {
  ...platformErrors,
  ...identityErrors,
  ...personsErrors,
  ...rulesErrors,
  ...calendarErrors,
  ...feesErrors,
  ...lifecycleErrors,
  ...securityErrors,
  ...accessErrors,
  ...verificationErrors,
  ...ecardErrors,
  ...holderErrors,
  ...ledgerErrors,
  ...referralErrors,
  ...productionErrors,
  ...rosterErrors,
  ...queueErrors,
} satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof catalogue;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(catalogue, code);
}
