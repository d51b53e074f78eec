/**
 * The composition root: opens the database, migrates it, builds the keyring, clock, services
 * and HTTP app. `npm start`, the CLI and the tests all start the platform through here, so they
 * run the same code.
 */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { systemContext } from './context.js';
import { loadMasterKeys } from './crypto/master-key.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { migrate } from './db/migrate.js';
import type { Deps } from './deps.js';
import { createLogger } from './logger.js';
import { AuditRepository } from './modules/audit/audit.repository.js';
import { CalendarService } from './modules/calendar/calendar.service.js';
import { loadRegistry } from './modules/policy/pack-files.js';
import { JurisdictionDirectory } from './modules/jurisdictions/directory.js';
import { openKeyring } from './modules/keys/key-store.js';
import { ChangeBus } from './db/change-bus.js';
import { createClock } from './modules/system/clock.js';
import { SettingsRepository } from './modules/system/settings.repository.js';
import { createServices, type Services } from './services.js';
import { createRepositories } from './repositories.js';
import { Access } from './acts/access.js';
import { ActStep } from './acts/act-step.js';

export interface Platform {
  deps: Deps;
  services: Services;
  handle: DatabaseHandle;
  /** How long opening took (main.ts logs it at start): migrations apart from the rest. */
  timings: { migrationsMs: number; openMs: number };
  /** The generated administrator password, when one was generated on this start. */
  generatedAdminPassword?: string;
  close(): Promise<void>;
}

export interface PlatformOptions {
  config: Config;
  log?: Logger;
  /** An already-open database (tests hand one in). */
  handle?: DatabaseHandle;
  /** Skip migrations (the database is known to be current, e.g. a migrated test template). */
  skipMigrations?: boolean;
}

export async function openPlatform(options: PlatformOptions): Promise<Platform> {
  const { config } = options;
  const log = options.log ?? createLogger(config.logLevel);
  const opening = performance.now();
  let migrationsMs = 0;
  // Rule packs first: a broken pack stops start-up before anything else is touched.
  const rules = loadRegistry(config.packsDir);
  const handle =
    options.handle ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.databasePoolSize,
    }));
  let stopChanges = async (): Promise<void> => {};
  try {
    if (!options.skipMigrations) {
      const migrating = performance.now();
      const report = await migrate(handle.db);
      migrationsMs = Math.round(performance.now() - migrating);
      if (report.applied.length) log.info({ applied: report.applied }, 'database migrated');
    }
    const keySource = loadMasterKeys(config.masterKey, config.dataDir);
    if (keySource.origin === 'file-created') {
      log.warn(
        { file: keySource.file },
        'created a master key file for personal data; production keeps the key in a KMS (SSCARD_MASTER_KEY)',
      );
    }
    if (keySource.origin !== 'environment' && config.databaseUrl) {
      log.warn('SSCARD_MASTER_KEY is not set: every API node must share the same key');
    }
    const settings = new SettingsRepository(handle.db);
    const changes = new ChangeBus(handle);
    await changes.start();
    stopChanges = () => changes.stop();
    const clock = await createClock(config.clockMode, settings);
    // Fails start-up if the configured keys cannot open what is stored or would change the
    // blind-index key (docs/SECURITY.md, "Keys and rotation").
    const keyring = await openKeyring({
      db: handle.db,
      masters: keySource.keys,
      now: clock.now(),
      log,
    });
    const audit = new AuditRepository(config.auditShards);
    const repos = createRepositories(handle.db, keyring, handle.prepared);
    const access = new Access(repos.persons, repos.presence);
    const deps: Deps = {
      db: handle.db,
      dbKind: handle.kind,
      clock,
      keyring,
      config,
      audit,
      settings,
      jurisdictions: new JurisdictionDirectory(rules),
      rules,
      calendar: new CalendarService({ db: handle.db, settings, clock, changes }),
      log,
      repos,
      access,
      acts: new ActStep({ db: handle.db, clock, audit }, access, repos.idempotency),
      changes,
    };
    const services = createServices(deps);
    const admin = await services.staff.ensureInstallationAdmin(
      systemContext('bootstrap'),
      config.adminPassword,
    );
    return {
      deps,
      services,
      handle,
      timings: { migrationsMs, openMs: Math.round(performance.now() - opening) },
      ...(admin.password ? { generatedAdminPassword: admin.password } : {}),
      close: async () => {
        await changes.stop();
        await handle.close();
      },
    };
  } catch (e) {
    await stopChanges();
    await handle.close();
    throw e;
  }
}
