/**
 * Typed tables for Kysely, one interface per table, matching the migrations in ./migrations.
 * Dates are 'YYYY-MM-DD' strings, instants are Date, bytea is Buffer (see database.ts).
 */
import type { ColumnType, Generated } from 'kysely';
import type { UnclaimedAction, UndeliverableReason } from '@sscard/domain';
import type {
  DestructionRecordCardsTable,
  DestructionRecordsTable,
  LedgerFilingsTable,
  ReferralsTable,
} from './schema-backoffice.js';
import type {
  BankFileBatchesTable,
  BankFileRowsTable,
  ProductionBatchItemsTable,
  ProductionBatchesTable,
  ReturnFilesTable,
} from './schema-production.js';
import type { RosterFilesTable, RosterRowsTable, RostersTable } from './schema-rosters.js';

type Json = ColumnType<unknown, string, string>;

export interface OrganizationsTable {
  id: string;
  kind:
    | 'centre'
    | 'bank'
    | 'branch'
    | 'community_outlet'
    | 'service_window'
    | 'service_point'
    | 'vendor'
    | 'unit';
  /** Service points only (0011): hospital, pharmacy, transit, government_window, other. */
  service_point_kind: Generated<
    'hospital' | 'pharmacy' | 'transit' | 'government_window' | 'other' | null
  >;
  level: 'provincial' | 'city' | 'employer' | 'school' | 'village' | null;
  code: string;
  name: string;
  jurisdiction: string;
  parent_id: string | null;
  bank_id: string | null;
  can_instant_issue: Generated<boolean>;
  /** 0019: a bank opens the accounts of cards being made online (one by one) or by file (FZ-18). */
  account_opening: Generated<'online' | 'file'>;
  status: Generated<'active' | 'suspended'>;
  created_at: Date;
  suspended_at: Generated<Date | null>;
  suspension_reason: Generated<string | null>;
}

export interface StaffTable {
  id: string;
  username: string;
  display_name: string;
  organization_id: string | null;
  role: string;
  /** Null until the account's holder activates it and chooses a password. */
  password_hash: string | null;
  activation_hash: Generated<Buffer | null>;
  activation_expires_at: Generated<Date | null>;
  status: Generated<'active' | 'disabled'>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  last_login_at: Date | null;
  password_changed_at: Date;
  created_at: Date;
  created_by: string | null;
  totp_secret_enc: Generated<string | null>;
  totp_enrolled_at: Generated<Date | null>;
  phone_enc: Generated<string | null>;
  disabled_at: Generated<Date | null>;
  disabled_reason: Generated<'admin' | 'inactive' | null>;
  reactivated_at: Generated<Date | null>;
  /** FZ-37: acts granted within the role (JSON list), null for the role's full set. */
  permissions: Json | null;
}

export interface SessionsTable {
  id: string;
  token_hash: Buffer;
  staff_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  ip: string | null;
  second_factor: Generated<boolean>;
}

export interface StaffOtpUsedTable {
  staff_id: string;
  time_step: number;
  used_at: Date;
}

export interface OtpEnrolmentsTable {
  id: string;
  staff_id: string;
  ticket_hash: Buffer;
  purpose: 'login' | 'session';
  secret_enc: string;
  created_at: Date;
  expires_at: Date;
  completed_at: Date | null;
}

export interface RateLimitsTable {
  key_hash: Buffer;
  window_start: Date;
  hits: number;
}

export interface PersonsTable {
  id: string;
  ssn_enc: string;
  id_type: string;
  id_number_enc: string;
  name: string;
  sex: 'male' | 'female';
  ethnicity: string | null;
  nationality: string;
  birth_date: string;
  phone_enc: string | null;
  phone_hmac: Buffer | null;
  household_address_enc: string | null;
  residence_address_enc: string | null;
  postcode: string | null;
  occupation: string | null;
  medical_insurance: 'employee' | 'resident' | 'other' | null;
  guardian: Json | null;
  guardian_id_number_enc: string | null;
  hardship: Generated<'none' | 'tekun' | 'dibao'>;
  died_on: string | null;
  death_evidence: string | null;
  photo_id: string | null;
  jurisdiction: string;
  registered_by: string | null;
  version: Generated<number>;
  created_at: Date;
  updated_at: Date;
}

export interface PersonKeysTable {
  key_kind: 'ssn' | 'id_document';
  key_hmac: Buffer;
  person_id: string;
}

export interface PersonOrgsTable {
  person_id: string;
  organization_id: string;
  relation: string;
  created_at: Date;
}

export interface PhotosTable {
  id: string;
  person_id: string;
  content_type: string;
  byte_size: number;
  width: number | null;
  height: number | null;
  sha256: Buffer;
  data_enc: Buffer;
  created_at: Date;
}

export interface SsnSequencesTable {
  prefix: string;
  last_value: number;
}

