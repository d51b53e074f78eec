export * from './app.js';
export * from './config.js';
export * from './context.js';
export * from './platform.js';
export { openDatabase, type Database, type DatabaseHandle } from './db/database.js';
export { migrate, listMigrations } from './db/migrate.js';
export { verifyAuditChain, type ChainBreak, type ChainReport } from './modules/audit/verify.js';
export { AuditService } from './modules/audit/audit.service.js';
export {
  verifyArchive,
  ARCHIVE_FORMAT,
  type ArchiveManifest,
  type ArchiveReport,
  type ArchiveProblem,
} from './modules/audit/archive.js';
export { retentionCutoff, type PruneReport } from './modules/audit/retention.js';
export { AlertsService, type AlertRow } from './modules/alerts/alerts.service.js';
export {
  Scheduler,
  UnknownJobError,
  type JobDefinition,
  type JobRun,
  type JobResult,
} from './jobs/scheduler.js';
export { JOBS } from './jobs/jobs.js';
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
export * from './scenarios/index.js';
export { CARD_ACTS, type CardActDef } from './modules/cards/card-acts.js';
export {
  verifyDenyList,
  DenyListSigner,
  type SignedDenyList,
} from './modules/verification/deny-list.signing.js';
export {
  takeBackup,
  restoreBackup,
  readBackupHeader,
  verifyBackupFile,
  BackupError,
  type BackupManifest,
  type RestoreReport,
} from './ops/backup.js';
export {
  DISTRIBUTION_PLAN,
  citusStatements,
  type Placement,
  type ForeignKeyInfo,
} from './db/distribution.js';
export { readCatalogue } from './db/catalogue.repository.js';
