/**
 * What services are built from. Everything with I/O sits behind one of these, so a service can be
 * exercised against a real database with a manual clock in tests.
 */
import type { RulePackRegistry } from '@sscard/domain';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Keyring } from './crypto/keyring.js';
import type { ChangeBus } from './db/change-bus.js';
import type { Database } from './db/database.js';
import type { AuditRepository } from './modules/audit/audit.repository.js';
import type { CalendarService } from './modules/calendar/calendar.service.js';
import type { JurisdictionDirectory } from './modules/jurisdictions/directory.js';
import type { ServerClock } from './modules/system/clock.js';
import type { SettingsRepository } from './modules/system/settings.repository.js';
import type { ActStep } from './acts/act-step.js';
import type { Access } from './acts/access.js';
import type { Repositories } from './repositories.js';

export interface Deps {
  db: Database;
  dbKind: 'pglite' | 'postgres';
  clock: ServerClock;
  keyring: Keyring;
  config: Config;
  audit: AuditRepository;
  settings: SettingsRepository;
  jurisdictions: JurisdictionDirectory;
  /** The rule packs, every version, resolved by jurisdiction and date of the act. */
  rules: RulePackRegistry;
  /** Statutory working days plus the installation's override table. */
  calendar: CalendarService;
  log: Logger;
  /** Every repository (repositories.ts): services read and write through these only. */
  repos: Repositories;
  /** Who may do what to which target (acts/access.ts, the policy table in the domain). */
  access: Access;
  /** The one act step every state change runs through (acts/act-step.ts). */
  acts: ActStep;
  /** Tells every API node that something it keeps in memory changed (db/change-bus.ts). */
  changes: ChangeBus;
}

/** PostgreSQL's SQLSTATE for a unique-constraint violation, and a test for it. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string } | null;
  if (err?.code !== '23505') return false;
  return constraint === undefined || err.constraint === constraint;
}