export interface AuditLogTable {
  shard: number;
  seq: number;
  id: string;
  at: Date;
  actor_id: string | null;
  actor_username: string | null;
  actor_org_id: string | null;
  actor_role: string | null;
  ip: string | null;
  request_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  jurisdiction: string | null;
  reason: string | null;
  outcome: 'success' | 'refused' | 'error';
  code: string | null;
  details: Json | null;
  prev_hash: Buffer;
  hash: Buffer;
}

export interface AuditHeadsTable {
  shard: number;
  seq: number;
  hash: Buffer;
  /** The anchor: seq, hash and time of the last pruned record (0, zero hash, null: none pruned). */
  base_seq: Generated<number>;
  base_hash: Generated<Buffer>;
  base_at: Generated<Date | null>;
}

export interface AlertsTable {
  id: string;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  key: string;
  raised_at: Date;
  last_seen_at: Date;
  occurrences: Generated<number>;
  details: Json | null;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  /** The jurisdiction the alert is about; null for installation-wide alerts. */
  jurisdiction: string | null;
}

export interface JobRunsTable {
  id: string;
  job: string;
  day: string;
  trigger: 'schedule' | 'manual';
  requested_by: string;
  status: 'running' | 'succeeded' | 'failed';
  attempts: Generated<number>;
  started_at: Date;
  finished_at: Date | null;
  result: Json | null;
  error: string | null;
}

export interface SystemSettingsTable {
  key: string;
  value: Json;
  updated_at: Date;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Date;
}

export interface KeyMaterialTable {
  name: string;
  key_enc: string;
  check_value: string;
  created_at: Date;
}

export interface DataKeysTable {
  key_id: string;
  added_at: Date;
  retired_at: Date | null;
}

export interface ApplicationsTable {
  id: string;
  person_id: string;
  jurisdiction: string;
  pack_version: string;
  kind: 'first' | 'replacement' | 'change' | 'reissue' | 'temporary';
  reason: string | null;
  channel: 'counter' | 'online' | 'self_service' | 'unit' | 'agent';
  production: 'instant' | 'batch';
  status:
    | 'submitted'
    | 'checking'
    | 'approved'
    | 'rejected'
    | 'in_production'
    | 'produced'
    | 'in_stock'
    | 'issued'
    | 'withdrawn';
  branch_id: string;
  bank_id: string;
  accepted_by: string | null;
  delivery: 'counter' | 'mail' | 'home' | 'unit';
  delivery_address_enc: string | null;
  agent: Json | null;
  agent_id_number_enc: string | null;
  fee_fen: number;
  fee: Json;
  old_card_no: string | null;
  card_no: string | null;
  rejection_reason: string | null;
  rejection_rule: string | null;
  due_at: Date | null;
  due: Json | null;
  submitted_at: Date;
  approved_at: Date | null;
  produced_at: Date | null;
  stocked_at: Date | null;
  issued_at: Date | null;
  closed_at: Date | null;
  /** FZ-23: when the applicant was told that the card will be late. */
  delay_notice_at: Generated<Date | null>;
  created_by: string | null;
  version: Generated<number>;
  updated_at: Date;
}

export interface ApplicationChecksTable {
  application_id: string;
  agency: string;
  result: 'pending' | 'pass' | 'fail';
  reason: string | null;
  due_at: Date | null;
  recorded_at: Date | null;
  recorded_by: string | null;
}

export interface CardsTable {
  card_no: string;
  person_id: string;
  jurisdiction: string;
  kind: 'regular' | 'temporary';
  application_id: string;
  generation: Generated<number>;
  bank_id: string | null;
  branch_id: string | null;
  bank_account_enc: string | null;
  bank_account_hmac: Buffer | null;
  status: 'in_production' | 'in_stock' | 'issued' | 'replaced' | 'cancelled' | 'destroyed';
  has_photo: boolean;
  produced_at: Date | null;
  stocked_at: Date | null;
  issued_at: Date | null;
  issued_to: string | null;
  expires_on: string | null;
  social_enabled_at: Date | null;
  financial_activated_at: Date | null;
  loss_kind: Generated<'none' | 'temporary' | 'formal'>;
  loss_since: Date | null;
  loss_until: Date | null;
  suspended_at: Date | null;
  frozen_at: Date | null;
  frozen_reason: string | null;
  pin_hash: Buffer | null;
  pin_failures: Generated<number>;
  pin_locked_at: Date | null;
  pin_changed_at: Date | null;
  replacement_application_id: string | null;
  replaced_by: string | null;
  ended_at: Date | null;
  end_reason: string | null;
  cancel_evidence: Json | null;
  returned_at: Date | null;
  destroyed_at: Date | null;
  ecard_issued_at: Date | null;
  /** When the daily sweep found the card unclaimed past the pack's limit, and what it did. */
  unclaimed_at: Date | null;
  unclaimed_action: UnclaimedAction | null;
  /** Why a card made but not handed over cannot be (ZS-17(二), HN-12, FZ-27). */
  undeliverable_reason: Generated<UndeliverableReason | null>;
  /** HN-27: the bank account of a card cancelled on death was closed at the bank. */
  bank_account_closed_at: Generated<Date | null>;
  version: Generated<number>;
  updated_at: Date;
}

