export * from './app.js';
export * from './config.js';
export * from './context.js';
export * from './platform.js';
export { openDatabase, type Database, type DatabaseHandle } from './db/database.js';
export { migrate, listMigrations } from './db/migrate.js';
export { verifyAuditChain } from './modules/audit/audit.repository.js';
export { seedDemo } from './demo/seed.js';
export {
  loadRegistry,
  readPackFiles,
  BUILT_IN_PACKS_DIR,
  describe as describePackError,
} from './modules/policy/pack-files.js';
export {
  KeysService,
  keyStatus,
  DEFAULT_BATCH_SIZE,
  type KeyStatus,
  type RotationReport,
  type RotationProgress,
} from './modules/keys/keys.service.js';
export { KeyConfigurationError, configuredKeyIds } from './modules/keys/key-store.js';