export interface CardSerialsTable {
  jurisdiction: string;
  kind: string;
  last_value: number;
}

export interface IdempotencyKeysTable {
  actor_key: string;
  key: string;
  fingerprint: string;
  status_code: number | null;
  response: Json | null;
  created_at: Date;
}

export interface PermissionRequestsTable {
  id: string;
  kind: 'grant' | 'change' | 'lock';
  organization_id: string;
  staff_id: string | null;
  account: Json | null;
  permissions: Json | null;
  reason: string;
  status: 'requested' | 'approved' | 'rejected' | 'withdrawn';
  requested_by: string;
  requested_at: Date;
  due_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  filed_at: Date | null;
  created_staff_id: string | null;
}

export interface PresencesTable {
  organization_id: string;
  person_id: string;
  staff_id: string | null;
  opened_at: Date;
  expires_at: Date;
}

export interface LoginThrottleTable {
  name_hmac: Buffer;
  failures: number;
  locked_until: Date | null;
  updated_at: Date;
}

export interface TerminalsTable {
  id: string;
  organization_id: string;
  jurisdiction: string;
  kind: 'card_reader' | 'pos' | 'gate' | 'kiosk' | 'issuing_terminal' | 'card_printer';
  serial_number: string | null;
  label: string;
  brand: string | null;
  model: string | null;
  credential_kind: 'api_key' | 'client_certificate';
  credential_hash: Buffer;
  credential_hint: string;
  credential_rotated_at: Date;
  status: Generated<'active' | 'suspended' | 'retired'>;
  rate_limit_per_second: number;
  registered_by: string | null;
  registered_at: Date;
  changed_on: string | null;
  filed_at: Date;
  filing_due_on: string | null;
  filed_late: Generated<boolean>;
  version: Generated<number>;
  updated_at: Date;
}

export interface VerificationLogTable {
  card_no: string;
  id: Generated<number>;
  at: Date;
  terminal_id: string;
  organization_id: string;
  jurisdiction: string | null;
  check_kind: 'card' | 'pin';
  function: string;
  valid: boolean;
  reasons: Generated<string[]>;
  batch_id: string;
}

export interface DenyListTable {
  card_no: string;
  jurisdiction: string;
  listed: boolean;
  reasons: string[];
  version: number;
}

export interface DenyListStateTable {
  id: number;
  version: number;
  built_through: Date | null;
  built_on: string | null;
}

export interface HolderChallengesTable {
  id: string;
  purpose: 'sign_in' | 'ward_consent';
  subject_hmac: Buffer;
  person_id: string | null;
  requested_by: string | null;
  relation: string | null;
  code_hmac: Buffer | null;
  attempts: Generated<number>;
  created_at: Date;
  expires_at: Date;
  consumed_at: Date | null;
  ip: string | null;
}

export interface HolderSessionsTable {
  id: string;
  person_id: string;
  token_hash: Buffer;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  ip: string | null;
}

export interface HolderWardsTable {
  id: string;
  holder_person_id: string;
  ward_person_id: string;
  relation: string;
  proof: 'recorded_guardian' | 'consent_code';
  added_at: Date;
  removed_at: Date | null;
}

export interface DB {
  production_batches: ProductionBatchesTable;
  production_batch_items: ProductionBatchItemsTable;
  bank_file_batches: BankFileBatchesTable;
  bank_file_rows: BankFileRowsTable;
  return_files: ReturnFilesTable;
  ledger_filings: LedgerFilingsTable;
  destruction_records: DestructionRecordsTable;
  destruction_record_cards: DestructionRecordCardsTable;
  referrals: ReferralsTable;
  holder_challenges: HolderChallengesTable;
  holder_sessions: HolderSessionsTable;
  holder_wards: HolderWardsTable;
  terminals: TerminalsTable;
  verification_log: VerificationLogTable;
  deny_list: DenyListTable;
  deny_list_state: DenyListStateTable;
  alerts: AlertsTable;
  job_runs: JobRunsTable;
  permission_requests: PermissionRequestsTable;
  applications: ApplicationsTable;
  application_checks: ApplicationChecksTable;
  cards: CardsTable;
  card_serials: CardSerialsTable;
  idempotency_keys: IdempotencyKeysTable;
  organizations: OrganizationsTable;
  staff: StaffTable;
  sessions: SessionsTable;
  persons: PersonsTable;
  person_keys: PersonKeysTable;
  person_orgs: PersonOrgsTable;
  photos: PhotosTable;
  ssn_sequences: SsnSequencesTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadsTable;
  system_settings: SystemSettingsTable;
  schema_migrations: SchemaMigrationsTable;
  staff_otp_used: StaffOtpUsedTable;
  otp_enrolments: OtpEnrolmentsTable;
  rate_limits: RateLimitsTable;
  key_material: KeyMaterialTable;
  data_keys: DataKeysTable;
  presences: PresencesTable;
  login_throttle: LoginThrottleTable;
  rosters: RostersTable;
  roster_files: RosterFilesTable;
  roster_rows: RosterRowsTable;
}
